"""The platforms small sellers use: recognised from the home page, their catalogue read.

Each fixture site is modelled on the platform's public shape: WordPress's REST API
(`/wp-json/wp/v2/types`, then the course post type's route, paged by `X-WP-TotalPages`;
LearnDash's `ldlms/v2` rows carry `price_type` and `price_type_<type>_price`; LifterLMS'
`llms/v1` and MasterStudy's `masterstudy-lms/v2` routes of their own), a hosted platform's
catalogue page, Moodle's `/course/index.php` course boxes. Providers name no spider: the
generic one detects the platform. LearnDash, Moodle and Teachable are served from routes
here; the other six tiers from whole fixture sites in `tests/fixtures/sites/`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import sqlite_utils
from helpers.crawl import run_crawl_cli
from helpers.paths import FIXTURES
from helpers.spiders import crawl_fixture_site

from crawler.platforms.small_sellers import detect_platform, rest_listing
from credwatch.core.localsite import serve_handler

WP_ASSET = "<link rel='stylesheet' href='/wp-content/plugins/{}/assets/css/front.css?ver=4.1'>"
HOME_PAGES = {
    "learndash": WP_ASSET.format("sfwd-lms/themes/ld30"),
    "tutor_lms": WP_ASSET.format("tutor"),
    "lifterlms": WP_ASSET.format("lifterlms"),
    "masterstudy": WP_ASSET.format("masterstudy-lms-learning-management-system"),
    "teachable": '<script src="https://fedora.teachablecdn.com/packs/student.js"></script>',
    "thinkific": '<link href="https://cdn.thinkific.com/assets/toga/site.css" rel="stylesheet">',
    "kajabi": '<script src="https://kajabi-storefronts-production.kajabi-cdn.com/x.js"></script>',
    "learnworlds": '<link rel="preconnect" href="https://lwfiles.mycourse.app"><script '
    'src="https://cdn.learnworlds.com/js/app.js"></script>',
    "moodle": '<meta name="keywords" content="moodle, Riverbend Online Learning">'
    '<script>M.cfg = {"wwwroot":"https://lms.example"};</script>',
}


@pytest.mark.parametrize("platform", sorted(HOME_PAGES))
def test_platform_is_detected_from_its_home_page(platform: str):
    page = f"<html><head>{HOME_PAGES[platform]}</head><body>Courses</body></html>"
    detected = detect_platform(page.encode())
    assert detected is not None and detected.name == platform


def test_a_plain_site_is_no_platform():
    assert (
        detect_platform(b"<html><body>We teach Moodle and WordPress courses</body></html>") is None
    )


Route = Callable[[BaseHTTPRequestHandler], None]


def respond(body: Any, content_type: str = "text/html", headers: dict | None = None) -> Route:
    data = (json.dumps(body) if not isinstance(body, str) else body).encode()

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return route


@contextlib.contextmanager
def site(routes: dict[str, Route]) -> Iterator[tuple[str, list[str]]]:
    """Serve routes keyed by path and query (REST pages differ only by `page=`)."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            route = routes.get(self.path) or routes.get(self.path.split("?")[0])
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            route(self)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    with serve_handler(Handler) as base_url:
        yield base_url, requested


def course_page(name: str, price: int) -> Route:
    data = {"@context": "https://schema.org", "@type": "Course", "name": name,
            "offers": {"@type": "Offer", "price": price, "priceCurrency": "AUD"}}  # fmt: skip
    return respond(
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script>'
        f"</head><body><h1>{name}</h1></body></html>"
    )


def wp_row(number: int, slug: str, title: str, **fields: Any) -> dict:
    return {
        "id": number,
        "type": "sfwd-courses",
        "link": f"__BASE__/courses/{slug}/",
        "title": {"rendered": title},
        "excerpt": {"rendered": f"<p>{title} &#8211; self-paced.</p>\n"},
        **fields,
    }


def crawl(tmp_path, base_url: str, name: str) -> list[dict]:
    run_crawl_cli(tmp_path, [{"name": name, "url": f"{base_url}/"}], "-s", "RETRY_TIMES=0")
    db = sqlite_utils.Database(tmp_path / "work.db")
    return list(db.query("select * from offerings order by title"))


def _with_base(rows: list[dict], base_url: str) -> list[dict]:
    return json.loads(json.dumps(rows).replace("__BASE__", base_url))


def test_learndash_site_is_read_through_its_rest_route(tmp_path):
    routes: dict[str, Route] = {}
    with site(routes) as (base_url, requested):
        first = [
            wp_row(11, "first-aid", "Provide First Aid", price_type="paynow",
                   price_type_paynow_price="149"),
            wp_row(12, "cpr", "Provide CPR", price_type="free"),
        ]  # fmt: skip
        second = [wp_row(13, "manual-handling", "Manual Handling", price_type="closed",
                         price_type_closed_price="89")]  # fmt: skip
        route = "/wp-json/ldlms/v2/sfwd-courses?per_page=100&page="
        pages = {"X-WP-TotalPages": "2", "X-WP-Total": "3"}
        routes.update(
            {
                "/": respond(f"<html><head>{HOME_PAGES['learndash']}</head><body></body></html>"),
                "/wp-json/wp/v2/types": respond(
                    {
                        "post": {"slug": "post", "rest_base": "posts", "rest_namespace": "wp/v2"},
                        "sfwd-courses": {
                            "slug": "sfwd-courses",
                            "rest_base": "sfwd-courses",
                            "rest_namespace": "ldlms/v2",
                        },
                    },
                    "application/json",
                ),
                f"{route}1": respond(_with_base(first, base_url), "application/json", pages),
                f"{route}2": respond(_with_base(second, base_url), "application/json", pages),
                "/courses/first-aid/": course_page("Provide First Aid (HLTAID011)", 149),
                "/courses/cpr/": respond("<html><body><h1>Provide CPR</h1></body></html>"),
            }
        )
        offerings = crawl(tmp_path, base_url, "Harbour First Aid")
    assert f"{route}2" in requested
    assert [(o["title"], o["price"]) for o in offerings] == [
        ("Manual Handling", 89.0),  # its page is missing (404): the REST row stands
        ("Provide CPR", 0.0),  # its page has no data: the REST row stands
        ("Provide First Aid (HLTAID011)", 149.0),  # read from its own page
    ]
    assert {json.loads(o["extra"])["platform"] for o in offerings} == {"learndash"}


def test_moodle_catalogue_boxes_are_the_offerings(tmp_path):
    def box(number: int, name: str, summary: str) -> str:
        return (
            f'<div class="coursebox clearfix odd first" data-courseid="{number}" data-type="1">'
            f'<div class="info"><h3 class="coursename"><a class="aalink" '
            f'href="/course/view.php?id={number}">{name}</a></h3></div><div class="content">'
            f'<div class="summary"><div class="no-overflow"><p>{summary}</p></div></div>'
            "</div></div>"
        )

    catalogue = (
        f"<html><body><div class='course_category_tree'>{box(2, 'Workplace Safety', 'WHS basics')}"
        f"{box(3, 'Excel for Work', 'Formulas and charts.')}"
        "<a href='/course/index.php?categoryid=4'>Short courses</a></div></body></html>"
    )
    category = f"<html><body>{box(5, 'Barista Basics', 'Espresso, 6 hours.')}</body></html>"
    routes = {
        "/": respond(f"<html><head>{HOME_PAGES['moodle']}</head><body>Log in</body></html>"),
        "/course/index.php": respond(catalogue),
        "/course/index.php?categoryid=4": respond(category),
    }
    with site(routes) as (base_url, _):
        offerings = crawl(tmp_path, base_url, "Riverbend Online")
    assert [(o["title"], o["url"].removeprefix(base_url)) for o in offerings] == [
        ("Barista Basics", "/course/view.php?id=5"),
        ("Excel for Work", "/course/view.php?id=3"),
        ("Workplace Safety", "/course/view.php?id=2"),
    ]
    assert offerings[0]["description"] == "Espresso, 6 hours."


def test_teachable_school_catalogue_page_is_read(tmp_path):
    catalogue = (
        "<html><body><div class='course-listing'><a href='/p/notary-basics'>Notary Basics</a>"
        "</div><div class='course-listing'><a href='/p/loan-signing'>Loan Signing</a></div>"
        "</body></html>"
    )
    routes = {
        "/": respond(f"<html><head>{HOME_PAGES['teachable']}</head><body>Welcome</body></html>"),
        "/courses": respond(catalogue),
        "/p/notary-basics": course_page("Notary Basics", 97),
        "/p/loan-signing": course_page("Loan Signing Agent Certification", 297),
    }
    with site(routes) as (base_url, requested):
        offerings = crawl(tmp_path, base_url, "Notary Academy")
    assert "/courses" in requested
    assert [(o["title"], o["price"]) for o in offerings] == [
        ("Loan Signing Agent Certification", 297.0),
        ("Notary Basics", 97.0),
    ]


# --- fixture sites of the other six tiers (tests/fixtures/sites/<tier>_*/), crawled whole ---

TIER_SITES = {
    # WordPress REST: wp/v2/types names Tutor's `courses` route; the page's SEO-plugin JSON-LD
    # gives price and workload, a page without it leaves the REST row (title, excerpt).
    "tutor_lms": (
        "tutor_lms_school",
        [
            ("Bookkeeping with Xero", 249.0, "AUD", 12.0),
            ("Excel for Office Admin", None, None, None),
        ],
    ),
    # LifterLMS' own public llms/v1 route: `permalink` rows with the course `length`.
    "lifterlms": (
        "lifterlms_school",
        [
            ("Barista Basics", None, None, 3.0),
            ("Responsible Service of Alcohol", 45.0, "AUD", 4.0),  # page price, REST length
        ],
    ),
    # MasterStudy's masterstudy-lms/v2 route, two pages (`"pages": 2` in the body): the sale
    # price when one runs, "$" naming no currency, "6 weeks" no hours, free by pricing_mode.
    "masterstudy": (
        "masterstudy_school",
        [
            ("Digital Marketing Fundamentals", 149.0, None, None),
            ("Intro to SEO", 0.0, None, 3.0),
            ("Social Media for Business", 99.0, None, 10.0),
        ],
    ),
    # Hosted: the public catalogue page links course landing pages carrying Course data.
    "thinkific": (
        "thinkific_school",
        [
            ("Behaviour Support Basics", 0.0, "USD", None),
            ("Formative Assessment in Practice", 49.0, "USD", 6.0),
        ],
    ),
    "kajabi": (
        "kajabi_site",
        [
            ("Budgeting Bootcamp", 197.0, "AUD", 12.0),  # "6 weeks, 2 hours a week"
            ("Debt-Free Blueprint", 47.0, "AUD", None),
        ],
    ),
    "learnworlds": (
        "learnworlds_school",
        [
            ("Manual Handling Essentials", 35.0, "AUD", 2.0),
            ("Working at Heights Awareness", 120.0, "AUD", 8.0),
        ],
    ),
}


@pytest.mark.parametrize("platform", sorted(TIER_SITES))
def test_tier_fixture_site_is_detected_and_its_catalogue_read(tmp_path, platform: str):
    site_name, expected = TIER_SITES[platform]
    home = (FIXTURES / "sites" / site_name / "index.html").read_bytes()
    detected = detect_platform(home)
    assert detected is not None and detected.name == platform
    crawl = crawl_fixture_site(tmp_path, site_name, "structured_data", "Tier School")
    offerings = sorted(crawl.offerings, key=lambda offering: offering["title"])
    assert [
        (o["title"], o["price"], o["currency"], o["duration_hours"]) for o in offerings
    ] == expected
    assert {o["extra"]["platform"] for o in offerings} == {platform}
    assert crawl.outcome["outcome"] == "ok"
    assert f"platform: {platform}" in crawl.outcome["detail"]


def test_rest_routes_are_the_ones_the_plugins_publish(tmp_path):
    """LifterLMS and MasterStudy are read from their own routes (their post types are not
    in wp/v2/types for a visitor), Tutor LMS from wp/v2, MasterStudy's second page too."""
    asked = {}
    for platform in ("lifterlms", "masterstudy", "tutor_lms"):
        work = tmp_path / platform
        work.mkdir()
        site_name = TIER_SITES[platform][0]
        asked[platform] = crawl_fixture_site(work, site_name, "structured_data", "Tier").requested
    assert "/wp-json/llms/v1/courses?per_page=100&page=1" in asked["lifterlms"]
    assert "/wp-json/wp/v2/types" not in asked["lifterlms"]
    assert "/wp-json/masterstudy-lms/v2/courses?per_page=100&page=2" in asked["masterstudy"]
    assert "/wp-json/wp/v2/courses?per_page=100&page=1" in asked["tutor_lms"]


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        ([{"id": 1}], b"3", ([{"id": 1}], 3)),  # WordPress: rows, X-WP-TotalPages
        ({"courses": [{"ID": 31}], "total": 3, "pages": 2}, None, ([{"ID": 31}], 2)),
        ({"code": "rest_no_route", "message": "No route was found"}, None, ([], 1)),
        ([], b"many", ([], 1)),  # a page count that is no number: this page only
        (None, None, ([], 1)),  # not JSON at all
    ],
)
def test_rest_listing_reads_rows_and_page_count(body: Any, header: bytes | None, expected):
    assert rest_listing(body, header) == expected
