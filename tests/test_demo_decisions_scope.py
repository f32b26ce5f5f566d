"""The demo's decisions and scope: one (invented) provider with a decision in effect, one
whose decision was set aside, and a site advertising its own, an expired and another
provider's CRICOS course; their report cards, `credwatch check` and the "decisions in
effect" canned query show them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.serving import in_process_datasette

from credwatch.cli import cli

CASS, SURVIVE = "Cass Training International College", "Survive First Aid"
TERN = "Tern Point International College"  # invented: claims other providers' CRICOS courses
# The fictional demo decisions name only invented organisations, linked by name.
IN_EFFECT, SET_ASIDE = "Redgum Ridge Workplace Skills", "Quaywater Forklift & Safety Training"


@pytest.fixture(scope="module")
def published(demo_output: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(demo_output / "credwatch.db")


def rules_of(db: sqlite_utils.Database, name: str) -> dict[str, list[dict]]:
    rows = db.query(
        "select c.* from score_contributions c join providers p on p.id = c.provider_id "
        "where p.name = ? order by c.points",
        [name],
    )
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["rule_id"], []).append(row)
    return found


def test_a_decision_in_effect_costs_and_a_set_aside_one_does_not(published) -> None:
    assert published["regulatory_decisions"].count == 2
    [in_effect] = rules_of(published, IN_EFFECT)["DECISION_IN_EFFECT"]
    assert in_effect["points"] == -10
    assert "conditions decision of 2025-06-18 is in effect" in in_effect["reason"]
    assert (in_effect["register"], in_effect["entry_id"]) == ("asqa_decisions", "demo-redgum-1")
    set_aside_rules = rules_of(published, SET_ASIDE)
    assert "DECISION_IN_EFFECT" not in set_aside_rules
    [set_aside] = set_aside_rules["DECISION_SET_ASIDE"]
    assert set_aside["points"] == 0
    assert "decision set aside" in set_aside["reason"]
    assert "registration is not cancelled" in set_aside["reason"]


def test_the_fictional_decisions_link_to_no_register_entry(published) -> None:
    rows = list(published["regulatory_decisions"].rows)
    assert [(row["linked_register"], row["linked_by"]) for row in rows] == [(None, None)] * 2


def test_scope_of_the_courses_a_demo_site_advertises(published) -> None:
    tern = rules_of(published, TERN)
    assert sorted(row["entry_id"] for row in tern["SCOPE_COURSE_OF_OTHER_PROVIDER"]) == [
        "088150C",
        "103907M",
    ]
    reasons = " ".join(row["reason"] for row in tern["SCOPE_COURSE_OF_OTHER_PROVIDER"])
    assert "Magill College Pty Ltd (CRICOS 01994M), not to Tern Point" in reasons
    assert "088150C" in reasons and "(CRICOS 00001K)" in reasons
    [expired] = tern["SCOPE_COURSE_EXPIRED"]
    assert "088150C" in expired["reason"] and "expired" in expired["reason"]
    assert expired["points"] == -10
    cass = rules_of(published, CASS)
    assert not any(rule.startswith(("SCOPE_COURSE_OF", "SCOPE_COURSE_EXP")) for rule in cass)
    assert all(row["points"] >= 0 for row in cass.get("SCOPE_COURSE_CONFIRMED", []))
    confirmed = " ".join(row["reason"] for row in cass["SCOPE_COURSE_CONFIRMED"])
    assert "CRICOS course 0101337 Diploma of Accounting" in confirmed
    assert sum(row["points"] for row in cass["SCOPE_COURSE_CONFIRMED"]) == 6  # capped
    # first-aid units are on no CRICOS course: not verifiable, never false
    [unverifiable] = rules_of(published, SURVIVE)["SCOPE_NOT_VERIFIABLE"]
    assert unverifiable["points"] == 0 and "HLTAID011" in unverifiable["reason"]


async def test_report_cards_show_both_decisions_with_their_status(published, demo_output) -> None:
    ids = {row["name"]: row["id"] for row in published["providers"].rows}
    datasette = in_process_datasette(demo_output / "credwatch.db")
    in_effect = (await datasette.client.get(f"/-/report/{ids[IN_EFFECT]}")).text
    set_aside = (await datasette.client.get(f"/-/report/{ids[SET_ASIDE]}")).text
    assert "<h2>Regulatory decisions</h2>" in in_effect
    assert "<strong>In effect</strong>: In effect" in in_effect
    assert "Conditions (Redgum Ridge Workplace Skills Pty Ltd)" in in_effect
    assert "Linked by its organisation name, the same as this provider's" in in_effect
    assert "<strong>No longer in effect</strong>: Settled pursuant to terms" in set_aside
    assert (
        "registration is\nnot cancelled" in set_aside
        or "registration is not cancelled" in set_aside
    )
    fernleaf = (await datasette.client.get(f"/-/report/{ids['Fernleaf Digital Skills']}")).text
    assert "No published regulatory decision about this provider" in fernleaf


async def test_the_lookup_shows_the_decisions_about_an_rto_code(demo_output, tmp_path) -> None:
    # the demo's decisions name invented organisations only, so this test adds one about a
    # real RTO code to a temporary copy of the published file (never published)
    copy = tmp_path / "credwatch.db"
    shutil.copy(demo_output / "credwatch.db", copy)
    decisions = sqlite_utils.Database(copy)["regulatory_decisions"]
    decisions.insert(
        {
            "regulator": "asqa",
            "decision_id": "test-40764",
            "organisation_name": "Survive First-Aid Pty. Ltd.",
            "decision_type": "Written direction",
            "date_of_decision": "2025-03-02",
            "status_of_decision": "In effect",
            "in_effect": 1,
            "linked_register": "rto",
            "linked_entry_id": "40764",
            "linked_by": "matcher",
            "link_decision": "matched",
            "link_confidence": 0.95,
            "link_reason": "name 'SURVIVE FIRST AID PTY LTD' is the legal name of RTO 40764",
        }
    )
    decisions.insert(
        {
            "regulator": "asqa",
            "decision_id": "test-90309",
            "organisation_name": "Test record",
            "rto_code": "90309",
            "decision_type": "Conditions",
            "date_of_decision": "2025-06-18",
            "status_of_decision": "In effect",
            "in_effect": 1,
            "linked_register": "rto",
            "linked_entry_id": "90309",
            "linked_by": "code",
            "link_reason": "the decision page gives RTO code 90309",
        }
    )
    datasette = in_process_datasette(copy)
    await datasette.invoke_startup()
    page = (await datasette.client.get("/-/lookup", params={"q": "RTO 90309"})).text
    assert "<h2>Regulatory decisions</h2>" in page
    assert (
        "Test record, RTO 90309: Conditions of 2025-06-18:\n    <strong>in effect</strong>" in page
    )
    assert "Linked by RTO code 90309 on the decision page." in page
    answer = (await datasette.client.get("/-/lookup.json", params={"q": "RTO 40764"})).json()
    [by_name] = next(e for e in answer["entries"] if e["entry_id"] == "40764")["decisions"]
    assert (by_name["linked_by"], by_name["link_decision"]) == ("matcher", "matched")
    page = (await datasette.client.get("/-/lookup", params={"q": "RTO 40764"})).text
    assert (
        "Linked by the matcher on the name Survive First-Aid Pty. Ltd. (matched 0.95: name "
        "&#39;SURVIVE FIRST AID PTY LTD&#39; is the legal name of RTO 40764)" in page
    )


async def test_the_decisions_in_effect_query_lists_them_by_date(demo_output) -> None:
    datasette = in_process_datasette(demo_output / "credwatch.db")
    response = await datasette.client.get("/credwatch/decisions_in_effect.json?_shape=objects")
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [(row["organisation_name"], row["decision_type"]) for row in rows] == [
        ("Redgum Ridge Workplace Skills Pty Ltd", "Conditions")
    ]
    assert rows[0]["provider_ids"]


def test_check_shows_a_providers_decisions(demo_output: Path) -> None:
    work = str(demo_output / "demo-work.db")
    result = CliRunner().invoke(cli, ["check", SET_ASIDE, "--db", work, "--json"])
    assert result.exit_code == 0, result.output
    [decision] = json.loads(result.output)["decisions"]
    assert (decision["kind"], decision["in_effect"]) == ("cancellation", 0)
    text = CliRunner().invoke(cli, ["check", IN_EFFECT, "--db", work]).output
    assert "Regulatory decisions" in text and "In effect: In effect." in text
    assert "linked by organisation name 'Redgum Ridge Workplace Skills Pty Ltd'" in text
