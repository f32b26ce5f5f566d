"""`credwatch publish`: build the public database Datasette serves, and swap it in atomically.

The served file holds only public tables: Datasette's per-table permissions do not stop
arbitrary SQL, so anything private must simply not be in it. The new file is built and
validated beside the live one and moved into place with `os.replace`, so readers see either
the old database or the new one, never half of one; a failure at any step leaves the live
file untouched. The previous file is kept as `<name>.prev.db` for rollback.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import sqlite_utils

from credwatch.core.errors import CredwatchError
from credwatch.core.options import published_db_option, work_db_option

log = logging.getLogger(__name__)

# Tables copied from the working database when they exist there, in data-flow order.
PUBLIC_TABLES = (
    "registry_entries",
    "registry_courses",
    "registry_entry_history",
    "registry_snapshots",
    "registry_changes",
    "blocked_sites",
    "regulatory_decisions",
    "registry_scopes",
    "providers",
    "offerings",
    "claims",
    "outbound_links",
    "crawl_runs",
    "crawl_outcomes",
    "provider_matches",
    "rules",
    "flags",
    "flag_checks",
    "score_contributions",
    "provider_scores",
    "overrides",
    "score_history",
    "run_changes",
)

# The columns the served pages, canned queries and report card rely on.
REQUIRED_COLUMNS = {
    "registry_entries": {"register", "entry_id", "legal_name", "status", "snapshot_date"},
    "providers": {"id", "name", "url"},
    "offerings": {"id", "provider_id", "provider_name", "title", "url", "flags"},
}
# A publish with no registers or no offerings is a broken run, not news: refuse it.
REQUIRED_NON_EMPTY = ("registry_entries", "offerings")

FULL_TEXT = {
    "offerings": ["title", "description", "provider_name"],
    "registry_entries": ["legal_name", "trading_names"],
}

# Beside the working database's own: facets, joins, and each report card's lookups by
# provider (its offerings in title order, its latest crawl outcome, its corrections, the
# regulatory decisions its score cites by id).
EXTRA_INDEXES = {
    "registry_entries": [["register", "status"], ["state"]],
    "offerings": [["provider_name"], ["currency"], ["provider_id", "title"]],
    "claims": [["offering_id"]],
    "flags": [["rule_id"]],
    "provider_matches": [["provider_id"], ["register", "entry_id"]],
    "crawl_outcomes": [["provider_id", "finished"]],
    "overrides": [["provider_id"]],
    "regulatory_decisions": [["decision_id"]],
}

# One row per crawled provider: its score (if scored), register matches and counts.
PROVIDER_REPORT_SQL = """
SELECT
  p.id AS provider_id,
  p.name AS provider_name,
  p.url AS provider_url,
  s.score,
  s.grade,
  COALESCE(s.registration, 'not scored yet') AS registration,
  s.summary,
  (SELECT group_concat(m.register || ' ' || m.entry_id || ' (' || m.decision || ')', '; ')
     FROM provider_matches m
    WHERE m.provider_id = p.id AND m.decision != 'not_found') AS register_matches,
  (SELECT count(*) FROM offerings o WHERE o.provider_id = p.id) AS offerings,
  (SELECT count(*) FROM claims c WHERE c.provider_id = p.id) AS claims,
  (SELECT count(*) FROM flags f WHERE f.provider_id = p.id) AS flags,
  p.last_seen
FROM providers p
LEFT JOIN provider_scores s ON s.provider_id = p.id
"""

VIEWS = {
    "provider_report": (
        PROVIDER_REPORT_SQL,
        {"providers", "provider_scores", "provider_matches", "offerings", "claims", "flags"},
    ),
}


@dataclass
class PublishResult:
    """What a publish wrote: the live file, its table counts and the kept previous file."""

    path: Path
    counts: dict[str, int]
    previous: Path | None


def build_public_db(
    work_db: str | Path,
    out_db: str | Path,
    prepare: Callable[[Path], None] | None = None,
) -> PublishResult:
    """Copy the public tables of `work_db` into a validated new `out_db`, atomically.

    `prepare` adds to the staging file before it is validated (nightly's `run_changes`,
    computed against the still-live file); whatever it raises leaves the live file alone.
    """
    work_db, out_db = Path(work_db), Path(out_db)
    if not work_db.is_file():
        raise CredwatchError(f"{work_db}: working database does not exist")
    out_db.parent.mkdir(parents=True, exist_ok=True)
    staging = out_db.with_name(f".{out_db.name}.staging-{os.getpid()}")
    staging.unlink(missing_ok=True)
    try:
        _build_staging(work_db, staging)
        if prepare is not None:
            prepare(staging)
        counts = validate_public_db(staging)
        previous = _swap_into_place(staging, out_db)
    finally:
        staging.unlink(missing_ok=True)
    log.info(
        "published %s from %s: %d tables, %d offerings, %d register entries",
        out_db,
        work_db.name,
        len(counts),
        counts.get("offerings", 0),
        counts.get("registry_entries", 0),
    )
    return PublishResult(path=out_db, counts=counts, previous=previous)


def _build_staging(work_db: Path, staging: Path) -> None:
    conn = sqlite3.connect(staging.resolve().as_uri(), uri=True)
    try:
        _copy_public_tables(conn, work_db)
        db = sqlite_utils.Database(conn)
        _add_offering_flags(db)
        _add_search_and_indexes(db)
        _add_views(db)
        db.vacuum()
    except sqlite3.Error as error:
        raise CredwatchError(f"{work_db}: cannot build the public database: {error}") from error
    finally:
        conn.close()


def _copy_public_tables(conn: sqlite3.Connection, work_db: Path) -> None:
    """Recreate each public table with its original schema and indexes, then copy its rows."""
    conn.execute("ATTACH DATABASE ? AS work", [f"{work_db.resolve().as_uri()}?mode=ro"])
    present = {row[0] for row in conn.execute("SELECT name FROM work.sqlite_master")}
    with conn:
        for table in (t for t in PUBLIC_TABLES if t in present):
            for (sql,) in conn.execute(
                "SELECT sql FROM work.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL "
                "AND type IN ('table', 'index') ORDER BY type = 'index'",
                [table],
            ).fetchall():
                conn.execute(sql)
            conn.execute(
                f"INSERT INTO main.[{table}] SELECT * FROM work.[{table}]{_rows(table, present)}"
            )
    conn.execute("DETACH DATABASE work")


def _rows(table: str, present: set[str]) -> str:
    """Offerings a crawl marked removed stay in the working database, not the public one."""
    if table == "offerings" and "current_offerings" in present:
        return " WHERE id IN (SELECT id FROM work.current_offerings)"
    return ""


def _add_offering_flags(db: sqlite_utils.Database) -> None:
    """Give each offering a JSON list of the flag rules raised on it, for an array facet."""
    if not db["offerings"].exists():
        return
    db.execute("ALTER TABLE offerings ADD COLUMN flags TEXT DEFAULT '[]'")
    if db["flags"].exists():
        db.execute(
            """UPDATE offerings SET flags = (
                 SELECT json_group_array(rule_id) FROM (
                   SELECT DISTINCT rule_id FROM flags
                    WHERE flags.offering_id = offerings.id ORDER BY rule_id))"""
        )
    db.conn.commit()


def _add_search_and_indexes(db: sqlite_utils.Database) -> None:
    for table, columns in FULL_TEXT.items():
        if db[table].exists():
            db[table].enable_fts(columns, tokenize="porter", create_triggers=False)
    for table, indexes in EXTRA_INDEXES.items():
        if db[table].exists():
            for columns in indexes:
                db[table].create_index(columns, if_not_exists=True)


def _add_views(db: sqlite_utils.Database) -> None:
    tables = set(db.table_names())
    for name, (sql, needs) in VIEWS.items():
        if needs <= tables:
            db.create_view(name, sql, replace=True)


def validate_public_db(path: Path) -> dict[str, int]:
    """Refuse a file that is corrupt, lacks a required column or table, or is empty.

    Returns the row count of every table, for the publish log.
    """
    db = sqlite_utils.Database(path)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise CredwatchError(f"{path}: integrity check failed: {integrity}")
        for table, columns in REQUIRED_COLUMNS.items():
            missing = columns - set(db[table].columns_dict) if db[table].exists() else columns
            if missing:
                raise CredwatchError(f"{path}: table {table} lacks {sorted(missing)}")
        for table in REQUIRED_NON_EMPTY:
            if db[table].count == 0:
                raise CredwatchError(f"{path}: table {table} is empty; refusing to publish")
        for table in FULL_TEXT:
            if db[f"{table}_fts"].count != db[table].count:
                raise CredwatchError(f"{path}: full-text index of {table} is incomplete")
        return {table: db[table].count for table in PUBLIC_TABLES if db[table].exists()}
    except sqlite3.DatabaseError as error:
        raise CredwatchError(f"{path}: integrity check failed: {error}") from error
    finally:
        db.close()


def _swap_into_place(staging: Path, out_db: Path) -> Path | None:
    """Keep the live file as `.prev`, then replace it in one atomic rename."""
    previous = None
    if out_db.exists():
        previous = out_db.with_name(f"{out_db.stem}.prev{out_db.suffix}")
        partial_copy = previous.with_name(f".{previous.name}.partial")
        shutil.copy2(out_db, partial_copy)
        os.replace(partial_copy, previous)
    os.replace(staging, out_db)
    return previous


@click.command()
@work_db_option("Its public tables are copied.")
@published_db_option("Replaced atomically; the old one is kept as NAME.prev.db.")
def publish(db_path: Path, published_db: Path) -> None:
    """Build the public database Datasette serves: public tables, full-text search, views.

    The new file is validated (integrity, schema, not empty) before it atomically replaces
    the old one; on any failure the published file stays as it was.
    """
    result = build_public_db(db_path, published_db)
    click.echo(f"published {result.path}")
    for table, count in result.counts.items():
        click.echo(f"  {table:<22} {count:>9,}")
    if result.previous:
        click.echo(f"previous database kept as {result.previous}")
