"""The TEQSA National Register (https://www.teqsa.gov.au/national-register), read page by page.

TEQSA publishes no bulk file, so the register's Drupal pages are the data: a paged listing
links to one page per provider (`/national-register/provider/{slug}`), whose fields are
label/value pairs ("Provider ID", "Legal name", "Trading name(s)", "ABN", "Provider
category", "Registration status", dates, "Website", head office). Cancelled, withdrawn and
expired providers stay listed. The status is kept as the page words it (lower case): what it
means is the register declaration's business (`registry_data/registers/teqsa.py`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from crawler.items import RegisterEntry
from crawler.spiders.base import RegisterSpider

PROVIDER_LINK = '//a[contains(@href, "/national-register/provider/")]/@href'
NEXT_PAGE = '//a[@rel="next"]/@href | //li[contains(@class, "pager__item--next")]//a/@href'
_PROVIDER_ID = re.compile(r"\bPRV\s?(\d{5})\b", re.IGNORECASE)
STATE_NAMES = {
    "australian capital territory": "ACT",
    "new south wales": "NSW",
    "northern territory": "NT",
    "queensland": "QLD",
    "south australia": "SA",
    "tasmania": "TAS",
    "victoria": "VIC",
    "western australia": "WA",
}
_STATE = re.compile(
    r"\b((?-i:ACT|NSW|NT|QLD|SA|TAS|VIC|WA)|" + "|".join(STATE_NAMES) + r")\b", re.IGNORECASE
)
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")

# Page label (lower case, without "(s)" and ":") -> RegisterEntry field.
LABELS = {
    "provider id": "entry_id",
    "legal name": "legal_name",
    "provider name": "legal_name",
    "trading name": "trading_names",
    "abn": "abn",
    "provider category": "category",
    "category": "category",
    "registration status": "status",
    "registration start date": "start_date",
    "registration date": "start_date",
    "registration end date": "end_date",
    "registration expiry date": "end_date",
    "registration renewal date": "end_date",
    "website": "website",
    "head office": "state",
    "head office address": "state",
    "head office state": "state",
    "principal place of business": "state",
    "self-accrediting authority": "self_accrediting_authority",
    "self accrediting authority": "self_accrediting_authority",
}


def _label_key(label: str) -> str:
    return " ".join(label.replace("(s)", "").replace(":", " ").lower().split())


def _texts(node: Selector | SelectorList) -> str:
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def labelled_values(page: Selector) -> dict[str, list[Selector]]:
    """Label -> value nodes, from Drupal fields (`.field__label` + `.field__item`) or `dl`s."""
    values: dict[str, list[Selector]] = {}
    for field in page.css(".field"):
        label = _texts(field.css(".field__label"))
        if label:
            values.setdefault(_label_key(label), []).extend(field.css(".field__item"))
    for term in page.xpath("//dt"):
        values.setdefault(_label_key(_texts(term)), []).extend(
            term.xpath("./following-sibling::dd[1]")
        )
    return values


def register_date(text: str | None) -> str | None:
    """ISO date from the register's "29 January 2012" (or "29/01/2012"); None if unreadable."""
    if not text:
        return None
    for date_format in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), date_format).date().isoformat()
        except ValueError:
            continue
    return None


def head_office_state(text: str | None) -> str | None:
    """The state of a head office address: "BENTLEY WA 6102" or "Western Australia" -> "WA".

    The last state named wins: addresses end with the state and postcode.
    """
    states = _STATE.findall(text or "")
    if not states:
        return None
    return STATE_NAMES.get(states[-1].lower(), states[-1].upper())


def field_values(page: Selector) -> dict[str, list[str]]:
    """RegisterEntry field -> the texts its labels show (a link's address for the website)."""
    values: dict[str, list[str]] = {}
    for label, nodes in labelled_values(page).items():
        field = LABELS.get(label)
        for node in nodes if field else []:
            href = node.xpath(".//a/@href").get() if field == "website" else None
            text = href or _texts(node)
            if text:
                values.setdefault(field, []).append(text)
    return values


def trading_names(values: list[str], legal_name: str) -> list[str]:
    """Each listed name, split on ";" (the register's separator), legal name left out."""
    names = [name.strip() for value in values for name in value.split(";")]
    unique = dict.fromkeys(name for name in names if name and name != legal_name)
    return list(unique)


def provider_entry(page: Selector, url: str) -> RegisterEntry | None:
    """The RegisterEntry of a provider page; None when the page shows no provider id."""
    values = field_values(page)

    def first(field: str) -> str | None:
        return (values.get(field) or [None])[0]

    provider_id = _PROVIDER_ID.search(first("entry_id") or "")
    if not provider_id:
        return None
    legal_name = first("legal_name") or _texts(page.css("h1")[:1])
    status = " ".join((first("status") or "").lower().split()) or None
    extra = {
        "head_office": first("state"),
        "self_accrediting_authority": first("self_accrediting_authority"),
        "start_date_text": first("start_date"),
        "end_date_text": first("end_date"),
    }
    return RegisterEntry(
        register="teqsa",
        entry_id=f"PRV{provider_id.group(1)}",
        legal_name=legal_name,
        trading_names=trading_names(values.get("trading_names", []), legal_name),
        status=status,
        category=first("category"),
        start_date=register_date(first("start_date")),
        end_date=register_date(first("end_date")),
        website=first("website"),
        abn=re.sub(r"\D", "", first("abn") or "") or None,
        state=head_office_state(first("state")),
        source_url=url,
        extra={key: value for key, value in extra.items() if value},
    )


class TeqsaRegisterSpider(RegisterSpider):
    """Walks the register listing (and its pages) and reads every provider page."""

    official_url = "https://www.teqsa.gov.au/national-register"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[scrapy.Request]:
        links = response.xpath(PROVIDER_LINK).getall()
        if not links:
            self.logger.warning("%s: no provider links on the register listing", response.url)
        for href in dict.fromkeys(links):
            yield response.follow(href, callback=self.parse_provider)
        next_page = response.xpath(NEXT_PAGE).get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def parse_provider(self, response: TextResponse) -> Iterator[RegisterEntry]:
        entry = provider_entry(response.selector, response.url)
        if entry is None:
            self.logger.warning("%s: provider page without a provider id", response.url)
            return
        yield entry
