"""`credwatch match`: match provider names/URLs in a CSV to register entries (a stable contract)."""

from __future__ import annotations

import csv
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import Progress

from credwatch.core.errors import CredwatchError
from credwatch.core.options import work_db_option
from scoring.match import OUTPUT_COLUMNS, csv_rows
from scoring.matching import RegisterIndex, load_index, match_provider, open_registers

# Inputs at least this long get a progress bar; small files finish before one would draw.
PROGRESS_FROM_ROWS = 500
# Inputs at least this long are matched in worker processes (--workers): below it a
# worker's start costs more than it saves (about 3,000 names/s a core).
PARALLEL_FROM_ROWS = 2_000
CHUNK_ROWS = 250  # names a worker matches per task: the progress bar's step
Matched = tuple[bool, list[dict[str, object]]]  # (accepted any entry, output rows)


@click.command("match")
@work_db_option("Its registers are matched against (a db from `registers load` works too).")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV with a `name` column, an optional `url` column and an optional `ids` column "
    "(register ids seen for the provider, space-separated: RTO code, CRICOS code, ABN).",
)
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write " + ",".join(OUTPUT_COLUMNS) + ".",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="this machine's cores",
    help=f"Processes that match side by side (used from {PARALLEL_FROM_ROWS:,} names).",
)
def match(db_path: Path, input_path: Path, output_path: Path, workers: int) -> None:
    """Match provider names (and websites) to CRICOS, RTO, TEQSA, IPEDS and UKPRN entries.

    Writes one row per accepted register entry (decision matched or probable), or one
    not_found row naming the best candidate that was rejected and why, in input order.
    """
    rows = read_names(input_path)
    index = load_index(open_registers(db_path), db_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    written = found = 0
    chunks = [rows[at : at + CHUNK_ROWS] for at in range(0, len(rows), CHUNK_ROWS)]
    with (
        output_path.open("w", newline="", encoding="utf-8") as handle,
        _matched_chunks(chunks, index, workers if len(rows) >= PARALLEL_FROM_ROWS else 1) as done,
        Progress(disable=len(rows) < PROGRESS_FROM_ROWS, transient=True) as progress,
    ):
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        task = progress.add_task("matching", total=len(rows))
        for chunk in done:
            for accepted, out_rows in chunk:
                found += accepted
                writer.writerows(out_rows)
                written += len(out_rows)
            progress.advance(task, len(chunk))
    click.echo(
        f"{len(rows)} names, {found} matched or probable, {written} rows -> {output_path}",
        err=True,
    )


# The index a forked worker inherits from the command (set before the pool forks).
_WORKER_INDEX: RegisterIndex | None = None


@contextmanager
def _matched_chunks(
    chunks: list[list[dict[str, str]]], index: RegisterIndex, workers: int
) -> Iterator[Iterator[list[Matched]]]:
    """Each chunk's results in order: here, or in `workers` forked processes that share the
    loaded index copy-on-write (nothing to load again, nothing to pickle but rows)."""
    global _WORKER_INDEX
    workers = min(workers, len(chunks))
    if workers <= 1:
        yield (_match_rows(chunk, index) for chunk in chunks)
        return
    _WORKER_INDEX = index
    # fork, at the first task: the children start with the index in memory (no thread runs
    # yet, the progress bar starts after this)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool.map(_match_rows_in_worker, chunks)
    finally:
        pool.shutdown(cancel_futures=True)
        _WORKER_INDEX = None


def _match_rows(rows: list[dict[str, str]], index: RegisterIndex) -> list[Matched]:
    matched = []
    for row in rows:
        ids = (row.get("ids") or "").split()
        result = match_provider(row["name"] or "", row.get("url") or None, ids, index=index)
        matched.append((bool(result.accepted), list(csv_rows(result))))
    return matched


def _match_rows_in_worker(rows: list[dict[str, str]]) -> list[Matched]:
    assert _WORKER_INDEX is not None, "a match worker forked before the index was set"
    return _match_rows(rows, _WORKER_INDEX)


def read_names(path: Path) -> list[dict[str, str]]:
    """Rows of the input CSV; one-line errors for a missing file, no rows or no `name` column.

    A row with an empty name stays: it gets its own not_found row, so output follows input.
    """
    if not path.is_file():
        raise CredwatchError(f"{path}: input file does not exist")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise CredwatchError(f"{path}: empty file (expected a header with a `name` column)")
        if "name" not in reader.fieldnames:
            raise CredwatchError(
                f"{path}: no `name` column (columns: {', '.join(reader.fieldnames)})"
            )
        rows = list(reader)
    if not rows:
        raise CredwatchError(f"{path}: no data rows below the header")
    return rows
