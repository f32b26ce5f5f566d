"""The platforms small course sellers run, recognised from their home page.

A provider needs no hand-set `spider:`: the generic spider reads the home page, and when it
carries a platform's signature (the plugin's asset path, the hosted platform's CDN, Moodle's
page furniture) it also reads that platform's public catalogue:

- WordPress LMS plugins list their published courses in the WordPress REST API. LearnDash
  and Tutor LMS register a course post type shown there: `/wp-json/wp/v2/types` names its
  REST route, whose pages (`X-WP-TotalPages`) give each course's link, title and excerpt.
  LifterLMS shows its `course` type only to signed-in instructors and MasterStudy never
  shows `stm-courses`, but both publish a route of their own to everyone:
  `/wp-json/llms/v1/courses` (rows with a `permalink` and the course's `length`) and
  `/wp-json/masterstudy-lms/v2/courses` (`{"courses": [...], "pages": N}`, WordPress post
  fields plus `price`, `sale_price`, the currency `symbol` and `duration_info`). Each
  course page is then read for its own schema.org data; the REST row is the fallback when
  the page has none (LearnDash's `ldlms/v2` rows and MasterStudy's carry the price).
- Hosted platforms (Teachable, Thinkific, Kajabi, LearnWorlds) publish a catalogue page
  (`/courses`, `/collections`, `/store`); its links lead to course pages read as usual.
- Moodle's public course catalogue, `/course/index.php`, lists each course in a
  `coursebox` with its name, link and summary (course pages are usually behind a login,
  so the catalogue box is the offering).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from parsel import Selector

from crawler.parsers.structured import clean_description


@dataclass(frozen=True)
class Platform:
    name: str
    signature: re.Pattern[bytes]
    catalogue_paths: tuple[str, ...] = ()  # public listing pages read besides the home page
    course_post_types: frozenset[str] = frozenset()  # WordPress post types of its courses
    rest_routes: tuple[str, ...] = ()  # a plugin's own public REST listing of its courses
    moodle: bool = False


PLATFORMS = (
    Platform(
        "learndash",
        re.compile(rb"/wp-content/plugins/sfwd-lms/"),
        ("/courses/",),
        frozenset({"sfwd-courses"}),
    ),
    Platform(
        "tutor_lms",
        re.compile(rb"/wp-content/plugins/tutor/"),
        ("/courses/",),
        frozenset({"courses"}),
    ),
    Platform(
        "lifterlms",
        re.compile(rb"/wp-content/plugins/lifterlms/"),
        ("/courses/",),
        rest_routes=("/wp-json/llms/v1/courses",),
    ),
    Platform(
        "masterstudy",
        re.compile(rb"/wp-content/plugins/masterstudy-lms-learning-management-system/"),
        ("/courses/",),
        rest_routes=("/wp-json/masterstudy-lms/v2/courses",),
    ),
    Platform("teachable", re.compile(rb"teachablecdn\.com|teachable-ui"), ("/courses",)),
    Platform("thinkific", re.compile(rb"thinkific\.com/assets|cdn\.thinkific"), ("/collections",)),
    Platform("kajabi", re.compile(rb"kajabi-cdn\.com|kajabi-storefronts"), ("/store",)),
    Platform("learnworlds", re.compile(rb"learnworlds\.com|lwcdn\.com"), ("/courses",)),
    Platform(
        "moodle",
        re.compile(rb'name="keywords" content="moodle|M\.cfg = \{|/theme/yui_combo\.php'),
        ("/course/index.php",),
        moodle=True,
    ),
)
WORDPRESS_TYPES_PATH = "/wp-json/wp/v2/types"
WORDPRESS_PAGE_SIZE = 100


def detect_platform(home_page: bytes) -> Platform | None:
    """The platform whose signature the home page shows, if any (first match wins)."""
    head = home_page[:400_000]
    return next((platform for platform in PLATFORMS if platform.signature.search(head)), None)


def wordpress_course_routes(types: Any, platform: Platform, site: str) -> list[str]:
    """First pages of the REST routes of the platform's course post types."""
    routes = []
    for slug, described in (types or {}).items() if isinstance(types, dict) else ():
        if slug not in platform.course_post_types or not isinstance(described, dict):
            continue
        namespace = described.get("rest_namespace") or "wp/v2"
        base = described.get("rest_base") or slug
        routes.append(first_rest_page(f"{site}/wp-json/{namespace}/{base}"))
    return routes


def first_rest_page(route: str) -> str:
    """The first page of a WordPress REST listing, at its largest page size."""
    return f"{route}?per_page={WORDPRESS_PAGE_SIZE}&page=1"


def rest_listing(body: Any, total_pages_header: bytes | None) -> tuple[list, int]:
    """A REST listing page's rows and its page count: WordPress lists rows and counts pages
    in `X-WP-TotalPages`; MasterStudy wraps them, `{"courses": [...], "pages": N}`."""
    if isinstance(body, dict):
        rows, pages = body.get("courses"), body.get("pages")
    else:
        rows, pages = body, total_pages_header
    try:
        total = int(pages or 1)
    except (TypeError, ValueError):  # a header or field that is no number: one page read
        total = 1
    return (rows if isinstance(rows, list) else []), total


def wordpress_course(row: Any) -> dict | None:
    """A WordPress REST post row as a schema.org Course (the fallback for its page)."""
    if not isinstance(row, dict):
        return None
    link = row.get("link") or row.get("permalink")  # LifterLMS, MasterStudy: `permalink`
    if not isinstance(link, str) or not link:
        return None
    course: dict[str, Any] = {
        "@type": "Course",
        "name": _rendered(row.get("title")) or _rendered(row.get("post_title")),
        "url": link,
        "description": _rendered(row.get("excerpt")) or _rendered(row.get("post_excerpt")),
    }
    # LifterLMS' `length` and MasterStudy's `duration_info` are the seller's own words.
    duration = _rendered(row.get("length")) or _rendered(row.get("duration_info"))
    if duration:
        course["timeRequired"] = duration
    offer = _learndash_offer(row) or _masterstudy_offer(row)
    if offer is not None:
        course["offers"] = offer
    return course


def _rendered(value: Any) -> str | None:
    text = value.get("rendered") if isinstance(value, dict) else value
    return clean_description(text) if isinstance(text, str) else None


def _learndash_offer(row: dict) -> dict | None:
    """LearnDash's `price_type`: free and open courses cost nothing; the others name a
    price in the field of their type (the currency is a site setting, not in the row)."""
    price_type = row.get("price_type")
    if price_type in {"free", "open"}:
        return {"@type": "Offer", "price": 0, "category": "Free"}
    amount = row.get(f"price_type_{price_type}_price") if price_type else None
    if amount in (None, ""):
        return None
    return {"@type": "Offer", "price": amount}


def _masterstudy_offer(row: dict) -> dict | None:
    """MasterStudy's price (its sale price when one runs), shown with the site's currency
    symbol; a course whose `pricing_mode` is free costs nothing."""
    if "symbol" not in row:
        return None
    if row.get("pricing_mode") == "free":
        return {"@type": "Offer", "price": 0, "category": "Free"}
    amount = row.get("sale_price") or row.get("price")
    if amount in (None, ""):
        return None
    return {"@type": "Offer", "price": f"{row['symbol']}{amount}"}


def next_wordpress_page(url: str, total_pages: int) -> str | None:
    """The next `page=` of a REST listing, while `X-WP-TotalPages` says there is one."""
    match = re.search(r"([?&]page=)(\d+)", url)
    if not match or int(match.group(2)) >= total_pages:
        return None
    return f"{url[: match.start(2)]}{int(match.group(2)) + 1}{url[match.end(2) :]}"


def moodle_courses(selector: Selector, page_url: str) -> Iterator[dict]:
    """Moodle's catalogue boxes as schema.org Courses."""
    for box in selector.css("div.coursebox"):
        link = box.css(".coursename a")
        name = " ".join(" ".join(link.css("::text").getall()).split())
        href = link.attrib.get("href")
        if not name or not href:
            continue
        summary = box.css(".summary").get()
        yield {
            "@type": "Course",
            "name": name,
            "url": urljoin(page_url, href),
            "description": clean_description(summary) if summary else None,
        }
