"""US IPEDS "Directory information" (HD) file: every US postsecondary institution.

`CYACTIVE` 1 means active this year, anything else (3: closed, combined or out of scope) not;
`-1`/`-2` mean "not reported"/"not applicable" and become empty values. A non-empty `OPEID`
means the institution takes part in federal Title IV aid, which requires recognised
accreditation, so it is kept in `extra` for the scorer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry_data.rows import entry_row
from registry_data.values import NOT_REPORTED, iso_date, split_names, text

COLUMNS = (
    "UNITID", "INSTNM", "IALIAS", "STABBR", "WEBADDR", "OPEID", "SECTOR", "CYACTIVE", "CLOSEDAT",
)  # fmt: skip

# Value labels from the HD data dictionary (Frequencies sheet, SECTOR).
SECTORS = {
    "0": "Administrative Unit",
    "1": "Public, 4-year or above",
    "2": "Private not-for-profit, 4-year or above",
    "3": "Private for-profit, 4-year or above",
    "4": "Public, 2-year",
    "5": "Private not-for-profit, 2-year",
    "6": "Private for-profit, 2-year",
    "7": "Public, less-than 2-year",
    "8": "Private not-for-profit, less-than 2-year",
    "9": "Private for-profit, less-than 2-year",
    "99": "Sector unknown (not active)",
}
# IALIAS is free text: institutions separate aliases with commas, bars, semicolons or wide gaps.
ALIAS_SEPARATORS = r"[,;|]|\s{2,}"


def reported(value: Any) -> str:
    """The cell as text, or "" when IPEDS codes it as not reported / not applicable."""
    cleaned = text(value)
    return "" if cleaned in NOT_REPORTED else cleaned


def ipeds_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    active = reported(record["CYACTIVE"])
    opeid = reported(record["OPEID"])
    return entry_row(
        "ipeds",
        text(record["UNITID"]),
        text(record["INSTNM"]),
        aliases=split_names(reported(record["IALIAS"]), ALIAS_SEPARATORS),
        status="active" if active == "1" else "closed or inactive",
        is_current=active == "1",
        category=SECTORS.get(reported(record["SECTOR"])),
        end_date=iso_date(record["CLOSEDAT"], month_first=True),
        website=reported(record["WEBADDR"]),
        state=reported(record["STABBR"]) or None,
        country="US",
        source_file=source_file,
        snapshot_date=snapshot_date,
        extra={
            "opeid": opeid,
            "title_iv": bool(opeid),
            "cyactive": active,
            "city": reported(record.get("CITY")),
            "closedat": reported(record["CLOSEDAT"]),
            "newid": reported(record.get("NEWID")),
        },
    )


def ipeds_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [ipeds_entry(record, source_file, snapshot_date) for record in records]
