"""What every platform spider shares: where its API lives, and how an Offering is filled."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.items import Offering
from crawler.parsers.claims import extract_claims
from crawler.parsers.duration import Duration
from crawler.parsers.price import Price
from crawler.spiders.base import ProviderSpider, site_domain
from credwatch.core.identity import registrable_domain

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid")


def origin(url: str) -> str:
    """`scheme://host[:port]` of a URL: where a platform's own paths are resolved."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def without_tracking(url: str) -> str:
    """Feeds tag links with campaign parameters; the course's address is the URL without them."""
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING_PARAMS)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def duration_fields(duration: Duration) -> dict[str, Any]:
    """Offering keyword arguments for a parsed duration (raw text kept beside the hours)."""
    return {
        "duration_hours": duration.hours,
        "duration_min_hours": duration.min_hours,
        "duration_max_hours": duration.max_hours,
        "duration_text": duration.text,
    }


def price_fields(price: Price) -> dict[str, Any]:
    """Offering keyword arguments for a parsed price."""
    return {"price": price.amount, "currency": price.currency, "price_text": price.text}


class PlatformSpider(ProviderSpider):
    """A provider spider for a course platform whose catalogue sits at a known path.

    `entry_path` is where the catalogue starts on the provider's site. Platforms that serve
    their API from another host of their own domain (Coursera: api.coursera.org) name it in
    `public_api_base` and `platform_domain`; any other site (a self-hosted Open edX, a
    fixture on 127.0.0.1) serves the API at its own origin. `api_base` overrides both.
    """

    entry_path = "/"
    platform_domain: str | None = None
    public_api_base: str | None = None

    def __init__(self, *args: Any, api_base: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.api_base = (api_base or self._default_api_base()).rstrip("/")
        self.allowed_domains = sorted({*self.allowed_domains, site_domain(self.api_base)})

    def _default_api_base(self) -> str:
        on_platform = registrable_domain(self.provider_url) == self.platform_domain
        if self.public_api_base and on_platform:
            return self.public_api_base
        return origin(self.start_url)

    def entry_url(self) -> str:
        """The start URL when it names a page (a topic listing), else the catalogue path."""
        if urlsplit(self.start_url).path.strip("/"):
            return self.start_url
        return urljoin(self.api_base + "/", self.entry_path.lstrip("/"))

    def offering(self, title: str, url: str, description: str | None, **fields: Any) -> Offering:
        """An Offering of this provider; claims are read from its title and description
        (its free-certificate claim is FreeCertificateClaimPipeline's)."""
        text = "\n".join(part for part in (title, description) if part)
        return Offering(
            provider_name=self.provider_name,
            provider_url=self.provider_url,
            title=title,
            url=url,
            spider=self.name,
            description=description,
            delivery_mode="online",
            claims=extract_claims(text, url=url, free_certificate=False),
            **fields,
        )
