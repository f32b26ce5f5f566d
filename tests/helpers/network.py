"""The suite's network guard: no test may reach beyond this machine (127.0.0.0/8, ::1).

In the test process every way out through Python's socket module is checked before the
real call: `connect` (asyncio, urllib, httpx), `connect_ex` (Twisted) and `getaddrinfo`
(a name lookup is a DNS query that would leave the machine). Child processes get
CREDWATCH_LOOPBACK_ONLY=1, which turns on the crawler's own guard
(`crawler.middlewares.LoopbackOnlyMiddleware`). Every refusal is recorded, so a test fails
even when the code under test swallows the error as "site unreachable".
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from credwatch.core.loopback import is_loopback_host

INET_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class OffMachineError(ConnectionRefusedError):
    """Raised instead of a connection or lookup beyond loopback."""


class LoopbackGuard:
    """Wraps the socket functions; `refused` lists what was stopped (tests assert on it)."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self.real_connect: Callable[..., Any] = socket.socket.connect
        self.real_connect_ex: Callable[..., Any] = socket.socket.connect_ex
        self.real_getaddrinfo: Callable[..., Any] = socket.getaddrinfo

    def install(self, patch: pytest.MonkeyPatch) -> None:
        guard = self

        def connect(sock: socket.socket, address: Any) -> None:
            guard.check_address(sock, address, "connect")
            return guard.real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            guard.check_address(sock, address, "connect_ex")
            return guard.real_connect_ex(sock, address)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> list:
            if host not in (None, "", b"") and not is_loopback_host(_text(host)):
                guard.refuse(f"getaddrinfo({host!r})")
            return guard.real_getaddrinfo(host, *args, **kwargs)

        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)

    def check_address(self, sock: socket.socket, address: Any, call: str) -> None:
        if sock.family in INET_FAMILIES and not is_loopback_host(_text(address[0])):
            self.refuse(f"{call}({address!r})")

    def refuse(self, what: str) -> None:
        self.refused.append(what)
        raise OffMachineError(f"test tried {what}: only loopback is allowed in tests")


def _text(host: str | bytes) -> str:
    return host.decode("ascii", "replace") if isinstance(host, bytes) else host
