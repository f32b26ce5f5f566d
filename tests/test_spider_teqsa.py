"""TEQSA spider: the National Register listing and its pages, provider pages -> register entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from helpers.spiders import assert_expected, crawl_fixture_site, page_cases, run_case

from crawler.platforms.teqsa import head_office_state, is_current, register_date
from crawler.spiders.teqsa import TeqsaSpider


@pytest.mark.parametrize(
    "case", page_cases("teqsa"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_register_pages_give_expected_entries_and_requests(case: Path) -> None:
    assert_expected(case, run_case(TeqsaSpider, case))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("29 January 2012", "2012-01-29"),
        ("1 Dec 2024", "2024-12-01"),
        ("29/01/2012", "2012-01-29"),
        ("2031-07-02", "2031-07-02"),
        ("ongoing", None),
        (None, None),
    ],
)
def test_register_dates(text: str | None, iso: str | None) -> None:
    assert register_date(text) == iso


def test_status_and_state_readings() -> None:
    assert [is_current(s) for s in ("registered", "registration ongoing pending renewal")] == [
        True,
        True,
    ]
    assert [is_current(s) for s in ("cancelled", "withdrawn", "expired", "under review")] == [
        False,
        False,
        False,
        None,
    ]
    assert head_office_state("Level 4, 88 Pitt Street, SYDNEY NSW 2000") == "NSW"
    assert head_office_state("Perth, Western Australia") == "WA"
    assert head_office_state("Overseas") is None
    assert head_office_state("c/o the Wa Act office") is None  # abbreviations are upper case


def test_crawl_stores_every_provider_of_every_register_page(tmp_path: Path) -> None:
    crawl = crawl_fixture_site(tmp_path, "teqsa_register", "teqsa", "TEQSA National Register")
    rows = sqlite_utils.Database(crawl.db_path).query(
        "select entry_id, legal_name, status, is_current, state, trading_names"
        " from registry_entries where register = 'teqsa' order by entry_id"
    )
    found = {row["entry_id"]: row for row in rows}
    assert sorted(found) == ["PRV12062", "PRV12079", "PRV12080", "PRV12158", "PRV14301", "PRV14417"]
    assert found["PRV12158"]["status"] == "registration ongoing pending renewal"
    assert found["PRV12158"]["is_current"] == 1
    assert json.loads(found["PRV12080"]["trading_names"]) == ["University of Queensland", "UQ"]
    assert (found["PRV14301"]["is_current"], found["PRV14301"]["state"]) == (0, "NSW")
    assert "/national-register?page=1" in crawl.requested
    assert crawl.offerings == []
