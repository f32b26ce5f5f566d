"""What was verified by hand, now tested: the crawler's redirects and the site's refusals.

Crawler: Scrapy's redirect middleware, as the project's settings configure it, drops
`Authorization` and `Cookie` when a redirect leaves the host and follows no redirect to a
`file:`, `data:` or `ftp:` URL. Site: a real `credwatch serve` refuses writes (405), answers
unmatched paths with 404, never redirects off-site, caps `_size`, and logs no request locals.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from helpers.sample_db import publish_sample
from helpers.serving import running_server
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from crawler import settings as crawler_settings
from credwatch.serve import SETTINGS, datasette_command

PAGE = "http://127.0.0.1:8000/courses/"
SECRETS = {"Authorization": "Basic Y3JlZHdhdGNoOnNlY3JldA==", "Cookie": "session=abc"}


@pytest.fixture(scope="module")
def redirects() -> RedirectMiddleware:
    enabled = crawler_settings.DOWNLOADER_MIDDLEWARES
    assert enabled.get("scrapy.downloadermiddlewares.redirect.RedirectMiddleware", 1) is not None
    crawler = get_crawler(
        Spider, settings_dict={"REDIRECT_MAX_TIMES": crawler_settings.REDIRECT_MAX_TIMES}
    )
    crawler.spider = crawler._create_spider("security_probe")
    return RedirectMiddleware.from_crawler(crawler)


def redirected(middleware: RedirectMiddleware, location: str) -> Request | HtmlResponse:
    request = Request(PAGE, headers=SECRETS)
    response = HtmlResponse(PAGE, status=302, headers={"Location": location}, request=request)
    return middleware.process_response(request, response)


def test_a_redirect_to_another_host_carries_no_credentials(redirects: RedirectMiddleware):
    follow = redirected(redirects, "http://localhost:8001/login")
    assert isinstance(follow, Request)
    assert follow.url == "http://localhost:8001/login"
    assert b"Authorization" not in follow.headers
    assert b"Cookie" not in follow.headers


def test_a_redirect_on_the_same_host_keeps_its_headers(redirects: RedirectMiddleware):
    follow = redirected(redirects, "/courses/first-aid/")
    assert follow.headers[b"Cookie"] == b"session=abc"


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "data:text/html,<h1>x</h1>", "ftp://127.0.0.1/x"]
)
def test_redirects_out_of_http_are_not_followed(redirects: RedirectMiddleware, location: str):
    answer = redirected(redirects, location)
    assert isinstance(answer, HtmlResponse)
    assert answer.status == 302


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """A real `credwatch serve` on the sample, the answers to hostile requests, and its log."""
    db = publish_sample(tmp_path_factory.mktemp("site"), scored=True)
    log: list[str] = []
    answers = {}
    with running_server(db, log) as url, httpx.Client(base_url=url) as client:
        for path in (
            "/credwatch/offerings/-/insert",
            "/credwatch/offerings/-/drop",
            "/credwatch/offerings/offering-1/-/delete",
            "/credwatch/provider_lookup",
            "/-/report/127.0.0.1:18101",
            "/",
        ):
            answers[("POST", path)] = client.post(path, json={"row": {"title": "x"}})
        for path in (
            "/a/b/c/d/e",
            "/credwatch/no_such_table",
            "/\\evil.example/",
            "//evil.example/",
        ):
            answers[("GET", path)] = client.get(path)
        answers["size"] = client.get(
            "/credwatch/offerings.json", params={"_size": SETTINGS["max_returned_rows"] + 1}
        )
    return answers, log[0]


def test_every_write_is_refused_with_405(served):
    answers, _ = served
    posts = {key: answer for key, answer in answers.items() if key[0] == "POST"}
    assert {answer.status_code for answer in posts.values()} == {405}
    assert all(answer.headers["allow"] == "GET, HEAD, OPTIONS" for answer in posts.values())


def test_unmatched_paths_are_404_and_never_redirect_off_site(served):
    answers, _ = served
    for key in (("GET", "/a/b/c/d/e"), ("GET", "/credwatch/no_such_table")):
        assert answers[key].status_code == 404
    for key in (("GET", "/\\evil.example/"), ("GET", "//evil.example/")):
        location = answers[key].headers.get("location", "")
        assert not location.startswith(("//", "/\\", "\\")), location
        assert "evil.example" not in location


def test_a_page_size_above_the_row_limit_is_refused(served):
    answers, _ = served
    assert answers["size"].status_code == 400
    assert "max_returned_rows" in answers["size"].text or "_size" in answers["size"].text


def test_the_log_holds_no_traceback_or_request_locals(served):
    _, log = served
    assert "Traceback" not in log
    for marker in ("╭", "locals", "<datasette.utils.asgi.Request", "scope"):
        assert marker not in log


def test_serve_runs_datasette_without_rich_traceback_handler(tmp_path: Path):
    db = tmp_path / "credwatch.db"
    db.touch()
    command = datasette_command(db)
    assert command[1:3] == ["-m", "credwatch.datasette_launcher"]
    probe = (
        "import sys, credwatch.datasette_launcher as launcher\n"
        "sys.argv = ['datasette', '--version']\n"
        "try:\n    launcher.main()\nexcept SystemExit:\n    pass\n"
        "print(sys.excepthook is sys.__excepthook__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("True")
