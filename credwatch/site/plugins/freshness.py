"""Datasette one-off plugin: the home page's guide and "last updated", and each crawled table's
source with its crawl date.

A journalist citing a figure needs to know how old it is: the crawl's finish time, each
register's snapshot date and when scores were computed. They are read once per published
file (the file is immutable; a new publish is a new file) and shown on the home page; the
crawled tables name "provider websites, crawled on <date>" as their source.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

from datasette import hookimpl

DATABASE = "credwatch"
CRAWLED_TABLES = ("providers", "offerings", "claims", "outbound_links", "crawl_runs")
CRAWLED_TABLES += ("crawl_outcomes",)

HOME_HTML = """<p>Is this course provider registered, and do its claims hold up? credwatch reads
what training providers say on their websites, checks it against government registers and
explains every point of its score with the page it came from. A score is indicative, not a
finding of fact: <a href="/about">what a score means and how to dispute it</a>.</p>
<p>Start with <a href="/credwatch/provider_lookup">look up a provider by name</a>, the
<a href="/credwatch/provider_report">provider report</a> (each provider links to its report
card), <a href="/credwatch/flagged_offerings">flagged offerings</a>,
<a href="/credwatch/unbacked_claims">registration claims without a register match</a>, the
<a href="/-/dashboard">dashboard</a> of charts, or the
<a href="/credwatch#queries">questions journalists ask</a> (each as a table, CSV, JSON or
Atom feed).</p>
<p>A register snapshot records what the register said on its snapshot date. An entry that
disappears or a "Cancelled" status is not evidence of wrongdoing: many registrations end
voluntarily.</p>
"""


class Freshness(NamedTuple):
    """How old each part of the published data is (a NamedTuple: Datasette loads plugins
    without a module entry, which dataclasses need)."""

    crawl_finished: str
    scored_at: str
    snapshots: tuple[tuple[str, str], ...]  # (register, latest snapshot date)


@hookimpl
def get_metadata(datasette, key, database, table) -> dict[str, Any]:
    published = datasette.databases.get(DATABASE)
    path = getattr(published, "path", None)
    if not path:
        return {"description_html": HOME_HTML}
    stat = Path(path).stat()
    return site_metadata(str(path), stat.st_mtime_ns, stat.st_size)


@cache
def site_metadata(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """The metadata of one published file (its mtime and size key the cache)."""
    fresh = read_freshness(path)
    crawled = f"Provider websites, crawled on {fresh.crawl_finished or 'an unknown date'}"
    return {
        "description_html": HOME_HTML + last_updated_html(fresh),
        "databases": {DATABASE: {"tables": {t: {"source": crawled} for t in CRAWLED_TABLES}}},
    }


def read_freshness(path: str) -> Freshness:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?immutable=1", uri=True)
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master")}

        def value(table: str, sql: str) -> str:
            return (conn.execute(sql).fetchone()[0] or "") if table in tables else ""

        # Loaded files name their snapshot; entries carry theirs too (an older publish may
        # lack registry_snapshots rows).
        sources = [t for t in ("registry_snapshots", "registry_entries") if t in tables]
        union = " union all ".join(f"select register, snapshot_date from {t}" for t in sources)
        snapshots = tuple(
            conn.execute(
                f"select register, max(snapshot_date) from ({union}) group by register "
                "order by register"
            ).fetchall()
            if sources
            else ()
        )
        return Freshness(
            crawl_finished=value("crawl_runs", "select max(finished) from crawl_runs")
            or value("providers", "select max(last_seen) from providers"),
            scored_at=value("provider_scores", "select max(scored_at) from provider_scores"),
            snapshots=snapshots,
        )
    finally:
        conn.close()


def last_updated_html(fresh: Freshness) -> str:
    registers = ", ".join(f"{escape(r)} {escape(d)}" for r, d in fresh.snapshots) or "none loaded"
    return (
        '<h2 id="last-updated">Last updated</h2>\n<ul class="last-updated">\n'
        f"<li>Provider websites (providers, offerings, claims, links, crawl outcomes): crawl "
        f"finished {escape(fresh.crawl_finished or 'never')}</li>\n"
        f"<li>Registers (registry_entries, registry_courses, blocked_sites, registry_changes): "
        f"snapshots {registers}</li>\n"
        f"<li>Scores, flags, matches and corrections: computed "
        f"{escape(fresh.scored_at or 'not yet')}</li>\n</ul>\n"
    )
