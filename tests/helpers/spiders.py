"""Shared by the platform spider tests: saved-response cases and a query-aware fixture server.

No tests here. A case is `tests/fixtures/pages/<spider>/<case>.meta.json` naming the
response URL, the provider (none for a register spider), the callback and the body file
(by default `<case>.html` or `<case>.json` beside it; a path relative to the case, so a
fixture site's file can serve as a case too). `<case>.expected.json` holds what the
callback must yield: items as dictionaries with their type, and requests as URL + callback
name. Set CREDWATCH_UPDATE_EXPECTED=1 to rewrite the expected files, then review the diff.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import scrapy
from scrapy.http import HtmlResponse, JsonResponse, TextResponse

from credwatch.core.localsite import BASE_TOKEN, FixtureHandler, LocalSite, serve_handler
from helpers.crawl import CREDWATCH, LOOPBACK, outcomes_by_url, run_crawl_cli
from helpers.paths import FIXTURES, TESTS

UPDATE_EXPECTED = os.environ.get("CREDWATCH_UPDATE_EXPECTED") == "1"


def page_cases(spider_name: str) -> list[Path]:
    """Every `<case>.meta.json` of a spider, for `pytest.mark.parametrize`."""
    cases = sorted((FIXTURES / "pages" / spider_name).glob("*.meta.json"))
    assert cases, f"no saved-response cases for spider {spider_name!r}"
    return cases


def case_response(meta_path: Path) -> TextResponse:
    """The saved response of a case, `__BASE_URL__` replaced by the case URL's origin."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    name = meta_path.name.removesuffix(".meta.json")
    body_name = meta["body"] if "body" in meta else _default_body(meta_path.parent, name)
    body_path = meta_path.parent / body_name
    parts = urlsplit(meta["url"])
    body = body_path.read_bytes().replace(BASE_TOKEN, f"{parts.scheme}://{parts.netloc}".encode())
    response_class = JsonResponse if body_path.suffix == ".json" else HtmlResponse
    return response_class(url=meta["url"], body=body, encoding="utf-8")


def _default_body(folder: Path, name: str) -> str:
    found = [path.name for path in folder.glob(f"{name}.*") if ".meta." not in path.name]
    bodies = [found_name for found_name in found if not found_name.endswith(".expected.json")]
    assert len(bodies) == 1, f"{folder / name}: expected one body file, found {bodies}"
    return bodies[0]


def run_case(spider_class: type[scrapy.Spider], meta_path: Path) -> list[dict[str, Any]]:
    """Feed a case's response to its callback; everything yielded, as JSON-ready dicts."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    provider = {key: meta[key] for key in ("provider_name", "provider_url") if key in meta}
    spider = spider_class(**provider)
    callback = getattr(spider, meta.get("callback", "parse"))
    outputs = callback(case_response(meta_path), **meta.get("cb_kwargs", {}))
    return [as_json(output) for output in outputs or []]


def as_json(output: Any) -> dict[str, Any]:
    if isinstance(output, scrapy.Request):
        return {"request": output.url, "callback": output.callback.__name__}
    assert dataclasses.is_dataclass(output), f"callback yielded {output!r}"
    return {"item": type(output).__name__, **dataclasses.asdict(output)}


def assert_expected(meta_path: Path, outputs: list[dict[str, Any]]) -> None:
    """Compare with `<case>.expected.json` (or rewrite it when updating)."""
    expected_path = meta_path.with_name(meta_path.name.replace(".meta.json", ".expected.json"))
    if UPDATE_EXPECTED:
        text = json.dumps(outputs, indent=2, ensure_ascii=False) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert outputs == expected


class _QueryFileHandler(FixtureHandler):
    """Static files where a query picks a file: `/api/x?start=3` -> `api/x/start=3.json`.

    Platform APIs page by query parameters that the plain file server ignores. For each
    parameter, `<path>/<name>=<value>.*` is served if it exists; `<path>/index.*` and
    `<path>.json` stand for the bare path.
    """

    def translate_path(self, path: str) -> str:
        bare, _, query = path.partition("?")
        target = Path(super().translate_path(bare))
        for name, value in parse_qsl(query):
            found = sorted(target.glob(f"{name}={value}.*"))
            if found:
                return str(found[0])
        if target.is_dir():
            found = sorted(target.glob("index.*"))
            return str(found[0]) if found else str(target)
        with_json = target.with_name(target.name + ".json")
        return str(with_json if not target.exists() and with_json.is_file() else target)


@contextlib.contextmanager
def serve_fixture_site(root: Path) -> Iterator[LocalSite]:
    """Serve a fixture site on 127.0.0.1 with query-selected files; `requested` keeps queries."""
    site = LocalSite(root=root, base_url="")
    with serve_handler(partial(_QueryFileHandler, site=site)) as base_url:
        site.base_url = base_url
        yield site


@dataclasses.dataclass
class FixtureCrawl:
    """What a `credwatch crawl` of one fixture site produced."""

    offerings: list[dict[str, Any]]
    requested: list[str]
    outcome: dict[str, Any]
    db_path: Path


def crawl_fixture_site(
    tmp_path: Path, site_name: str, spider: str, provider_name: str, path: str = "/"
) -> FixtureCrawl:
    """Serve `fixtures/sites/<site_name>` and crawl it with `spider` through the CLI."""
    with serve_fixture_site(FIXTURES / "sites" / site_name) as site:
        provider = {"name": provider_name, "url": site.base_url + path, "spider": spider}
        run_crawl_cli(tmp_path, [provider])
    lines = (tmp_path / "offerings.jsonl").read_text(encoding="utf-8").splitlines()
    [outcome] = outcomes_by_url(tmp_path / "work.db").values()
    return FixtureCrawl(
        offerings=[json.loads(line) for line in lines if line],
        requested=list(site.requested),
        outcome=outcome,
        db_path=tmp_path / "work.db",
    )


def crawl_register_site(
    spider: str, site_root: Path, to_dir: Path
) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`credwatch crawl --register SPIDER` of a fixture copy of a register's site, in a
    subprocess (Twisted's reactor starts once per process); the result and the paths asked."""
    with serve_fixture_site(site_root) as site:
        command = [str(CREDWATCH), "crawl", "--register", spider, "--to", str(to_dir)]
        command += ["--start-url", site.base_url, *LOOPBACK, "-s", "RETRY_TIMES=0"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)])}
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    return result, list(site.requested)
