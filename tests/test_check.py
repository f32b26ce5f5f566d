"""`credwatch check`: the learner's lookup, as JSON and as terminal text."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from scoring.commands.check import lookup

ENTRIES = [
    ("cricos", "02042G", "Colleges of Business and Technology (WA) Pty Ltd", ["Curtin College"],
     "curtincollege.edu.au", "registered", None, None),
    ("rto", "50428", "Colleges of Business and Technology (WA) Pty Ltd", [], None, "Current",
     "2014-01-01", "2019-01-01"),
    ("cricos", "00301J", "Curtin University", ["Curtin University"], "curtin.edu.au", "registered",
     None, None),
]  # fmt: skip


def registers_db(path: Path) -> Path:
    open_work_db(path)["registry_entries"].insert_all(
        {
            "register": register,
            "entry_id": entry_id,
            "legal_name": legal,
            "trading_names": json.dumps(trading),
            "aliases": "[]",
            "status": status,
            "is_current": 1,
            "start_date": start,
            "end_date": end,
            "website_domain": domain,
            "snapshot_date": "2023-01-03",
        }
        for register, entry_id, legal, trading, domain, status, start, end in ENTRIES
    )
    return path


def test_check_json_gives_decision_entries_status_dates_and_evidence(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "work.db")
    result = CliRunner().invoke(cli, ["check", "Curtin College", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["decision"] == "matched"
    assert [(e["register"], e["entry_id"]) for e in report["entries"]] == [
        ("cricos", "02042G"),
        ("rto", "50428"),
    ]
    rto = report["entries"][1]
    assert (rto["status"], rto["start_date"], rto["end_date"]) == (
        "Current",
        "2014-01-01",
        "2019-01-01",
    )
    assert report["entries"][0]["evidence"]["how"] == "exact-trading"
    assert "CRICOS 02042G" in report["reason"]


def test_check_not_found_lists_rejected_candidates(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "work.db")
    report = lookup(db, "Curtin Universe Academy Online")
    assert report["decision"] == "not_found"
    assert report["entries"] == []
    assert report["rejected"][0]["entry_id"] == "00301J"
    assert report["rejected"][0]["decision"] == "rejected"


def test_check_terminal_output_is_readable(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "work.db")
    result = CliRunner().invoke(
        cli, ["check", "Curtin University", "--url", "https://www.curtin.edu.au/", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "Curtin University" in result.stdout and "matched" in result.stdout
    assert "domain curtin.edu.au" in result.stdout


def test_check_missing_database_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "RMIT", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_check_reads_codes_and_web_addresses(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "work.db")
    by_code = lookup(db, "RTO 50428")
    by_bare_code = lookup(db, "02042G")
    by_address = lookup(db, "https://www.curtin.edu.au/study")
    wrong_register = lookup(db, "CRICOS 50428")

    assert by_code["query"]["read_as"] == "code"
    assert by_code["entries"][0]["entry_id"] == "50428"
    assert by_bare_code["entries"][0]["entry_id"] == "02042G"
    assert by_address["query"]["read_as"] == "web"
    assert by_address["entries"][0]["entry_id"] == "00301J"
    assert wrong_register["decision"] == "not_found"
    assert "CRICOS register" in wrong_register["why"]


def test_check_says_status_as_of_the_snapshot(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "work.db")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["check", "RTO 50428", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Current as of 3 Jan 2023" in result.stdout
    assert "registered" in result.stdout


def test_check_caches_the_index_beside_the_database(tmp_path: Path) -> None:
    from scoring.matching.index import clear_index_cache

    db = registers_db(tmp_path / "work.db")
    lookup(db, "Curtin College")
    cached = list(tmp_path.glob(".work.db.matcher-*.pickle"))
    assert len(cached) == 1
    clear_index_cache()  # a new process: the index comes from the cache file
    assert lookup(db, "Curtin College")["decision"] == "matched"
    open_work_db(db)["registry_entries"].insert(
        {"register": "rto", "entry_id": "1", "legal_name": "New Entry Pty Ltd", "status": "Current"}
    )
    clear_index_cache()
    assert lookup(db, "New Entry")["entries"][0]["entry_id"] == "1"  # a changed snapshot
    assert list(tmp_path.glob(".work.db.matcher-*.pickle")) != cached


def test_check_by_code_finds_the_crawled_providers_score(tmp_path: Path) -> None:
    from helpers.sample_db import build_sample_work_db

    db = build_sample_work_db(tmp_path / "work.db", scored=True)
    result = CliRunner().invoke(cli, ["check", "RTO 40764", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["entries"][0]["entry_id"] == "40764"
    assert report["score"]["provider_name"] == "Survive First Aid"
