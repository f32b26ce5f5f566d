"""Open edX's public course catalogue, `/api/courses/v1/courses/`, paged by `pagination.next`.

`effort` is the free-text "Hours of Effort per Week" field of Studio: "5:00" (hours and
minutes), "3-5 hours per week", sometimes a total ("10 hours"). Weekly effort becomes
study hours only when the run's weeks are known, which is the case for instructor-paced
runs with a start and an end; self-paced runs keep the weekly figure in `extra`.
"""

from __future__ import annotations

import math
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import TextResponse

from crawler.parsers.duration import Duration, parse_duration, weekly_hours
from crawler.platforms.common import PlatformSpider, duration_fields, origin

_CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")
_WEEKLY = re.compile(r"\b(?:week|wk)s?\b|/\s*w\b", re.IGNORECASE)
_TOTAL = re.compile(r"\btotal\b", re.IGNORECASE)
LONGEST_RUN_WEEKS = 52  # a longer "run" is an open-ended self-paced window, not study time


def _day(value: Any) -> date | None:
    """The calendar day of an API timestamp ("2017-06-06T15:00:00Z"); None if unreadable."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def run_weeks(course: dict[str, Any]) -> int | None:
    """Weeks an instructor-paced run lasts, from its start and end dates."""
    if course.get("pacing") != "instructor":
        return None
    start, end = _day(course.get("start")), _day(course.get("end"))
    if start is None or end is None:
        return None
    weeks = math.ceil((end - start).days / 7)
    return weeks if 0 < weeks <= LONGEST_RUN_WEEKS else None


def weekly_effort(effort: str) -> str | None:
    """Hours per week as a figure or range ("5.5", "3-5") when `effort` states weekly effort."""
    clock = _CLOCK.match(effort)
    if clock:
        return f"{int(clock.group(1)) + int(clock.group(2)) / 60:g}"
    if not _WEEKLY.search(effort) or _TOTAL.search(effort):
        return None
    per_week = weekly_hours(effort, 1)  # one week of it: the weekly figure, parsed
    if per_week.min_hours is None or per_week.max_hours is None:
        return None
    low, high = f"{per_week.min_hours:g}", f"{per_week.max_hours:g}"
    return low if low == high else f"{low}-{high}"


def effort_duration(course: dict[str, Any]) -> tuple[Duration, str | None]:
    """Study time of a run and its weekly hours ("H:MM" is per week, as Studio labels it)."""
    effort = " ".join(str(course.get("effort") or "").split())
    if not effort:
        return parse_duration(None), None
    per_week = weekly_effort(effort)
    if per_week is None:
        return parse_duration(effort), None
    weeks = run_weeks(course)
    if weeks is None:
        return Duration(None, None, None, effort), per_week
    return weekly_hours(per_week, weeks), per_week


def course_fields(course: dict[str, Any], site: str) -> dict[str, Any]:
    """Offering fields of one `results[]` row; `site` is the LMS serving its about page."""
    duration, per_week = effort_duration(course)
    extra = {
        "course_id": course["course_id"],
        "number": course.get("number"),
        "pacing": course.get("pacing"),
        "start": course.get("start"),
        "end": course.get("end"),
        "effort": course.get("effort"),
        "hours_per_week": per_week,
    }
    return {
        "title": " ".join(str(course.get("name") or "").split()),
        "url": f"{site}/courses/{quote(course['course_id'], safe=':+')}/about",
        "description": course.get("short_description") or None,
        "issuer": course.get("org") or None,
        "extra": extra,
        **duration_fields(duration),
    }


class OpenEdxPlatformSpider(PlatformSpider):
    """Follows `pagination.next` from the first catalogue page; one Offering per course run."""

    entry_path = "/api/courses/v1/courses/"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.entry_url(), callback=self.parse)

    def parse(self, response: TextResponse, **kwargs: Any) -> Iterator[Any]:
        page = response.json()
        site = origin(response.url)
        for course in page.get("results") or []:
            # Older releases and some forks give the course key only as `id`.
            course = {**course, "course_id": course.get("course_id") or course.get("id")}
            if course.get("name") and course["course_id"]:
                yield self.offering(**course_fields(course, site))
            else:
                self.logger.warning("course without name or course_id/id: %r", course)
        next_url = (page.get("pagination") or {}).get("next")
        if next_url:
            yield response.follow(next_url, callback=self.parse)
