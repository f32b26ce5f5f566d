"""A learner in a real headless Chromium: a misspelt name on the home page, the decision, the
report card; on desktop and phone widths, with the screenshots the README shows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, watch_problems
from helpers.paths import REPO
from helpers.serving import running_server

README_SCREENSHOTS = REPO / "docs" / "screenshots"
SHOTS = ("lookup", "report-card")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed"),
]


@pytest.fixture(scope="module")
def site(demo_output: Path) -> Iterator[str]:
    with running_server(demo_output / "credwatch.db") as url:
        yield url


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's folder with CREDWATCH_UPDATE_SCREENSHOTS=1 (then commit them), else a
    temporary one, so a test run leaves the checkout as it was."""
    if os.environ.get("CREDWATCH_UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_misspelt_name_to_decision_to_report_card(
    site: str, browser, screenshots: Path, width, viewport
):
    page = browser.new_page(viewport=viewport)
    problems = watch_problems(page)
    page.goto(f"{site}/")
    page.fill("#lookup-q", "Survive Frist Aid")
    page.press("#lookup-q", "Enter")
    page.wait_for_url("**/-/lookup?q=Survive+Frist+Aid")

    verdict = page.locator("p.verdict").inner_text()
    assert "Survive Frist Aid" in verdict
    assert "registered" in verdict or "probably this one" in verdict
    assert "SURVIVE FIRST AID PTY LTD" in page.locator("table.entries").inner_text()
    assert "Current as of 19 Feb 2016" in page.locator("table.entries").inner_text()
    page.screenshot(path=str(screenshots / f"lookup-{width}.png"))

    page.get_by_role("link", name="Open the report card").click()
    page.wait_for_url("**/-/report/**")
    assert page.locator("h1").inner_text() == "Report card: Survive First Aid"
    assert page.locator("svg.waterfall").is_visible()
    assert page.locator("table.contributions tr.total td.points").inner_text() == "100"
    if width == "phone":  # cells carry their column's name when the header row is hidden
        assert not page.locator("table.contributions thead").is_visible()
        label = page.locator("table.contributions tr.start td.points").evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label == '"Points"'
    page.screenshot(path=str(screenshots / f"report-card-{width}.png"))
    assert problems == []
    assert all((screenshots / f"{name}-{width}.png").stat().st_size for name in SHOTS)
    page.close()
