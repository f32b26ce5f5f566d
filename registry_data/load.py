"""Load a folder of register files into the working database, all or nothing.

Every file is recognised by its content (`registry_data.detect`). Per register, the latest
snapshot replaces that register's rows in `registry_entries` (courses and blocked sites
likewise); every snapshot loaded is recorded in `registry_snapshots`; and consecutive
snapshots of one register are diffed into `registry_changes` (appeared / disappeared, with
both dates; the registers give no reason, so neither does this table).

One snapshot may come as several copies (the CRICOS xlsx export and its per-sheet CSVs of the
same day): each (dataset, snapshot date) is loaded once, preferring CSV, then ZIP, then xlsx,
which is also the fastest order to read.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlite_utils import Database

from credwatch.core.errors import CredwatchError
from registry_data.decisions import TABLE as DECISIONS_TABLE
from registry_data.decisions import merge_decisions
from registry_data.detect import Dataset, detect

CONTAINER_PREFERENCE = ("csv", "zip", "xlsx", "json", "jsonl", "txt")


@dataclass
class Loaded:
    """A dataset and the rows built from it."""

    dataset: Dataset
    rows: list[dict[str, Any]]
    skipped: int  # records read but not kept (no UKPRN, repeated domain...)


def load_registers(
    db: Database, source_dir: str | Path, progress: bool = True, console: Console | None = None
) -> dict[str, int]:
    """Load every register file under `source_dir`; return counts per register and table.

    Keys: one per register loaded (rows now in `registry_entries`), `cricos_courses`,
    `blocked_sites`, `<register>_skipped` when records were dropped, and `changes`.
    """
    files = _register_files(Path(source_dir))
    console = console or Console(stderr=True)
    with _progress(console, progress) as bar:
        found = [
            dataset
            for path in _tracked(bar, "recognising files", files)
            for dataset in detect(path)
        ]
        chosen = choose_datasets(found, console if progress else None)
        if not chosen:
            raise CredwatchError(f"{source_dir}: no register file to load in this folder")
        for dataset in chosen if progress else ():
            _say(
                console,
                f"loading {dataset.format.label} of {dataset.snapshot_date} "
                f"(date from {dataset.date_from}): {dataset.source_file}",
            )
        loaded = [_build(dataset) for dataset in _tracked(bar, "reading registers", chosen)]
    with db.atomic():
        counts = _write(db, loaded)
    return counts


def choose_datasets(datasets: list[Dataset], console: Console | None = None) -> list[Dataset]:
    """Loadable datasets, one copy per (kind, snapshot date), in date order."""
    by_snapshot: dict[tuple[str, str], list[Dataset]] = defaultdict(list)
    for dataset in datasets:
        if dataset.loads:
            by_snapshot[(dataset.format.kind, dataset.snapshot_date)].append(dataset)
        elif console:
            _say(console, f"not loaded: {dataset.source_file} ({dataset.format.label})")
    chosen = []
    for key in sorted(by_snapshot, key=lambda key: (key[1], key[0])):
        copies = sorted(
            by_snapshot[key],
            key=lambda d: (CONTAINER_PREFERENCE.index(d.container), d.source_file),
        )
        chosen.append(copies[0])
        if console:
            for duplicate in copies[1:]:
                _say(
                    console,
                    f"same snapshot as {copies[0].source_file}, not loaded twice: "
                    f"{duplicate.source_file}",
                )
    return chosen


def _say(console: Console, message: str) -> None:
    """One plain line (file names hold brackets, which rich would read as markup)."""
    console.print(f"  {message}", markup=False, soft_wrap=True)


def _register_files(source_dir: Path) -> list[Path]:
    if not source_dir.is_dir():
        raise CredwatchError(f"{source_dir}: not a folder of register files")
    files = sorted(
        path
        for path in source_dir.rglob("*")
        if path.is_file() and not _hidden(path.relative_to(source_dir))
    )
    if not files:
        raise CredwatchError(f"{source_dir}: no register files in this folder")
    return files


def _hidden(relative: Path) -> bool:
    """Dot-files and dot-folders (editor swap files, .DS_Store, .git) are not register files."""
    return any(part.startswith(".") for part in relative.parts)


def _progress(console: Console, enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
    )


def _tracked(bar: Progress, description: str, items: list) -> Iterable:
    yield from bar.track(items, description=description, total=len(items))


def _build(dataset: Dataset) -> Loaded:
    records = dataset.read()
    try:
        rows = dataset.format.build(records, dataset.source_file, dataset.snapshot_date)
    except KeyError as missing:
        raise CredwatchError(f"{dataset.source_file}: missing field {missing}") from missing
    return Loaded(dataset, rows, skipped=len(records) - len(rows))


def _write(db: Database, loaded: list[Loaded]) -> dict[str, int]:
    """Replace each register's rows by its latest snapshot; record snapshots and changes."""
    series = _snapshot_series(db, loaded)
    counts: dict[str, int] = {}
    latest = {item.dataset.format.kind: item for item in loaded}  # loaded is in date order
    for item in latest.values():
        counts[count_key(item.dataset.register, item.dataset.format.table)] = _replace(db, item)
        if item.skipped:
            counts[skipped_key(item.dataset.register)] = item.skipped
    changes = [
        change
        for register, snapshots in series.items()
        for before, after in pairwise(snapshots)
        for change in _diff(register, before, after)
    ]
    _record_snapshots(db, loaded)
    db["registry_changes"].insert_all(changes, replace=True)
    counts["changes"] = len(changes)
    return counts


def count_key(register: str, table: str | None) -> str:
    """The key a table's rows are counted under: the register's id for its entries,
    `<register>_courses`, or the table's name (one blocked-sites list)."""
    if table == "registry_entries":
        return register
    return f"{register}_courses" if table == "registry_courses" else str(table)


def skipped_key(register: str) -> str:
    return f"{register}_skipped"


def _replace(db: Database, item: Loaded) -> int:
    fmt = item.dataset.format
    if fmt.table == DECISIONS_TABLE:  # decisions accumulate across loads, never replaced
        return merge_decisions(db, item.rows)
    if fmt.table == "blocked_sites":
        db.execute("delete from blocked_sites")
    else:
        db.execute(f"delete from [{fmt.table}] where register = ?", [item.dataset.register])
    try:
        _insert_rows(db, fmt.table, item.rows)
    except sqlite3.IntegrityError as error:
        source = item.dataset.source_file
        raise CredwatchError(f"{source}: repeated register id ({error})") from error
    return len(item.rows)


def _insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Plain `executemany`: several times faster than `insert_all` for 25,000-row registers,
    and the rows of one builder all have the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{column}]" for column in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(
        f"insert into [{table}] ({names}) values ({marks})",
        (tuple(row[column] for column in columns) for row in rows),
    )


Snapshot = tuple[str, dict[str, str]]  # (snapshot date, entry_id -> legal name)


def _snapshot_series(db: Database, loaded: list[Loaded]) -> dict[str, list[Snapshot]]:
    """Per register, the snapshots to diff in date order: the entries already stored (when
    older than everything loaded now, e.g. last month's fetch) then each loaded snapshot."""
    series: dict[str, list[Snapshot]] = defaultdict(list)
    for item in loaded:
        if item.dataset.format.table == "registry_entries":
            names = {row["entry_id"]: row["legal_name"] for row in item.rows}
            series[item.dataset.register].append((item.dataset.snapshot_date, names))
    for register, snapshots in series.items():
        stored = _stored_snapshot(db, register)
        if stored and stored[0] < snapshots[0][0]:
            snapshots.insert(0, stored)
    return series


def _stored_snapshot(db: Database, register: str) -> Snapshot | None:
    rows = list(
        db.query(
            "select entry_id, legal_name, snapshot_date from registry_entries where register = ?",
            [register],
        )
    )
    if not rows:
        return None
    return max(row["snapshot_date"] or "" for row in rows), {
        row["entry_id"]: row["legal_name"] for row in rows
    }


def _diff(register: str, before: Snapshot, after: Snapshot) -> list[dict[str, Any]]:
    (before_date, before_names), (after_date, after_names) = before, after

    def change(entry_id: str, name: str, kind: str) -> dict[str, Any]:
        return {
            "register": register,
            "entry_id": entry_id,
            "legal_name": name,
            "change": kind,
            "from_snapshot": before_date,
            "to_snapshot": after_date,
        }

    gone = before_names.keys() - after_names.keys()
    new = after_names.keys() - before_names.keys()
    return [change(i, before_names[i], "disappeared") for i in sorted(gone)] + [
        change(i, after_names[i], "appeared") for i in sorted(new)
    ]


def _record_snapshots(db: Database, loaded: list[Loaded]) -> None:
    loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
    db["registry_snapshots"].insert_all(
        (
            {
                "register": item.dataset.register,
                "snapshot_date": item.dataset.snapshot_date,
                "source_file": item.dataset.source_file,
                "rows": len(item.rows),
                "loaded_at": loaded_at,
            }
            for item in loaded
        ),
        replace=True,
    )
