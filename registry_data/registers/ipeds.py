"""US IPEDS "Directory information" (HD) file: every US postsecondary institution.

`CYACTIVE` 1 means active this year, anything else (3: closed, combined or out of scope) not;
`-1`/`-2` mean "not reported"/"not applicable" and become empty values. A non-empty `OPEID`
means the institution takes part in federal Title IV aid, which requires recognised
accreditation, so it is kept in `extra` for the scorer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from registry_data.declaration import Download, FileFormat, Register, Statuses
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
# Status words this loader writes from `CYACTIVE` (the file has no status column).
ACTIVE, INACTIVE = "active", "closed or inactive"
STATUSES = Statuses(current=(ACTIVE,), ended=(INACTIVE,))


_RELEASE = re.compile(r"(?<![a-z])hd((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def hd_release(file_name: str) -> str | None:
    """`hd2024.csv` -> "2024": the HD file of the 2024-25 collection (released in 2025).

    The file states no date, so its snapshot is dated by its release, recorded as the bare
    collection year (ISO 8601 year precision), never as a day it does not state.
    """
    match = _RELEASE.search(file_name)
    return match.group(1) if match else None


def reported(value: Any) -> str:
    """The cell as text, or "" when IPEDS codes it as not reported / not applicable."""
    cleaned = text(value)
    return "" if cleaned in NOT_REPORTED else cleaned


def ipeds_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    active = reported(record["CYACTIVE"])
    opeid = reported(record["OPEID"])
    status = ACTIVE if active == "1" else INACTIVE
    return entry_row(
        REGISTER.id,
        text(record["UNITID"]),
        text(record["INSTNM"]),
        aliases=split_names(reported(record["IALIAS"]), ALIAS_SEPARATORS),
        status=status,
        is_current=STATUSES.is_current(status),
        category=SECTORS.get(reported(record["SECTOR"])),
        end_date=iso_date(record["CLOSEDAT"], month_first=True),
        website=reported(record["WEBADDR"]),
        state=reported(record["STABBR"]) or None,
        country=REGISTER.jurisdiction,
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


REGISTER = Register(
    id="ipeds",
    label="US IPEDS",
    abbreviation="IPEDS",
    jurisdiction="US",
    about=(
        "The NCES IPEDS directory (HD) file: every US postsecondary institution, with a "
        "federal aid id (OPEID) for those that need recognised accreditation."
    ),
    licence="US federal government work, public domain (NCES IPEDS)",
    source_page="https://nces.ed.gov/ipeds/datacenter/DataFiles.aspx",
    fetch=Download(
        "https://nces.ed.gov/ipeds/complete-data-files/HD2024.zip", "ipeds_hd2024_{date}.zip"
    ),
    formats=(
        FileFormat(
            "ipeds",
            "IPEDS HD directory",
            "registry_entries",
            ipeds_entries,
            rows_label="IPEDS institutions (US)",
            columns=COLUMNS,
            release_date=hd_release,
        ),
        FileFormat("ipeds_dictionary", "IPEDS data dictionary", columns=("varNumber", "varName")),
    ),
    statuses=STATUSES,
    entry_page="https://nces.ed.gov/collegenavigator/?id={entry_id}",
)
