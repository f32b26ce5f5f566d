"""Registrable-domain and provider-identity helpers shared by loaders, crawler and matcher.

Uses tldextract's bundled public-suffix snapshot with fetching disabled, so results are the
same offline and online and no test ever touches the network.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=1)
def _extractor():
    """Built on first use: importing tldextract (and requests) costs ~0.1 s, which a command
    that never reads a web address (`credwatch check NAME`) should not pay."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=65536)
def registrable_domain(url_or_host: str | None) -> str | None:
    """`https://online.rmit.edu.au/x` and `www.rmit.edu.au` both give `rmit.edu.au`.

    Returns None for empty input, IP addresses and hosts without a public suffix, except
    loopback hosts, which keep `host[:port]` so local fixture sites stay distinct.
    """
    host = hostname(url_or_host)
    if not host:
        return None
    if _is_loopback(host):
        return host
    parts = _extractor()(host)
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


# Hosts where many sellers each have a path of one shared site, and how many leading path
# segments name the seller (`sites.google.com/view/acme`). Subdomain platforms
# (`acme.teachable.com`, `acme.thinkific.com`, `acme.mykajabi.com`) need no entry: the host
# already names the seller.
PATH_HOSTED_SITES = {
    "sites.google.com": 2,
    "stan.store": 1,
    "payhip.com": 1,
    "ko-fi.com": 1,
    "linktr.ee": 1,
}


def provider_id(provider_url: str) -> str:
    """The `providers.id` of a provider: its site, not its registrable domain.

    That is its host without a leading `www.` (`acme.teachable.com` and
    `cheap-certs.teachable.com` are two providers), plus the seller's path prefix on a
    path-hosted platform (`sites.google.com/view/acme`). Loopback sites keep their port and
    the first segment of a non-root path, so fixture providers sharing one local server
    (`127.0.0.1:8001/acme`) stay apart.
    """
    host = hostname(provider_url)
    if not host:
        return provider_url
    prefix = site_path_prefix(provider_url)
    return f"{host.removeprefix('www.')}{prefix}"


def site_path_prefix(provider_url: str) -> str:
    """`/view/acme` for `https://sites.google.com/view/acme/courses`; "" for a whole host."""
    host = (hostname(provider_url) or "").removeprefix("www.")
    segments = [part for part in urlsplit(_with_scheme(provider_url)).path.split("/") if part]
    if host in PATH_HOSTED_SITES:
        kept = segments[: PATH_HOSTED_SITES[host]]
    elif _is_loopback(host) and segments and "." not in segments[0]:
        kept = segments[:1]
    else:
        kept = []
    return "".join(f"/{part.lower()}" for part in kept)


def _with_scheme(url: str) -> str:
    url = url.strip()
    return url if "//" in url else "//" + url


def _is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith(("localhost:", "127.", "[::1]"))
