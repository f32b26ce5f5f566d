"""Each claim-check rule with a positive case and a tricky negative, on hand-built evidence."""

from __future__ import annotations

import pytest

from scoring.claim_checks import ProviderEvidence
from scoring.rules import evaluate, flag_offerings
from scoring.score import BASE_SCORE, Contribution, apply_caps, grade_for, total_score

ATO = {
    "register": "rto",
    "entry_id": "0029",
    "legal_name": "Australian Taxation Office",
    "status": "Cancelled",
    "is_current": 0,
    "end_date": "2015-06-30",
    "snapshot_date": "2016-02-19",
}
ACME_RTO = {
    "register": "rto",
    "entry_id": "91430",
    "legal_name": "Acme Safety Training Pty Ltd",
    "status": "Current",
    "is_current": 1,
    "snapshot_date": "2016-02-19",
}
REGISTER = {("rto", "0029"): ATO, ("rto", "91430"): ACME_RTO}


def claim(kind: str, value: str, text: str = "") -> dict:
    return {"kind": kind, "value": value, "text": text or value, "url": "http://x.test/p"}


def evidence(name: str = "Acme Safety Training", **kwargs) -> ProviderEvidence:
    return ProviderEvidence(
        provider_id="x.test",
        name=name,
        url="http://x.test/",
        lookup=lambda register, entry_id: REGISTER.get((register, entry_id)),
        snapshots={"rto": "2016-02-19"},
        **kwargs,
    )


def rule_ids(ev: ProviderEvidence) -> dict[str, float]:
    contributions, _ = evaluate(ev)
    totals: dict[str, float] = {}
    for item in contributions:
        totals[item.rule_id] = totals.get(item.rule_id, 0) + item.points
    return totals


def test_own_current_rto_code_is_confirmed_and_registration_counts():
    ev = evidence(
        claims=[claim("rto_code", "91430", "RTO 91430")],
        matches=[{**ACME_RTO, "decision": "matched", "reason": "name equals legal name"}],
    )
    found = rule_ids(ev)
    assert found["REGISTERED"] > 0 and found["CODE_CONFIRMED"] > 0
    assert "CODE_OF_OTHER_ORGANISATION" not in found


def test_rto_code_of_another_organisation_is_named():
    ev = evidence(name="Quick Cert Academy", claims=[claim("rto_code", "91430", "RTO 91430")])
    contributions, _ = evaluate(ev)
    [other] = [c for c in contributions if c.rule_id == "CODE_OF_OTHER_ORGANISATION"]
    assert "Acme Safety Training Pty Ltd" in other.reason
    assert other.register == "rto" and other.entry_id == "91430"
    assert other.snapshot_date == "2016-02-19" and other.evidence_text == "RTO 91430"


def test_code_missing_from_register_is_reported_with_snapshot():
    ev = evidence(claims=[claim("rto_code", "77777", "RTO 77777")])
    contributions, _ = evaluate(ev)
    [missing] = [c for c in contributions if c.rule_id == "CODE_NOT_ON_REGISTER"]
    assert missing.points < 0 and "2016-02-19" in missing.reason


def test_cancelled_registration_is_not_called_a_sanction():
    ev = evidence(name="Australian Taxation Office", matches=[{**ATO, "decision": "matched"}])
    contributions, _ = evaluate(ev)
    [lost] = [c for c in contributions if c.rule_id == "REGISTRATION_NOT_CURRENT"]
    assert "voluntary" in lost.reason and lost.points > -25
    suspended = evidence(
        matches=[{**ACME_RTO, "status": "Current (Suspended)", "decision": "matched"}]
    )
    assert rule_ids(suspended)["REGISTRATION_NOT_CURRENT"] == -25


def test_nationally_recognised_needs_a_current_rto():
    claims = [claim("nationally_recognised", "nationally recognised")]
    assert rule_ids(evidence(claims=claims))["NATIONAL_RECOGNITION_UNBACKED"] < 0
    backed = evidence(claims=claims, matches=[{**ACME_RTO, "decision": "matched"}])
    assert "NATIONAL_RECOGNITION_UNBACKED" not in rule_ids(backed)


def test_university_title_needs_a_university_entry():
    assert rule_ids(evidence(name="Global Online University"))["UNIVERSITY_TITLE_UNBACKED"] < 0
    real = {**ACME_RTO, "register": "cricos", "legal_name": "RMIT University"}
    assert "UNIVERSITY_TITLE_UNBACKED" not in rule_ids(
        evidence(name="RMIT University", matches=[real])
    )


def test_regulator_named_without_its_register():
    ev = evidence(claims=[claim("regulator", "ASQA", "regulated by ASQA")])
    assert rule_ids(ev)["REGULATOR_NAMED_UNREGISTERED"] < 0
    on_register = evidence(
        claims=[claim("regulator", "ASQA")], matches=[{**ACME_RTO, "decision": "matched"}]
    )
    assert "REGULATOR_NAMED_UNREGISTERED" not in rule_ids(on_register)


def test_mill_phrases_and_blocked_site_carry_evidence():
    ev = evidence(
        claims=[
            claim("same_day_certificate", "same day certificate", "Same day certificate!"),
            claim("guarantee", "100% pass", "100% pass rate"),
        ],
        blocked=[{"domain": "x.test", "listed_as": "x.test", "snapshot_date": "2026-05-19"}],
    )
    found = rule_ids(ev)
    assert found["SAME_DAY_CERTIFICATE"] < 0 and found["GUARANTEED_OUTCOME"] < 0
    assert found["BLOCKED_CHEATING_SITE"] <= -50


def test_lookalike_only_when_not_the_same_provider():
    best = {
        "register": "cricos",
        "entry_id": "00122A",
        "matched_name": "RMIT University",
        "name_score": 93.0,
        "domain_match": 0,
        "website_domain": "rmit.edu.au",
    }
    assert rule_ids(evidence(name="RMIT Universty", best_rejected=best))["LOOKALIKE_NAME"] < 0
    weak = {**best, "name_score": 60.0}
    assert "LOOKALIKE_NAME" not in rule_ids(evidence(best_rejected=weak))


def test_free_certificate_costs_depend_on_context():
    offering = {
        "id": "o1",
        "provider": "X",
        "title": "Workplace Safety",
        "description": "Get your free accredited certificate today.",
        "price": 0.0,
        "currency": "AUD",
        "duration_hours": 2.0,
        "certificate_text": "Free certificate",
        "url": "http://x.test/c",
    }
    flags = flag_offerings([offering])
    assert "FREE_CERTIFICATE" in flags[0].hits
    scam = evidence(
        offerings=[offering],
        offering_flags=flags,
        claims=[claim("internationally_recognised", "internationally recognised")],
    )
    backed = evidence(
        offerings=[offering],
        offering_flags=flags,
        matches=[{**ACME_RTO, "decision": "matched"}],
    )
    assert rule_ids(scam)["FREE_CERTIFICATE"] == -15
    assert rule_ids(backed)["FREE_CERTIFICATE"] == 0


def test_unregistered_seller_without_claims_keeps_the_base():
    ev = evidence(name="Some Course Marketplace")
    result = total_score(ev.provider_id, *evaluate(ev))
    assert result.score == BASE_SCORE
    assert [c.rule_id for c in result.contributions] == ["UNREGISTERED_NO_CLAIMS"]


def test_caps_bound_a_rule_but_keep_every_piece_of_evidence():
    many = [Contribution("VAGUE_RECOGNITION", -10, "r", evidence_url=f"u{i}") for i in range(5)]
    capped = apply_caps(many, {"VAGUE_RECOGNITION": 20})
    assert len(capped) == 5
    assert sum(c.points for c in capped) == pytest.approx(-20)


@pytest.mark.parametrize(("score", "grade"), [(100, "A"), (85, "A"), (70, "B"), (39.9, "E")])
def test_grades(score, grade):
    assert grade_for(score) == grade


def test_a_link_to_a_blocked_site_is_evidence_with_its_page():
    row = {"domain": "essaymill.test", "listed_as": "essaymill.test", "snapshot_date": "2026-05-19"}
    linked = {**row, "page_url": "http://x.test/about", "link": "https://essaymill.test/order"}
    contributions, _ = evaluate(evidence(blocked=[linked]))
    [hit] = [c for c in contributions if c.rule_id == "BLOCKED_CHEATING_SITE"]
    assert hit.points == -30 and "links to https://essaymill.test/order" in hit.reason
    assert hit.evidence_url == "http://x.test/about"


def test_an_abn_failing_its_checksum_costs_points_a_valid_one_does_not():
    bad = evidence(claims=[claim("abn_invalid", "12345678900", "ABN 12 345 678 900")])
    assert rule_ids(bad)["INVALID_ABN"] == -10
    good = evidence(claims=[claim("abn", "51824753556", "ABN 51 824 753 556")])
    assert "INVALID_ABN" not in rule_ids(good)


def test_value_flags_are_answered_by_what_the_course_page_states():
    offering = {
        "id": "o1",
        "provider": "X",
        "title": "Excel Pivot Tables",
        "description": "Summarise data with pivot tables.",
        "price": 79.0,
        "currency": "AUD",
        "duration_hours": 8.0,
        "certificate_text": "Certificate of completion",
        "url": "http://x.test/excel",
    }
    flags = flag_offerings([offering])
    raised = set(flags[0].hits)
    assert {"NO_ASSESSMENT_OR_OUTCOMES", "ATTENDANCE_CERTIFICATE"} <= raised
    silent = evidence(offerings=[offering], offering_flags=flags)
    assert {"NO_ASSESSMENT_OR_OUTCOMES", "ATTENDANCE_CERTIFICATE"} <= set(rule_ids(silent))
    outcomes = {**claim("learning_outcomes", "learning outcomes"), "offering_id": "o1"}
    stated = evidence(offerings=[offering], offering_flags=flags, claims=[outcomes])
    found = rule_ids(stated)
    assert "NO_ASSESSMENT_OR_OUTCOMES" not in found and "ATTENDANCE_CERTIFICATE" in found
