"""Scores end to end: the demo sites, crawled over HTTP, checked against the real registers.

The sites (credwatch/demo_sites/README.md) make true and false claims: a registered RTO with
its own code and a fee-free course, an RTO code of a different organisation, a code of a
cancelled RTO, a fake "free accredited certificate" look-alike of a registered institute,
an over-niche catalogue and an honest unregistered school.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import sqlite_utils
from helpers.paths import CREDWATCH, REPO


@pytest.fixture(scope="module")
def work(demo_output: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(demo_output / "demo-work.db")


def provider(work: sqlite_utils.Database, name: str) -> str:
    [row] = work.query("select id from providers where name = ?", [name])
    return row["id"]


def contributions(work: sqlite_utils.Database, name: str) -> dict[str, list[dict]]:
    rows = work.query(
        "select * from score_contributions where provider_id = ?", [provider(work, name)]
    )
    by_rule: dict[str, list[dict]] = {}
    for row in rows:
        by_rule.setdefault(row["rule_id"], []).append(row)
    return by_rule


def grade(work: sqlite_utils.Database, name: str) -> tuple[float, str]:
    [row] = work.query(
        "select score, grade from provider_scores where provider_id = ?", [provider(work, name)]
    )
    return row["score"], row["grade"]


def accepted_matches(work: sqlite_utils.Database, name: str) -> set[tuple[str, str]]:
    rows = work.query(
        "select register, entry_id from provider_matches where provider_id = ? "
        "and decision in ('matched', 'probable')",
        [provider(work, name)],
    )
    return {(row["register"], row["entry_id"]) for row in rows}


def test_registered_rto_with_its_own_code_scores_best(work):
    found = contributions(work, "Survive First Aid")
    assert accepted_matches(work, "Survive First Aid") == {("rto", "40764")}
    [registered] = found["REGISTERED"]
    assert (registered["register"], registered["entry_id"]) == ("rto", "40764")
    assert registered["snapshot_date"] == "2016-02-19"
    assert all(row["entry_id"] == "40764" for row in found["CODE_CONFIRMED"])
    # the government fee-free course from a current RTO costs nothing
    assert [row["points"] for row in found["FREE_CERTIFICATE"]] == [0]
    assert grade(work, "Survive First Aid")[1] == "A"


def test_code_of_a_different_organisation_is_named_with_its_evidence(work):
    found = contributions(work, "Redgum Ridge Workplace Skills")
    assert accepted_matches(work, "Redgum Ridge Workplace Skills") == set()
    other = found["CODE_OF_OTHER_ORGANISATION"]
    assert {(row["register"], row["entry_id"]) for row in other} == {("rto", "21703")}
    assert all("Emergency First Aid Pty Ltd" in row["reason"] for row in other)
    assert all("RTO 21703" in row["evidence_text"] for row in other)
    assert all(row["evidence_url"].startswith("http://127.0.0.1:") for row in other)
    assert "REGISTERED" not in found and "REGULATOR_NAMED_UNREGISTERED" in found
    assert grade(work, "Redgum Ridge Workplace Skills")[1] == "E"


def test_cancelled_code_says_cancelled_without_calling_it_a_sanction(work):
    found = contributions(work, "Quaywater Forklift & Safety Training")
    other = found["CODE_OF_OTHER_ORGANISATION"]
    assert {row["entry_id"] for row in other} == {"91608"}
    assert all("status Cancelled, ended 2013-04-04" in row["reason"] for row in other)
    assert not any("sanction" in row["reason"] for row in other)
    assert found["NATIONAL_RECOGNITION_UNBACKED"]


def test_free_accredited_certificate_lookalike(work):
    name = "Holmesglenn Institute Online"
    found = contributions(work, name)
    assert accepted_matches(work, name) == set()
    [lookalike] = found["LOOKALIKE_NAME"]
    assert "Holmesglen Institute" in lookalike["reason"]
    free = found["FREE_CERTIFICATE"]
    assert all(row["points"] < 0 and "accredited" in row["reason"] for row in free)
    assert sum(row["points"] for row in free) == pytest.approx(-15)  # capped
    [blocked] = found["BLOCKED_CHEATING_SITE"]
    assert blocked["evidence_text"].startswith("https://247assignmentcare.com")
    assert blocked["register"] == "teqsa_blocked"
    for rule in ("SAME_DAY_CERTIFICATE", "GUARANTEED_OUTCOME", "LIFE_EXPERIENCE_CREDENTIAL"):
        assert found[rule], rule
    assert grade(work, name) == (0.0, "E")


def test_honest_unregistered_school_and_over_niche_catalogue(work):
    fernleaf = contributions(work, "Fernleaf Digital Skills")
    assert "UNREGISTERED_NO_CLAIMS" in fernleaf
    assert not any(rule.endswith("UNBACKED") for rule in fernleaf)
    # its course pages state what you will learn, so that value flag is answered
    assert "NO_ASSESSMENT_OR_OUTCOMES" not in fernleaf
    niche = contributions(work, "Lessonbloom Educator Micro-credentials")["OVER_NICHE"]
    assert any("Checking for Understanding Using Gestures" in row["reason"] for row in niche)
    scores = {
        name: grade(work, name)[0]
        for name in ("Survive First Aid", "Fernleaf Digital Skills", "Holmesglenn Institute Online")
    }
    assert (
        scores["Survive First Aid"]
        > scores["Fernleaf Digital Skills"]
        > scores["Holmesglenn Institute Online"]
    )


def test_every_contribution_has_a_documented_rule_a_reason_and_evidence(work):
    from scoring.rules import RULES

    for row in work["score_contributions"].rows:
        assert row["rule_id"] in RULES, row["rule_id"]
        assert row["reason"].strip()
        assert row["evidence_url"].startswith("http://127.0.0.1:") or row["register"]


def test_check_json_shows_the_score_and_its_reasons(demo_output: Path):
    result = subprocess.run(
        [
            *CREDWATCH,
            "check",
            "Redgum Ridge Workplace Skills",
            "--db",
            str(demo_output / "demo-work.db"),
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["decision"] == "not_found"
    assert report["score"]["grade"] == "E"
    rules = {item["rule_id"] for item in report["score"]["contributions"]}
    assert "CODE_OF_OTHER_ORGANISATION" in rules


def test_the_link_to_a_blocked_site_is_published_as_evidence(demo_output: Path):
    published = sqlite_utils.Database(demo_output / "credwatch.db")
    hosts = {row["host"]: row for row in published["outbound_links"].rows}
    assert hosts["247assignmentcare.com"]["page_url"].startswith("http://127.0.0.1:")
