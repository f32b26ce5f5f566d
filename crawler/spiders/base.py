"""The bases of credwatch spiders: a provider's site, or a register's site; never off it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy

from credwatch.core.errors import CredwatchError
from credwatch.core.identity import site_path_prefix


def site_domain(url: str) -> str:
    """The domain a provider's crawl is confined to: the URL's host without a leading `www.`.

    Scrapy's offsite filter also admits subdomains, so `www.rmit.edu.au` lets the crawl reach
    `online.rmit.edu.au` but never another site. Ports are not part of the match (Scrapy
    compares bare host names), so loopback fixture sites are simply `127.0.0.1`.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        raise CredwatchError(f"{url}: not an http(s) URL with a host")
    return host.removeprefix("www.")


class ProviderSpider(scrapy.Spider):
    """A spider crawling one provider, built as `Spider(provider_name=..., provider_url=...)`.

    Subclasses override `parse` (and usually `start`); items carry `provider_name` and
    `provider_url` so pipelines know whose offering they store. `start_url` lets a spider
    begin somewhere other than the home page (a catalogue API, a register page). It has no
    `name`, so Scrapy's spider loader never offers it as a spider of its own.
    """

    def __init__(
        self,
        provider_name: str,
        provider_url: str,
        start_url: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.provider_name = provider_name
        self.provider_url = provider_url
        self.start_url = start_url or provider_url
        self.allowed_domains = sorted({site_domain(provider_url), site_domain(self.start_url)})
        # A seller on a path-hosted platform (or a fixture sharing a local server) owns only
        # its path of the host: its crawl reads pages under it (see `provider_id`).
        self.site_prefix = site_path_prefix(provider_url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Begin at the start URL; subclasses add sitemaps or API pages."""
        yield scrapy.Request(self.start_url, callback=self.parse)


class RegisterSpider(scrapy.Spider):
    """A spider reading a register's own website into `RegisterEntry` items; not a provider.

    `credwatch crawl --register NAME --to DIR` runs it and writes its items to a JSON lines
    feed, `DIR/{feed_name}-{date}.jsonl`, for `registers load`. It starts at `official_url`;
    `start_url` replaces it (a mirror, a loopback fixture), and a bare origin there keeps the
    official path. It has no `name`, so Scrapy's spider loader never offers it on its own.
    """

    official_url: str
    feed_name: str

    def __init__(self, start_url: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        official = self.official_url
        self.start_url = on_official_path(start_url, official) if start_url else official
        self.allowed_domains = [site_domain(self.start_url)]


def on_official_path(start_url: str, official_url: str) -> str:
    """`start_url`, or its origin with the official path and query when it names no page."""
    parts = urlsplit(start_url)
    if parts.path.strip("/") or parts.query:
        return start_url
    official = urlsplit(official_url)
    return urlunsplit((parts.scheme, parts.netloc, official.path, official.query, ""))
