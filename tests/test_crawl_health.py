"""Honest health per provider, over two crawls of local sites through `credwatch crawl`.

One loopback server hosts two sellers under their own paths (a shared-hosting platform in
miniature) and a second server is a provider that dies before the second crawl. The second
crawl halves one seller's catalogue and removes one course of the other's.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
import sqlite_utils
from helpers.crawl import fault_site, page, run_crawl_cli

from crawler.extensions import MALFORMED_STAT, classify
from crawler.spiders.structured_data import StructuredDataSpider
from credwatch.core.identity import provider_id


def course_page(title: str, price: int) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": title,
        "description": f"{title}, online and self-paced.",
        "provider": {"@type": "Organization", "name": "Seller"},
        "offers": {"@type": "Offer", "price": price, "priceCurrency": "AUD"},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><h1>{title}</h1></body></html>"
    )


def catalogue(prefix: str, slugs: list[str], other: str = "") -> dict[str, Any]:
    """A seller's home page linking its courses (and, for the test, another seller)."""
    links = "".join(f'<a href="{prefix}/courses/{slug}/">{slug}</a>' for slug in slugs)
    routes = {f"{prefix}/": page(f"<html><body>{links}<a href='{other}'>x</a></body></html>")}
    for number, slug in enumerate(slugs):
        routes[f"{prefix}/courses/{slug}/"] = page(course_page(f"Course {slug}", 100 + number))
    return routes


ACME = [f"a{n}" for n in range(8)]
CHEAP = ["c0", "c1", "c2"]
DEAD = ["d0", "d1"]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp_path = tmp_path_factory.mktemp("health")
    db_path = tmp_path / "work.db"
    snapshots: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        shared = stack.enter_context(
            fault_site({**catalogue("/acme", ACME, "/cheap/"), **catalogue("/cheap", CHEAP)})
        )
        dead = stack.enter_context(fault_site(catalogue("", DEAD)))
        urls = {
            "acme": f"{shared.base_url}acme/",
            "cheap": f"{shared.base_url}cheap/",
            "dead": dead.base_url,
        }
        providers = [{"name": name.title(), "url": url} for name, url in urls.items()]
        run_crawl_cli(tmp_path, providers, "-s", "RETRY_TIMES=0")
        snapshots["first"] = _snapshot(db_path)
        shared.routes.clear()
        shared.routes.update({**catalogue("/acme", ACME[:4]), **catalogue("/cheap", CHEAP[:2])})
        dead.routes.clear()
        dead.routes["/"] = page("down for maintenance", status=503)
        run_crawl_cli(tmp_path, providers, "-s", "RETRY_TIMES=0")
        snapshots["second"] = _snapshot(db_path)
    return {"urls": urls, "ids": {n: provider_id(u) for n, u in urls.items()}, **snapshots}


def _snapshot(db_path) -> dict[str, Any]:
    db = sqlite_utils.Database(db_path)
    run = next(db.query("select id from crawl_runs order by started desc, id desc limit 1"))
    return {
        "run": run["id"],
        "outcomes": {
            row["provider_id"]: row
            for row in db.query("select * from crawl_outcomes where crawl_run_id = ?", [run["id"]])
        },
        "providers": {row["id"]: row for row in db.query("select * from providers")},
        "offerings": {row["title"]: row for row in db.query("select * from offerings")},
        "current": {row["title"] for row in db.query("select title from current_offerings")},
    }


def test_two_sellers_on_one_host_stay_two_providers(crawls: dict[str, Any]):
    ids = crawls["ids"]
    assert ids["acme"].endswith("/acme") and ids["cheap"].endswith("/cheap")
    first = crawls["first"]
    assert set(first["outcomes"]) == set(ids.values())
    assert {pid: row["outcome"] for pid, row in first["outcomes"].items()} == dict.fromkeys(
        ids.values(), "ok"
    )
    by_provider = {title: row["provider_id"] for title, row in first["offerings"].items()}
    assert {by_provider[f"Course {slug}"] for slug in ACME} == {ids["acme"]}
    assert {by_provider[f"Course {slug}"] for slug in CHEAP} == {ids["cheap"]}


def test_a_sellers_crawl_stays_under_its_path():
    spider = StructuredDataSpider(provider_name="Acme", provider_url="http://127.0.0.1:9/acme/")
    assert spider._page_request("http://127.0.0.1:9/acme/courses/a0/") is not None
    assert spider._page_request("http://127.0.0.1:9/cheap/courses/c0/") is None
    assert spider._page_request("http://127.0.0.1:9/acmex/") is None


def test_halved_catalogue_is_degraded(crawls: dict[str, Any]):
    acme = crawls["second"]["outcomes"][crawls["ids"]["acme"]]
    assert acme["outcome"] == "degraded"
    assert "items fell from 8 to 4" in acme["detail"]


def test_course_gone_from_a_healthy_crawl_is_removed_and_out_of_the_current_view(
    crawls: dict[str, Any],
):
    second = crawls["second"]
    assert second["outcomes"][crawls["ids"]["cheap"]]["outcome"] == "ok"
    gone = second["offerings"]["Course c2"]
    assert (gone["status"], gone["removed_in_run"]) == ("removed", second["run"])
    assert gone["crawl_run_id"] == crawls["first"]["run"]  # the last run that saw it
    assert "Course c2" not in second["current"]
    assert {"Course c0", "Course c1"} <= second["current"]
    # A degraded crawl removes nothing: acme's missing half stays current.
    assert {f"Course {slug}" for slug in ACME} <= second["current"]


def test_failed_crawl_keeps_last_seen_and_offerings(crawls: dict[str, Any]):
    dead = crawls["ids"]["dead"]
    assert crawls["second"]["outcomes"][dead]["outcome"] == "http_error"
    before, after = crawls["first"]["providers"][dead], crawls["second"]["providers"][dead]
    assert after["last_seen"] == before["last_seen"]
    assert {f"Course {slug}" for slug in DEAD} <= crawls["second"]["current"]
    healthy = crawls["ids"]["cheap"]
    assert crawls["second"]["providers"][healthy]["last_seen"] >= before["last_seen"]


def test_unreadable_structured_data_degrades_an_otherwise_good_crawl():
    stats = {"item_scraped_count": 5, "downloader/response_count": 6, MALFORMED_STAT: 2}
    result = classify(stats, "finished", last_good_items=5)
    assert (result.outcome, result.detail) == (
        "degraded",
        "structured data unreadable: 2 JSON-LD block(s)",
    )
    assert classify({**stats, MALFORMED_STAT: 0}, "finished", 9).outcome == "ok"
    assert classify({**stats, MALFORMED_STAT: 0}, "finished", 10).outcome == "degraded"
