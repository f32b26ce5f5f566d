"""Udemy listing pages (`/topic/{topic}/`, `/courses/search/?q=`), read from course cards.

Class names on Udemy are hashed CSS-module names that change with every build
(`course-card--course-title--vVEjC`), so cards are read only through their
`data-purpose` attributes: the title heading `course-title-url` holds a screen-reader
block with `seo-headline`, `seo-content-info` ("14.5 total hours"), `seo-num-lectures`,
`seo-instructional-level`, `seo-current-price` ("Current price: €14.99") and
`seo-original-price`. The sale price is the offering's price; the list price is kept too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from crawler.parsers.duration import parse_duration
from crawler.parsers.price import parse_price
from crawler.platforms.common import PlatformSpider, duration_fields, origin, price_fields

_CARD_TITLE = '[data-purpose="course-title-url"]'
_NEXT_PAGE = '//a[@data-page="+1" and not(@aria-disabled="true")]/@href | //link[@rel="next"]/@href'
_INSTRUCTORS = (
    "./following-sibling::*//*[starts-with(@data-purpose,"
    ' "safely-set-inner-html:course-card:visible-instructors")]//text()'
)


def _clean(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


def _seo(card: Selector, purpose: str) -> str | None:
    return _clean(card.css(f'[data-purpose="seo-{purpose}"] ::text').getall()) or None


def card_fields(card: Selector, page_url: str) -> dict[str, Any]:
    """Offering fields of one card, given its `course-title-url` heading."""
    link = card.xpath("./descendant-or-self::a[@href][1]")
    # The title is the link's own text; the screen-reader block inside it holds the facts.
    title = _clean(link.xpath("./text() | ./*[not(@aria-hidden)]//text()").getall())
    current = parse_price(_seo(card, "current-price"))
    original = parse_price(_seo(card, "original-price"))
    extra = {
        "list_price": original.amount,
        "list_price_text": original.text,
        "lectures": _seo(card, "num-lectures"),
        "level": _seo(card, "instructional-level"),
        "rating": _seo(card, "rating"),
        "instructors": _clean(card.xpath(_INSTRUCTORS).getall()) or None,
    }
    return {
        "title": title,
        "url": urljoin(page_url, link.attrib["href"]),
        "description": _seo(card, "headline"),
        "extra": extra,
        **price_fields(current),
        **duration_fields(parse_duration(_seo(card, "content-info"))),
    }


def course_cards(page: Selector) -> list[Selector]:
    """Every card's title heading that links to a course."""
    return [card for card in page.css(_CARD_TITLE) if card.xpath("./descendant-or-self::a/@href")]


def next_page_url(page: Selector, page_url: str) -> str | None:
    href = page.xpath(_NEXT_PAGE).get()
    return urljoin(page_url, href) if href else None


class UdemyPlatformSpider(PlatformSpider):
    """Crawls listing pages and their `?p=N` pages; a provider URL with a path is a listing.

    Given only the home page, it reads the listings of `topics` and search `queries`.
    """

    topics: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.listing_urls():
            yield scrapy.Request(url, callback=self.parse)

    def listing_urls(self) -> list[str]:
        if urlsplit(self.start_url).path.strip("/"):
            return [self.start_url]
        site = origin(self.start_url)
        topics = [f"{site}/topic/{topic}/" for topic in self.topics]
        searches = [f"{site}/courses/search/?{urlencode({'q': query})}" for query in self.queries]
        return topics + searches

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[Any]:
        cards = course_cards(response.selector)
        if not cards:
            self.logger.warning("%s: no course cards (layout changed?)", response.url)
        for card in cards:
            yield self.offering(**card_fields(card, response.url))
        next_url = next_page_url(response.selector, response.url)
        if next_url:
            yield response.follow(next_url, callback=self.parse)
