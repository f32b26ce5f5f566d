"""Downloader middlewares that fix or instrument Scrapy's stock ones."""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

TOO_LARGE_STAT = "credwatch/decompression_too_large"


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
