"""`credwatch publish`: public tables only, search, views, validation and an atomic swap."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.sample_db import REDGUM, SURVIVE, XSS_TITLE, build_sample_work_db, rto_entry

from credwatch import publish as publish_module
from credwatch.cli import cli
from credwatch.core.errors import CredwatchError
from credwatch.pipeline import open_work_db
from credwatch.publish import build_public_db


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def scored_work_db(tmp_path: Path) -> Path:
    return build_sample_work_db(tmp_path / "work.db", scored=True)


def test_publish_copies_public_tables_with_search_and_report_view(
    scored_work_db: Path, tmp_path: Path
):
    out = tmp_path / "site" / "credwatch.db"
    result = build_public_db(scored_work_db, out)

    db = sqlite_utils.Database(out)
    assert result.counts["registry_entries"] == 4
    assert result.counts["offerings"] == 3
    assert result.counts["provider_scores"] == 2
    assert "_sqlite_migrations" not in db.table_names()
    assert db["offerings"].pks == ["id"]
    assert db["registry_entries"].pks == ["register", "entry_id"]
    # full-text search over offerings and register names (porter stemming: "licences")
    hits = [row["title"] for row in db["offerings"].search("forklift licences")]
    assert hits == [XSS_TITLE]
    assert [row["entry_id"] for row in db["registry_entries"].search("holmesglen")] == ["00012G"]
    # each offering lists the flags raised on it, for an array facet
    flags = {row["id"]: json.loads(row["flags"]) for row in db["offerings"].rows}
    assert flags == {"offering-1": [], "offering-2": [], "offering-3": ["FREE_CERTIFICATE"]}
    report = {row["provider_id"]: row for row in db.view("provider_report").rows}
    assert report[SURVIVE]["grade"] == "A"
    assert report[SURVIVE]["register_matches"] == "rto 40764 (matched)"
    assert report[SURVIVE]["offerings"] == 2
    assert report[REDGUM]["flags"] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert list(out.parent.iterdir()) == [out]


def test_unscored_database_publishes_with_not_scored_yet(tmp_path: Path):
    work = build_sample_work_db(tmp_path / "work.db", scored=False)
    out = tmp_path / "credwatch.db"
    build_public_db(work, out)
    report = list(sqlite_utils.Database(out).view("provider_report").rows)
    assert {row["registration"] for row in report} == {"not scored yet"}
    assert {row["grade"] for row in report} == {None}


def test_second_publish_keeps_previous_file(scored_work_db: Path, tmp_path: Path):
    out = tmp_path / "credwatch.db"
    build_public_db(scored_work_db, out)
    first = sha256(out)
    work = sqlite_utils.Database(scored_work_db)
    work["registry_entries"].insert(
        rto_entry("0029", "Australian Taxation Office", "Cancelled", "", "")
    )
    work.close()

    result = build_public_db(scored_work_db, out)

    assert result.previous == tmp_path / "credwatch.prev.db"
    assert sha256(result.previous) == first
    assert sqlite_utils.Database(out)["registry_entries"].count == 5


def test_empty_offerings_are_refused_and_live_file_untouched(scored_work_db: Path, tmp_path: Path):
    out = tmp_path / "credwatch.db"
    build_public_db(scored_work_db, out)
    live = sha256(out)
    broken = open_work_db(tmp_path / "broken.db")
    broken["registry_entries"].insert(
        rto_entry("40764", "SURVIVE FIRST AID PTY LTD", "Current", "", "")
    )
    broken.close()

    with pytest.raises(CredwatchError, match="offerings is empty; refusing to publish"):
        build_public_db(tmp_path / "broken.db", out)

    assert sha256(out) == live
    assert not (tmp_path / "credwatch.prev.db").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "credwatch" in p.name) == ["credwatch.db"]


def test_failure_during_build_leaves_live_file_untouched(
    scored_work_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "credwatch.db"
    build_public_db(scored_work_db, out)
    live = sha256(out)
    monkeypatch.setitem(publish_module.VIEWS, "broken_view", ("SELECT FROM WHERE", set()))

    with pytest.raises(CredwatchError, match="cannot build the public database"):
        build_public_db(scored_work_db, out)

    assert sha256(out) == live
    assert sorted(p.name for p in tmp_path.iterdir() if "credwatch" in p.name) == ["credwatch.db"]


def test_corrupt_staging_file_fails_integrity_check(tmp_path: Path):
    corrupt = tmp_path / "corrupt.db"
    build_public_db(build_sample_work_db(tmp_path / "work.db", scored=False), corrupt)
    data = bytearray(corrupt.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size * 2 : page_size * 2 + 64] = b"\xff" * 64  # smash a b-tree page header
    corrupt.write_bytes(bytes(data))

    with pytest.raises(CredwatchError, match=r"corrupt\.db: integrity check failed"):
        publish_module.validate_public_db(corrupt)


def test_publish_command_reports_counts_and_one_line_errors(scored_work_db: Path, tmp_path: Path):
    out = tmp_path / "credwatch.db"
    runner = CliRunner()
    ok = runner.invoke(cli, ["publish", "--db", str(scored_work_db), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert f"published {out}" in ok.output
    assert "offerings" in ok.output and "3" in ok.output

    missing = runner.invoke(cli, ["publish", "--db", str(tmp_path / "nope.db"), "--out", str(out)])
    assert missing.exit_code == 2
    assert missing.output.strip().splitlines() == [
        f"credwatch: error: {tmp_path / 'nope.db'}: working database does not exist"
    ]
