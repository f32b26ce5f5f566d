"""The outcome ledger's classification, on stats shaped like real Scrapy 2.19 crawls."""

from __future__ import annotations

from crawler.extensions import classify

DNS = "downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError"
TIMEOUT = "downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError"


def test_items_make_a_crawl_ok_even_with_some_failures() -> None:
    stats = {"item_scraped_count": 12, "downloader/response_count": 14, TIMEOUT: 2,
             "log_count/ERROR": 1}  # fmt: skip
    result = classify(stats, "finished")
    assert (result.outcome, result.items, result.pages, result.errors) == ("ok", 12, 14, 1)
    assert result.detail == "timeout: 2"


def test_without_items_dns_failure_outranks_the_robots_allowance() -> None:
    robots_failed = "robotstxt/exception_count/<class 'scrapy.exceptions.CannotResolveHostError'>"
    stats = {DNS: 6, "robotstxt/request_count": 1, robots_failed: 1}
    result = classify(stats, "finished")
    assert result.outcome == "dns_error"
    assert result.detail == (
        "dns_error: 6; robots.txt unavailable (CannotResolveHostError): crawled as allowed"
    )


def test_robots_refusal_counts_only_when_no_page_was_fetched() -> None:
    refused = {"robotstxt/forbidden": 1, "downloader/response_count": 1,
               "robotstxt/response_count": 1}  # fmt: skip
    assert classify(refused, "finished").outcome == "robots_forbidden"
    some_pages = refused | {"downloader/response_count": 4}
    assert classify(some_pages, "finished").outcome == "no_result"


def test_redirect_loop_is_named_in_the_detail() -> None:
    stats = {"downloader/response_count": 2, "downloader/response_status_count/302": 2,
             "dupefilter/filtered": 1}  # fmt: skip
    result = classify(stats, "finished")
    assert result.outcome == "no_result"
    assert result.detail.startswith("redirect loop: 2 redirects, 1 repeated")


def test_closing_early_is_reported() -> None:
    result = classify({"downloader/response_count": 3}, "closespider_timeout")
    assert result.detail == "closed: closespider_timeout; no items found"


def test_unavailable_robots_txt_is_crawled_as_allowed_and_reported() -> None:
    stats = {"item_scraped_count": 3, "downloader/response_count": 5,
             "robotstxt/response_count": 1, "robotstxt/response_status_count/503": 1}  # fmt: skip
    result = classify(stats, "finished")
    assert result.outcome == "ok"
    assert result.detail == "robots.txt unavailable (503): crawled as allowed"


def test_errors_without_an_outcome_of_their_own_are_named() -> None:
    refused = "downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError"
    ignored = "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest"
    result = classify({refused: 2, ignored: 1}, "finished")
    assert result.outcome == "no_result"
    assert result.detail == "DownloadConnectionRefusedError: 2; no items found"
