"""Tables of the registers stage: one normalised table for every register, plus history."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from registry_data.rows import ENTRY_COLUMNS

migrations = Migrations("credwatch.registers")


@migrations()
def create_register_tables(db: Database) -> None:
    db["registry_entries"].create(
        {
            "register": str,  # a declared register id (registry_data.registers): cricos, rto...
            "entry_id": str,  # the register's own id, as text (leading zeros kept)
            "legal_name": str,
            "trading_names": str,  # JSON list
            "aliases": str,  # JSON list: bracketed abbreviations, IALIAS, UK synonyms
            "status": str,  # register's own wording, e.g. "Current", "Cancelled", "registered"
            "is_current": int,  # 1 when the status means registered now (in the snapshot)
            "category": str,  # e.g. CRICOS institution type, TEQSA category, RCAB, IPEDS sector
            "start_date": str,  # ISO yyyy-mm-dd
            "end_date": str,
            "website": str,  # as published
            "website_domain": str,  # registrable domain, e.g. rmit.edu.au
            "abn": str,
            "state": str,
            "country": str,  # ISO 3166 alpha-2
            "source_file": str,  # file name only, never a local path
            "source_url": str,
            "snapshot_date": str,
            "extra": str,  # JSON object with register-specific fields
        },
        pk=("register", "entry_id"),
        not_null={"register", "entry_id", "legal_name"},
    )
    db["registry_entries"].create_index(["website_domain"])
    db["registry_entries"].create_index(["legal_name"])
    db["registry_courses"].create(
        {
            "register": str,
            "course_code": str,
            "provider_code": str,
            "course_name": str,
            "vet_national_code": str,
            "course_level": str,
            "duration_weeks": float,
            "tuition_fee": float,
            "non_tuition_fee": float,
            "estimated_total_cost": float,
            "expired": int,
            "source_file": str,
            "snapshot_date": str,
        },
        pk=("register", "course_code"),
    )
    db["registry_courses"].create_index(["provider_code"])
    db["registry_courses"].create_index(["vet_national_code"])
    db["blocked_sites"].create(
        {"domain": str, "listed_as": str, "source_file": str, "snapshot_date": str},
        pk="domain",
    )
    db["registry_snapshots"].create(
        {
            "register": str,
            "snapshot_date": str,
            "source_file": str,
            "rows": int,
            "loaded_at": str,
        },
        pk=("register", "snapshot_date", "source_file"),
    )
    db["registry_changes"].create(
        {
            "register": str,
            "entry_id": str,
            "legal_name": str,
            "change": str,  # appeared | disappeared (the register gives no reason)
            "from_snapshot": str,
            "to_snapshot": str,
        },
        pk=("register", "entry_id", "change", "from_snapshot", "to_snapshot"),
    )


@migrations()
def add_blocked_registrable_domain(db: Database) -> None:
    """A blocked `au.example.com` must also flag a provider on `example.com`'s other hosts."""
    db["blocked_sites"].add_column("registrable_domain", str)
    db["blocked_sites"].create_index(["registrable_domain"])


@migrations()
def create_regulatory_decisions(db: Database) -> None:
    """Regulators' published decisions about providers (ASQA's first; TEQSA's can follow)."""
    db["regulatory_decisions"].create(
        {
            "regulator": str,  # asqa
            "decision_id": str,  # the regulator's own page id: "45339", "0763-0"
            "organisation_name": str,
            "rto_code": str,  # as the decision page gives it (leading zeros kept)
            "decision_type": str,  # the page's words: Cancellation, Part suspension, Conditions
            "date_of_decision": str,  # ISO yyyy-mm-dd
            "date_of_effect": str,  # ISO, where the page states it
            "status_of_decision": str,  # the page's words: "In effect", "... set aside"
            "status_of_review": str,
            "review_information": str,
            "in_effect": int,  # 1 in effect, 0 set aside/varied/lifted, NULL wording unknown
            "details": str,
            "source_url": str,
            "source_file": str,
            "snapshot_date": str,  # of the load that last saw it
            "first_seen": str,  # snapshot date of the first load that held it
            "last_seen": str,  # snapshot date of the latest load that held it
        },
        pk=("regulator", "decision_id"),
        not_null={"regulator", "decision_id", "organisation_name"},
    )
    db["regulatory_decisions"].create_index(["rto_code"])
    db["regulatory_decisions"].create_index(["in_effect", "date_of_decision"])


@migrations()
def keep_every_snapshot(db: Database) -> None:
    """Every snapshot kept (`registry_entry_history`), every change recorded field by field.

    `registry_entries` stays the current view (each register's newest snapshot) and gains
    `first_seen` / `last_seen`; `registry_snapshots` gains the dataset `kind` and the file's
    `sha256`; `registry_changes` gains `field`, `old_value`, `new_value` and names its dates
    `old_snapshot` / `new_snapshot`. A NULL `snapshot_date` means the date is unknown. The
    entries already loaded become the history of their snapshot, so nothing is lost.
    """
    entries = db["registry_entries"]
    entries.add_column("first_seen", str)
    entries.add_column("last_seen", str)
    db.execute("update registry_entries set first_seen = snapshot_date, last_seen = snapshot_date")
    columns = {column: str for column in ENTRY_COLUMNS}
    columns["is_current"] = int
    db["registry_entry_history"].create(columns)
    for index in (["register", "entry_id"], ["register", "snapshot_date"], ["legal_name"]):
        db["registry_entry_history"].create_index(index)
    names = ", ".join(f"[{column}]" for column in ENTRY_COLUMNS)
    db.execute(f"insert into registry_entry_history ({names}) select {names} from registry_entries")
    db["registry_snapshots"].add_column("kind", str)
    db["registry_snapshots"].add_column("sha256", str)
    # Snapshots loaded before: the dataset kind is the register id, but for CRICOS's two.
    db.execute(
        "update registry_snapshots set kind = case when register != 'cricos' then register "
        "when source_file like '%course%' then 'cricos_courses' "
        "else 'cricos_institutions' end"
    )
    changes = db["registry_changes"]
    for column in ("field", "old_value", "new_value"):
        changes.add_column(column, str)
    db.execute("update registry_changes set field = ''")
    changes.transform(
        rename={"from_snapshot": "old_snapshot", "to_snapshot": "new_snapshot"},
        pk=("register", "entry_id", "change", "field", "old_snapshot", "new_snapshot"),
    )
    changes.create_index(["new_snapshot"])


@migrations()
def add_decision_links(db: Database) -> None:
    """The register entry each decision is linked to, and how: scoring fills these (through
    the decision's RTO code, else the matcher on its organisation name, with the matcher's
    decision, confidence and reason), so every published decision shows its link's evidence."""
    decisions = db["regulatory_decisions"]
    for column, kind in (
        ("linked_register", str),
        ("linked_entry_id", str),
        ("linked_by", str),
        ("link_decision", str),
        ("link_confidence", float),
        ("link_reason", str),
    ):
        decisions.add_column(column, kind)
    decisions.create_index(["linked_register", "linked_entry_id"])


@migrations()
def create_registry_scopes(db: Database) -> None:
    """RTO scope of registration (training.gov.au web services), when a source is configured."""
    db["registry_scopes"].create(
        {
            "register": str,  # tga_scope
            "rto_code": str,  # as the service gives it (leading zeros kept)
            "organisation_name": str,  # its responsible legal person
            "nrt_code": str,  # the qualification, skill set, unit or accredited course
            "component_type": str,  # the service's TrainingComponentType
            "extent": str,  # the service's ExtentCode (deliver and assess, or assess only)
            "is_implicit": int,  # 1 when on scope through another item (a unit of a qualification)
            "is_refused": int,
            "start_date": str,  # ISO
            "end_date": str,
            "is_current": int,  # 1 when not refused, started and not ended on the snapshot date
            "source_file": str,
            "snapshot_date": str,
        },
        pk=("register", "rto_code", "nrt_code"),
    )
    db["registry_scopes"].create_index(["nrt_code"])
