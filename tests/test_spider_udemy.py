"""Udemy spider: course cards read via `data-purpose` attributes, the real saved page included."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.spiders import assert_expected, crawl_fixture_site, page_cases, run_case
from scrapy.http import HtmlResponse

from crawler.spiders.udemy import UdemySpider

REAL_PAGE_URL = "https://www.udemy.com/topic/python/?p=3"  # its canonical link


@pytest.mark.parametrize(
    "case", page_cases("udemy"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_listings_give_expected_offerings_and_next_page(case: Path) -> None:
    assert_expected(case, run_case(UdemySpider, case))


@pytest.fixture(scope="module")
def real_listing(shared_dir: Path) -> HtmlResponse:
    """The real Udemy topic page saved in the shared samples (EUR prices, Spain)."""
    body = (shared_dir / "samples/pages/udemy/topic-python-listing.html").read_bytes()
    return HtmlResponse(url=REAL_PAGE_URL, body=body, encoding="utf-8")


def test_real_saved_listing_gives_title_hours_and_euro_price_per_card(
    real_listing: HtmlResponse,
) -> None:
    spider = UdemySpider(provider_name="Udemy", provider_url="https://www.udemy.com/")
    *offerings, next_page = spider.parse(real_listing)
    assert len(offerings) == 33  # 31 distinct courses: two are shown twice on the page
    assert len({offering.url for offering in offerings}) == 31
    for offering in offerings:
        assert offering.title and offering.url.startswith("https://www.udemy.com/course/")
        assert offering.duration_hours and offering.duration_hours > 0
        assert offering.currency == "EUR" and offering.price and offering.price > 0
        assert offering.extra["list_price"] >= offering.price
    first = offerings[0]
    assert (first.title, first.duration_hours, first.price, first.extra["list_price"]) == (
        "Learn Python: The Complete Python Programming Course",
        14.5,
        14.99,
        94.99,
    )
    # Totals of the page's own "N total hours" and "Current price: €N" texts, summed by hand.
    assert sum(offering.duration_hours for offering in offerings) == pytest.approx(649.0)
    assert sum(offering.price for offering in offerings) == pytest.approx(506.67)
    assert next_page.url == "https://www.udemy.com/topic/python/?p=4"


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
