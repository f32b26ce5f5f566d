"""Tables of the registers stage: one normalised table for every register, plus history."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

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
