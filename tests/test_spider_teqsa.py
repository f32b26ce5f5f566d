"""TEQSA National Register: a register source read by a spider, loaded like any register file.

The spider turns the register's listing and provider pages into register entries; `credwatch
crawl --register teqsa --to DIR` writes them as JSON lines; `registers load` reads that file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.paths import FIXTURES
from helpers.spiders import assert_expected, crawl_register_site, page_cases, run_case

from crawler.platforms.teqsa import head_office_state, register_date
from crawler.spiders.registers.teqsa import TeqsaSpider
from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.registers import is_current, is_sanction

SITE = FIXTURES / "sites" / "teqsa_register"
PROVIDER_IDS = ["PRV12062", "PRV12079", "PRV12080", "PRV12158", "PRV14301", "PRV14417"]


@pytest.mark.parametrize(
    "case", page_cases("teqsa"), ids=lambda path: path.name.removesuffix(".meta.json")
)
def test_saved_register_pages_give_expected_entries_and_requests(case: Path) -> None:
    assert_expected(case, run_case(TeqsaSpider, case))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("29 January 2012", "2012-01-29"),
        ("1 Dec 2024", "2024-12-01"),
        ("29/01/2012", "2012-01-29"),
        ("2031-07-02", "2031-07-02"),
        ("ongoing", None),
        (None, None),
    ],
)
def test_register_dates(text: str | None, iso: str | None) -> None:
    assert register_date(text) == iso


def test_status_words_and_state_readings() -> None:
    statuses = ("registered", "registration ongoing pending renewal", "cancelled", "withdrawn")
    assert [is_current("teqsa", s) for s in statuses] == [True, True, False, False]
    assert [is_current("teqsa", s) for s in ("expired", "suspended", "under review")] == [
        False,
        False,
        None,
    ]
    assert [is_sanction("teqsa", s) for s in ("suspended", "cancelled")] == [True, False]
    assert head_office_state("Level 4, 88 Pitt Street, SYDNEY NSW 2000") == "NSW"
    assert head_office_state("Perth, Western Australia") == "WA"
    assert head_office_state("Overseas") is None
    assert head_office_state("c/o the Wa Act office") is None  # abbreviations are upper case


def crawl_register(site_root: Path, to_dir: Path) -> tuple[subprocess.CompletedProcess, list]:
    return crawl_register_site("teqsa", site_root, to_dir)


def test_crawl_writes_a_register_file_that_registers_load_reads(tmp_path: Path) -> None:
    out = tmp_path / "registers"
    result, requested = crawl_register(SITE, out)
    assert result.returncode == 0, result.stderr[-3000:]
    today = datetime.now(UTC).date().isoformat()
    feed = out / f"teqsa-national-register-{today}.jsonl"
    assert [path.name for path in out.iterdir()] == [feed.name]
    assert f"teqsa: 6 entries from 8 pages -> {feed}" in " ".join(result.stdout.split())
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert sorted(record["entry_id"] for record in records) == PROVIDER_IDS
    assert "/national-register?page=1" in requested

    db_path = tmp_path / "work.db"
    load = CliRunner().invoke(cli, ["registers", "load", "--from", str(out), "--db", str(db_path)])
    assert load.exit_code == 0, load.output
    assert "TEQSA National Register providers" in load.output
    rows = open_work_db(db_path).query(
        "select * from registry_entries where register = 'teqsa' order by entry_id"
    )
    found = {row["entry_id"]: row for row in rows}
    assert sorted(found) == PROVIDER_IDS
    assert found["PRV12158"]["status"] == "registration ongoing pending renewal"
    assert found["PRV12158"]["is_current"] == 1
    assert found["PRV12158"]["website_domain"] == "curtin.edu.au"
    assert json.loads(found["PRV12080"]["trading_names"]) == ["University of Queensland", "UQ"]
    assert (found["PRV14301"]["is_current"], found["PRV14301"]["state"]) == (0, "NSW")
    assert {(row["source_file"], row["snapshot_date"]) for row in found.values()} == {
        (feed.name, today)
    }


def test_an_incomplete_register_crawl_is_not_saved_as_a_snapshot(tmp_path: Path) -> None:
    """One provider page missing: loading the rest would read as that provider gone."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    shutil.rmtree(site / "national-register" / "provider" / "curtin-university")
    out = tmp_path / "registers"
    result, _ = crawl_register(site, out)
    assert result.returncode == 2
    assert "teqsa: register crawl incomplete (ok, 5 entries" in result.stderr
    assert "http_error: 1" in result.stderr
    assert not list(out.glob("*.jsonl"))
    (partial,) = out.glob(".teqsa-national-register-*.jsonl.part")
    assert len(partial.read_text(encoding="utf-8").splitlines()) == 5


def test_a_register_spider_is_refused_as_a_provider(tmp_path: Path) -> None:
    providers = tmp_path / "providers.csv"
    providers.write_text("name,url,spider\nTEQSA,https://www.teqsa.gov.au/,teqsa\n")
    db_path = tmp_path / "work.db"
    result = CliRunner().invoke(cli, ["crawl", "--providers", str(providers), "--db", str(db_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"credwatch: error: {providers}: row 1: 'teqsa' reads a register, not a provider: "
        "run `credwatch crawl --register teqsa --to DIR` and `registers load` it"
    )
    assert not db_path.exists()
