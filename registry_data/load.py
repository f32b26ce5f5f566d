"""Load a folder of register files into the working database, all or nothing.

Every file is recognised by its content (`registry_data.detect`). Every snapshot loaded is
kept: one row in `registry_snapshots` (with the file's SHA-256) and, for provider registers,
its entries in `registry_entry_history` (`registry_data.history`). The current view
(`registry_entries`, `registry_courses`, `blocked_sites`) always holds each register's newest
snapshot, whatever order files arrive in: an older file adds history and never replaces newer
data, and a snapshot already loaded is not loaded again. `registry_changes` records every
appeared / disappeared / changed entry between consecutive snapshots.

Before anything is written, each new snapshot passes the gate (`registry_data.gate`): no data
rows, or more than 20% fewer rows than the register's newest snapshot, refuses the whole load.

One snapshot may come as several copies (the CRICOS xlsx export and its per-sheet CSVs of the
same day): each (dataset, snapshot date) is loaded once, preferring CSV, then ZIP, then xlsx,
which is also the fastest order to read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlite_utils import Database

from credwatch.core.errors import CredwatchError
from registry_data.decisions import TABLE as DECISIONS_TABLE
from registry_data.decisions import merge_decisions
from registry_data.detect import Dataset, detect
from registry_data.gate import check_load
from registry_data.history import record_history, stored_snapshots
from registry_data.registers import REGISTERS
from registry_data.rows import insert_rows

CONTAINER_PREFERENCE = ("csv", "zip", "xlsx", "json", "jsonl", "txt")


@dataclass
class Loaded:
    """A dataset and the rows built from it."""

    dataset: Dataset
    rows: list[dict[str, Any]]
    skipped: int  # records read but not kept (no UKPRN, repeated domain...)

    @property
    def kind(self) -> str:
        return self.dataset.format.kind

    @property
    def table(self) -> str:
        return str(self.dataset.format.table)


def load_registers(
    db: Database,
    source_dir: str | Path,
    progress: bool = True,
    console: Console | None = None,
    *,
    accept_shrink: bool = False,
) -> dict[str, int]:
    """Load every new register snapshot under `source_dir`; return counts per register and
    table (rows now in the current view of each register loaded), and `changes` recorded.

    Keys: one per register loaded (rows now in `registry_entries`), `cricos_courses`,
    `blocked_sites`, `<register>_skipped` when records were dropped, and `changes`.
    A file refused by the gate raises CredwatchError before anything is written.
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
        stored = stored_snapshots(db)
        new = [dataset for dataset in chosen if snapshot_key(dataset) not in stored]
        for dataset in chosen if progress else ():
            done = "loading" if dataset in new else "already loaded, not loaded again:"
            _say(
                console,
                f"{done} {dataset.format.label} of {dataset.shown_date} "
                f"(date from {dataset.date_from}): {dataset.source_file}",
            )
        loaded = [_build(dataset) for dataset in _tracked(bar, "reading registers", new)]
    _gate(loaded, stored, accept_shrink)
    with db.atomic():
        counts = _write(db, loaded)
    return counts


def snapshot_key(dataset: Dataset) -> tuple[str, str]:
    """What makes a snapshot the same one: its dataset kind and date (the content's hash
    when the date is unknown)."""
    return dataset.format.kind, dataset.snapshot_date or f"sha256:{dataset.sha256}"


def _gate(loaded: list[Loaded], stored: dict, accept_shrink: bool) -> None:
    """Check every new snapshot (in date order) against its register's newest one so far."""
    newest: dict[str, tuple[int, str | None]] = {}
    snapshots = [(kind, rows, date) for (kind, _), (rows, date) in stored.items()]
    for kind, rows, date in sorted(snapshots, key=lambda s: (s[2] is not None, s[2] or "")):
        newest[kind] = (rows, date)  # dated outrank undated, later outrank earlier
    for item in loaded:
        rows, date = newest.get(item.kind, (None, None))
        if item.table == DECISIONS_TABLE:
            rows = None  # decisions accumulate: a shorter crawl removes nothing
        check_load(
            item.dataset.source_file,
            item.dataset.format.label,
            len(item.rows),
            rows,
            date,
            accept_shrink=accept_shrink,
        )
        mine = item.dataset.snapshot_date
        if item.kind not in newest or (mine is not None and (date is None or mine >= date)):
            newest[item.kind] = (len(item.rows), mine)


def choose_datasets(datasets: list[Dataset], console: Console | None = None) -> list[Dataset]:
    """Loadable datasets, one copy per (kind, snapshot date), in date order (unknown first)."""
    by_snapshot: dict[tuple[str, str], list[Dataset]] = defaultdict(list)
    for dataset in datasets:
        if dataset.loads:
            by_snapshot[snapshot_key(dataset)].append(dataset)
        elif console:
            _say(console, f"not loaded: {dataset.source_file} ({dataset.format.label})")
    chosen = []
    for key in sorted(by_snapshot, key=lambda key: (_date_order(key[1]), key[0])):
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


def _date_order(key: str) -> tuple[bool, str]:
    """Unknown dates (keyed by hash) sort before every known date."""
    return (not key.startswith("sha256:"), key)


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
    table = dataset.format.table
    if table == "registry_entries":
        _link_entries(dataset.register, rows)
    _refuse_repeated_ids(dataset.source_file, rows, _KEYS.get(str(table)))
    return Loaded(dataset, rows, skipped=len(records) - len(rows))


_KEYS = {"registry_entries": "entry_id", "registry_courses": "course_code"}


def _link_entries(register_id: str, rows: list[dict[str, Any]]) -> None:
    """Each entry's own page on the official register, unless the file gave one."""
    register = REGISTERS[register_id]
    for row in rows:
        row["source_url"] = row.get("source_url") or register.entry_url(row["entry_id"])


def _refuse_repeated_ids(source_file: str, rows: list[dict[str, Any]], key: str | None) -> None:
    if key is None:
        return
    seen: set[str] = set()
    for row in rows:
        if row[key] in seen:
            raise CredwatchError(f"{source_file}: repeated register id {key} {row[key]!r}")
        seen.add(row[key])


def _write(db: Database, loaded: list[Loaded]) -> dict[str, int]:
    """Record the snapshots and their history, then bring each current view to the newest."""
    _record_snapshots(db, loaded)
    counts: dict[str, int] = {}
    merged = [item for item in loaded if item.table == DECISIONS_TABLE]  # every one, any order
    for item in [*_newest_loaded(db, loaded), *merged]:
        counts[count_key(item.dataset.register, item.table)] = _replace(db, item)
    for item in loaded:
        if item.skipped:
            counts[skipped_key(item.dataset.register)] = item.skipped
        if item.table == "registry_entries":
            counts.setdefault(item.dataset.register, _current_rows(db, item.dataset.register))
    entries = [item for item in loaded if item.table == "registry_entries"]
    counts["changes"] = record_history(
        db, [(item.dataset.register, item.dataset.snapshot_date, item.rows) for item in entries]
    )
    return counts


def _newest_loaded(db: Database, loaded: list[Loaded]) -> list[Loaded]:
    """The loaded snapshots that are now their kind's newest (the rest only add history)."""
    newest = {}
    for item in (item for item in loaded if item.table != DECISIONS_TABLE):  # later ones win
        stored = _newest_stored_date(db, item.kind)
        mine = item.dataset.snapshot_date
        if stored is None or (mine is not None and mine >= stored):
            newest[item.kind] = item
    return list(newest.values())


def _newest_stored_date(db: Database, kind: str) -> str | None:
    row = db.execute(
        "select max(snapshot_date) from registry_snapshots where kind = ?", [kind]
    ).fetchone()
    return row[0]


def _current_rows(db: Database, register: str) -> int:
    return db["registry_entries"].count_where("register = ?", [register])


def count_key(register: str, table: str | None) -> str:
    """The key a table's rows are counted under: the register's id for its entries,
    `<register>_courses`, or the table's name (one blocked-sites list)."""
    if table == "registry_entries":
        return register
    return f"{register}_courses" if table == "registry_courses" else str(table)


def skipped_key(register: str) -> str:
    return f"{register}_skipped"


def _replace(db: Database, item: Loaded) -> int:
    if item.table == DECISIONS_TABLE:  # decisions accumulate across loads, never replaced
        return merge_decisions(db, item.rows)
    if item.table == "blocked_sites":
        db.execute("delete from blocked_sites")
    else:
        db.execute(f"delete from [{item.table}] where register = ?", [item.dataset.register])
    insert_rows(db, item.table, item.rows)
    return len(item.rows)


def _record_snapshots(db: Database, loaded: list[Loaded]) -> None:
    loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
    db["registry_snapshots"].insert_all(
        (
            {
                "register": item.dataset.register,
                "kind": item.kind,
                "snapshot_date": item.dataset.snapshot_date,
                "source_file": item.dataset.source_file,
                "sha256": item.dataset.sha256,
                "rows": len(item.rows),
                "loaded_at": loaded_at,
            }
            for item in loaded
        ),
        replace=True,
    )
