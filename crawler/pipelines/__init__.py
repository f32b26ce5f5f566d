"""Item pipelines, one job each (registered with spaced priorities in `crawler.settings`).

Most pipelines measure (stats counters) rather than reject; only the duplicate filter drops.
The helpers below are shared by the storage pipeline and the outcome ledger.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from credwatch.domains import hostname, registrable_domain


def provider_id(provider_url: str) -> str:
    """The `providers.id` of a provider: its registrable domain (host:port on loopback)."""
    return registrable_domain(provider_url) or hostname(provider_url) or provider_url


def sha1_id(*parts: str) -> str:
    """A stable row id from text parts (an offering's URL; a claim's provider, page, kind...)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def utc_now() -> str:
    """Timestamps are ISO 8601 UTC seconds, so they sort as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")
