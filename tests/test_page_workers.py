"""Pages read in worker processes (`crawl --page-workers N`) give what the crawl itself reads,
and a worker that fails or dies costs a warning, never a page."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from helpers.crawl import run_crawl_cli
from helpers.paths import FIXTURES
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.page_workers import (
    FAILED_STAT,
    READ_AHEAD_STAT,
    PageWorkerError,
    PageWorkers,
    _Worker,
)
from crawler.parsers.page import read_page, read_page_body
from credwatch.core.localsite import serve_directory

PAGES = FIXTURES / "pages" / "structured_data"
URL = "https://provider.example/courses/page/"


def _readable(reading: Any) -> Any:
    """A reading without what RDFa gives afresh on each read: its blank-node ids and the
    order of its objects (extruct builds them from a graph)."""
    objects = sorted(
        re.sub(r'"_:[^"]*"', '"_:node"', json.dumps(obj, sort_keys=True, default=str))
        for obj in reading.structured.objects
    )
    return (objects, reading.offering_claims, reading.page_claims, reading.hrefs)


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.html")), ids=lambda path: path.stem)
def test_a_worker_reads_a_page_as_the_crawl_does(page: Path) -> None:
    body = page.read_bytes()
    in_crawl = read_page(HtmlResponse(URL, body=body, encoding="utf-8").selector, URL, body)
    in_worker = read_page_body(body, URL, "utf-8")
    assert _readable(in_worker) == _readable(in_crawl)
    assert in_worker.structured.malformed == in_crawl.structured.malformed


def _crawl_rows(tmp_path: Path, *settings: str) -> tuple[set, set, dict]:
    with serve_directory(FIXTURES / "sites" / "harbourline") as site:
        provider = {"name": "Harbourline Skills Institute", "url": site.base_url + "/"}
        run_crawl_cli(tmp_path, [provider], *settings)
    db = sqlite_utils.Database(tmp_path / "work.db")
    base = site.base_url
    offerings = {
        (row["url"].removeprefix(base), row["title"], row["price"], row["duration_hours"])
        for row in db["offerings"].rows
    }
    urls = {row["id"]: row["url"].removeprefix(base) for row in db["offerings"].rows}
    claims = {
        (urls.get(row["offering_id"]), row["kind"], row["value"], row["text"])
        for row in db["claims"].rows
    }
    (outcome,) = db["crawl_outcomes"].rows
    return offerings, claims, json.loads(outcome["stats"])


def test_a_crawl_with_page_workers_stores_what_a_crawl_without_them_does(tmp_path: Path) -> None:
    (tmp_path / "own").mkdir()
    (tmp_path / "workers").mkdir()
    offerings, claims, stats = _crawl_rows(tmp_path / "own")
    read_ahead = _crawl_rows(tmp_path / "workers", "--page-workers", "2")
    assert (read_ahead[0], read_ahead[1]) == (offerings, claims)
    assert len(offerings) == 3 and claims
    assert READ_AHEAD_STAT not in stats
    assert read_ahead[2][READ_AHEAD_STAT] >= 5  # every HTML page the spider parsed
    assert FAILED_STAT not in read_ahead[2]


def _read_with(command: list[str], encoding: str = "utf-8") -> tuple[list, dict]:
    """Two pages read through one worker started with `command`: readings and stats."""
    crawler = get_crawler()
    body = (PAGES / "jsonld_comments.html").read_bytes()
    response = HtmlResponse(URL, body=body, encoding=encoding)

    async def read_twice() -> list:
        worker = await _Worker.start(command)
        workers = PageWorkers(crawler, [worker])
        readings = [await workers.read(response), await workers.read(response)]
        await worker.stop()
        return readings

    readings = asyncio.run(asyncio.wait_for(read_twice(), timeout=30))
    return readings, crawler.stats.get_stats()


def test_a_worker_that_dies_leaves_the_page_to_the_crawl(caplog: pytest.LogCaptureFixture) -> None:
    dies = [sys.executable, "-c", "import sys; sys.stdin.buffer.read(1)"]
    with caplog.at_level(logging.WARNING, logger="crawler.page_workers"):
        readings, stats = _read_with(dies)
    assert readings == [None, None]  # and the second read did not wait for a dead worker
    assert stats[FAILED_STAT] == 2 and READ_AHEAD_STAT not in stats
    assert "exited" in caplog.text and URL in caplog.text


def test_a_page_a_worker_cannot_read_comes_back_with_its_error() -> None:
    body = (PAGES / "jsonld_comments.html").read_bytes()

    async def read() -> tuple[str, object]:
        worker = await _Worker.start()
        with pytest.raises(PageWorkerError) as failed:
            await worker.read(body, URL, "no-such-codec")
        reading = await worker.read(body, URL, "utf-8")  # the worker goes on
        await worker.stop()
        return str(failed.value), reading

    error, reading = asyncio.run(asyncio.wait_for(read(), timeout=30))
    assert error.startswith(f"{URL}: Traceback") and "LookupError" in error
    assert reading is not None and reading.structured.objects
