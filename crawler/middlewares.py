"""Downloader middlewares that fix or instrument Scrapy's stock ones, and the loopback guard."""

from __future__ import annotations

import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from credwatch.core.loopback import LOOPBACK_ONLY_ENV, is_loopback_host

logger = logging.getLogger(__name__)

TOO_LARGE_STAT = "credwatch/decompression_too_large"
LOOPBACK_REFUSED_STAT = "credwatch/loopback_only_refused"


class LoopbackOnlyMiddleware:
    """With CREDWATCH_LOOPBACK_ONLY on (the test suite's setting), refuse every request whose
    host is not this machine, before robots.txt, DNS or any connection: nothing leaves.

    It runs first among the downloader middlewares, so a redirect or a robots.txt request
    to another host is refused the same way. Off (NotConfigured) in real crawls.
    """

    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool(LOOPBACK_ONLY_ENV):
            raise NotConfigured(f"{LOOPBACK_ONLY_ENV} is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname
        if is_loopback_host(host):
            return
        self.stats.inc_value(LOOPBACK_REFUSED_STAT)
        logger.error(
            "%s: refused by %s: host %s is not loopback (nothing was sent)",
            request.url,
            LOOPBACK_ONLY_ENV,
            host,
        )
        raise IgnoreRequest(f"{request.url}: not loopback ({LOOPBACK_ONLY_ENV})")


class RobotsTxtRaceFreeMiddleware(RobotsTxtMiddleware):
    """Robots middleware whose every waiter sees the parsed robots.txt.

    In Scrapy 2.14-2.19 all requests queued while a host's robots.txt downloads await one
    shared Deferred through `asFuture()`; the first waiter's callback returns None, so the
    third and later requests read "no robots.txt" and go out unchecked. Here a waiter only
    uses the Deferred as a wake-up and then re-reads the parser stored for the netloc (the
    base class stores it before firing the Deferred).
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            await maybe_deferred_to_future(pending)
            return self._parsers[netloc]
        return await super().robot_parser(request)


class CountingHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Stock decompression, plus a stat when a body exceeds DOWNLOAD_MAXSIZE once unpacked.

    The stock middleware raises IgnoreRequest from `process_response`, which no stat or
    signal records; the outcome ledger reads this counter to report `too_large`.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            self.stats.inc_value(TOO_LARGE_STAT)
            raise
