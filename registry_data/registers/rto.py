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

from registry_data.rows import entry_row
from registry_data.values import iso_date, text

COLUMNS = ("RCAB", "Code", "Name", "Start Date", "End Date", "Status")


def is_current(status: str) -> bool:
    """`Current`, `Current (Suspended)`, `Current (Re-registration pending)` -> True."""
    return status.strip().casefold().startswith("current")


def rto_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    """One `registry_entries` row; the code stays text so `0029` keeps its zeros."""
    status = text(record["Status"])
    return entry_row(
        "rto",
        text(record["Code"]),
        text(record["Name"]),
        status=status or None,
        is_current=is_current(status),
        category=text(record["RCAB"]) or None,
        start_date=iso_date(record["Start Date"]),
        end_date=iso_date(record["End Date"]),
        country="AU",
        source_file=source_file,
        snapshot_date=snapshot_date,
    )


def rto_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [rto_entry(record, source_file, snapshot_date) for record in records]
