"""`credwatch crawl --redis URL`: several crawl processes share one request queue (scrapy-redis).

scrapy-redis keeps the scheduler queue and the seen-request fingerprints in Redis, so N
workers started on N machines with the same providers file and `--run-id` split the pages
between them and never fetch a page twice. Its known problems on current Scrapy are handled
here rather than in each worker's settings:

- queues are per run and per provider (`credwatch:<run>:<provider id>:requests`), because
  every provider's crawler runs the same spider class: a key made of the spider name alone
  would hand one provider's pages to another provider's spider;
- `SCHEDULER_PERSIST` is on: otherwise the first worker to close wipes the queue and the
  fingerprints under the others. A new nightly gets new keys from its new run id, and
  `clear_queues` removes old runs' keys explicitly (`credwatch crawl --redis URL --clear`);
- start requests come from each spider's own `async def start()` into the shared queue
  (scrapy-redis' RedisSpider would only read start URLs by polling Redis when idle); the
  second worker's copies are filtered as duplicates;
- a worker whose queue is empty waits `MAX_IDLE_TIME_BEFORE_CLOSE` seconds for pages its
  peers are still discovering, then closes by itself (without that limit a scrapy-redis
  worker never closes; without the wait the second worker would close at once);
- scrapy-redis 0.9.1 passes `spider=` to the stats collector, which Scrapy 2.19 deprecates:
  the scheduler here counts without it, so the crawl runs clean with deprecations as errors.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler import settings as project_settings
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id

log = logging.getLogger(__name__)

KEY_PREFIX = "credwatch"
DEFAULT_IDLE_SECONDS = 10


def redis_settings(url: str, run_id: str) -> dict[str, Any]:
    """Crawl settings that put every provider's requests and fingerprints in Redis at `url`."""
    check_reachable(url)
    return {
        "REDIS_URL": url,
        "SCHEDULER": "crawler.shared_queue.SharedScheduler",
        "DUPEFILTER_CLASS": "crawler.shared_queue.SharedDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{KEY_PREFIX}:{run_id}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{KEY_PREFIX}:{run_id}:%(spider)s:dupefilter",
        "EXTENSIONS": {**project_settings.EXTENSIONS, "crawler.shared_queue.WaitForPeers": 0},
        "MAX_IDLE_TIME_BEFORE_CLOSE": DEFAULT_IDLE_SECONDS,
    }


def check_reachable(url: str) -> None:
    """Fail in one line, before crawling, when Redis at `url` does not answer."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as error:
        raise CredwatchError(f"--redis {_without_password(url)}: {error}") from error


def clear_queues(url: str) -> int:
    """Delete every credwatch queue and fingerprint set in Redis; the number of keys."""
    check_reachable(url)
    server = redis.Redis.from_url(url)
    keys = list(server.scan_iter(match=f"{KEY_PREFIX}:*"))
    return server.delete(*keys) if keys else 0


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def spider_key(spider: Spider) -> str:
    """What `%(spider)s` means in the keys: the spider name and the provider it crawls."""
    provider_url = getattr(spider, "provider_url", None)
    return f"{spider.name}:{provider_id(provider_url)}" if provider_url else spider.name


class SharedScheduler(Scheduler):
    """scrapy-redis' scheduler with one queue per provider, counting stats without `spider=`."""

    def open(self, spider: Spider) -> None:
        self.spider = spider
        key = spider_key(spider)
        self.queue = PriorityQueue(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": key},
            serializer=self.serializer,
        )
        self.df = SharedDupeFilter(self.server, key=self.dupefilter_key % {"spider": key})
        if len(self.queue):
            log.info("%s: joining a shared crawl (%d requests queued)", key, len(self.queue))

    def enqueue_request(self, request: Any) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.stats.inc_value("dupefilter/filtered")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Any:
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class SharedDupeFilter(RFPDupeFilter):
    """Fingerprints in Redis; never deleted on close (the other workers still use them)."""

    def close(self, reason: str = "") -> None:
        """Kept: SCHEDULER_PERSIST; old runs go with `clear_queues`."""


class WaitForPeers:
    """Keep an idle worker open up to MAX_IDLE_TIME_BEFORE_CLOSE seconds while its provider's
    shared queue is empty: a peer may still be parsing pages that add requests to it."""

    def __init__(self, crawler: Crawler, idle_seconds: float):
        self.crawler = crawler
        self.idle_seconds = idle_seconds
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WaitForPeers:
        seconds = crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE")
        if seconds <= 0:
            raise NotConfigured("MAX_IDLE_TIME_BEFORE_CLOSE is 0: close when idle")
        extension = cls(crawler, seconds)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.request_scheduled, signal=signals.response_received)
        return extension

    def request_scheduled(self, **_: Any) -> None:
        self.idle_since = None

    def spider_idle(self) -> None:
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            raise DontCloseSpider
