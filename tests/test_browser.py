"""A real headless Chromium against a real `credwatch serve`: what a visitor sees and clicks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.browser import CHROMIUM, CHROMIUM_ARGS, watch_problems
from helpers.sample_db import REDGUM, publish_sample
from helpers.serving import running_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = publish_sample(tmp_path_factory.mktemp("browser"), scored=True)
    with running_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page recording console errors and any JavaScript dialog (as an XSS would open)."""
    page = browser.new_page()
    page.problems = watch_problems(page)
    yield page
    page.close()


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
