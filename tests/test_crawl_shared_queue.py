"""Two `credwatch crawl --redis URL` workers share one scrapy-redis queue: three fixture
providers, every page fetched once (the sites' access logs), every offering stored once,
and both workers exit by themselves when the queue is empty.

Debian's redis-server (installed by `make redis`, part of `make test`) is started on
127.0.0.1 on a free port with a password and stopped afterwards; the test is skipped only
where redis-server is not installed. The workers run with Scrapy's deprecation warnings as
errors, so a scrapy-redis call deprecated by current Scrapy fails here.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import yaml
from helpers.crawl import CREDWATCH, LOOPBACK
from helpers.paths import FIXTURES, REPO, TESTS

from credwatch.core.localsite import LocalSite, serve_directory

SITES = ("harbourline", "structured_demo", "robots_race")
PASSWORD = "test-only-password"
DEPRECATIONS_AS_ERRORS = "error::scrapy.exceptions.ScrapyDeprecationWarning"

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed (make redis)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on loopback, with a password, no persistence."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--requirepass", PASSWORD,
         "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    try:
        _wait_for(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(url: str) -> None:
    for _ in range(100):
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(url).ping()
            return
        time.sleep(0.05)
    raise AssertionError(f"redis-server did not start at {url}")


def worker(tmp_path: Path, number: int, providers: Path, url: str) -> subprocess.Popen[str]:
    command = [
        str(CREDWATCH), "crawl", "--providers", str(providers), "--run-id", "shared-run",
        "--redis", url, "--db", str(tmp_path / f"worker{number}.db"),
        "--jsonl", str(tmp_path / f"worker{number}.jsonl"), *LOOPBACK,
        "-s", "MAX_IDLE_TIME_BEFORE_CLOSE=3",
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(REPO)]),
        "PYTHONWARNINGS": DEPRECATIONS_AS_ERRORS,
    }
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


@pytest.fixture
def shared_crawl(tmp_path: Path, redis_url: str) -> dict:
    with contextlib.ExitStack() as stack:
        sites: list[LocalSite] = [
            stack.enter_context(serve_directory(FIXTURES / "sites" / name)) for name in SITES
        ]
        providers = tmp_path / "providers.yml"
        listed = [
            {"name": name, "url": site.base_url + "/"}
            for name, site in zip(SITES, sites, strict=True)
        ]
        providers.write_text(yaml.safe_dump({"providers": listed}), encoding="utf-8")
        workers = [worker(tmp_path, number, providers, redis_url) for number in (1, 2)]
        finished = [process.communicate(timeout=150) for process in workers]
    return {
        "sites": sites,
        "returncodes": [process.returncode for process in workers],
        "stderr": [stderr for _, stderr in finished],
        "offerings": [
            json.loads(line)
            for number in (1, 2)
            if (tmp_path / f"worker{number}.jsonl").exists()
            for line in (tmp_path / f"worker{number}.jsonl").read_text().splitlines()
        ],
        "redis": redis.Redis.from_url(redis_url),
    }


def test_two_workers_share_the_queue(shared_crawl: dict) -> None:
    """Both exit 0 on their own; no page twice; every provider's offerings, each once."""
    assert shared_crawl["returncodes"] == [0, 0], shared_crawl["stderr"]
    for site in shared_crawl["sites"]:
        # robots.txt is read by each worker's RobotsTxtMiddleware outside the scheduler
        pages = Counter(path for path in site.requested if path != "/robots.txt")
        assert pages, f"{site.root.name}: nothing fetched"
        assert [path for path, count in pages.items() if count > 1] == []
    urls = Counter(offering["url"] for offering in shared_crawl["offerings"])
    assert [url for url, count in urls.items() if count > 1] == []
    providers = {offering["provider_url"] for offering in shared_crawl["offerings"]}
    assert providers == {site.base_url + "/" for site in shared_crawl["sites"][:2]}
    for stderr in shared_crawl["stderr"]:
        assert "DeprecationWarning" not in stderr


def test_queues_persist_until_cleared(shared_crawl: dict, redis_url: str) -> None:
    """SCHEDULER_PERSIST keeps the fingerprints for late workers; --clear-redis removes them."""
    server = shared_crawl["redis"]
    keys = {key.decode() for key in server.scan_iter(match="credwatch:*")}
    assert any(key.startswith("credwatch:shared-run:") and key.endswith(":dupefilter")
               for key in keys)  # fmt: skip
    cleared = subprocess.run(
        [str(CREDWATCH), "crawl", "--redis", redis_url, "--clear-redis"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert f"removed {len(keys)} credwatch keys" in cleared.stdout
    assert list(server.scan_iter(match="credwatch:*")) == []
