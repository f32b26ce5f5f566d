"""Crawl runs that never finished: found by the next nightly run, marked aborted with the
reason, and resumable (`nightly --resume`) from the Scrapy JOBDIR they left behind."""

from __future__ import annotations

import logging
from typing import Any

from sqlite_utils import Database, Migrations

log = logging.getLogger(__name__)

migrations = Migrations("credwatch.runs")

ABORTED = "aborted"
RESUMED = "resumed"
FINISHED = "finished"


@migrations()
def add_crawl_run_status(db: Database) -> None:
    """A crawl run's end as nightly saw it (finished | aborted | resumed), and why."""
    db["crawl_runs"].add_column("status", str)
    db["crawl_runs"].add_column("status_reason", str)


def mark_aborted(db: Database, found_by: str) -> list[dict[str, Any]]:
    """Mark every crawl run that started but has no end and no status as aborted."""
    rows = list(
        db.query(
            "select id, started from crawl_runs where finished is null and status is null "
            "and id != ? order by id",
            [found_by],
        )
    )
    reason = f"the run ended before its crawl finished (killed or crashed); found by run {found_by}"
    with db.atomic():
        for row in rows:
            db["crawl_runs"].update(row["id"], {"status": ABORTED, "status_reason": reason})
            log.warning("crawl run %s (started %s) marked aborted", row["id"], row["started"])
    return [{**row, "status": ABORTED, "status_reason": reason} for row in rows]


def last_aborted(db: Database) -> str | None:
    """The most recent aborted crawl run, the one `--resume` continues."""
    row = next(
        db.query("select id from crawl_runs where status = ? order by id desc limit 1", [ABORTED]),
        None,
    )
    return row["id"] if row else None


def mark_ended(db: Database, run_id: str, status: str, reason: str = "") -> None:
    with db.atomic():
        db["crawl_runs"].update(run_id, {"status": status, "status_reason": reason})
