"""Registrable-domain helpers shared by loaders, crawler and matcher.

Uses tldextract's bundled public-suffix snapshot with fetching disabled, so results are the
same offline and online and no test ever touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registrable_domain(url_or_host: str | None) -> str | None:
    """`https://online.rmit.edu.au/x` and `www.rmit.edu.au` both give `rmit.edu.au`.

    Returns None for empty input, IP addresses and hosts without a public suffix, except
    loopback hosts, which keep `host[:port]` so local fixture sites stay distinct.
    """
    host = hostname(url_or_host)
    if not host:
        return None
    if host in {"localhost"} or host.startswith("127.") or host == "[::1]":
        return host
    parts = _EXTRACT(host)
    if not parts.domain or not parts.suffix:
        return None
    return f"{parts.domain}.{parts.suffix}".lower()


def hostname(url_or_host: str | None) -> str | None:
    """Lower-case host (with port for loopback) of a URL or bare host, or None."""
    text = (url_or_host or "").strip()
    if not text:
        return None
    if "//" not in text:
        text = "//" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if port and (host == "localhost" or host.startswith("127.")):
        return f"{host}:{port}"
    return host


def provider_id(provider_url: str) -> str:
    """The `providers.id` of a provider: its registrable domain (host:port on loopback)."""
    return registrable_domain(provider_url) or hostname(provider_url) or provider_url
