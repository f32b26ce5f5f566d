"""ASQA's published regulatory decisions (https://www.asqa.gov.au/decisions), page by page.

ASQA publishes no file of its decisions: a faceted listing (`/decisions`, paged with
`?page=N`) links to one page per decision (`/decisions/{id}`), whose fields are label/value
pairs: the organisation and its RTO code, "Date of decision", "Decision type", "Details of
decision", "Effective date" (when stated), "Status of decision" (e.g. "In effect", "Settled
pursuant to terms of agreement at the AAT – decision set aside"), "Status of review" and
"Review information". Fields are found by their labels, in whatever order and layout (Drupal
fields or a definition list) a page uses; whether a status means "in effect" is the register
declaration's business (`registry_data/registers/asqa_decisions.py`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import TextResponse

from crawler.items import RegulatoryDecision
from crawler.platforms.teqsa import labelled_values, register_date
from crawler.spiders.base import RegisterSpider

DECISION_LINK = '//a[re:test(@href, "/decisions/[0-9][0-9A-Za-z-]*/?$")]/@href'
NEXT_PAGE = '//a[@rel="next"]/@href | //li[contains(@class, "pager__item--next")]//a/@href'
_DECISION_ID = re.compile(r"/decisions/([0-9][0-9A-Za-z-]*)/?$")
_RTO_CODE = re.compile(r"\b(\d{4,5})\b")

# Page label (lower case, without ":") -> RegulatoryDecision field.
LABELS = {
    "organisation": "organisation_name",
    "organisation name": "organisation_name",
    "provider": "organisation_name",
    "provider name": "organisation_name",
    "rto code": "rto_code",
    "rto number": "rto_code",
    "rto id": "rto_code",
    "organisation code": "rto_code",
    "provider code": "rto_code",
    "date of decision": "date_of_decision",
    "decision date": "date_of_decision",
    "decision type": "decision_type",
    "type of decision": "decision_type",
    "details of decision": "details",
    "decision details": "details",
    "effective date": "date_of_effect",
    "date of effect": "date_of_effect",
    "status of decision": "status_of_decision",
    "decision status": "status_of_decision",
    "status of review": "status_of_review",
    "review status": "status_of_review",
    "review information": "review_information",
}
DATE_FIELDS = ("date_of_decision", "date_of_effect")


def _text(node: Selector) -> str:
    return " ".join(" ".join(node.xpath(".//text()").getall()).split())


def _date(node: Selector) -> str | None:
    """ISO date of a field: its `<time datetime>` when there is one, else its words."""
    stamp = node.xpath(".//time/@datetime").get()
    return (stamp or "")[:10] or register_date(_text(node))


def decision_fields(page: Selector) -> dict[str, str]:
    """RegulatoryDecision field -> the first non-empty value its labels show."""
    values: dict[str, str] = {}
    for label, nodes in labelled_values(page).items():
        field = LABELS.get(label)
        for node in nodes if field and field not in values else []:
            value = _date(node) if field in DATE_FIELDS else _text(node)
            if value:
                values[field] = value
                break
    return values


def decision_from_page(page: Selector, url: str) -> RegulatoryDecision | None:
    """The decision a page shows; None when its address carries no decision id."""
    decision_id = _DECISION_ID.search(url.split("?")[0])
    if not decision_id:
        return None
    values = decision_fields(page)
    code = _RTO_CODE.search(values.pop("rto_code", ""))
    name = values.pop("organisation_name", "") or _text(page.css("h1")[:1] or page)
    return RegulatoryDecision(
        regulator="asqa",
        decision_id=decision_id.group(1),
        organisation_name=name,
        rto_code=code.group(1) if code else None,
        source_url=url,
        **values,
    )


class AsqaDecisionsSpider(RegisterSpider):
    """Walks the decisions listing (and its pages) and reads every decision page."""

    name = "asqa_decisions"
    feed_name = "asqa-decisions"
    official_url = "https://www.asqa.gov.au/decisions"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[scrapy.Request]:
        links = response.xpath(DECISION_LINK).getall()
        if not links:
            self.logger.warning("%s: no decision links on the decisions listing", response.url)
        for href in dict.fromkeys(links):
            yield response.follow(href, callback=self.parse_decision)
        next_page = response.xpath(NEXT_PAGE).get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def parse_decision(self, response: TextResponse) -> Iterator[RegulatoryDecision]:
        decision = decision_from_page(response.selector, response.url)
        if decision is None:
            self.logger.warning("%s: decision page without a decision id", response.url)
            return
        yield decision
