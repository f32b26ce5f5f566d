"""T1: robots.txt must be obeyed for every request queued while it downloads.

Scrapy 2.14-2.19's stock middleware lets the third and later of several concurrent start
requests through unchecked; `crawler.middlewares.RobotsTxtRaceFreeMiddleware` fixes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import scrapy
from helpers.crawl import outcomes_by_url, run_crawl_cli
from helpers.paths import FIXTURES

SITE = FIXTURES / "sites" / "robots_race"
STOCK_ROBOTS = json.dumps(
    {
        "crawler.middlewares.RobotsTxtRaceFreeMiddleware": None,
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
    }
)


def crawl_race_site(tmp_path: Path, serve_dir, *settings: str) -> tuple[list[str], dict]:
    with serve_dir(SITE) as site:
        provider = {"name": "Race", "url": site.base_url + "/", "spider": "race_probe"}
        run_crawl_cli(tmp_path, [provider], "-s", "SPIDER_MODULES=helpers.crawl", *settings)
    (outcome,) = outcomes_by_url(tmp_path / "work.db").values()
    return site.requested, outcome


def test_disallowed_start_url_never_reaches_the_server(tmp_path: Path, serve_dir) -> None:
    requested, outcome = crawl_race_site(tmp_path, serve_dir)
    assert "/private/secret" not in requested
    assert sorted(requested) == ["/four", "/one", "/robots.txt", "/three", "/two"]
    assert outcome["stats"]["robotstxt/forbidden"] >= 1
    assert outcome["items"] == 4


@pytest.mark.skipif(
    not (2, 14) <= scrapy.version_info[:2] <= (2, 19),
    reason="the race is known in Scrapy 2.14-2.19 only",
)
def test_stock_middleware_leaks_so_the_test_above_can_fail(tmp_path: Path, serve_dir) -> None:
    requested, _ = crawl_race_site(
        tmp_path, serve_dir, "-s", f"DOWNLOADER_MIDDLEWARES={STOCK_ROBOTS}"
    )
    assert "/private/secret" in requested
