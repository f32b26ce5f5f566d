"""Coursera spider: courses.v1 pages, partner names (linked or asked for), paging, a local crawl."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.paths import FIXTURES
from helpers.spiders import (
    assert_expected,
    case_response,
    crawl_fixture_site,
    page_cases,
    run_case,
)
from scrapy.http import JsonResponse

from crawler.spiders.coursera import CourseraSpider
from credwatch.core.errors import CredwatchError

CASES = page_cases("coursera")


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name.removesuffix(".meta.json"))
def test_saved_api_pages_give_expected_offerings_and_requests(case: Path) -> None:
    assert_expected(case, run_case(CourseraSpider, case))


def test_partner_missing_from_linked_is_named_by_partners_v1() -> None:
    spider = CourseraSpider(provider_name="Coursera", provider_url="https://www.coursera.org")
    last_page = next(case for case in CASES if "unlinked" in case.name)
    [request] = spider.parse(case_response(last_page))
    assert request.url == "https://api.coursera.org/api/partners.v1?ids=45"
    body = (FIXTURES / "sites/coursera_api/api/partners.v1/ids=45.json").read_bytes()
    response = JsonResponse(url=request.url, body=body, request=request)
    offerings = list(request.callback(response, **request.cb_kwargs))
    assert [(o.title, o.issuer) for o in offerings] == [
        ("Excel Skills for Business: Intermediate I", "Macquarie University"),
        ("The Science of Well-Being", "Yale University"),
    ]


def test_api_is_api_coursera_org_for_coursera_and_the_own_origin_elsewhere() -> None:
    real = CourseraSpider(provider_name="Coursera", provider_url="https://www.coursera.org/")
    mirror = CourseraSpider(provider_name="Mirror", provider_url="http://127.0.0.1:8123/")
    pinned = CourseraSpider(
        provider_name="Coursera",
        provider_url="https://www.coursera.org",
        api_base="http://127.0.0.1:9/",
    )
    assert (real.api_base, real.allowed_domains) == (
        "https://api.coursera.org",
        ["api.coursera.org", "coursera.org"],
    )
    assert mirror.api_base == "http://127.0.0.1:8123"
    assert (pinned.api_base, pinned.allowed_domains) == (
        "http://127.0.0.1:9",
        ["127.0.0.1", "coursera.org"],
    )


def test_api_base_without_a_host_is_a_one_line_error() -> None:
    with pytest.raises(CredwatchError, match="not an http"):
        CourseraSpider(provider_name="C", provider_url="https://www.coursera.org", api_base="api")


def test_crawl_pages_through_a_local_api_and_names_every_partner(tmp_path: Path) -> None:
    crawl = crawl_fixture_site(tmp_path, "coursera_api", "coursera", "Coursera")
    by_title = {row["title"]: row for row in crawl.offerings}
    assert {title: row["issuer"] for title, row in by_title.items()} == {
        "Creative Programming for Digital Media & Mobile Apps": "University of London",
        "Gamification": "University of Pennsylvania",
        "Learning How to Learn: Powerful mental tools to help you master tough subjects": (
            "Deep Teaching Solutions, McMaster University"
        ),
        "Excel Skills for Business: Intermediate I": "Macquarie University",
        "The Science of Well-Being": "Yale University",
    }
    learn = by_title[
        "Learning How to Learn: Powerful mental tools to help you master tough subjects"
    ]
    assert learn["url"].endswith("/learn/learning-how-to-learn")
    assert (learn["duration_min_hours"], learn["duration_max_hours"]) == (8.0, 12.0)
    assert learn["certificate_text"] == "Course Certificate"
    assert learn["price"] is None
    api_calls = sorted(path.split("&start=")[-1] for path in crawl.requested if "/api/" in path)
    assert api_calls == ["/api/partners.v1?ids=45", "0", "3"]
    assert crawl.outcome["outcome"] == "ok"
