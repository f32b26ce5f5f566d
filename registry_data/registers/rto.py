"""training.gov.au "RTO List" report (CSV or xlsx): every RTO ever registered, with status.

Status words are kept verbatim. `is_current` is 1 for every `Current…` status, including
`Current (Suspended)`: a suspended RTO is still registered (sanctioned, not removed), so the
flag says "on the register now" and the status says how. `Cancelled`, `Non-Current` and
`withdrawn` are 0; `Cancelled` is not always a sanction (code `0029`, the Australian Taxation
Office, gave up its registration), so nothing here reads wrongdoing into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry_data.declaration import FileFormat, NotFetched, Register, Statuses
from registry_data.rows import entry_row
from registry_data.values import iso_date, text

COLUMNS = ("RCAB", "Code", "Name", "Start Date", "End Date", "Status")
# Since 5 March 2018 (retroactively) a voluntary exit reads `withdrawn` (ASQA, 8 March 2018).
STATUSES = Statuses(
    current=("Current", "Current (Suspended)", "Current (Re-registration pending)"),
    sanctions=("Current (Suspended)",),
    ended=("Cancelled", "Non-Current", "withdrawn"),
)


def rto_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    """One `registry_entries` row; the code stays text so `0029` keeps its zeros."""
    status = text(record["Status"])
    return entry_row(
        REGISTER.id,
        text(record["Code"]),
        text(record["Name"]),
        status=status or None,
        is_current=STATUSES.is_current(status),
        category=text(record["RCAB"]) or None,
        start_date=iso_date(record["Start Date"]),
        end_date=iso_date(record["End Date"]),
        country=REGISTER.jurisdiction,
        source_file=source_file,
        snapshot_date=snapshot_date,
    )


def rto_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [rto_entry(record, source_file, snapshot_date) for record in records]


REGISTER = Register(
    id="rto",
    label="training.gov.au (RTO)",
    abbreviation="RTO",
    jurisdiction="AU",
    about=(
        'The National Register of VET on training.gov.au, its "RTO List" report of every '
        "registered training organisation, past and present. A status is as of the report's "
        'date ("Current" in a 2016 snapshot means current then).'
    ),
    licence=(
        "Commonwealth data from training.gov.au; the licence is to be checked against "
        "training.gov.au's copyright notice before redistribution"
    ),
    source_page="https://training.gov.au/",
    fetch=NotFetched(
        'the "RTO List" is an interactive training.gov.au report with no stable URL: '
        "save it (Reporting, RTO reports, RTO List) and load the saved copy"
    ),
    formats=(
        FileFormat(
            "rto",
            "training.gov.au RTO List",
            "registry_entries",
            rto_entries,
            rows_label="training.gov.au RTOs",
            columns=COLUMNS,
        ),
    ),
    statuses=STATUSES,
    entry_page="https://training.gov.au/Organisation/Details/{entry_id}",
)
