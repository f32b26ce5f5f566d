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


def test_race_fix_still_hooks_into_this_scrapy() -> None:
    """The fix overrides `RobotsTxtMiddleware.robot_parser` and relies on its internals: a
    `Deferred` kept in `self._parsers[netloc]` while robots.txt downloads, replaced by the
    parser before it fires. pyproject pins Scrapy below the next minor release; when a new
    Scrapy changes these internals this fails, and the fix (or its removal) is re-checked."""
    import inspect

    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    from crawler import settings as project_settings
    from crawler.middlewares import RobotsTxtRaceFreeMiddleware

    assert scrapy.__version__.startswith("2.19."), scrapy.__version__
    stock = inspect.getsource(RobotsTxtMiddleware.robot_parser)
    assert inspect.iscoroutinefunction(RobotsTxtMiddleware.robot_parser)
    assert "self._parsers[netloc] = Deferred()" in stock
    assert "isinstance(parser, Deferred)" in stock
    assert "self._parsers[netloc] = " in inspect.getsource(RobotsTxtMiddleware._parse_robots)
    assert "robot_parser" in vars(RobotsTxtRaceFreeMiddleware)
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["crawler.middlewares.RobotsTxtRaceFreeMiddleware"] == 100
