"""One reading of a fetched page: its schema.org data, its claims and its links.

This is the CPU-heavy, stateless part of the generic spider's callback (lxml's parse, the
JSON-LD/microdata/RDFa reading, the visible text and the claims scan), kept apart from the
spider's state so that it can run in another process (`crawler.page_workers`) while the
engine goes on downloading. Everything in a `PageReading` pickles.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from crawler.items import Claim
from crawler.parsers.claims import offering_and_page_claims
from crawler.parsers.structured import StructuredData, read_structured
from crawler.parsers.text import page_text

# lxml's own XPath returns plain strings: wrapping ~100 links a page in parsel Selectors
# cost more than reading the page's structured data.
_HREFS = etree.XPath("//a/@href", smart_strings=False)


@dataclass(frozen=True)
class PageReading:
    """What the spider needs of a page, with no parsed tree left in it."""

    structured: StructuredData
    offering_claims: list[Claim]  # for the page's offerings: no page-wide free-certificate
    page_claims: list[Claim]  # for a page without offerings: the page's own verdict too
    hrefs: list[str]  # every <a href>, as written


def read_page(selector: Selector, url: str, body: bytes | None = None) -> PageReading:
    """Read a parsed page (a response's selector)."""
    root = selector.root
    hrefs = _HREFS(root) if isinstance(root, etree._Element) else []
    offering_claims, page_claims = offering_and_page_claims(page_text(selector), url)
    return PageReading(read_structured(selector, url, body), offering_claims, page_claims, hrefs)


def read_page_body(body: bytes, url: str, encoding: str) -> PageReading:
    """Read a page from its bytes, as a worker process receives it."""
    return read_page(Selector(body=body, encoding=encoding, type="html", base_url=url), url, body)
