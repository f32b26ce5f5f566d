"""What keeps the served pages fast, checked by what they ask SQLite (timings live in
`benchmarks/bench_serve.py`): what is constant for a served file is worked out once
(`site/plugins/served_once.py`) and again when a publish swaps in a new file; a report card
reads its rows through indexes, whatever the size of the tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from helpers.sample_db import REDGUM, publish_sample
from helpers.serving import in_process_datasette

from credwatch.publish import build_public_db


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return publish_sample(tmp_path, scored=True)


def single_threaded(db: Path):
    """The served site with one SQL thread, so one trace callback sees every statement."""
    datasette = in_process_datasette(db)
    datasette.executor._max_workers = 1
    return datasette


async def statements_of(datasette, path: str) -> list[str]:
    """The SQL statements one request runs on the published database."""
    statements: list[str] = []
    db = datasette.get_database("credwatch")
    await db.execute_fn(lambda conn: conn.set_trace_callback(statements.append))
    response = await datasette.client.get(path)
    await db.execute_fn(lambda conn: conn.set_trace_callback(None))
    assert response.status_code == 200, path
    return statements


async def test_rows_are_counted_at_start_and_a_second_home_page_asks_the_file_nothing(
    published: Path,
):
    datasette = single_threaded(published)
    await datasette.invoke_startup()
    first = await statements_of(datasette, "/")
    second = await statements_of(datasette, "/")
    home = (await datasette.client.get("/")).text

    assert not any(sql.startswith("select count(*)") for sql in first)  # counted at start
    assert any("sqlite_master" in sql for sql in first)  # the schema, read the first time
    assert second == []
    assert "rows in" in home and 'title="3 rows">offerings</a>' in home


async def test_pages_still_read_their_rows_every_time(published: Path):
    datasette = single_threaded(published)
    await statements_of(datasette, "/credwatch/offerings")
    again = await statements_of(datasette, "/credwatch/offerings")

    assert any("from offerings" in sql.lower() for sql in again)
    assert not any("sqlite_master" in sql for sql in again)


async def test_a_swapped_in_file_gets_its_own_schema_and_metadata(published: Path):
    datasette = in_process_datasette(published)
    before = (await datasette.client.get("/")).text
    work = sqlite_utils.Database(published.with_name("work.db"))
    work["providers"].update(next(work["providers"].rows)["id"], {"last_seen": "2031-05-06"})
    work["offerings"].insert(
        {**next(work["offerings"].rows), "id": "offering-4", "title": "Provide CPR Refresher"}
    )
    work.close()
    build_public_db(published.with_name("work.db"), published)
    after = (await datasette.client.get("/")).text
    offerings = (await datasette.client.get("/credwatch/offerings.json?_shape=array")).json()

    assert "2031-05-06" not in before and "2031-05-06" in after
    assert 'title="3 rows">offerings</a>' in before and 'title="4 rows">offerings</a>' in after
    assert "Provide CPR Refresher" in {row["title"] for row in offerings}


async def test_a_report_card_reads_every_provider_table_through_an_index(published: Path):
    statements = await statements_of(single_threaded(published), f"/-/report/{REDGUM}")
    queries = [sql for sql in statements if REDGUM in sql]  # traced with their values bound
    conn = sqlite3.connect(published)
    plans = {sql: [row[3] for row in conn.execute(f"explain query plan {sql}")] for sql in queries}
    conn.close()

    scans = {sql: plan for sql, plan in plans.items() if any(s.startswith("SCAN") for s in plan)}
    tables = {table for table in ("providers", "provider_scores", "score_contributions",
              "provider_matches", "claims", "offerings", "flags", "crawl_outcomes", "overrides")
              if any(f"from {table} " in sql for sql in queries)}  # fmt: skip
    assert len(tables) == 9
    assert scans == {}
