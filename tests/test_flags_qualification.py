"""INFLATED_QUALIFICATION_NAME: an AQF qualification name on a few hours of learning."""

from __future__ import annotations

import pytest
import sqlite_utils

from scoring.claim_checks import ProviderEvidence
from scoring.flags.qualification import RULE_ID, cricos_typical_weeks, qualification_named
from scoring.rules import evaluate, flag_offering, flag_offerings

DIPLOMA = {"id": "d1", "title": "Diploma of Life Coaching", "duration_hours": "2"}


def inflated(title: str, hours: str | None):
    return flag_offering({"id": "o1", "title": title, "duration_hours": hours}).hits.get(RULE_ID)


def test_a_two_hour_diploma_is_flagged_with_its_aqf_level_and_volume():
    hit = inflated(DIPLOMA["title"], DIPLOMA["duration_hours"])
    assert hit is not None and hit.evidence_text == "Diploma"
    assert hit.reason == (
        "called 'Diploma' with 2 h of learning stated; "
        "AQF level 5 Diploma: volume of learning 1-2 years (1,200-2,400 h)"
    )


@pytest.mark.parametrize(
    ("title", "hours"),
    [
        ("Certificate III in Early Childhood Education and Care", "1200"),  # a real volume
        ("Master Excel in Two Hours", "2"),  # "master" the verb
        ("Diploma of Business", None),  # no hours stated: nothing to compare
        ("Masterclass: Certificate Writing", "1"),
        ("Diploma of Nursing", "900"),  # under the AQF minimum, but not far below
    ],
)
def test_real_volumes_verbs_and_missing_hours_are_not_flagged(title, hours):
    assert inflated(title, hours) is None


def test_every_aqf_spelling_names_its_level():
    levels = {
        title: qualification_named(title)[0].level
        for title in (
            "Certificate IV in Training and Assessment",
            "Certificate 2 in Hospitality",
            "Advanced Diploma of Accounting",
            "Bachelor of Nursing",
            "Master's Degree in Data Science",
            "Graduate Certificate in Education",
        )
    }
    assert list(levels.values()) == [4, 2, 6, 7, 9, 8]


def _evidence(matches: list[dict], course_weeks=None) -> ProviderEvidence:
    return ProviderEvidence(
        provider_id="p",
        name="Example Training",
        url="https://example.test",
        offerings=[{**DIPLOMA, "url": "https://example.test/diploma"}],
        matches=matches,
        offering_flags=flag_offerings([DIPLOMA]),
        course_weeks=course_weeks or {},
    )


def _inflated_contributions(ev: ProviderEvidence):
    contributions, _ = evaluate(ev)
    return [c for c in contributions if c.rule_id == RULE_ID]


def test_an_unbacked_diploma_costs_points_and_cites_the_cricos_range():
    db = sqlite_utils.Database(memory=True)
    db["registry_courses"].insert_all(
        {
            "register": "cricos",
            "course_code": str(n),
            "course_level": "Diploma",
            "duration_weeks": weeks,
        }
        for n, weeks in enumerate([52, 52, 52, 78, 78, 104])
    )
    (found,) = _inflated_contributions(_evidence([], cricos_typical_weeks(db)))
    assert found.points == -6
    assert "AQF level 5 Diploma" in found.reason
    assert "CRICOS lists 6 Diploma courses, typically 52-84.5 weeks (middle half)" in found.reason
    assert "no current RTO registration backs it" in found.reason


def test_a_real_qualification_from_a_current_rto_is_not_counted():
    rto = {"register": "rto", "entry_id": "0001", "is_current": 1, "legal_name": "Example"}
    (found,) = _inflated_contributions(_evidence([rto]))
    assert found.points == 0
    assert "a current RTO registration backs it" in found.reason
