"""Coursera's public catalogue API, `courses.v1` (no auth, no prices), with partner names.

A page looks like `{"elements": [...], "paging": {"next": "100", "total": 1925},
"linked": {"partners.v1": [{"id": "26", "name": "University of London"}, ...]}}`;
`paging.next` is the `start` of the next page and is absent on the last one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import TextResponse

from crawler.items import Offering
from crawler.parsers.duration import parse_duration
from crawler.platforms.common import PlatformSpider, duration_fields, origin

COURSE_FIELDS = (
    "name,slug,workload,partnerIds,certificates,description,primaryLanguages,"
    "instructorIds,startDate,courseType,domainTypes"
)
PAGE_SIZE = 100

# Certificate codes the API uses -> the wording Coursera shows learners.
CERTIFICATE_NAMES = {
    "VerifiedCert": "Course Certificate",
    "Specialization": "Specialization Certificate",
    "ProfessionalCert": "Professional Certificate",
}
# Every Coursera course can be audited free; its certificate is what learners pay for.
PAID_CERTIFICATE_ACCESS = "free_audit_paid_certificate"


def partner_names(page: dict[str, Any]) -> dict[str, str]:
    """Partner id -> name from a page's `linked.partners.v1` (or a `partners.v1` answer)."""
    rows = (page.get("linked") or {}).get("partners.v1") or page.get("elements") or []
    return {str(row["id"]): row["name"] for row in rows if row.get("id") and row.get("name")}


def missing_partner_ids(elements: list[dict[str, Any]], partners: dict[str, str]) -> list[str]:
    """Partner ids the courses cite that the page did not name (asked of `partners.v1`)."""
    cited = {str(pid) for course in elements for pid in course.get("partnerIds") or []}
    return sorted(cited - partners.keys())


def certificate_text(certificates: list[str]) -> str | None:
    names = [CERTIFICATE_NAMES.get(code, code) for code in certificates]
    return ", ".join(names) or None


def course_fields(course: dict[str, Any], partners: dict[str, str], site: str) -> dict[str, Any]:
    """Offering fields of one `courses.v1` element; `site` is where `/learn/{slug}` lives."""
    partner_ids = [str(pid) for pid in course.get("partnerIds") or []]
    issuers = [partners[pid] for pid in partner_ids if pid in partners]
    certificates = list(course.get("certificates") or [])
    extra: dict[str, Any] = {
        "course_id": course.get("id"),
        "course_type": course.get("courseType"),
        "partner_ids": partner_ids,
        "languages": course.get("primaryLanguages") or [],
    }
    if certificates:
        extra["access_model"] = PAID_CERTIFICATE_ACCESS
    return {
        "title": " ".join(str(course.get("name") or "").split()),
        "url": f"{site}/learn/{course['slug']}",
        "description": course.get("description") or None,
        "issuer": ", ".join(issuers) or None,
        "certificate_text": certificate_text(certificates),
        "extra": extra,
        **duration_fields(parse_duration(course.get("workload"))),
    }


class CourseraPlatformSpider(PlatformSpider):
    """Pages through `courses.v1` until `paging.next` is absent; one Offering per course."""

    entry_path = "/api/courses.v1"
    platform_domain = "coursera.org"
    public_api_base = "https://api.coursera.org"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0)

    def page_request(self, start: int | str) -> scrapy.Request:
        query = {
            "fields": COURSE_FIELDS,
            "includes": "partnerIds",
            "limit": PAGE_SIZE,
            "start": start,
        }
        return scrapy.Request(
            f"{self.api_base}/api/courses.v1?{urlencode(query)}", callback=self.parse
        )

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[Any]:
        page = response.json()
        elements = page.get("elements") or []
        partners = partner_names(page)
        missing = missing_partner_ids(elements, partners)
        if missing:
            yield scrapy.Request(
                f"{self.api_base}/api/partners.v1?{urlencode({'ids': ','.join(missing)})}",
                callback=self.parse_partners,
                cb_kwargs={"elements": elements, "partners": partners},
            )
        else:
            yield from self.offerings(elements, partners)
        next_start = (page.get("paging") or {}).get("next")
        if next_start not in (None, ""):
            yield self.page_request(next_start)

    def parse_partners(
        self, response: TextResponse, elements: list[dict[str, Any]], partners: dict[str, str]
    ) -> Iterator[Offering]:
        yield from self.offerings(elements, {**partners, **partner_names(response.json())})

    def offerings(
        self, elements: list[dict[str, Any]], partners: dict[str, str]
    ) -> Iterator[Offering]:
        site = origin(self.provider_url)
        for course in elements:
            if course.get("slug") and course.get("name"):
                yield self.offering(**course_fields(course, partners, site))
            else:
                self.logger.warning("courses.v1 element without name or slug: %r", course)
