"""UK DfE degree-institutions list (JSON): names, synonyms and UKPRNs of UK HE institutions.

Not a statutory register, but the UKPRN is the UK join key, so entries without one cannot be
matched to anything and are skipped; the loader reports how many. `match_synonyms` are unique
(safe to auto-match) while `suggestion_synonyms` are not, so both become aliases but the safe
ones are also kept apart in `extra`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry_data.declaration import FileFormat, NotFetched, Register, Statuses
from registry_data.rows import entry_row
from registry_data.values import text, unique

# Status words this loader writes from `closed` (the list has no status field).
LISTED, CLOSED = "listed", "closed"
STATUSES = Statuses(current=(LISTED,), ended=(CLOSED,))


def looks_like_dfe_list(data: Any) -> bool:
    """A JSON list of objects carrying `name` and (mostly) `ukprn` keys."""
    objects = [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    return (
        bool(objects)
        and all("name" in item for item in objects)
        and any("ukprn" in item for item in objects)
    )


def ukprn_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    status = CLOSED if record.get("closed") else LISTED
    match_synonyms = unique(record.get("match_synonyms") or [])
    return entry_row(
        REGISTER.id,
        text(record["ukprn"]),
        text(record["name"]),
        aliases=[*match_synonyms, *(record.get("suggestion_synonyms") or [])],
        status=status,
        is_current=STATUSES.is_current(status),
        country=REGISTER.jurisdiction,
        source_file=source_file,
        snapshot_date=snapshot_date,
        extra={
            "match_synonyms": match_synonyms,
            "hesa_itt_code": text(record.get("hesa_itt_code")),
            "dttp_id": text(record.get("dttp_id")),
            "comment": text(record.get("comment")),
            "has_never_awarded_degrees": record.get("has_never_awarded_degrees"),
        },
    )


def ukprn_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list[dict]:
    """Rows for the entries with a UKPRN (the loader reports how many were skipped)."""
    return [
        ukprn_entry(record, source_file, snapshot_date)
        for record in records
        if text(record.get("ukprn"))
    ]


REGISTER = Register(
    id="ukprn",
    label="the UK provider list (UKPRN)",
    abbreviation="UKPRN",
    jurisdiction="GB",
    about=(
        "The UK Department for Education's list of degree-awarding institutions with their "
        "UKPRNs and synonyms. Not a statutory register: a name and alias reference."
    ),
    licence="MIT licence, Crown copyright (Government Digital Service)",
    source_page="https://github.com/DFE-Digital/apply-for-teacher-training-prototype",
    fetch=NotFetched("the list was removed from its repository: load a saved copy"),
    formats=(
        FileFormat(
            "ukprn",
            "UK DfE degree institutions",
            "registry_entries",
            ukprn_entries,
            rows_label="UK institutions with a UKPRN",
            skipped_label="UK entries skipped (no UKPRN)",
            json_shape=looks_like_dfe_list,
        ),
    ),
    statuses=STATUSES,
    entry_page=(
        "https://www.ukrlp.co.uk/ukrlp/ukrlp_provider.page_pls_provDetails"
        "?x=&pn_p_id={entry_id}&pv_status=VERIFIED&pv_vis_code=L"
    ),
)
