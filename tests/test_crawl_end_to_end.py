"""End to end: `credwatch crawl` (a subprocess) reads a fixture provider site served on
127.0.0.1 with the generic structured_data spider and fills the working database and JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from helpers.crawl import run_crawl_cli
from helpers.paths import FIXTURES

from credwatch.core.localsite import serve_directory

SITE = FIXTURES / "sites" / "harbourline"
NAME = "Harbourline Skills Institute"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp_path = tmp_path_factory.mktemp("e2e")
    with serve_directory(SITE) as site:
        result = run_crawl_cli(tmp_path, [{"name": NAME, "url": site.base_url + "/"}])
    return {
        "db": sqlite_utils.Database(tmp_path / "work.db"),
        "jsonl": tmp_path / "offerings.jsonl",
        "requested": site.requested,
        "base_url": site.base_url,
        "stdout": result.stdout,
    }


def test_offerings_carry_price_duration_and_certificate(crawled: dict[str, Any]) -> None:
    rows = {row["title"]: row for row in crawled["db"]["offerings"].rows}
    whs = rows["BSB41419 Certificate IV in Work Health and Safety"]
    assert (whs["price"], whs["currency"], whs["duration_hours"]) == (1450.0, "AUD", 120.0)
    assert "Work Health and Safety" in whs["certificate_text"]
    assert whs["spider"] == "structured_data"
    forklift = rows["Licence to operate a forklift truck (TLILIC0003)"]
    assert (forklift["price"], forklift["duration_hours"]) == (395.0, 16.0)
    assert (rows["Barista basics"]["price"], rows["Barista basics"]["duration_hours"]) == (0.0, 3.0)
    assert len(rows) == 3


def test_claims_are_stored_per_offering_and_per_site_page(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    offering_ids = {row["title"]: row["id"] for row in db["offerings"].rows}
    claims = {(row["kind"], row["value"], row["offering_id"]) for row in db["claims"].rows}
    whs_id = offering_ids["BSB41419 Certificate IV in Work Health and Safety"]
    assert ("national_code", "BSB41419", whs_id) in claims
    assert ("rto_code", "52786", whs_id) in claims
    # Barista basics' page body says "Includes a free certificate", but its course data names
    # no certificate: the FREE_CERTIFICATE flag reads the data, so no claim says otherwise.
    assert {kind for kind, _, offering in claims if offering == offering_ids["Barista basics"]} == {
        "rto_code",
        "abn",
        "nationally_recognised",
    }
    assert ("regulator", "ASQA", None) in claims  # the About page is not a course


def test_provider_and_outcome_rows(crawled: dict[str, Any]) -> None:
    db = crawled["db"]
    provider_id = crawled["base_url"].removeprefix("http://")
    assert db["providers"].get(provider_id)["name"] == NAME
    (outcome,) = db["crawl_outcomes"].rows
    assert (outcome["outcome"], outcome["provider_id"]) == ("ok", provider_id)
    assert outcome["items"] >= 3 and outcome["pages"] >= 5
    (run,) = db["crawl_runs"].rows
    assert run["id"] == outcome["crawl_run_id"] and run["items"] == outcome["items"]
    assert "1/1 providers ok" in crawled["stdout"]


def test_robots_disallowed_enrolment_page_is_never_fetched(crawled: dict[str, Any]) -> None:
    assert "/about/" in crawled["requested"]
    assert not [path for path in crawled["requested"] if path.startswith("/enrol")]


def test_jsonl_has_one_object_per_offering(crawled: dict[str, Any]) -> None:
    lines = [json.loads(line) for line in Path(crawled["jsonl"]).read_text().splitlines()]
    assert sorted(line["title"] for line in lines) == [
        "BSB41419 Certificate IV in Work Health and Safety",
        "Barista basics",
        "Licence to operate a forklift truck (TLILIC0003)",
    ]
    required = {"provider_name", "provider_url", "title", "url", "price", "currency",
                "duration_hours", "certificate_text", "claims"}  # fmt: skip
    assert all(required <= set(line) for line in lines)
    assert all(line["provider_name"] == NAME for line in lines)
    claim = next(c for line in lines for c in line["claims"] if c["kind"] == "national_code")
    assert {"kind", "value", "text"} <= set(claim) and claim["value"] in claim["text"]
