"""The outcome ledger: one `crawl_outcomes` row per provider, read from the crawl's stats.

Reading stats rather than errbacks means every spider gets a truthful outcome whether or
not it handles failures itself, and whatever Scrapy component saw the failure. Outcomes:
`ok`, `degraded` (data stored, but half the last good run's or less, or pages whose
markup failed to parse), `no_result`, and the failures in `FAILURE_PRECEDENCE`. After an
`ok` crawl that finished, the provider's offerings it did not see are marked removed.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.middlewares import LOOPBACK_REFUSED_STAT, TOO_LARGE_STAT
from crawler.pipelines import provider_id, utc_now
from crawler.schema import migrations as crawl_tables
from credwatch.core.db import open_db

logger = logging.getLogger(__name__)

# Counted by the structured-data spider: JSON-LD blocks dropped as unreadable, and blocks
# read only leniently (comments, trailing commas, entities).
MALFORMED_STAT = "credwatch/structured_data/malformed_jsonld"
REPAIRED_STAT = "credwatch/structured_data/repaired_jsonld"
PLATFORM_STAT = "credwatch/platform"  # the platform recognised from the home page

EXCEPTION_STAT_PREFIX = "downloader/exception_type_count/"
# Final exception class name -> outcome, for failures that end a request.
EXCEPTION_OUTCOMES = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "CannotResolveHostError": "dns_error",
    "DNSLookupError": "dns_error",
    "DownloadCancelledError": "too_large",  # raised when a body passes DOWNLOAD_MAXSIZE
}
# When a crawl yields nothing, the first of these failures present names the outcome.
FAILURE_PRECEDENCE = ("dns_error", "timeout", "too_large", "http_error", "robots_forbidden")


@dataclass
class CrawlOutcome:
    outcome: str
    items: int
    pages: int
    errors: int
    detail: str


def classify(
    stats: dict[str, Any], close_reason: str, last_good_items: int | None = None
) -> CrawlOutcome:
    """Turn one crawler's stats into its outcome.

    Stored items make the crawl `ok` (failures still show in `errors` and `detail`), or
    `degraded` when they are half of `last_good_items` (the provider's last `ok` run) or
    fewer, or some page's structured data could not be read. Otherwise the most telling
    failure wins; with none, `no_result`, whose detail says whether the duplicate filter
    swallowed a redirect loop.
    """
    items = stats.get("item_scraped_count", 0)
    pages = stats.get("downloader/response_count", 0) - stats.get("robotstxt/response_count", 0)
    errors = stats.get("log_count/ERROR", 0)
    failures = _failures(stats, pages)
    notes = [f"{outcome}: {count}" for outcome, count in sorted(failures.items()) if count]
    notes.extend(_unclassified_errors(stats))
    if stats.get(LOOPBACK_REFUSED_STAT):
        notes.append(f"refused as not loopback (tests): {stats[LOOPBACK_REFUSED_STAT]}")
    notes.extend(_robots_unavailable(stats))
    if stats.get(PLATFORM_STAT):
        notes.append(f"platform: {stats[PLATFORM_STAT]}")
    if close_reason != "finished":
        notes.append(f"closed: {close_reason}")
    degraded = _degradations(stats, items, last_good_items)
    notes.extend(degraded)
    if items:
        outcome = "degraded" if degraded else "ok"
        return CrawlOutcome(outcome, items, pages, errors, "; ".join(notes))
    for outcome in FAILURE_PRECEDENCE:
        if failures[outcome]:
            return CrawlOutcome(outcome, items, pages, errors, "; ".join(notes))
    return CrawlOutcome("no_result", items, pages, errors, "; ".join([*notes, _no_result(stats)]))


def _degradations(stats: dict[str, Any], items: int, last_good_items: int | None) -> list[str]:
    """Why a crawl that stored data is not a healthy one, as detail notes."""
    notes = []
    if stats.get(MALFORMED_STAT):
        notes.append(f"structured data unreadable: {stats[MALFORMED_STAT]} JSON-LD block(s)")
    if last_good_items and items * 2 <= last_good_items:
        notes.append(f"items fell from {last_good_items} to {items} since the last good run")
    return notes


def _failures(stats: dict[str, Any], pages: int) -> Counter[str]:
    failures: Counter[str] = Counter()
    for key, count in stats.items():
        if key.startswith(EXCEPTION_STAT_PREFIX):
            name = _last_name(key.removeprefix(EXCEPTION_STAT_PREFIX))
            if name in EXCEPTION_OUTCOMES:
                failures[EXCEPTION_OUTCOMES[name]] += count
    failures["too_large"] += stats.get(TOO_LARGE_STAT, 0)
    failures["http_error"] += stats.get("httperror/response_ignored_count", 0)
    if pages == 0:
        failures["robots_forbidden"] += stats.get("robotstxt/forbidden", 0)
    return failures


def _unclassified_errors(stats: dict[str, Any]) -> list[str]:
    """Download errors no outcome names (a refused connection, a reset), for the detail."""
    counts = {
        name: count
        for key, count in stats.items()
        if key.startswith(EXCEPTION_STAT_PREFIX)
        and (name := _last_name(key.removeprefix(EXCEPTION_STAT_PREFIX)))
        not in {*EXCEPTION_OUTCOMES, "IgnoreRequest"}
    }
    return [f"{name}: {count}" for name, count in sorted(counts.items())]


def _robots_unavailable(stats: dict[str, Any]) -> list[str]:
    """Policy when robots.txt fails (5xx, timeout): Scrapy crawls as allowed; say so (T2)."""
    failures = sorted(
        _last_name(key.rsplit("/", 1)[-1])
        for key in stats
        if key.startswith("robotstxt/response_status_count/5")
        or key.startswith("robotstxt/exception_count/")
    )
    if not failures:
        return []
    return [f"robots.txt unavailable ({', '.join(failures)}): crawled as allowed"]


def _last_name(text: str) -> str:
    """`<class 'scrapy.exceptions.CannotResolveHostError'>` -> `CannotResolveHostError`."""
    return text.strip("<>").removeprefix("class ").strip("'").rsplit(".", 1)[-1]


def _no_result(stats: dict[str, Any]) -> str:
    """Why a crawl without failures found nothing, as far as the stats can tell."""
    redirects = sum(
        count
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/3")
    )
    filtered = stats.get("dupefilter/filtered", 0)
    if redirects and filtered:
        return (
            f"redirect loop: {redirects} redirects, {filtered} repeated requests dropped "
            "by the duplicate filter"
        )
    if redirects:
        return f"{redirects} redirects and no items (redirect limit reached?)"
    if stats.get("spider_exceptions/count"):
        return f"{stats['spider_exceptions/count']} spider exceptions and no items"
    return "no items found"


class CrawlOutcomeLedger:
    """Write the provider's outcome when its spider closes (after the pipelines have)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.started = utc_now()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ledger = cls(crawler)
        crawler.signals.connect(ledger.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        return ledger

    def spider_opened(self, spider: Spider) -> None:
        self.started = utc_now()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        db_path = self.crawler.settings.get("CREDWATCH_DB")
        last_good = last_good_items(db_path, provider_id(spider.provider_url), self.run_id)
        result = classify(stats, reason, last_good)
        logger.log(
            logging.INFO if result.outcome == "ok" else logging.WARNING,
            "%s: %s (%d items, %d pages) %s",
            spider.provider_name,
            result.outcome,
            result.items,
            result.pages,
            result.detail,
        )
        if db_path:
            self._record(db_path, spider, result, stats)
            # Only a run with a known id can tell this run's offerings from older ones.
            run_known = bool(self.crawler.settings.get("CREDWATCH_RUN_ID"))
            # A crawl closed early (its CLOSESPIDER_PAGECOUNT budget spent, a timeout) saw
            # part of the site: what it did not see is no evidence of removal.
            whole_site = reason == "finished"
            if result.outcome == "ok" and whole_site and run_known:
                mark_removed(db_path, provider_id(spider.provider_url), self.run_id)

    @property
    def run_id(self) -> str:
        return self.crawler.settings.get("CREDWATCH_RUN_ID") or self.started

    def _record(
        self, db_path: str, spider: Spider, result: CrawlOutcome, stats: dict[str, Any]
    ) -> None:
        row = {
            "crawl_run_id": self.run_id,
            "provider_id": provider_id(spider.provider_url),
            "provider_url": spider.provider_url,
            "spider": spider.name,
            **asdict(result),
            "started": self.started,
            "finished": utc_now(),
            "stats": json.dumps(stats, default=str, sort_keys=True),
        }
        record_outcome(db_path, row)


def record_outcome(db_path: str, row: dict[str, Any]) -> None:
    """Upsert one `crawl_outcomes` row in its own short transaction."""
    db = open_db(db_path, crawl_tables)
    try:
        with db.atomic():
            db["crawl_outcomes"].upsert(row, pk=("crawl_run_id", "provider_id"))
    finally:
        db.close()


def last_good_items(db_path: str | None, provider: str, run_id: str) -> int | None:
    """Items of the provider's latest `ok` crawl before this run, or None."""
    if not db_path:
        return None
    db = open_db(db_path, crawl_tables)
    try:
        rows = list(
            db.query(
                "select items from crawl_outcomes where provider_id = ? and outcome = 'ok' "
                "and crawl_run_id != ? order by finished desc limit 1",
                [provider, run_id],
            )
        )
    finally:
        db.close()
    return rows[0]["items"] if rows else None


def mark_removed(db_path: str, provider: str, run_id: str) -> int:
    """After a healthy, finished crawl: the provider's current offerings this run did not
    see are `removed` in it (their `crawl_run_id` stays the last run that saw them)."""
    db = open_db(db_path, crawl_tables)
    try:
        with db.atomic():
            cursor = db.execute(
                "update offerings set status = 'removed', removed_in_run = ? "
                "where provider_id = ? and status = 'current' and crawl_run_id != ?",
                [run_id, provider, run_id],
            )
            removed = cursor.rowcount
    finally:
        db.close()
    if removed:
        logger.info("%s: %d offerings no longer on the site, marked removed", provider, removed)
    return removed
