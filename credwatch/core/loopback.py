"""The loopback-only rule: which hosts are this machine, for runs that must stay on it.

The test suite sets `CREDWATCH_LOOPBACK_ONLY=1` for itself and every process it starts;
the crawler then refuses any request to another host before resolving or connecting
(`crawler.middlewares.LoopbackOnlyMiddleware`), and the suite's socket guard uses the same
rule in-process. A host name other than `localhost` is refused even when it would resolve
to loopback: resolving it would already be a DNS query leaving the machine.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_ONLY_ENV = "CREDWATCH_LOOPBACK_ONLY"
LOCALHOST = "localhost"


def is_loopback_host(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 (bracketed or not) and `localhost`; False for anything else."""
    if not host:
        return False
    name = host.strip("[]").rstrip(".").lower()
    if name == LOCALHOST:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
