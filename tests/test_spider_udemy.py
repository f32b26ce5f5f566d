"""Udemy spider: course cards read via `data-purpose` attributes, the real saved page included."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector
from spider_harness import assert_expected, crawl_fixture_site, page_cases, run_case

from crawler.platforms.udemy import card_fields, course_cards, next_page_url
from crawler.spiders.udemy import UdemySpider

REAL_PAGE_URL = "https://www.udemy.com/topic/python/?p=3"  # its canonical link


@pytest.mark.parametrize(
    "case", page_cases("udemy"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_listings_give_expected_offerings_and_next_page(case: Path) -> None:
    assert_expected(case, run_case(UdemySpider, case))


@pytest.fixture(scope="module")
def real_listing(shared_dir: Path) -> Selector:
    """The real Udemy topic page saved in the shared samples (EUR prices, Spain)."""
    html = (shared_dir / "samples/pages/udemy/topic-python-listing.html").read_text("utf-8")
    return Selector(text=html)


def test_real_saved_listing_gives_title_hours_and_euro_price_per_card(
    real_listing: Selector,
) -> None:
    cards = [card_fields(card, REAL_PAGE_URL) for card in course_cards(real_listing)]
    assert len(cards) == 33  # 31 distinct courses: two are shown twice on the page
    assert len({card["url"] for card in cards}) == 31
    for card in cards:
        assert card["title"] and card["url"].startswith("https://www.udemy.com/course/")
        assert card["duration_hours"] and card["duration_hours"] > 0
        assert card["currency"] == "EUR" and card["price"] > 0
        assert card["extra"]["list_price"] >= card["price"]
    first = cards[0]
    assert (
        first["title"],
        first["duration_hours"],
        first["price"],
        first["extra"]["list_price"],
    ) == (
        "Learn Python: The Complete Python Programming Course",
        14.5,
        14.99,
        94.99,
    )
    # Totals of the page's own "N total hours" and "Current price: €N" texts, summed by hand.
    assert sum(card["duration_hours"] for card in cards) == pytest.approx(649.0)
    assert sum(card["price"] for card in cards) == pytest.approx(506.67)
    assert next_page_url(real_listing, REAL_PAGE_URL) == "https://www.udemy.com/topic/python/?p=4"


def test_home_page_provider_reads_topics_and_searches() -> None:
    spider = UdemySpider(provider_name="Udemy", provider_url="https://www.udemy.com/")
    urls = spider.listing_urls()
    assert urls[0] == "https://www.udemy.com/topic/python/"
    assert "https://www.udemy.com/courses/search/?q=free+certificate" in urls
    listing = UdemySpider(
        provider_name="Udemy", provider_url="https://www.udemy.com/topic/forklift/"
    )
    assert listing.listing_urls() == ["https://www.udemy.com/topic/forklift/"]


def test_crawl_follows_listing_pages(tmp_path: Path) -> None:
    crawl = crawl_fixture_site(tmp_path, "udemy_topics", "udemy", "Udemy", path="/topic/python/")
    prices = {row["title"]: (row["price"], row["currency"]) for row in crawl.offerings}
    assert prices == {
        "100 Days of Code: The Complete Python Pro Bootcamp for 2023": (19.99, "AUD"),
        "Python Primer: Free Taster Course": (0.0, None),
        "Python for Business Analysts (Udemy Business collection)": (None, None),
        "The Complete Python Bootcamp From Zero to Hero in Python": (17.99, "AUD"),
        "Python 3 in One Hour": (14.99, "AUD"),
    }
    assert crawl.requested[1:] == ["/topic/python/", "/topic/python/?p=2"]
    assert crawl.outcome["outcome"] == "ok"
