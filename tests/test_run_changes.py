"""The morning report's change lines from two small public databases, item validation,
and a staging file that fails validation never replacing the live one."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from helpers.sample_db import build_sample_work_db

from crawler.items import Offering
from crawler.validation import offering_problems, validation_counts
from credwatch.core.errors import CredwatchError
from credwatch.nightly import Gates, provider_gate
from credwatch.publish import build_public_db
from credwatch.run_changes import change_line, changes_section, compare


def public_db(path: Path, *, grade: str, score: float, status: str, flag: bool) -> Path:
    db = sqlite_utils.Database(path)
    db["providers"].insert({"id": "p", "name": "Acme Training"}, pk="id")
    db["crawl_outcomes"].insert(
        {"crawl_run_id": "R1", "provider_id": "p", "outcome": "ok", "detail": ""}
    )
    db["offerings"].insert(
        {
            "id": "o",
            "provider_id": "p",
            "provider_name": "Acme Training",
            "title": "Forklift",
            "url": "http://acme.test/forklift",
            "price": 99.0,
            "crawl_run_id": "R1",
        },
        pk="id",
    )
    db["registry_entries"].insert_all(
        [
            {"register": "rto", "entry_id": "123", "legal_name": "Acme Pty Ltd", "status": status},
            {
                "register": "rto",
                "entry_id": "9" if flag else "8",
                "legal_name": "Other",
                "status": "Current",
            },
        ]
    )
    db["provider_scores"].insert(
        {"provider_id": "p", "provider_name": "Acme Training", "score": score, "grade": grade}
    )
    points = [("REGISTERED_CURRENT", 20.0)] + ([("FREE_CERTIFICATE", -15.0)] if flag else [])
    db["score_contributions"].insert_all(
        [{"provider_id": "p", "rule_id": rule, "points": value} for rule, value in points]
    )
    db["flags"].insert_all(
        [{"provider_id": "p", "offering_id": "o", "rule_id": "FREE_CERTIFICATE"}] if flag else [],
    )
    db["flags"].create({"provider_id": str, "offering_id": str, "rule_id": str}, ignore=True)
    return path


def test_flags_scores_and_register_entries_that_changed(tmp_path: Path) -> None:
    old = public_db(tmp_path / "old.db", grade="A", score=85, status="Current", flag=False)
    new = public_db(tmp_path / "new.db", grade="C", score=70, status="Cancelled", flag=True)
    lines = [change_line(change) for change in compare(old, new)]
    assert lines == [
        "- Acme Training: Forklift: FREE_CERTIFICATE",
        "- Acme Training: score 85 (A) -> 70 (C); rules: FREE_CERTIFICATE -15",
        "- rto 9 Other (Current)",
        "- rto 8 Other (was Current)",
        "- rto 123 Acme Pty Ltd: status Current -> Cancelled",
    ]
    back = [change.kind for change in compare(new, old)]
    assert back[0] == "flag_cleared"


def test_a_quiet_night_says_nothing_changed(tmp_path: Path) -> None:
    db = public_db(tmp_path / "same.db", grade="A", score=85, status="Current", flag=False)
    assert compare(db, db) == []
    assert changes_section([], "R1") == ["## Changes since run R1", "", "Nothing changed."]


def offering(**fields: Any) -> Offering:
    base = {
        "provider_name": "Acme",
        "provider_url": "http://acme.test/",
        "title": "Forklift",
        "url": "http://acme.test/forklift",
    }
    return Offering(**{**base, **fields})


def test_every_offering_is_checked_against_the_schema() -> None:
    assert list(offering_problems(offering(price=10.0, currency="AUD"))) == []
    assert list(offering_problems(offering(title=" ", url="/relative", price=-1.0))) == [
        ("title", "missing"),
        ("url", "not_http_url"),
        ("price", "negative_or_not_a_number"),
        ("currency", "missing_with_price"),
    ]
    assert list(offering_problems(offering(price=5.0, currency="dollars"))) == [
        ("currency", "not_iso_4217")
    ]


def test_a_provider_reaching_a_gate_is_held_and_below_it_is_not() -> None:
    stats = {
        "credwatch/validation/items": 5,
        "credwatch/validation/invalid": 1,
        "credwatch/validation/problem/title/missing": 1,
    }
    row = {"offerings_seen": 5, "validation": validation_counts(stats)}
    assert provider_gate(row, before=10, gates=Gates()) == (
        "offerings dropped 50% (10 -> 5), at least --provider-drop 50%"
    )
    assert provider_gate(row, before=9, gates=Gates(max_invalid=0.25)) == ""
    assert provider_gate(row, before=None, gates=Gates(max_invalid=0.2)) == (
        "validation: 1/5 offerings invalid (title/missing: 1), at least --max-invalid 20%"
    )


def test_a_staging_file_failing_validation_leaves_the_live_file_alone(tmp_path: Path) -> None:
    work = build_sample_work_db(tmp_path / "work.db", scored=True)
    live = build_public_db(work, tmp_path / "credwatch.db").path
    before = hashlib.sha256(live.read_bytes()).hexdigest()

    def empty_the_offerings(staging: Path) -> None:
        sqlite_utils.Database(staging).execute("DELETE FROM offerings").connection.commit()

    with pytest.raises(CredwatchError, match="table offerings is empty"):
        build_public_db(work, live, prepare=empty_the_offerings)
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_provider_back_to_ok_is_reported_recovered(tmp_path: Path) -> None:
    old = public_db(tmp_path / "old.db", grade="A", score=85, status="Current", flag=False)
    new = public_db(tmp_path / "new.db", grade="A", score=85, status="Current", flag=False)
    sqlite_utils.Database(old)["crawl_outcomes"].update(
        1, {"outcome": "timeout", "detail": "timeout: 3"}
    )
    (change,) = compare(old, new)
    assert change_line(change) == "- Acme Training: timeout -> ok"
    (back,) = compare(new, old)
    assert change_line(back) == "- Acme Training: timeout (timeout: 3)"
