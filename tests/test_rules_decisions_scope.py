"""DECISION_* and SCOPE_* rules on one provider's evidence: what costs, what only shows."""

from __future__ import annotations

import pytest
import sqlite_utils

from registry_data.schema import migrations
from scoring.claim_checks import ProviderEvidence
from scoring.decisions import DecisionIndex, decision_kind
from scoring.matching import build_index
from scoring.rules import RULES
from scoring.scope import CourseRegister

RTO_MATCH = {"register": "rto", "entry_id": "0512", "legal_name": "Tallowood College Pty Ltd"}
CRICOS_MATCH = {"register": "cricos", "entry_id": "03389E", "legal_name": "Tallowood College"}


def decision(decision_id: str, kind: str, status: str, in_effect: int | None, **more) -> dict:
    return {
        "regulator": "asqa",
        "decision_id": decision_id,
        "organisation_name": "Tallowood College Pty Ltd",
        "rto_code": "512",
        "decision_type": kind,
        "date_of_decision": "2024-03-12",
        "status_of_decision": status,
        "in_effect": in_effect,
        "details": "The Commissioner decided to cancel the RTO's registration.",
        "source_url": f"https://www.asqa.gov.au/decisions/{decision_id}",
        "last_seen": "2026-11-30",
        **more,
    }


def evidence(decisions=(), matches=(RTO_MATCH,), registers=None, **fields) -> ProviderEvidence:
    index = DecisionIndex.of(decisions, registers)
    matches = list(matches)
    return ProviderEvidence(
        "p1",
        "Tallowood College",
        "https://tallowood.example",
        matches=matches,
        decisions=index.of_provider("Tallowood College", matches),
        **fields,
    )


def scored(ev: ProviderEvidence) -> dict[str, list]:
    contributions, _ = RULES.evaluate(ev)
    found: dict[str, list] = {}
    for c in contributions:
        if c.rule_id.startswith(("DECISION", "SCOPE")):
            found.setdefault(c.rule_id, []).append(c)
    return found


@pytest.mark.parametrize(
    ("kind", "points"),
    [("Cancellation", -40), ("Suspension", -30), ("Part suspension", -20), ("Conditions", -10)],
)
def test_a_decision_in_effect_costs_by_its_kind(kind: str, points: int) -> None:
    [contribution] = scored(evidence([decision("1", kind, "In effect", 1)]))["DECISION_IN_EFFECT"]
    assert contribution.points == points
    assert contribution.evidence_url == "https://www.asqa.gov.au/decisions/1"
    assert (contribution.register, contribution.entry_id) == ("asqa_decisions", "1")
    assert "decision of 2024-03-12 is in effect" in contribution.reason
    assert "RTO code 512, its own register entry" in contribution.reason


def test_a_decision_set_aside_costs_nothing_and_quotes_the_review_outcome() -> None:
    set_aside = decision(
        "2",
        "Cancellation",
        "Settled pursuant to terms of agreement at the AAT – decision set aside",
        0,
        review_information="The Tribunal decides that the registration is not cancelled.",
    )
    found = scored(evidence([set_aside]))
    assert "DECISION_IN_EFFECT" not in found
    [contribution] = found["DECISION_SET_ASIDE"]
    assert contribution.points == 0
    assert "no longer in effect" in contribution.reason
    assert "the registration is not cancelled" in contribution.reason


def test_a_written_direction_is_shown_but_scores_little() -> None:
    direction = decision("3", "Written direction", "In effect", 1)
    found = scored(evidence([direction]))
    assert [c.points for c in found["DECISION_WRITTEN_DIRECTION"]] == [-2]
    assert "DECISION_IN_EFFECT" not in found


def test_a_decision_about_another_organisation_is_not_linked() -> None:
    other = decision("4", "Cancellation", "In effect", 1, rto_code="9999")
    assert scored(evidence([other])) == {}
    assert scored(evidence([decision("5", "Cancellation", "In effect", 1)], matches=())) == {}


# Register entries as the registers publish them; the decisions below name them otherwise.
REGISTER_ROWS = [
    {"register": "rto", "entry_id": "0512", "legal_name": "TALLOWOOD COLLEGE PTY. LTD."},
    {"register": "rto", "entry_id": "52011", "legal_name": "Ironbark Institute of Technology"},
    {"register": "rto", "entry_id": "21703", "legal_name": "Emergency First Aid Pty Ltd"},
    {"register": "ipeds", "entry_id": "110635", "legal_name": "Tallowood College"},
]
REGISTERS = build_index(REGISTER_ROWS)
IRONBARK, FIRST_AID = REGISTER_ROWS[1], REGISTER_ROWS[2]


def linked(name: str, matches: list[dict]) -> list[dict]:
    """The decisions without a code, about `name`, that reach a provider matched to `matches`."""
    about = decision("8", "Conditions", "In effect", 1, rto_code=None, organisation_name=name)
    return DecisionIndex.of([about], REGISTERS).of_provider("A provider", matches)


@pytest.mark.parametrize(
    "name", ["Tallowood College Pty Ltd", "Tallowood College Pty. Limited", "Tallowod College"]
)
def test_a_decision_without_a_code_links_through_the_matcher(name: str) -> None:
    [found] = linked(name, [RTO_MATCH])
    assert (found["linked_by"], found["linked_register"], found["linked_entry_id"]) == (
        "matcher",
        "rto",
        "0512",
    )
    assert found["link_decision"] in ("matched", "probable") and found["link_confidence"] > 0.5
    assert "TALLOWOOD COLLEGE PTY. LTD." in found["link_reason"]
    about = decision("8", "Conditions", "In effect", 1, rto_code=None, organisation_name=name)
    [contribution] = scored(evidence([about], registers=REGISTERS))["DECISION_IN_EFFECT"]
    assert f"organisation name '{name}', matched to RTO 0512" in contribution.reason


def test_a_misspelt_name_links_as_probable_with_its_score() -> None:
    [found] = linked("Ironbarks Institute of Technology", [IRONBARK])
    assert found["link_decision"] == "probable"
    assert "similar to 'ironbarks institute of technology'" in found["link_reason"]


@pytest.mark.parametrize(
    ("name", "matches"),
    [
        ("Emergency First Aid Training Pty Ltd", [FIRST_AID]),  # a look-alike name
        ("Ironbark Technical Institute", [IRONBARK]),
        ("Tallowood Colleges Australia Pty Ltd", [RTO_MATCH]),
    ],
)
def test_a_candidate_the_matcher_rejects_never_links(name: str, matches: list[dict]) -> None:
    assert linked(name, matches) == []
    assert linked(name, []) == []  # nor, by name, to a provider on no register


def test_a_name_is_matched_on_australian_registers_only() -> None:
    [found] = linked("Tallowood College", [RTO_MATCH])
    assert found["linked_register"] == "rto"  # never IPEDS 110635, a US namesake


def test_a_decision_on_no_register_links_only_to_a_provider_on_none_of_its_own_name() -> None:
    unknown = decision("9", "Conditions", "In effect", 1, rto_code=None)
    unknown["organisation_name"] = "Wattle Creek Skills Pty Ltd"
    index = DecisionIndex.of([unknown], REGISTERS)
    [found] = index.of_provider("Wattle Creek Skills", [])
    assert found["linked_by"] is None and found["link"] == (
        "organisation name 'Wattle Creek Skills Pty Ltd'"
    )
    assert index.of_provider("Wattle Creek Skills", [RTO_MATCH]) == []
    assert index.of_provider("Wattle Creek Training", []) == []


def test_links_are_stored_with_their_evidence(tmp_path) -> None:
    db = sqlite_utils.Database(tmp_path / "work.db")
    migrations.apply(db)
    db["registry_entries"].insert_all(REGISTER_ROWS)
    by_code = decision("10", "Cancellation", "In effect", 1)
    by_name = decision("11", "Conditions", "In effect", 1, rto_code=None)
    db["regulatory_decisions"].insert_all([by_code, by_name], alter=True)
    DecisionIndex.from_db(db, REGISTERS).store_links(db)
    rows = {row["decision_id"]: row for row in db["regulatory_decisions"].rows}
    assert rows["10"]["linked_by"] == "code" and rows["10"]["linked_entry_id"] == "0512"
    assert rows["10"]["link_reason"] == "the decision page gives RTO code 512"
    assert (rows["11"]["linked_by"], rows["11"]["link_decision"]) == ("matcher", "matched")
    assert rows["11"]["link_confidence"] >= 0.9


def test_an_unread_status_is_shown_not_scored() -> None:
    found = scored(evidence([decision("7", "Suspension", "Under review", None)]))
    assert [c.points for c in found["DECISION_STATUS_UNCLEAR"]] == [0]


def test_decision_kinds_come_from_the_type_else_the_details() -> None:
    assert decision_kind({"decision_type": "Part suspension"}) == "part suspension"
    assert decision_kind({"decision_type": "Rejection of renewal"}) == "rejection of renewal"
    assert decision_kind({"details": "Cancel, under the NVR Act s 36(2)(f)"}) == "cancellation"
    assert decision_kind({"details": "Impose the following conditions"}) == "conditions"


COURSES = CourseRegister.of(
    [
        {
            "course_code": "088112K",
            "provider_code": "03389E",
            "course_name": "Diploma of Leadership and Management",
            "vet_national_code": "BSB50420",
            "expired": 0,
            "snapshot_date": "2023-01-03",
        },
        {
            "course_code": "079111M",
            "provider_code": "03389E",
            "course_name": "Certificate IV in Ageing Support",
            "vet_national_code": "CHC43015",
            "expired": 1,
            "snapshot_date": "2023-01-03",
        },
        {
            "course_code": "091234B",
            "provider_code": "01234A",
            "course_name": "Diploma of Nursing",
            "vet_national_code": "HLT54115",
            "expired": 0,
            "snapshot_date": "2023-01-03",
        },
    ]
)


def offering(text: str) -> dict:
    return {"id": "o", "title": "A course", "description": text, "url": "https://t.example/c"}


def claim(code: str) -> dict:
    return {"kind": "national_code", "value": code, "text": code, "url": "https://t.example/c"}


def other_holder(register: str, entry_id: str) -> dict | None:
    names = {"01234A": "Harbour Nursing College", "03389E": "Tallowood College"}
    return {"legal_name": names[entry_id]} if entry_id in names else None


def scope(offerings=(), claims=(), matches=(CRICOS_MATCH,)) -> dict[str, list]:
    ev = evidence(
        matches=matches,
        offerings=list(offerings),
        claims=list(claims),
        courses=COURSES,
        lookup=other_holder,
    )
    return scored(ev)


def test_its_own_current_cricos_course_gains_a_little() -> None:
    found = scope([offering("CRICOS Course Code: 088112K")])
    [contribution] = found["SCOPE_COURSE_CONFIRMED"]
    assert contribution.points == 3
    assert "088112K Diploma of Leadership and Management" in contribution.reason


def test_another_providers_cricos_course_costs_points_naming_both() -> None:
    [contribution] = scope([offering("CRICOS course code 091234B")])[
        "SCOPE_COURSE_OF_OTHER_PROVIDER"
    ]
    assert contribution.points == -15
    assert "Harbour Nursing College (CRICOS 01234A)" in contribution.reason
    assert "not to Tallowood College" in contribution.reason


def test_an_expired_cricos_course_costs_points() -> None:
    [contribution] = scope([offering("CRICOS Course Code 079111M")])["SCOPE_COURSE_EXPIRED"]
    assert contribution.points == -10
    assert "expired" in contribution.reason


def test_national_codes_are_confirmed_refused_or_said_unverifiable_never_false() -> None:
    found = scope(claims=[claim("BSB50420"), claim("HLT54115"), claim("HLTAID011")])
    assert "BSB50420" in found["SCOPE_COURSE_CONFIRMED"][0].reason
    [other] = found["SCOPE_NATIONAL_CODE_NOT_ON_OWN_CRICOS"]
    assert other.points == 0 and "Harbour Nursing College" in other.reason
    [unknown] = found["SCOPE_NOT_VERIFIABLE"]
    assert unknown.points == 0
    assert "HLTAID011" in unknown.reason and "not verifiable from the registers held" in (
        unknown.reason
    )


def test_a_provider_without_a_cricos_registration_is_not_told_its_codes_are_wrong() -> None:
    found = scope(claims=[claim("HLT54115")], matches=())
    assert "SCOPE_NATIONAL_CODE_NOT_ON_OWN_CRICOS" not in found
    assert "SCOPE_COURSE_CONFIRMED" not in found
