"""The generic spider: a provider's home page URL in, schema.org courses and claims out.

It finds pages through the site's sitemaps (`/sitemap.xml`, sitemap indexes, and sitemaps
named in robots.txt) and by following in-site links, and reads course types (see
`crawler.parsers.structured.COURSE_TYPES`), `Organization` and `ItemList` data from
JSON-LD, microdata and RDFa on every page. When the home page shows the signature of a
platform small sellers use (a WordPress LMS plugin, a hosted course platform, Moodle), it
also reads that platform's public catalogue (`crawler.platforms.small_sellers`). Nothing
else is site-specific: behaviour sits in class attributes and two hooks (alltheplaces'
StructuredDataSpider style), so a platform spider subclasses it and changes only what
differs:

- `pre_process_data(obj)` fixes a schema.org object before it is read;
- `post_process_item(item, response, obj)` completes or drops (returns None) an offering.

The crawl's bounds are Scrapy's own: `SitemapSpider` reads sitemaps (robots.txt
`Sitemap:` lines, indexes, gzip), OffsiteMiddleware keeps requests on `allowed_domains`,
the dupefilter asks for a page once, DepthMiddleware stops at `DEPTH_LIMIT` link hops and
the CloseSpider extension at `CLOSESPIDER_PAGECOUNT` responses (each provider has its own
crawler, so the budget is per provider; a crawl closed by it is partial, and the outcome
ledger then marks nothing removed). Entry pages start again at depth 0: the pages a
sitemap lists, a platform's catalogue and REST pages (the site names them itself).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.spiders import SitemapSpider

from crawler.extensions import MALFORMED_STAT, PLATFORM_STAT, REPAIRED_STAT
from crawler.items import Claim, Offering, ProviderPage
from crawler.page_workers import PageWorkers
from crawler.parsers.claims import extract_claims
from crawler.parsers.page import PageReading, read_page
from crawler.parsers.structured import (
    COURSE_TYPES,
    ORGANIZATION_TYPES,
    course_fields,
    find_objects,
    item_list_urls,
    organization_fields,
    type_names,
)
from crawler.platforms.common import origin
from crawler.platforms.small_sellers import (
    WORDPRESS_TYPES_PATH,
    Platform,
    detect_platform,
    first_rest_page,
    moodle_courses,
    next_wordpress_page,
    rest_listing,
    wordpress_course,
    wordpress_course_routes,
)
from crawler.spiders.base import ProviderSpider
from credwatch.core.identity import hostname

_SKIPPED_SUFFIXES = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)
_STAT = "credwatch/structured_data/"
# A missing sitemap or robots.txt is no failure: its 404 reaches the callback, uncounted.
_QUIET_MISSING = {"handle_httpstatus_list": [404, 410]}


class StructuredDataSpider(ProviderSpider, SitemapSpider):
    """Crawl one provider's site for schema.org course data; see the module docstring."""

    name = "structured_data"

    # A provider costs at most 220 responses (about 200 pages, the rest sitemaps and REST
    # pages) and 20 sitemaps per index; links are followed 3 hops from an entry page.
    custom_settings: ClassVar[dict[str, Any]] = {"CLOSESPIDER_PAGECOUNT": 220, "DEPTH_LIMIT": 3}
    max_sitemaps: ClassVar[int] = 20
    wanted_types: ClassVar[frozenset[str]] = COURSE_TYPES
    follow_links: ClassVar[bool] = True
    search_sitemaps: ClassVar[bool] = True
    # Links that look like course pages are fetched first; others still are, within bounds.
    course_link_pattern: ClassVar[re.Pattern[str]] = re.compile(
        r"/(?:courses?|programs?|programmes?|training|qualifications?|certificates?|learn"
        r"|catalog(?:ue)?|short-courses?|micro-?credentials?|lessons?|units?)(?:[/_-]|$)",
        re.IGNORECASE,
    )
    course_link_priority: ClassVar[int] = 10

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._listed: dict[str, dict] = {}  # course page URL -> the object a listing gave
        self._read_without_course: set[str] = set()
        self._known_hrefs: set[str] = set()
        self._outbound_hosts: set[str] = set()
        self._outbound: list[str] = []  # off-site links met on the page being parsed
        self.page_workers: PageWorkers | None = None  # set in `start` when configured
        self.platform: Platform | None = None  # recognised from the home page

    # --- hooks for subclasses ------------------------------------------------------------

    def pre_process_data(self, obj: dict) -> None:
        """Fix a schema.org object in place before it is read (a site's odd spelling)."""

    def post_process_item(self, item: Offering, response: Response, obj: dict) -> Offering | None:
        """Complete an offering from the page, or return None to drop it."""
        return item

    # --- requests ------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The home page, `/sitemap.xml` and robots.txt (for its sitemaps), all at once."""
        self.page_workers = await PageWorkers.open(self.crawler)
        home = self._page_request(self.start_url)
        if home is not None:
            yield home.replace(meta={**home.meta, "home_page": True})
        if self.search_sitemaps:
            for path in ("/sitemap.xml", "/robots.txt"):
                yield self._sitemap_request(urljoin(self.start_url, path))

    def _parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Scrapy's sitemap reading, its page requests made like any page's (course-like
        ones first, under the provider's path); a missing sitemap gives nothing."""
        if response.status != 200:
            return
        for request in super()._parse_sitemap(response):
            if request.callback == self._parse_sitemap:
                yield self._sitemap_request(request.url)
            elif (page := self._page_request(request.url, depth_reset=True)) is not None:
                yield page

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """A sitemap index's first `max_sitemaps` sitemaps. Scrapy bounds no count of its
        own, and sitemaps are fetched first: an index of a thousand would spend the whole
        page budget before a single page."""
        if getattr(entries, "type", None) == "sitemapindex":
            return islice(entries, self.max_sitemaps)
        return entries

    def _sitemap_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self._parse_sitemap,
            meta=dict(_QUIET_MISSING),
            priority=self.course_link_priority + 1,
        )

    def _page_request(self, url: str, depth_reset: bool = False) -> scrapy.Request | None:
        """A page request, unless not a web page (mailto:, a PDF) or outside the provider's
        path; repeats, other sites and depth are Scrapy's to filter."""
        url = urldefrag(url).url
        parts = urlsplit(url)
        if (
            parts.scheme not in {"http", "https"}
            or parts.path.lower().endswith(_SKIPPED_SUFFIXES)
            or not self._under_site_path(url)
        ):
            return None
        looks_like_course = bool(self.course_link_pattern.search(parts.path))
        return scrapy.Request(
            url,
            callback=self.parse if self.page_workers is None else self.parse_read_ahead,
            meta={"depth_reset": True} if depth_reset else {},
            priority=self.course_link_priority if looks_like_course else 0,
        )

    def _on_site(self, url: str) -> bool:
        """OffsiteMiddleware's rule (a host of an allowed domain, port ignored), asked of a
        URL before any request exists: whether a listed course's page can be fetched, and
        whether a link is outbound."""
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        return parts.scheme in {"http", "https"} and any(
            host == domain or host.endswith(f".{domain}") for domain in self.allowed_domains
        )

    def _under_site_path(self, url: str) -> bool:
        """For a provider owning a path of its host, whether the URL is under that path
        (Scrapy's offsite filter knows hosts, not paths)."""
        path = urlsplit(url).path.lower()
        return (
            not self.site_prefix
            or path == self.site_prefix
            or path.startswith(f"{self.site_prefix}/")
        )

    # --- pages ---------------------------------------------------------------------------

    async def parse_read_ahead(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        """`parse`, the page read by a worker process (crawler.page_workers) meanwhile."""
        reading = None
        if isinstance(response, TextResponse) and self.page_workers is not None:
            reading = await self.page_workers.read(response)
        for result in self.parse(response, reading):
            yield result

    def parse(
        self, response: Response, reading: PageReading | None = None, **kwargs: Any
    ) -> Iterator[Any]:
        """Offerings from the page's course objects, else a ProviderPage with its claims;
        then the page's in-site links and listed course pages."""
        if not isinstance(response, TextResponse):
            return
        if response.meta.get("home_page") and self.platform is None:
            yield from self._platform_requests(response)
        reading = reading or read_page(response.selector, response.url, response.body)
        data = reading.structured
        if data.malformed:
            self.crawler.stats.inc_value(MALFORMED_STAT, data.malformed)
            self.logger.warning(
                "%s: %d JSON-LD block(s) unreadable, dropped", response.url, data.malformed
            )
        if data.repaired:
            self.crawler.stats.inc_value(REPAIRED_STAT, data.repaired)
        organization = self._organization(data.objects, response.url)
        found = False
        for obj, fields in self._courses(response, data.objects):
            if isinstance(fields, scrapy.Request):
                yield fields
                continue
            item = self._offering(fields, organization, reading.offering_claims, response)
            item = self.post_process_item(item, response, obj)
            if item is not None:
                found = True
                self.crawler.stats.inc_value(f"{_STAT}offerings")
                yield item
        requests = list(self._onward_requests(response, reading))
        outbound, self._outbound = self._outbound, []
        page_claims = [] if found else reading.page_claims
        if outbound or page_claims:
            yield self._provider_page(response, page_claims, outbound)
        yield from requests

    # --- platforms small sellers use (crawler/platforms/small_sellers.py) ---------------

    def _platform_requests(self, home: TextResponse) -> Iterator[scrapy.Request]:
        """The recognised platform's catalogue pages and REST routes."""
        self.platform = detect_platform(home.body)
        if self.platform is None:
            return
        self.crawler.stats.set_value(PLATFORM_STAT, self.platform.name)
        site = origin(home.url) + self.site_prefix
        for path in self.platform.catalogue_paths:
            if self.platform.moodle:
                yield _entry(site + path, self.parse_moodle_catalogue)
            elif (request := self._page_request(site + path, depth_reset=True)) is not None:
                yield request
        if self.platform.course_post_types:
            yield _entry(
                site + WORDPRESS_TYPES_PATH,
                self.parse_wordpress_types,
                handle_httpstatus_list=[401, 403, 404],
            )
        for route in self.platform.rest_routes:
            yield _entry(first_rest_page(site + route), self.parse_wordpress_courses)

    def parse_wordpress_types(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        assert self.platform is not None
        site = origin(response.url) + self.site_prefix
        for route in wordpress_course_routes(self._json_body(response), self.platform, site):
            yield _entry(route, self.parse_wordpress_courses)

    def parse_wordpress_courses(self, response: TextResponse) -> Iterator[Any]:
        """Each listed course's page (its REST row kept as the fallback), then next page."""
        body = self._json_body(response)
        rows, total = rest_listing(body, response.headers.get("X-WP-TotalPages"))
        for course in filter(None, map(wordpress_course, rows)):
            url = urldefrag(course["url"]).url
            request = self._page_request(url) if self._defer(url, course) else None
            if request is None:  # read without data already, or a page not to fetch
                yield from self._listed_offering(course, response)
            else:
                yield request.replace(errback=self._listed_page_failed)
        next_page = next_wordpress_page(response.url, total)
        if next_page:
            yield _entry(next_page, self.parse_wordpress_courses)

    def _json_body(self, response: TextResponse) -> Any:
        """A REST page's JSON, or None (one warning) when the site answers with other text."""
        try:
            return response.json()
        except ValueError:
            self.logger.warning("%s: not JSON, REST listing skipped", response.url)
            return None

    def _listed_page_failed(self, failure: Any) -> Iterator[Offering]:
        """A course the platform lists whose page failed (404, timeout): the listing stands."""
        request = failure.request
        course = self._listed.pop(urldefrag(request.url).url, None)
        if course is not None:
            yield from self._listed_offering(course, Response(request.url, request=request))

    def parse_moodle_catalogue(self, response: Response) -> Iterator[Any]:
        """Moodle's catalogue boxes are the offerings; category pages are followed."""
        if not isinstance(response, TextResponse):
            return
        for course in moodle_courses(response.selector, response.url):
            yield from self._listed_offering(course, response)
        for href in response.css('a[href*="course/index.php?categoryid="]::attr(href)').getall():
            url = response.urljoin(href)
            if self._under_site_path(url):
                yield scrapy.Request(url, callback=self.parse_moodle_catalogue)

    def _listed_offering(self, course: dict, response: Response) -> Iterator[Offering]:
        fields = course_fields(course, response.url)
        item = self.post_process_item(self._offering(fields, None, [], response), response, course)
        if item is not None:
            self.crawler.stats.inc_value(f"{_STAT}offerings")
            yield item

    def _courses(
        self, response: TextResponse, objects: list[dict]
    ) -> Iterator[tuple[dict, dict[str, Any] | scrapy.Request]]:
        """Each course object with its fields, or with a request for its own page.

        A listing names courses whose own page says more: those are read there, and the
        listing's object is kept as a fallback for a detail page without data of its own,
        and completes one that leaves out what the listing said (LifterLMS' REST row has
        the course's length, the page's schema.org data often not).
        """
        page_url = urldefrag(response.url).url
        requested = urldefrag((response.meta.get("redirect_urls") or [response.url])[0]).url
        courses = find_objects(objects, self.wanted_types)
        listed = self._listed.pop(requested, None) or self._listed.pop(page_url, None)
        fallback = not courses and listed is not None
        if fallback:
            courses = [listed]
        elif not courses:
            self._read_without_course.update({page_url, requested})
        if not fallback:  # a listed object was fixed up on the listing already
            for obj in courses:
                self.pre_process_data(obj)
            if listed is not None and len(courses) == 1:
                for key, value in listed.items():
                    courses[0].setdefault(key, value)
        read = [(obj, course_fields(obj, response.url)) for obj in courses]
        _give_refs(read, page_url)
        for obj, fields in read:
            own_page = urldefrag(fields["url"]).url if fields["url"] else page_url
            deferred = not fallback and own_page != page_url and self._defer(own_page, obj)
            request = self._page_request(own_page) if deferred else None
            yield obj, request or fields

    def _defer(self, url: str, obj: dict) -> bool:
        """Whether a listed course is left to its own page (on site, fetched or fetchable)."""
        if url in self._read_without_course:
            return False
        if not (self._on_site(url) and self._under_site_path(url)):
            return False
        self._listed.setdefault(url, obj)
        return True

    def _organization(self, objects: list[dict], page_url: str) -> dict[str, Any] | None:
        """The page's own organisation: a top-level one (or in `@graph`), never one nested
        in a course, which may be an accrediting body or a partner."""
        for obj in objects:
            if type_names(obj) & ORGANIZATION_TYPES:
                fields = organization_fields(obj, page_url)
                if fields["name"]:
                    return fields
        return None

    def _offering(
        self,
        fields: dict[str, Any],
        organization: dict[str, Any] | None,
        page_claims: list[Claim],
        response: Response,
    ) -> Offering:
        extra = dict(fields["extra"])
        if self.platform is not None:
            extra["platform"] = self.platform.name
        if organization is not None:
            extra["organization"] = organization
        provider_name = (
            fields["provider_name"]
            or (organization["name"] if organization else None)
            or self.provider_name
        )
        values = {
            key: value
            for key, value in fields.items()
            if key not in {"extra", "provider_name", "url", "title"}
        }
        return Offering(
            **values,
            provider_name=provider_name,
            provider_url=self.provider_url,
            url=fields["url"] or response.url,
            title=fields["title"] or "",
            spider=self.name,
            claims=_merge_claims(page_claims, self._field_claims(fields, response.url)),
            extra=extra,
        )

    def _field_claims(self, fields: dict[str, Any], url: str) -> list[Claim]:
        """Claims in the course's own data (its description may not be on the page)."""
        texts = [fields["title"], fields["description"], fields["certificate_text"]]
        texts.append(str(fields["extra"].get("course_code") or ""))
        return extract_claims("\n".join(t for t in texts if t), url, free_certificate=False)

    def _provider_page(
        self, response: Response, claims: list[Claim], outbound: list[str]
    ) -> ProviderPage:
        return ProviderPage(
            provider_name=self.provider_name,
            provider_url=self.provider_url,
            url=response.url,
            spider=self.name,
            claims=claims,
            outbound_links=outbound,
        )

    def _onward_requests(
        self, response: TextResponse, reading: PageReading
    ) -> Iterator[scrapy.Request]:
        """ItemList entries, then the page's links; none from a page at `DEPTH_LIMIT`,
        whose links DepthMiddleware would drop all (not worth resolving)."""
        limit = self.settings.getint("DEPTH_LIMIT")
        if not self.follow_links or (limit and response.meta.get("depth", 0) >= limit):
            return
        for item_list in find_objects(reading.structured.objects, {"ItemList"}):
            yield from self._requests(item_list_urls(item_list, response.url))
        yield from self._requests(self._new_links(response, reading.hrefs))

    def _new_links(self, response: TextResponse, hrefs: list[str]) -> Iterator[str]:
        """Absolute URLs of the page's links, skipping site-wide links (menus, footers)
        already met on another page: resolving them again on every page is wasted work."""
        for href in hrefs:
            href = href.strip()
            if href in self._known_hrefs:
                continue
            if href.startswith(("/", "http:", "https:")) and not href.startswith("//"):
                self._known_hrefs.add(href)  # resolves the same from any page of the site
            url = response.urljoin(href)
            self._note_outbound(url)
            yield url

    def _note_outbound(self, url: str) -> None:
        """Keep the first link to each off-site host, to be reported with this page."""
        host = hostname(url)
        if not host or host in self._outbound_hosts or self._on_site(url):
            return
        if url.startswith(("http:", "https:")):
            self._outbound_hosts.add(host)
            self._outbound.append(url)

    def _requests(self, urls: Iterable[str]) -> Iterator[scrapy.Request]:
        for url in urls:
            request = self._page_request(url)
            if request is not None:
                yield request


def _entry(url: str, callback: Any, **meta: Any) -> scrapy.Request:
    """A platform's catalogue or REST page: an entry point, at depth 0 like the home page."""
    return scrapy.Request(url, callback=callback, meta={"depth_reset": True, **meta})


def _give_refs(read: list[tuple[dict, dict[str, Any]]], page_url: str) -> None:
    """Courses sharing the page's URL (a catalogue of courses without pages of their own)
    each get a stable ref: their `@id`, else their name (numbered when names repeat)."""
    shared = [(obj, f) for obj, f in read if urldefrag(f["url"] or page_url).url == page_url]
    if len(shared) < 2:
        return
    names: dict[str, int] = {}
    for position, (obj, fields) in enumerate(shared, start=1):
        node_id = obj.get("@id")
        if isinstance(node_id, str) and node_id and not node_id.startswith("_:"):
            fields["ref"] = node_id
            continue
        name = fields["title"] or f"#{position}"
        names[name] = names.get(name, 0) + 1
        fields["ref"] = name if names[name] == 1 else f"{name} ({names[name]})"


def _merge_claims(first: list[Claim], second: list[Claim]) -> list[Claim]:
    """Both lists, one claim per (kind, value), the first list's wording kept."""
    seen = {(claim.kind, claim.value) for claim in first}
    merged = list(first)
    for claim in second:
        if (claim.kind, claim.value) not in seen:
            seen.add((claim.kind, claim.value))
            merged.append(claim)
    return merged
