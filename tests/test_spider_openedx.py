"""Open edX spider: the courses API, paged by `pagination.next`, effort read as weekly hours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import scrapy
from helpers.spiders import assert_expected, crawl_fixture_site, page_cases, run_case
from scrapy.http import TextResponse

from crawler.platforms.openedx import effort_duration
from crawler.spiders.openedx import OpenedxSpider


@pytest.mark.parametrize(
    "case", page_cases("openedx"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_api_pages_give_expected_offerings(case: Path) -> None:
    assert_expected(case, run_case(OpenedxSpider, case))


TWELVE_WEEK_RUN = {"pacing": "instructor", "start": "2017-06-06T15:00:00Z", "end": "2017-08-29"}


@pytest.mark.parametrize(
    ("course", "hours", "per_week"),
    [
        ({**TWELVE_WEEK_RUN, "effort": "5:30"}, (66.0, 66.0), "5.5"),
        ({**TWELVE_WEEK_RUN, "effort": "3-5 hours per week"}, (36.0, 60.0), "3-5"),
        ({**TWELVE_WEEK_RUN, "pacing": "self", "effort": "4:00"}, (None, None), "4"),
        ({"pacing": "self", "effort": "10 hours total"}, (10.0, 10.0), None),
        ({"pacing": "self", "effort": "PT90M"}, (1.5, 1.5), None),
        ({**TWELVE_WEEK_RUN, "end": "2030-12-31T00:00:00Z", "effort": "2:00"}, (None, None), "2"),
        ({"effort": ""}, (None, None), None),
    ],
)
def test_effort_becomes_hours_only_with_a_known_run_length(
    course: dict, hours: tuple, per_week: str | None
) -> None:
    duration, weekly = effort_duration(course)
    assert ((duration.min_hours, duration.max_hours), weekly) == (hours, per_week)


def test_about_pages_are_on_the_lms_the_api_answered_from() -> None:
    spider = OpenedxSpider(
        provider_name="edX",
        provider_url="https://www.edx.org/",
        start_url="https://courses.edx.org/api/courses/v1/courses/",
    )
    assert spider.entry_url() == "https://courses.edx.org/api/courses/v1/courses/"
    assert spider.allowed_domains == ["courses.edx.org", "edx.org"]


def test_crawl_follows_pagination_next(tmp_path: Path) -> None:
    crawl = crawl_fixture_site(tmp_path, "openedx_lms", "openedx", "Open edX demo LMS")
    assert sorted(row["issuer"] for row in crawl.offerings) == [
        "AdelaideX",
        "CurtinX",
        "HarvardX",
        "MITx",
        "UQx",
    ]
    mitx = next(row for row in crawl.offerings if row["issuer"] == "MITx")
    assert mitx["url"].endswith("/courses/course-v1:MITx+6.00.1x+2T2017/about")
    assert mitx["duration_hours"] == 180.0
    assert crawl.requested[1:] == ["/api/courses/v1/courses/", "/api/courses/v1/courses/?page=2"]
    assert crawl.outcome["outcome"] == "ok"


def test_a_course_with_id_but_no_course_id_is_kept() -> None:
    """Some releases and forks send the course key only as `id`."""
    spider = OpenedxSpider(provider_name="LMS", provider_url="https://lms.example/")
    body = json.dumps(
        {
            "results": [
                {"id": "course-v1:UQx+Write101x+3T2025", "name": "English Grammar and Style"},
                {"id": "course-v1:X+Y+Z"},  # no name: still dropped, with a warning
            ],
            "pagination": {"next": None},
        }
    ).encode()
    url = "https://lms.example/api/courses/v1/courses/"
    response = TextResponse(url, body=body, encoding="utf-8", request=scrapy.Request(url))
    (item,) = list(spider.parse(response))
    assert item.title == "English Grammar and Style"
    assert item.url == "https://lms.example/courses/course-v1:UQx+Write101x+3T2025/about"
