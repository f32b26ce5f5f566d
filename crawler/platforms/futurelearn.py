"""FutureLearn's course feed, `/feeds/courses`: one JSON list of every course and its runs.

Rows carry `hours_per_week` and runs with `duration_in_weeks`, so study time is their
product (a range when runs differ in length). Learning is free to join and the
Certificate of Achievement is an upgrade, which `has_certificates` signals.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import TextResponse

from crawler.items import Offering
from crawler.parsers.duration import weekly_hours
from crawler.parsers.text import page_text
from crawler.platforms.common import PlatformSpider, duration_fields, without_tracking

CERTIFICATE_TEXT = "Certificate of Achievement available (upgrade)"
PAID_CERTIFICATE_ACCESS = "free_audit_paid_certificate"


def run_weeks(runs: list[dict[str, Any]]) -> str | None:
    """ "6" when every run lasts 6 weeks, "4-6" when runs differ, None when none says."""
    weeks = sorted({run["duration_in_weeks"] for run in runs if run.get("duration_in_weeks")})
    if not weeks:
        return None
    low, high = (f"{value:g}" for value in (weeks[0], weeks[-1]))
    return low if low == high else f"{low}-{high}"


def course_fields(row: dict[str, Any]) -> dict[str, Any]:
    """Offering fields of one feed row (the title and URL included)."""
    runs = row.get("runs") or []
    organisation = row.get("organisation") or {}
    description = page_text(row["description"]) if row.get("description") else None
    has_certificates = bool(row.get("has_certificates"))
    extra: dict[str, Any] = {
        "uuid": row.get("uuid"),
        "introduction": row.get("introduction"),
        "organisation_url": organisation.get("url"),
        "run_start_dates": [run.get("start_date") for run in runs],
    }
    if has_certificates:
        extra["access_model"] = PAID_CERTIFICATE_ACCESS
    return {
        "title": " ".join(str(row.get("name") or "").split()),
        "url": without_tracking(row["url"]),
        "description": description or row.get("introduction") or None,
        "issuer": organisation.get("name") or None,
        "certificate_text": CERTIFICATE_TEXT if has_certificates else None,
        "extra": extra,
        **duration_fields(weekly_hours(row.get("hours_per_week"), run_weeks(runs))),
    }


class FutureLearnPlatformSpider(PlatformSpider):
    """Reads the whole feed in one request."""

    entry_path = "/feeds/courses"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.entry_url(), callback=self.parse)

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[Offering]:
        for row in response.json():
            if row.get("name") and row.get("url"):
                yield self.offering(**course_fields(row))
            else:
                self.logger.warning("feed row without name or url: %r", row.get("uuid"))
