"""The network guard really guards: in this process (connect, connect_ex, name lookups) and
in a `credwatch crawl` child, every way off the machine is refused before the real call.

The addresses are TEST-NET-1 (192.0.2.0/24, RFC 5737) and `.invalid` names (RFC 2606), and
each test replaces the real socket calls or routes the child through a recording loopback
proxy, so even a broken guard would send nothing beyond this machine.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.crawl import fault_site, outcomes_by_url, page, run_crawl_cli
from helpers.network import LoopbackGuard, OffMachineError

from crawler.middlewares import LOOPBACK_REFUSED_STAT
from credwatch.core.loopback import LOOPBACK_ONLY_ENV, is_loopback_host

TEST_NET = "192.0.2.1"  # reserved for documentation: routed nowhere
INVALID_HOST = "credwatch-guard.invalid"


@pytest.fixture
def real_calls(network_guard: LoopbackGuard, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The guard's real socket calls replaced by recorders: a call reaching them would be
    one the guard let through (and it goes nowhere)."""
    reached: list[str] = []

    def recorder(name: str):
        def call(*args: Any) -> None:
            reached.append(f"{name}{args[1:] if name != 'getaddrinfo' else args}")
            raise AssertionError(f"{name} reached the real socket call")

        return call

    for name in ("connect", "connect_ex", "getaddrinfo"):
        monkeypatch.setattr(network_guard, f"real_{name}", recorder(name))
    return reached


@pytest.fixture
def refusals(network_guard: LoopbackGuard) -> Iterator[list[str]]:
    """What the guard refused in this test; emptied after, as these refusals are expected."""
    yield network_guard.refused
    network_guard.refused.clear()


@pytest.mark.parametrize("call", ["connect", "connect_ex"])
def test_a_connection_to_test_net_is_refused_before_the_real_call(
    call: str, real_calls: list[str], refusals: list[str]
) -> None:
    with socket.socket() as sock, pytest.raises(OffMachineError, match=TEST_NET):
        getattr(sock, call)((TEST_NET, 80))
    assert real_calls == []
    assert refusals == [f"{call}(('{TEST_NET}', 80))"]


def test_an_ipv6_connection_beyond_loopback_is_refused(
    real_calls: list[str], refusals: list[str]
) -> None:
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(OffMachineError):
        sock.connect_ex(("2001:db8::1", 80, 0, 0))
    assert real_calls == [] and len(refusals) == 1


def test_a_name_lookup_is_refused_before_any_dns_query(
    real_calls: list[str], refusals: list[str]
) -> None:
    with pytest.raises(OffMachineError, match=INVALID_HOST):
        socket.getaddrinfo(INVALID_HOST, 80)
    with pytest.raises(OffMachineError):
        socket.create_connection((INVALID_HOST, 80), timeout=1)
    assert real_calls == []
    assert refusals == [f"getaddrinfo('{INVALID_HOST}')"] * 2


def test_loopback_still_connects(network_guard: LoopbackGuard) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.socket() as client:
            assert client.connect_ex(("127.0.0.1", port)) == 0
        with socket.create_connection(("localhost", port), timeout=5):
            pass
    assert network_guard.refused == []


def test_the_loopback_rule() -> None:
    allowed = ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST."]
    refused = [TEST_NET, "10.0.0.1", "0.0.0.0", "2001:db8::1", "example.com", "", None]
    assert [host for host in allowed if not is_loopback_host(host)] == []
    assert [host for host in refused if is_loopback_host(host)] == []
    # a name that would resolve to loopback is still refused: resolving it is a DNS query
    assert not is_loopback_host("localtest.me")


def test_child_processes_inherit_the_crawlers_loopback_only_setting() -> None:
    assert os.environ[LOOPBACK_ONLY_ENV] == "1"


def test_a_subprocess_crawl_refuses_non_loopback_urls_before_dns_or_connect(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two off-machine providers (an address, a name) and a loopback one, in one crawl.

    The child's HTTP proxy is a recording loopback server: had the guard let a request
    through, it would have gone there (and been seen), never beyond this machine.
    """
    off_machine = [f"http://{TEST_NET}/", f"https://{INVALID_HOST}/courses"]
    with fault_site({}) as proxy, fault_site({"/": page("<h1>Course</h1>")}) as site:
        monkeypatch.setenv("http_proxy", proxy.base_url)
        monkeypatch.setenv("https_proxy", proxy.base_url)
        monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
        providers = [
            {"name": f"Provider {number}", "url": url, "spider": "fault_probe"}
            for number, url in enumerate([*off_machine, site.base_url])
        ]
        result = run_crawl_cli(
            tmp_path, providers, "-s", "SPIDER_MODULES=helpers.crawl", "-s", "RETRY_TIMES=0"
        )
    assert proxy.requested == []
    outcomes = outcomes_by_url(tmp_path / "work.db")
    for url in off_machine:
        assert f"{url}: refused by {LOOPBACK_ONLY_ENV}: host" in result.stderr
        stats = outcomes[url]["stats"]
        assert stats[LOOPBACK_REFUSED_STAT] == 1, stats
        assert "downloader/request_count" not in stats  # not even robots.txt was asked for
        assert not [key for key in stats if "DNSLookupError" in key or "CannotResolve" in key]
        assert outcomes[url]["outcome"] == "no_result"
        assert outcomes[url]["detail"].startswith("refused as not loopback (tests): 1")
    assert outcomes[site.base_url]["outcome"] == "ok"
    assert LOOPBACK_REFUSED_STAT not in outcomes[site.base_url]["stats"]
