"""Item pipelines, one job each (registered with spaced priorities in `crawler.settings`).

Most pipelines measure (stats counters) rather than reject; only the duplicate filter drops.
The helpers below are shared by the storage pipeline and the outcome ledger.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Self

from scrapy.crawler import Crawler

from credwatch.core.identity import provider_id

__all__ = ["StatsPipeline", "provider_id", "sha1_id", "utc_now"]


class StatsPipeline:
    """Base of the pipelines that only need the crawler's stats to count what they see."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)


def sha1_id(*parts: str) -> str:
    """A stable row id from text parts (an offering's URL; a claim's provider, page, kind...)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def utc_now() -> str:
    """Timestamps are ISO 8601 UTC seconds, so they sort as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")
