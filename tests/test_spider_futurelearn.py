"""FutureLearn spider: the course feed (weekly hours x run weeks, certificates, organisations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.spiders import assert_expected, crawl_fixture_site, page_cases, run_case

from crawler.platforms.futurelearn import run_weeks
from crawler.spiders.futurelearn import FuturelearnSpider


@pytest.mark.parametrize(
    "case", page_cases("futurelearn"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_feeds_give_expected_offerings(case: Path) -> None:
    assert_expected(case, run_case(FuturelearnSpider, case))


@pytest.mark.parametrize(
    ("runs", "weeks"),
    [
        ([{"duration_in_weeks": 4}, {"duration_in_weeks": 4}], "4"),
        ([{"duration_in_weeks": 6}, {"duration_in_weeks": 4}], "4-6"),
        ([{"duration_in_weeks": None}, {}], None),
        ([], None),
    ],
)
def test_run_weeks_is_a_range_when_runs_differ(runs: list[dict], weeks: str | None) -> None:
    assert run_weeks(runs) == weeks


def test_crawl_reads_the_local_feed(tmp_path: Path) -> None:
    crawl = crawl_fixture_site(tmp_path, "futurelearn_feed", "futurelearn", "FutureLearn")
    by_title = {row["title"]: row for row in crawl.offerings}
    assert len(by_title) == 6
    teams = by_title["Leading Culturally Diverse Teams in the Workplace"]
    assert (teams["duration_min_hours"], teams["duration_max_hours"]) == (12.0, 18.0)
    assert teams["issuer"] == "Deakin University & Deakin Business School"
    assert teams["url"] == "https://www.futurelearn.com/courses/cultural-diversity"
    cancer = by_title["Talking About Cancer: Reducing Risk, Early Detection and Mythbusting"]
    assert (cancer["duration_hours"], cancer["certificate_text"]) == (3.0, None)
    assert crawl.requested == ["/robots.txt", "/feeds/courses"]
    assert crawl.outcome["outcome"] == "ok"
