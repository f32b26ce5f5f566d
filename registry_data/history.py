"""Every snapshot of a provider register, and every change between consecutive ones.

`registry_entry_history` holds the entries of every snapshot loaded (one row per entry and
snapshot), so any past snapshot can be answered: an entry that disappeared stays there with
the last snapshot it was seen in. `registry_changes` is recomputed per register from that
history whenever a snapshot is added (an older file slots in between two others), with
`change` appeared | disappeared | changed and, for `changed`, the `field`, `old_value` and
`new_value`. The registers never say why an entry changed or vanished, so nothing here reads
wrongdoing into it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from sqlite_utils import Database

from registry_data.rows import insert_rows

# Columns that are the register's own facts (the rest are derived or bookkeeping): a change
# in any of them, or in a key of `extra`, is a `changed` row.
COMPARED = (
    "legal_name", "trading_names", "status", "category", "start_date", "end_date",
    "website", "abn", "state", "country",
)  # fmt: skip
_LISTS = {"trading_names"}

Snapshot = tuple[str | None, dict[str, dict[str, Any]]]  # (date, entry_id -> row)


def stored_snapshots(db: Database) -> dict[tuple[str, str], tuple[int, str | None]]:
    """(kind, date or `sha256:…`) -> (rows, date) of every snapshot already loaded."""
    rows = db.query("select kind, snapshot_date, sha256, rows from registry_snapshots")
    return {
        (row["kind"], row["snapshot_date"] or f"sha256:{row['sha256']}"): (
            row["rows"],
            row["snapshot_date"],
        )
        for row in rows
        if row["kind"]
    }


def record_history(db: Database, snapshots: list[tuple[str, str | None, list[dict]]]) -> int:
    """Add (register, date, entries) snapshots to the history, refresh each register's
    changes and first/last seen dates; return how many changes involve the new snapshots."""
    for _, _, rows in snapshots:
        insert_rows(db, "registry_entry_history", rows)
    new_dates = defaultdict(set)
    for register, date, _ in snapshots:
        new_dates[register].add(date)
    recorded = 0
    for register, dates in new_dates.items():
        changes = list(register_changes(db, register))
        _forget_recomputed_changes(db, register)
        db["registry_changes"].insert_all(changes, replace=True)
        recorded += sum(
            change["old_snapshot"] in dates or change["new_snapshot"] in dates for change in changes
        )
        _refresh_seen(db, register)
    return recorded


def _forget_recomputed_changes(db: Database, register: str) -> None:
    """Delete the changes between snapshots the history holds (they are recomputed); those
    recorded before snapshots were kept, against a snapshot no longer held, stay."""
    db.execute(
        "with held as (select distinct snapshot_date as day from registry_entry_history "
        "  where register = ?) "
        "delete from registry_changes where register = ? "
        "and exists (select 1 from held where day is old_snapshot) "
        "and exists (select 1 from held where day is new_snapshot)",
        [register, register],
    )


def register_changes(db: Database, register: str):
    """Every change between consecutive snapshots of one register, oldest first."""
    for before, after in pairwise(_snapshots(db, register)):
        yield from diff(register, before, after)


def _snapshots(db: Database, register: str) -> list[Snapshot]:
    """The register's snapshots in date order (unknown dates first, by load order)."""
    grouped: dict[tuple[str | None, str], dict[str, dict]] = {}
    rows = db.query(
        "select * from registry_entry_history where register = ? order by rowid", [register]
    )
    for row in rows:
        grouped.setdefault((row["snapshot_date"], row["source_file"]), {})[row["entry_id"]] = row
    ordered = sorted(grouped, key=lambda key: (key[0] is not None, key[0] or ""))
    return [(key[0], grouped[key]) for key in ordered]


def diff(register: str, before: Snapshot, after: Snapshot) -> list[dict[str, Any]]:
    """Appeared and disappeared entries, and every compared field that changed."""
    (old_date, old), (new_date, new) = before, after

    def change(entry_id: str, name: str, kind: str, field="", old_value=None, new_value=None):
        return {
            "register": register,
            "entry_id": entry_id,
            "legal_name": name,
            "change": kind,
            "field": field,
            "old_value": old_value,
            "new_value": new_value,
            "old_snapshot": old_date,
            "new_snapshot": new_date,
        }

    changes = [change(i, old[i]["legal_name"], "disappeared") for i in sorted(old.keys() - new)]
    changes += [change(i, new[i]["legal_name"], "appeared") for i in sorted(new.keys() - old)]
    for entry_id in sorted(old.keys() & new.keys()):
        was, now = facts(old[entry_id]), facts(new[entry_id])
        for field in [*COMPARED, *sorted((was.keys() | now.keys()) - set(COMPARED))]:
            if was.get(field) != now.get(field):
                name = new[entry_id]["legal_name"]
                changes.append(
                    change(entry_id, name, "changed", field, was.get(field), now.get(field))
                )
    return changes


def facts(row: dict[str, Any]) -> dict[str, str | None]:
    """The register's facts of one entry as text: lists joined with "; ", each `extra` key
    as its own field, empty values as None."""
    found: dict[str, str | None] = {}
    for column in COMPARED:
        value = row.get(column)
        if column in _LISTS and value:
            value = "; ".join(json.loads(value))
        found[column] = _text(value)
    for key, value in json.loads(row.get("extra") or "{}").items():
        found[key] = _text(value if isinstance(value, str) else json.dumps(value))
    return found


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _refresh_seen(db: Database, register: str) -> None:
    db.execute(
        "update registry_entries set first_seen = seen.first, last_seen = seen.last "
        "from (select entry_id, min(snapshot_date) as first, max(snapshot_date) as last "
        "      from registry_entry_history where register = ? group by entry_id) as seen "
        "where registry_entries.register = ? and registry_entries.entry_id = seen.entry_id",
        [register, register],
    )


def registered_on(
    db: Database, on: str, name: str, entries: Iterable[tuple[str, str]] = ()
) -> list[dict[str, Any]]:
    """What each register said about an entry on date `on` (ISO): the `entries` given (the
    current matches) plus any entry whose id, legal name or trading name equals `name` in
    any snapshot held (so a disappeared entry is found too).

    The snapshot in force on a date is the newest one taken on or before it; a date before
    the first or after the newest snapshot of the register is outside what is held, and the
    answer says so. A year-precision date ("2024", an IPEDS release) counts from 1 January.
    """
    found = list(dict.fromkeys([*entries, *_named(db, name)]))
    return [_on_date(db, register, entry_id, on) for register, entry_id in found]


def _named(db: Database, name: str) -> list[tuple[str, str]]:
    rows = db.execute(
        "select distinct register, entry_id from registry_entry_history "
        "where entry_id = ? or lower(legal_name) = lower(?) or exists "
        "(select 1 from json_each(trading_names) where lower(value) = lower(?)) "
        "order by register, entry_id",
        [name.strip().upper(), name.strip(), name.strip()],
    )
    return [tuple(row) for row in rows]


def _on_date(db: Database, register: str, entry_id: str, on: str) -> dict[str, Any]:
    dates = [
        row[0]
        for row in db.execute(
            "select distinct snapshot_date from registry_entry_history "
            "where register = ? and snapshot_date is not null order by 1",
            [register],
        )
    ]
    seen = {
        row["snapshot_date"]: row
        for row in db.query(
            "select * from registry_entry_history where register = ? and entry_id = ? "
            "order by snapshot_date is not null, snapshot_date",
            [register, entry_id],
        )
    }
    newest_row = list(seen.values())[-1]
    last_seen = max((date for date in seen if date), default=None)
    in_force = max((date for date in dates if date <= on[: len(date)]), default=None)
    after_all = bool(dates) and on[: len(dates[-1])] > dates[-1]
    row = seen.get(in_force) if in_force else None
    if in_force is None or after_all:
        answer = "outside"  # the newest snapshot's word is still given, for context
    elif row is None:
        answer = "not listed"
    else:
        answer = {1: "registered", 0: "not registered"}.get(row["is_current"], "status unknown")
    return {
        "register": register,
        "entry_id": entry_id,
        "legal_name": (row or newest_row)["legal_name"],
        "on": on,
        "answer": answer,
        "snapshot_date": in_force,
        "status": row["status"] if row else None,
        "first_snapshot": dates[0] if dates else None,
        "newest_snapshot": dates[-1] if dates else None,
        "last_seen": last_seen,
        "source_url": (row or newest_row)["source_url"],
    }


def on_date_sentence(found: dict[str, Any]) -> str:
    """One line for people: what the register's snapshots say about the date asked."""
    entry = f"{found['register'].upper()} {found['entry_id']} {found['legal_name']}"
    held = f"snapshots held: {found['first_snapshot']} to {found['newest_snapshot']}"
    link = f" ({found['source_url']})" if found["source_url"] else ""
    if found["answer"] == "outside":
        then = f"; in its newest snapshot, {found['snapshot_date']}, " if found["status"] else ""
        said = f"{then}status {found['status']}" if found["status"] else ""
        return (
            f"{entry}: {found['on']} is outside every snapshot held ({held}){said}; "
            f"last seen {found['last_seen'] or 'unknown'}{link}"
        )
    if found["answer"] == "not listed":
        return (
            f"{entry}: not listed in the snapshot of {found['snapshot_date']} in force on "
            f"{found['on']} (last seen {found['last_seen'] or 'unknown'}; {held}){link}"
        )
    return (
        f"{entry}: {found['answer']} on {found['on']}: status {found['status']} as of the "
        f"snapshot of {found['snapshot_date']} ({held}){link}"
    )
