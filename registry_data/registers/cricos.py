"""CRICOS provider export (data.gov.au dataset `cricos`): institutions and courses.

The same columns arrive as xlsx sheets (header on row 3), as per-sheet CSVs (money as text
`"$13,300.00"`) or as a ZIP of those CSVs; the readers in `registry_data.tables` hand this module
plain records either way. CRICOS has no status column: being in an export means the provider
was registered on that date, so every row is current and disappearances are found by diffing
snapshots (see `registry_data.load`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from registry_data.declaration import CkanPackage, FileFormat, Register, Statuses
from registry_data.rows import entry_row
from registry_data.values import number, text, unique

INSTITUTION_COLUMNS = (
    "CRICOS Provider Code",
    "Trading Name",
    "Institution Name",
    "Institution Type",
    "Website",
    "Postal Address State",
)
COURSE_COLUMNS = (
    "CRICOS Provider Code",
    "CRICOS Course Code",
    "Course Name",
    "VET National Code",
    "Course Level",
    "Duration (Weeks)",
    "Tuition Fee",
    "Non Tuition Fee",
    "Estimated Total Course Cost",
    "Expired",
)
# Sheets of the xlsx export that are recognised but not loaded (no table for them yet).
LOCATION_COLUMNS = ("CRICOS Provider Code", "Location Name", "Location Type", "City", "State")
COURSE_LOCATION_COLUMNS = (
    "CRICOS Provider Code", "CRICOS Course Code", "Location Name", "Location City",
)  # fmt: skip

_LEGAL_WORDS = {"inc", "incorporated", "ltd", "limited", "pty ltd", "pty limited", "the"}
_PLACES = {
    "australia", "aust", "act", "nsw", "nt", "qld", "sa", "tas", "vic", "wa",
    "new south wales", "victoria", "queensland", "tasmania", "western australia",
    "south australia", "northern territory", "australian capital territory",
    "sydney", "melbourne", "brisbane", "perth", "adelaide", "hobart", "darwin", "canberra",
    "gold coast", "parramatta",
}  # fmt: skip
_BRACKETED = re.compile(r"\(([^()]{2,20})\)")
_COURSE_CODE_LENGTH = 7
# No status column: being in the export is being registered on its date.
REGISTERED = "registered"


def institution_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    """One `registry_entries` row from an Institutions record."""
    legal_name = text(record["Institution Name"])
    city = text(record.get("Postal Address City"))
    trading_names = split_trading_names(text(record["Trading Name"]), home_city=city)
    return entry_row(
        REGISTER.id,
        text(record["CRICOS Provider Code"]).upper(),
        legal_name,
        trading_names=trading_names,
        aliases=[alias for name in [legal_name, *trading_names] for alias in bracket_aliases(name)],
        status=REGISTERED,
        is_current=True,
        category=text(record["Institution Type"]) or None,
        website=text(record["Website"]),
        state=text(record["Postal Address State"]).upper() or None,
        country=REGISTER.jurisdiction,
        source_file=source_file,
        snapshot_date=snapshot_date,
        extra={
            "institution_capacity": number(record.get("Institution Capacity")),
            "postal_address": ", ".join(
                unique(text(record.get(f"Postal Address Line {n}")) for n in range(1, 5))
            ),
            "postal_city": city,
            "postal_postcode": text(record.get("Postal Address Postcode")),
        },
    )


def course_row(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    """One `registry_courses` row; fees and durations parsed whether numbers or `"$1,050.00"`."""
    return {
        "register": REGISTER.id,
        "course_code": course_code(record["CRICOS Course Code"]),
        "provider_code": text(record["CRICOS Provider Code"]).upper(),
        "course_name": text(record["Course Name"]),
        "vet_national_code": text(record["VET National Code"]) or None,
        "course_level": text(record["Course Level"]) or None,
        "duration_weeks": number(record["Duration (Weeks)"]),
        "tuition_fee": number(record["Tuition Fee"]),
        "non_tuition_fee": number(record["Non Tuition Fee"]),
        "estimated_total_cost": number(record["Estimated Total Course Cost"]),
        "expired": {"yes": 1, "no": 0}.get(text(record["Expired"]).lower()),
        "source_file": source_file,
        "snapshot_date": snapshot_date,
    }


def course_code(value: Any) -> str:
    """Course codes are 7 characters; a spreadsheet that turned `0100138` into a number loses
    the leading zero, which is restored here."""
    code = text(value).upper()
    return code.zfill(_COURSE_CODE_LENGTH) if code.isdigit() else code


def split_trading_names(raw: str, home_city: str = "") -> list[str]:
    """`"Holmesglen, Holmesglen Institute"` -> two names, but `"St Catherine's School, Waverley"`,
    `"Campion College, Australia"` and `"Eastern College Australia, Inc"` stay whole.

    `;` always separates names. A `,` does too, unless the piece after it is only a place
    (a state, a capital, the provider's own postal city) or a legal word: the real data uses
    that comma inside one name.
    """
    qualifiers = _PLACES | _LEGAL_WORDS | {home_city.casefold()}
    names: list[str] = []
    for segment in raw.split(";"):
        pieces: list[str] = []
        for piece in segment.split(","):
            cleaned = re.sub(r"^(and|&)\s+", "", " ".join(piece.split()), flags=re.IGNORECASE)
            if pieces and cleaned.casefold().rstrip(".") in qualifiers:
                pieces[-1] = f"{pieces[-1]}, {cleaned}"
            elif cleaned:
                pieces.append(cleaned)
        names.extend(pieces)
    return unique(names)


def bracket_aliases(name: str) -> list[str]:
    """`"Macquarie University (Macquarie)"` -> `["Macquarie", "Macquarie University"]`.

    A bracket counts as an abbreviation when it ends the name or is an all-capitals acronym
    ("(ACCCO) Pty Ltd"); places and legal words in brackets ("(WA) Pty Ltd", "(Inc)") do not.
    """
    aliases = []
    for match in _BRACKETED.finditer(name):
        inner = match.group(1).strip()
        letters = re.sub(r"[^A-Za-z]", "", inner)
        if len(letters) < 2 or {inner.casefold().rstrip("."), letters.casefold()} & (
            _PLACES | _LEGAL_WORDS
        ):
            continue
        ends_name = not name[match.end() :].strip()
        if (ends_name and len(inner.split()) <= 2) or (letters.isupper() and " " not in inner):
            aliases.append(inner)
            aliases.append(" ".join((name[: match.start()] + name[match.end() :]).split()))
    return unique(aliases)


def institution_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [institution_entry(record, source_file, snapshot_date) for record in records]


def course_rows(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [course_row(record, source_file, snapshot_date) for record in records]


REGISTER = Register(
    id="cricos",
    label="CRICOS",
    abbreviation="CRICOS",
    jurisdiction="AU",
    about=(
        "Commonwealth Register of Institutions and Courses for Overseas Students: the monthly "
        "provider export of the Australian Government Department of Education on data.gov.au. "
        '"Contains data from the Australian Government Department of Education (CRICOS)".'
    ),
    licence="CC BY 2.5 AU, Australian Government Department of Education (CRICOS)",
    licence_url="https://creativecommons.org/licenses/by/2.5/au/",
    source_page="https://data.gov.au/data/dataset/cricos",
    fetch=CkanPackage("https://data.gov.au/api/3/action/package_show?id=cricos"),
    formats=(
        FileFormat(
            "cricos_institutions",
            "CRICOS institutions",
            "registry_entries",
            institution_entries,
            rows_label="CRICOS institutions",
            columns=INSTITUTION_COLUMNS,
        ),
        FileFormat(
            "cricos_courses",
            "CRICOS courses",
            "registry_courses",
            course_rows,
            rows_label="CRICOS courses",
            columns=COURSE_COLUMNS,
        ),
        FileFormat("cricos_locations", "CRICOS locations", columns=LOCATION_COLUMNS),
        FileFormat(
            "cricos_course_locations", "CRICOS course locations", columns=COURSE_LOCATION_COLUMNS
        ),
    ),
    statuses=Statuses(current=(REGISTERED,)),
    entry_page=(
        "https://cricos.education.gov.au/Institution/InstitutionDetails.aspx"
        "?ProviderCode={entry_id}"
    ),
)
