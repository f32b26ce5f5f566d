"""Rows/s of `credwatch publish` vs a bare sqlite-utils `insert_all` of the same rows in one
transaction, and the full-text index build, on the scored working db of bench_score
(the real registers plus 1,000 x scale generated providers, five offerings each).

`credwatch publish` does more than copy: it adds the offerings' flag lists, builds two FTS
indexes, extra indexes and views, vacuums and validates the file, then swaps it in. The floor
copies only the rows: each public table read through sqlite-utils and written with
`insert_all` inside one `db.atomic()`. The FTS row times `enable_fts` on the offerings and
register names of a copy of the published tables, alone.

Run: `python -m benchmarks --only publish`.
"""

from __future__ import annotations

import time
from pathlib import Path

import sqlite_utils

from benchmarks.bench_score import PROVIDERS, scored_work_db
from benchmarks.common import row, run_alone, scratch
from credwatch.publish import FULL_TEXT, PUBLIC_TABLES, build_public_db


def bare_insert_all(work: Path, target: Path) -> tuple[int, float]:
    """Rows copied and seconds: every public table by `insert_all` in one transaction."""
    target.unlink(missing_ok=True)
    source, copy = sqlite_utils.Database(work), sqlite_utils.Database(target)
    present = [table for table in PUBLIC_TABLES if source[table].exists()]
    started = time.perf_counter()
    rows = 0
    with copy.atomic():
        for table in present:
            if source[table].count:
                copy[table].insert_all(source[table].rows, batch_size=1000)
                rows += copy[table].count
    seconds = time.perf_counter() - started
    source.close()
    copy.close()
    return rows, seconds


def fts_seconds(copied: Path) -> float:
    """Seconds to build the published FTS indexes on tables already copied."""
    db = sqlite_utils.Database(copied)
    started = time.perf_counter()
    for table, columns in FULL_TEXT.items():
        db[table].enable_fts(columns, tokenize="porter", create_triggers=False)
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def measure(shared: Path, scale: int) -> list[dict]:
    providers = PROVIDERS * scale
    work, _, _ = scored_work_db(shared, providers)
    out = scratch() / f"published-{providers}.db"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    result = build_public_db(work, out)
    publish_seconds = time.perf_counter() - started
    rows = sum(result.counts.values())
    bare_rows, bare_seconds = bare_insert_all(work, scratch() / f"bare-{providers}.db")
    fts = fts_seconds(scratch() / f"bare-{providers}.db")
    offerings = result.counts["offerings"] + result.counts["registry_entries"]
    return [
        row(
            "publish: credwatch publish vs bare insert_all (one transaction)",
            rows,
            rows / publish_seconds,
            bare_rows / bare_seconds,
            "rows/s",
            "SQLite: INSERT..SELECT copy, then FTS build, VACUUM and integrity check "
            "(the floor is sqlite-utils' Python row batching)",
        ),
        row(
            "publish: FTS build alone (offerings + register names)",
            offerings,
            offerings / fts,
            None,
            "rows/s",
            "SQLite FTS5 tokenising (porter)",
        ),
    ]


if __name__ == "__main__":
    run_alone(__doc__, measure)
