"""Pages/s of the structured-data spider's callback on a ~50 KB course page, and of its
parts (schema.org reading, page text, claims), in memory: no network, no Scrapy engine.

Run: `python -m benchmarks.bench_parse`. The 50 KB page imitates a WordPress/LearnDash
course page: Yoast `@graph`, a Course block, menus, long body text and a claims footer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from benchmarks.common import row
from crawler.parsers.claims import extract_claims
from crawler.parsers.structured import read_structured
from crawler.parsers.text import page_text
from crawler.spiders.structured_data import StructuredDataSpider

TARGET_BYTES = 50_000
URL = "https://provider.example/courses/provide-first-aid/"


def course_page(target_bytes: int = TARGET_BYTES) -> bytes:
    """A realistic course page padded with paragraphs and menu links to `target_bytes`."""
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Organization",
                "@id": "https://provider.example/#org",
                "name": "Coastline First Aid Training",
                "url": "https://provider.example/",
            },
            {"@type": "WebPage", "@id": URL, "url": URL, "name": "Provide First Aid"},
            {
                "@type": "Course",
                "name": "Provide First Aid (HLTAID011)",
                "url": URL,
                "description": "<p>Nationally recognised first aid: CPR, bleeding control.</p>",
                "provider": {"@id": "https://provider.example/#org"},
                "offers": [{"@type": "Offer", "price": "149", "priceCurrency": "AUD"}],
                "hasCourseInstance": {
                    "@type": "CourseInstance",
                    "courseMode": "blended",
                    "courseWorkload": "PT7H",
                },
            },
        ],
    }
    head = (
        "<!DOCTYPE html><html lang='en-AU'><head><meta charset='utf-8'>"
        "<title>Provide First Aid</title><script type='application/ld+json'>"
        f"{json.dumps(graph)}</script><style>body{{font-family:sans-serif}}</style></head><body>"
    )
    menu = "".join(
        f"<li class='menu-item'><a href='/courses/course-{i}/'>Course {i}</a></li>"
        for i in range(60)
    )
    paragraph = (
        "<p class='entry'>Learn to respond to emergencies with confidence. This course covers "
        "<b>DRSABCD</b>, CPR on adults and infants, choking, bleeding, burns and fractures, "
        "with a practical assessment on the day.</p>"
    )
    footer = (
        "<footer><p>Coastline Training Services Pty Ltd | RTO No. 45123 | ABN 51 824 753 556"
        "</p></footer><script>window.dataLayer=[];</script></body></html>"
    )
    body = f"<header><nav><ul>{menu}</ul></nav></header><main><h1>Provide First Aid</h1>"
    page = head + body
    while len(page) + len(footer) < target_bytes:
        page += paragraph
    return (page + "</main>" + footer).encode("utf-8")


def _rate(work: Callable[[], object], seconds: float = 2.0) -> float:
    """Calls per second of `work`, after one warm-up call."""
    work()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        work()
        count += 1
    return count / (time.perf_counter() - started)


def measure(shared: Path, scale: int) -> list[dict]:
    """One table row for `python -m benchmarks`: the full callback vs lxml alone, on a page of
    TARGET_BYTES / 4 * scale (12.5 KB, 50 KB, 200 KB)."""
    body = course_page(TARGET_BYTES // 4 * scale)
    spider = _spider()
    return [
        row(
            "parse: spider callback vs lxml parse alone",
            len(body),
            _rate(lambda: _callback(spider, body)),
            _rate(lambda: HtmlResponse(url=URL, body=body).selector.root),
            "pages/s",
            "lxml parsing, then JSON-LD, page text and claims in Python",
        )
    ]


def _callback(spider: StructuredDataSpider, body: bytes, fresh_links: bool = True) -> list:
    """The spider's callback on the page; `fresh_links` as on the site's first page, where
    every link is new (Scrapy's dupefilter, not the callback, drops repeated requests)."""
    if fresh_links:
        spider._known_hrefs.clear()
    return list(spider.parse(HtmlResponse(url=URL, body=body, request=scrapy.Request(URL))))


def _spider() -> StructuredDataSpider:
    return StructuredDataSpider.from_crawler(
        get_crawler(StructuredDataSpider),
        provider_name="Coastline",
        provider_url="https://provider.example/",
    )


def main(shared: Path | None = None) -> None:
    body = course_page()
    spider = _spider()

    def parse_only() -> object:
        return HtmlResponse(url=URL, body=body).selector.root

    def structured() -> object:
        return read_structured(HtmlResponse(url=URL, body=body).selector, URL, body)

    text = page_text(HtmlResponse(url=URL, body=body).selector)
    print(f"page: {len(body):,} bytes, {len(_callback(spider, body))} results per callback")
    for label, work in (
        ("lxml parse only", parse_only),
        ("parse + JSON-LD/microdata", structured),
        ("parse + page text", lambda: page_text(HtmlResponse(url=URL, body=body).selector)),
        ("claims on page text", lambda: extract_claims(text, URL)),
        ("full callback, links new", lambda: _callback(spider, body)),
        ("full callback, links seen", lambda: _callback(spider, body, fresh_links=False)),
    ):
        print(f"{label:32s} {_rate(work):8.0f} pages/s")


if __name__ == "__main__":
    main()
