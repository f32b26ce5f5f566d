"""The generic structured-data spider: saved pages through its callback, and a fixture site
crawled end to end through Scrapy in this process.

Goldens: `tests/fixtures/pages/structured_data/<case>.html` with `<case>.expected.json`;
run with CREDWATCH_UPDATE_EXPECTED=1 to rewrite them after an intended change (then read
the diff before committing).
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import json
import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any, ClassVar

import pytest
import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.extensions import classify
from crawler.runner import LOOPBACK_SETTINGS
from crawler.spiders.structured_data import StructuredDataSpider

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = FIXTURES / "pages" / "structured_data"
SITE = FIXTURES / "sites" / "structured_demo"
PROVIDER = {"provider_name": "Fixture Provider", "provider_url": "https://provider.example/"}
# Where each saved page was served from (a course's own URL decides whether it is read here).
PAGE_URLS = {
    "learndash_graph": "https://provider.example/courses/provide-first-aid/",
    "tutor_lms_offers": "https://provider.example/courses/bookkeeping-with-xero/",
    "moodle_microdata": "https://provider.example/course/view.php?id=42",
    "malformed_jsonld": "https://provider.example/level-3-award/",
    "thinkific_listing": "https://provider.example/collections",
    "no_data": "https://provider.example/about/",
    "credential": "https://provider.example/badges/data-literacy/",
    "rdfa_course": "https://provider.example/courses/individual-support/",
    "program_price_specification": "https://provider.example/programs/medical-assistant/",
    "jsonld_comments": "https://provider.example/courses/cs101/",
    "catalogue_urlless": "https://provider.example/short-courses/",
    "work_based_program_microdata": "https://provider.example/apprenticeships/digital-marketer/",
}


def _spider() -> StructuredDataSpider:
    crawler = get_crawler(StructuredDataSpider)
    return StructuredDataSpider.from_crawler(crawler, **PROVIDER)


def _run_callback(case: str) -> dict[str, Any]:
    """Everything the callback produced for one saved page, as JSON-ready data."""
    spider = _spider()
    url = PAGE_URLS[case]
    request = scrapy.Request(url)
    body = (PAGES / f"{case}.html").read_bytes()
    response = HtmlResponse(url=url, body=body, request=request, encoding="utf-8")
    items, requests = [], []
    for result in spider.parse(response):
        if isinstance(result, scrapy.Request):
            requests.append(result.url)
        else:
            items.append({"type": type(result).__name__, **dataclasses.asdict(result)})
    stats = spider.crawler.stats.get_stats()
    return {
        "items": items,
        "requests": requests,
        "malformed_jsonld": stats.get("credwatch/structured_data/malformed_jsonld", 0),
        "repaired_jsonld": stats.get("credwatch/structured_data/repaired_jsonld", 0),
    }


@pytest.mark.parametrize("case", sorted(PAGE_URLS))
def test_saved_page_matches_expected_items(case: str):
    produced = _run_callback(case)
    expected_path = PAGES / f"{case}.expected.json"
    if os.environ.get("CREDWATCH_UPDATE_EXPECTED") == "1":
        text = json.dumps(produced, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert produced == expected


def test_every_saved_page_has_a_golden_and_a_url():
    cases = {path.stem for path in PAGES.glob("*.html")}
    assert cases == set(PAGE_URLS)
    assert {path.name.removesuffix(".expected.json") for path in PAGES.glob("*.json")} == cases


def test_listing_defers_to_course_pages_and_keeps_on_page_courses():
    produced = _run_callback("thinkific_listing")
    offerings = [item for item in produced["items"] if item["type"] == "Offering"]
    # Only the course whose URL is this page (a #fragment) is read here...
    assert [o["title"] for o in offerings] == ["Raising Hands: A Micro-credential"]
    # ...the others are fetched from their own pages, and PDFs never are (repeats and other
    # sites are left to Scrapy's dupefilter and offsite filter: see the crawl tests).
    assert "https://provider.example/courses/formative-assessment" in produced["requests"]
    assert "https://provider.example/courses/classroom-behaviour-basics" in produced["requests"]
    assert not [url for url in produced["requests"] if url.endswith(".pdf")]
    (page,) = [item for item in produced["items"] if item["type"] == "ProviderPage"]
    assert page["outbound_links"] == ["https://twitter.com/lumen"]


def test_listed_course_is_read_from_the_listing_when_its_page_has_no_data():
    spider = _spider()
    listing_url = PAGE_URLS["thinkific_listing"]
    listing = HtmlResponse(
        url=listing_url,
        body=(PAGES / "thinkific_listing.html").read_bytes(),
        request=scrapy.Request(listing_url),
    )
    list(spider.parse(listing))
    course_url = "https://provider.example/courses/classroom-behaviour-basics"
    bare_page = HtmlResponse(
        url=course_url,
        body=b"<html><body><h1>Classroom Behaviour Basics</h1><p>$29</p></body></html>",
        request=scrapy.Request(course_url),
    )
    (offering,) = [r for r in spider.parse(bare_page) if not isinstance(r, scrapy.Request)]
    assert (offering.title, offering.url) == ("Classroom Behaviour Basics", course_url)
    assert offering.provider_name == "Lumen Teacher Academy"


def test_subclass_hooks_fix_data_and_drop_items():
    class OnlyPaid(StructuredDataSpider):
        name = "only_paid"

        def pre_process_data(self, obj: dict) -> None:
            obj["name"] = obj.get("name", "").upper()

        def post_process_item(self, item, response, obj):
            return item if item.price else None

    crawler = get_crawler(OnlyPaid)
    spider = OnlyPaid.from_crawler(crawler, **PROVIDER)
    url = PAGE_URLS["credential"]
    response = HtmlResponse(
        url=url, body=(PAGES / "credential.html").read_bytes(), request=scrapy.Request(url)
    )
    (offering,) = [r for r in spider.parse(response) if not isinstance(r, scrapy.Request)]
    assert offering.title == "DATA LITERACY FOUNDATIONS (DIGITAL BADGE)"
    assert offering.spider == "only_paid"

    free = PAGE_URLS["thinkific_listing"]
    listing = HtmlResponse(
        url=free,
        body=(PAGES / "thinkific_listing.html").read_bytes(),
        request=scrapy.Request(free),
    )
    kinds = {type(r).__name__ for r in spider.parse(listing) if not isinstance(r, scrapy.Request)}
    assert kinds == {"ProviderPage"}  # the free course dropped; the page's claims kept


def _crawl_settings() -> dict[str, Any]:
    """Project settings (robots middleware included) without the database pipelines."""
    names = (name for name in dir(project_settings) if name.isupper())
    settings = {name: getattr(project_settings, name) for name in names}
    settings.update(LOOPBACK_SETTINGS)
    settings.update(
        {
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {},
            "LOG_LEVEL": "WARNING",
            "CLOSESPIDER_TIMEOUT": 30,
        }
    )
    return settings


async def _crawl_site(
    serve_dir, root: Path = SITE, **bounds: Any
) -> tuple[Any, list[Any], list[str], str]:
    """Crawl a fixture site in this process: crawler, items, paths asked, base URL.

    `bounds` replace the spider's own settings (which outrank the project's)."""

    class Bounded(StructuredDataSpider):
        custom_settings: ClassVar[dict[str, Any]] = {
            **StructuredDataSpider.custom_settings,
            **bounds,
        }

    with serve_dir(root) as site:
        crawler = get_crawler(Bounded, _crawl_settings())
        items: list[Any] = []

        def collect(item: Any, **_: Any) -> None:
            items.append(item)

        crawler.signals.connect(collect, signal=signals.item_scraped)
        await crawler.crawl_async(provider_name="Demo Academy", provider_url=site.base_url + "/")
        requested = list(site.requested)
    return crawler, items, requested, site.base_url


async def test_crawls_a_fixture_site_through_sitemaps_and_links(serve_dir):
    crawler, items, requested, base_url = await _crawl_site(serve_dir)
    offerings = {item.url.removeprefix(base_url): item for item in items if hasattr(item, "title")}
    assert set(offerings) == {
        "/courses/first-aid/",
        "/courses/excel-basics/",
        "/courses/hidden-gem/",
    }
    first_aid = offerings["/courses/first-aid/"]
    assert (first_aid.price, first_aid.currency, first_aid.duration_hours) == (149.0, "AUD", 7.0)
    assert {(c.kind, c.value) for c in first_aid.claims} >= {
        ("rto_code", "45123"),
        ("national_code", "HLTAID011"),
        ("nationally_recognised", "nationally recognised"),
    }
    assert offerings["/courses/excel-basics/"].provider_name == "Demo Academy Pty Ltd"
    pages = {item.url.removeprefix(base_url) for item in items if not hasattr(item, "title")}
    assert "/about/" in pages
    # Found only through sitemaps named in robots.txt and the sitemap index.
    assert "/sitemaps/courses.xml" in requested
    assert "/courses/hidden-gem/" in requested
    # Asked once each, though robots.txt, the start and the index name them again.
    assert requested.count("/sitemap.xml") == 1
    assert requested.count("/courses/first-aid/") == 1
    # Never fetched: a robots.txt-disallowed page, a PDF.
    assert "/private/staff-only/" not in requested
    assert "/files/brochure.pdf" not in requested
    # The index's sitemap on another host and the Facebook link: Scrapy's offsite filter.
    stats = crawler.stats.get_stats()
    assert stats["offsite/filtered"] == 2
    assert crawler.stats.get_value("credwatch/structured_data/offerings") == 3
    assert stats["finish_reason"] == "finished"


def _write_site(root: Path, links: dict[str, list[str]], sitemap: list[str] = ()) -> Path:
    """A site of pages (path -> the links on it) and a sitemap listing `sitemap`."""
    for path, hrefs in links.items():
        (root / path).mkdir(parents=True, exist_ok=True)
        anchors = "".join(f"<a href='{href}'>{href}</a>" for href in hrefs)
        (root / path / "index.html").write_text(f"<html><body>{anchors}</body></html>")
    entries = "".join(f"<url><loc>__BASE_URL__{path}</loc></url>" for path in sitemap)
    (root / "sitemap.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )
    return root


async def test_page_budget_closes_the_crawl_as_partial(serve_dir, tmp_path: Path):
    site = _write_site(tmp_path, {"": [f"/courses/c{i}/" for i in range(60)]})
    for i in range(60):
        _write_site(site, {f"courses/c{i}/": []})
    crawler, _, requested, _ = await _crawl_site(serve_dir, site, CLOSESPIDER_PAGECOUNT=10)
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "closespider_pagecount"
    # The budget, plus what was already in the downloader's queue (CONCURRENT_REQUESTS).
    assert len(requested) <= 10 + project_settings.CONCURRENT_REQUESTS
    # The ledger calls it partial, so nothing it did not see is marked removed.
    assert "closed: closespider_pagecount" in classify(stats, stats["finish_reason"]).detail


async def test_depth_limit_stops_following_links(serve_dir, tmp_path: Path):
    """Links are followed DEPTH_LIMIT hops from the home page, or from a page a sitemap
    lists (the site names it itself, so it starts again at depth 0)."""
    chain = {"": ["/p1/"], "p1/": ["/p2/"], "p2/": ["/p3/"], "p3/": ["/"]}
    listed = {"listed/": ["/listed-child/"], "listed-child/": ["/listed-grandchild/"]}
    site = _write_site(tmp_path, {**chain, **listed, "listed-grandchild/": []}, ["/listed/"])
    crawler, _, requested, _ = await _crawl_site(serve_dir, site, DEPTH_LIMIT=2)
    assert {"/p1/", "/p2/", "/listed/", "/listed-child/", "/listed-grandchild/"} <= set(requested)
    assert "/p3/" not in requested
    assert crawler.stats.get_value("request_depth_max") == 2


def _requests_from(results: Iterable[Any]) -> list[str]:
    return [result.url for result in results if isinstance(result, scrapy.Request)]


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/main-sitemap.xsl"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://provider.example/course-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://other.example/sitemap.xml</loc></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://provider.example/about/</loc></url>
  <url><loc>https://provider.example/courses/cert-iv-business/</loc></url>
  <url><loc>https://provider.example/wp-content/uploads/handbook.pdf</loc></url>
  <url><loc>https://www.provider.example/courses/diploma/</loc></url>
</urlset>"""


def _sitemap_response(url: str, body: bytes, status: int = 200) -> Response:
    return Response(url=url, body=body, status=status, request=scrapy.Request(url))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Repeats and other hosts are left to the dupefilter and OffsiteMiddleware.
        (
            SITEMAP_INDEX,
            ["https://provider.example/course-sitemap.xml", "https://other.example/sitemap.xml"],
        ),
        (
            gzip.compress(SITEMAP_INDEX),
            ["https://provider.example/course-sitemap.xml", "https://other.example/sitemap.xml"],
        ),
        (
            URLSET,
            [
                "https://provider.example/about/",
                "https://provider.example/courses/cert-iv-business/",
                "https://www.provider.example/courses/diploma/",
            ],
        ),
        (b"<!DOCTYPE html><html><body>Page not found</body></html>", []),  # a soft 404
        (b"", []),
    ],
)
def test_sitemaps_give_sitemaps_and_pages_but_no_files(body: bytes, expected: list[str]):
    spider = _spider()
    response = _sitemap_response("https://provider.example/sitemap.xml", body)
    assert _requests_from(spider._parse_sitemap(response)) == expected


def test_a_sitemap_index_is_read_up_to_its_bound():
    entries = "".join(
        f"<sitemap><loc>https://provider.example/s{i}.xml</loc></sitemap>" for i in range(30)
    )
    body = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
    response = _sitemap_response(
        "https://provider.example/sitemap.xml", body.encode() + b"</sitemapindex>"
    )
    requests = list(_spider()._parse_sitemap(response))
    assert len(requests) == StructuredDataSpider.max_sitemaps == 20
    assert {request.callback.__name__ for request in requests} == {"_parse_sitemap"}


def test_course_pages_in_a_sitemap_come_first():
    response = _sitemap_response("https://provider.example/course-sitemap.xml", URLSET)
    requests = list(_spider()._parse_sitemap(response))
    priorities = {request.url.rsplit("/", 2)[-2]: request.priority for request in requests}
    assert priorities["cert-iv-business"] > priorities["about"]
    # Listed by the site itself: its pages start at depth 0 again, like the home page.
    assert all(request.meta["depth_reset"] for request in requests)


def test_missing_sitemap_and_robots_are_not_http_errors():
    """A 404 sitemap reaches the callback (no `httperror` stat, so no false http_error
    outcome) and yields nothing."""
    spider = _spider()
    start = asyncio.run(_collect(spider.start()))
    meta = {request.url.rsplit("/", 1)[-1]: request.meta for request in start}
    assert 404 in meta["sitemap.xml"]["handle_httpstatus_list"]
    assert 404 in meta["robots.txt"]["handle_httpstatus_list"]
    missing = _sitemap_response("https://provider.example/sitemap.xml", b"Not found", 404)
    assert list(spider._parse_sitemap(missing)) == []
    robots = _sitemap_response("https://provider.example/robots.txt", b"", 404)
    assert list(spider._parse_sitemap(robots)) == []


def test_robots_sitemaps_are_read_as_sitemaps():
    robots = _sitemap_response(
        "https://provider.example/robots.txt",
        b"User-agent: *\nDisallow: /wp-admin/\nSitemap: https://provider.example/sitemap.xml\n"
        b"Sitemap: https://provider.example/sitemap_index.xml\n",
    )
    requests = list(_spider()._parse_sitemap(robots))
    assert [(r.url, r.callback.__name__) for r in requests] == [
        ("https://provider.example/sitemap.xml", "_parse_sitemap"),
        ("https://provider.example/sitemap_index.xml", "_parse_sitemap"),
    ]


async def _collect(requests: AsyncIterator[scrapy.Request]) -> list[scrapy.Request]:
    return [request async for request in requests]
