"""A real headless Chromium against a real `credwatch serve`: what a visitor sees and clicks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.browser import chromium, needs_chromium, watched_page
from helpers.sample_db import REDGUM, XSS_TITLE, publish_sample
from helpers.serving import running_server

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = publish_sample(tmp_path_factory.mktemp("browser"), scored=True)
    with running_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    with watched_page(browser) as page:
        yield page


def test_home_page_title_and_guide(site: str, page):
    page.goto(f"{site}/")
    assert "credwatch: course provider checks" in page.title()
    assert page.get_by_role("link", name="look up a provider by name").is_visible()
    assert page.problems == []


def test_search_box_finds_an_offering(site: str, page):
    page.goto(f"{site}/credwatch/offerings")
    page.fill("#_search", "cardiopulmonary")
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=cardiopulmonary**")
    titles = page.locator("td.col-title").all_inner_texts()
    assert titles == ["Provide Cardiopulmonary Resuscitation (HLTAID009)"]
    assert page.problems == []


def test_facet_click_filters_registers(site: str, page):
    page.goto(f"{site}/credwatch/registry_entries")
    page.locator("#facet-register a", has_text="rto").first.click()
    page.wait_for_url("**register=rto**")
    assert sorted(page.locator("td.col-entry_id").all_inner_texts()) == ["21703", "40764", "91608"]
    assert page.problems == []


def test_report_card_shows_provenance_and_escapes_crawled_text(site: str, page):
    page.goto(f"{site}/credwatch/provider_report")
    page.get_by_role("link", name=REDGUM, exact=True).click()
    page.wait_for_url(f"**/-/report/{REDGUM}")

    assert page.locator("h1").inner_text() == "Report card: Redgum Ridge Skills"
    claims = page.locator("table.claims").inner_text()
    assert "Emergency First Aid Pty Ltd" in claims
    assert "register snapshot 2016-02-19" in claims
    evidence = page.locator("table.contributions a", has_text="/about/").first
    assert evidence.get_attribute("href") == f"http://{REDGUM}/about/"
    assert "<script>alert(1)</script>" in page.locator("table.offerings").inner_text()
    assert page.problems == []


def test_journalist_path_facet_csv_canned_query_and_dashboard(site: str, page):
    page.goto(f"{site}/")
    page.get_by_role("link", name="flagged offerings").first.click()
    page.wait_for_url("**/credwatch/flagged_offerings")
    page.goto(f"{site}/credwatch/offerings")
    page.locator("#facet-provider_name a", has_text="Redgum Ridge Skills").first.click()
    page.wait_for_url("**provider_name=Redgum**")
    assert page.locator("td.col-title").all_inner_texts() == [XSS_TITLE]

    csv_link = page.locator("a[href*='.csv']").first.get_attribute("href")
    csv = page.request.get(f"{site}{csv_link}" if csv_link.startswith("/") else csv_link)
    assert csv.status == 200
    header, *rows = csv.text().strip().splitlines()
    assert "title" in header.split(",")
    assert len(rows) == 1 and "Free Forklift Licence" in rows[0]

    page.goto(f"{site}/credwatch/providers_by_grade_and_register")
    page.fill("input[name=grade]", "E")
    page.fill("input[name=register]", "")
    page.locator("form input[type=submit]").first.click()
    page.wait_for_url("**grade=E**")
    assert page.locator("td.col-provider_name").all_inner_texts() == ["Redgum Ridge Skills"]

    page.goto(f"{site}/-/dashboard")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("#chart-grades rect").count() == 2  # grades A and E
    assert page.locator("#chart-register-status rect").count() >= 1
    assert page.problems == []
