"""Fault injection (T3-T7, T10): every provider ends with a truthful outcome, and one
provider's fault never stops the others. All providers run in ONE crawl process."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from helpers.crawl import (
    fault_site,
    flaky,
    gzip_bomb,
    outcomes_by_url,
    page,
    redirect,
    run_crawl_cli,
    slow,
)

COURSE = (
    "<html><body><h1>{title}</h1><p>Six weeks, online.</p>"
    "<footer>Nationally Recognised Training. RTO 40764</footer></body></html>"
)
HOME = '<html><body><a href="/courses/a">A</a> <a href="/courses/b">B</a></body></html>'
MALFORMED = "<html><body><div><h1>First Aid <b>Refresher</h1><p>Unclosed <i>tags<table><tr><td>"
LATIN1_LABELLED_UTF8 = "<html><body><h1>Café Barista Skills</h1></body></html>".encode("latin-1")
MiB = 1024 * 1024

FAULTS: dict[str, dict[str, Any]] = {
    "healthy": {
        "/": page(HOME),
        "/courses/a": page(COURSE.format(title="Provide First Aid")),
        "/courses/b": page(COURSE.format(title="Provide CPR")),
    },
    "slow": {"/robots.txt": page("User-agent: *\n"), "/": slow(4, page(HOME))},
    "server_error": {"/": page("oops", status=500)},
    "not_found": {"/": page("gone", status=404)},
    "gzip_bomb": {"/": gzip_bomb(8 * MiB)},
    "huge_page": {"/": page("<p>" + "x" * (2 * MiB) + "</p>")},
    "robots_closed": {
        "/robots.txt": page("User-agent: *\nDisallow: /\n", content_type="text/plain")
    },
    "redirect_loop": {"/": redirect("/loop"), "/loop": redirect("/loop")},
    "messy_html": {
        "/": page('<a href="/malformed">m</a><a href="/latin1">l</a>'),
        "/malformed": page(MALFORMED),
        "/latin1": page(LATIN1_LABELLED_UTF8),
    },
    "flaky": {
        "/": flaky(1, page("busy", status=503), page(COURSE.format(title="Forklift Licence")))
    },
}
EXPECTED = {
    "healthy": "ok",
    "slow": "timeout",
    "server_error": "http_error",
    "not_found": "http_error",
    "gzip_bomb": "too_large",
    "huge_page": "too_large",
    "robots_closed": "robots_forbidden",
    "redirect_loop": "no_result",
    "messy_html": "ok",
    "flaky": "ok",
    "dns": "dns_error",
}
# The one name the loopback guard lets through; OfflineResolver fails it without a query.
DNS_URL = "http://localhost:9/"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Serve every faulty site, crawl them all at once, return outcomes, sites and paths."""
    tmp_path = tmp_path_factory.mktemp("faults")
    with contextlib.ExitStack() as stack:
        sites = {name: stack.enter_context(fault_site(routes)) for name, routes in FAULTS.items()}
        urls = {name: site.base_url for name, site in sites.items()} | {"dns": DNS_URL}
        providers = [
            {"name": name, "url": url, "spider": "fault_probe"} for name, url in urls.items()
        ]
        broken = {"name": "broken", "url": "http://127.0.0.2/", "spider": "broken_probe"}
        result = run_crawl_cli(
            tmp_path,
            [*providers, broken],
            "-s", "SPIDER_MODULES=helpers.crawl",
            "-s", "DNS_RESOLVER=helpers.crawl.OfflineResolver",
            "-s", "DOWNLOAD_TIMEOUT=1",
            "-s", "RETRY_TIMES=1",
            "-s", f"DOWNLOAD_MAXSIZE={MiB}",
            "-s", f"DOWNLOAD_WARNSIZE={MiB // 2}",
        )  # fmt: skip
    outcomes = outcomes_by_url(tmp_path / "work.db")
    return {
        "outcome": {name: outcomes[url] for name, url in urls.items()},
        "broken": outcomes[broken["url"]],
        "sites": sites,
        "db": tmp_path / "work.db",
        "jsonl": tmp_path / "offerings.jsonl",
        "stdout": result.stdout,
    }


@pytest.mark.parametrize("provider", sorted(EXPECTED))
def test_each_fault_is_recorded_as_its_outcome(crawl: dict[str, Any], provider: str) -> None:
    row = crawl["outcome"][provider]
    assert row["outcome"] == EXPECTED[provider], row["detail"]
    assert row["crawl_run_id"] and row["started"] <= row["finished"]


def test_healthy_provider_keeps_its_items_beside_faulty_ones(crawl: dict[str, Any]) -> None:
    healthy = crawl["outcome"]["healthy"]
    assert (healthy["items"], healthy["pages"]) == (2, 3)
    db = sqlite_utils.Database(crawl["db"])
    titles = {row["title"] for row in db.query("select title from offerings")}
    assert {"Provide First Aid", "Provide CPR", "Forklift Licence"} <= titles
    assert "healthy" in crawl["stdout"] and "timeout" in crawl["stdout"]


def test_slow_site_was_retried_then_timed_out(crawl: dict[str, Any]) -> None:
    stats = crawl["outcome"]["slow"]["stats"]
    assert stats["retry/count"] >= 1
    assert crawl["sites"]["slow"].requested.count("/") == 2  # first try + RETRY_TIMES=1


def test_http_errors_name_their_status(crawl: dict[str, Any]) -> None:
    assert crawl["outcome"]["not_found"]["stats"]["httperror/response_ignored_status_count/404"]
    assert crawl["outcome"]["server_error"]["stats"]["retry/count"] == 1


def test_decompression_bomb_is_refused_without_an_item(crawl: dict[str, Any]) -> None:
    row = crawl["outcome"]["gzip_bomb"]
    assert row["items"] == 0
    assert row["stats"]["credwatch/decompression_too_large"] == 1


def test_redirect_loop_is_detected_not_silent(crawl: dict[str, Any]) -> None:
    row = crawl["outcome"]["redirect_loop"]
    assert "redirect loop" in row["detail"]
    assert row["stats"]["dupefilter/filtered"] >= 1


def test_messy_pages_still_give_items_and_flag_bad_decoding(crawl: dict[str, Any]) -> None:
    row = crawl["outcome"]["messy_html"]
    assert row["items"] == 2
    assert row["stats"]["credwatch/text/replacement_char"] >= 1
    lines = [json.loads(line) for line in Path(crawl["jsonl"]).read_text().splitlines()]
    titles = {line["title"] for line in lines if line["provider_name"] == "messy_html"}
    assert titles == {"First Aid Refresher", "Caf\ufffd Barista Skills"}


def test_retry_after_503_yields_the_item(crawl: dict[str, Any]) -> None:
    row = crawl["outcome"]["flaky"]
    assert row["items"] == 1
    assert row["stats"]["retry/count"] == 1
    assert crawl["sites"]["flaky"].requested.count("/") == 2


def test_robots_forbidden_site_is_never_fetched(crawl: dict[str, Any]) -> None:
    assert crawl["sites"]["robots_closed"].requested == ["/robots.txt"]
    assert crawl["outcome"]["robots_closed"]["stats"]["robotstxt/forbidden"] >= 1


def test_spider_failing_to_start_is_recorded_and_others_run(crawl: dict[str, Any]) -> None:
    row = crawl["broken"]
    assert (row["outcome"], row["errors"]) == ("no_result", 1)
    assert "crawl did not start: ValueError('misconfigured spider')" in row["detail"]
    assert crawl["outcome"]["healthy"]["outcome"] == "ok"
