"""Shared by the crawl tests: probe spiders, a fault-injecting local server, a CLI runner.

The probe spiders live in this module so the `credwatch crawl` subprocess can load them
(`-s SPIDER_MODULES=helpers.crawl`, with `tests/` on its PYTHONPATH).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
import sqlite_utils
import yaml
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.abstract import isIPAddress, isIPv6Address
from twisted.internet.error import DNSLookupError

from crawler.items import Claim, Offering
from crawler.spiders.base import ProviderSpider
from credwatch.core.localsite import serve_handler
from helpers.paths import REPO, TESTS

CREDWATCH = Path(sys.executable).parent / "credwatch"
LOOPBACK = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0")


class FaultProbeSpider(ProviderSpider):
    """Follows in-site links; every page with an <h1> is an offering (with its RTO claim)."""

    name = "fault_probe"

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> Any:
        if not isinstance(response, scrapy.http.TextResponse):
            return
        yield from response.follow_all(css="a", callback=self.parse)
        title = " ".join(response.css("h1 ::text").getall())
        if title:
            rto = response.css("footer ::text").re_first(r"RTO\s*(\d{4,5})")
            claims = [Claim("rto_code", rto, f"RTO {rto}", response.url)] if rto else []
            yield Offering(
                provider_name=self.provider_name,
                provider_url=self.provider_url,
                title=title,
                url=response.url,
                spider=self.name,
                description=" ".join(response.css("p ::text").getall()),
                price=float(response.css("[data-price]::attr(data-price)").get("0")),
                currency="AUD",
                claims=claims,
            )


class RaceProbeSpider(FaultProbeSpider):
    """Five start URLs on one host at once, the fourth under /private (robots race, T1)."""

    name = "race_probe"
    start_paths = ("/one", "/two", "/three", "/private/secret", "/four")

    async def start(self) -> Any:
        for path in self.start_paths:
            yield scrapy.Request(urljoin(self.provider_url, path), callback=self.parse)


class BrokenProbeSpider(FaultProbeSpider):
    """A spider bug that strikes before the crawl opens (its provider must still get a row)."""

    name = "broken_probe"

    def __init__(self, *args: Any, **kwargs: Any):
        raise ValueError("misconfigured spider")


class OfflineResolver(CachingThreadedResolver):
    """DNS as on a machine without any: IP literals stand for themselves and every name
    fails with DNSLookupError at once, so a DNS fault is tested without a query leaving
    the machine (`-s DNS_RESOLVER=helpers.crawl.OfflineResolver`)."""

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred:
        if isIPAddress(name) or isIPv6Address(name):
            return defer.succeed(name)
        return defer.fail(DNSLookupError(f"{name}: no DNS in tests"))


# A route answers one path: it gets the request handler and writes the whole response.
Route = Callable[[BaseHTTPRequestHandler], None]


def page(
    body: str | bytes,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Route:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return respond


def slow(seconds: float, route: Route) -> Route:
    """Answer only after `seconds` (the test sets a shorter DOWNLOAD_TIMEOUT)."""
    stop = threading.Event()

    def respond(handler: BaseHTTPRequestHandler) -> None:
        stop.wait(seconds)
        with contextlib.suppress(ConnectionError):  # the crawler gave up and hung up: expected
            route(handler)

    return respond


def redirect(location: str, status: int = 302) -> Route:
    return page(b"", status=status, headers={"Location": location})


def gzip_bomb(decompressed_bytes: int) -> Route:
    """A few KB on the wire that inflate to `decompressed_bytes` of zeros."""
    return page(
        gzip.compress(b"\0" * decompressed_bytes, compresslevel=9),
        headers={"Content-Encoding": "gzip"},
    )


def flaky(failures: int, failure: Route, success: Route) -> Route:
    """Fail the first `failures` requests, then succeed (503 then 200)."""
    calls = iter(range(failures))

    def respond(handler: BaseHTTPRequestHandler) -> None:
        (failure if next(calls, None) is not None else success)(handler)

    return respond


@dataclass
class FaultSite:
    """A running loopback site: its routes (editable between crawls) and the paths asked."""

    routes: dict[str, Route]
    base_url: str = ""
    requested: list[str] = field(default_factory=list)


class _RoutingHandler(BaseHTTPRequestHandler):
    site: FaultSite

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.site.requested.append(path)
        self.site.routes.get(path, page("not found", status=404))(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: requests are recorded in `site.requested`."""


@contextlib.contextmanager
def fault_site(routes: dict[str, Route]) -> Iterator[FaultSite]:
    """Serve `routes` on 127.0.0.1 (a free port) until the block exits."""
    site = FaultSite(routes=routes)
    handler = type("Handler", (_RoutingHandler,), {"site": site})
    with serve_handler(handler) as base_url:
        site.base_url = base_url + "/"
        yield site


def run_crawl_cli(
    tmp_path: Path,
    providers: list[dict[str, str]],
    *settings: str,
    db_name: str = "work.db",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `credwatch crawl` in a subprocess (Twisted's reactor starts once per process)."""
    providers_file = tmp_path / "providers.yml"
    providers_file.write_text(yaml.safe_dump({"providers": providers}), encoding="utf-8")
    command = [
        str(CREDWATCH),
        "crawl",
        "--providers",
        str(providers_file),
        "--db",
        str(tmp_path / db_name),
        "--jsonl",
        str(tmp_path / "offerings.jsonl"),
        *LOOPBACK,
        *settings,
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(REPO)])}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def outcomes_by_url(db_path: Path) -> dict[str, dict[str, Any]]:
    db = sqlite_utils.Database(db_path)
    rows = {row["provider_url"]: row for row in db.query("select * from crawl_outcomes")}
    for row in rows.values():
        row["stats"] = json.loads(row["stats"] or "{}")
    return rows
