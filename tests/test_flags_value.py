"""Value flags (R6/R7): under an hour, no assessment or outcomes, attendance-only certificates."""

from __future__ import annotations

from scoring.flags import free_certificate, over_niche
from scoring.rules import RULES, flag_offering


def value_flags(**row) -> dict:
    result = flag_offering({"id": "o1", "title": "Customer Service Basics", **row})
    return dict(result.hits)


def test_under_one_hour_from_the_duration_column():
    hit = value_flags(duration_hours="0.5")["SHORT_DURATION"]
    assert (hit.value, hit.reason, hit.evidence_text) == (1, "0.5 h of learning", "0.5")


def test_one_hour_or_more_or_a_zero_figure_is_not_short():
    assert "SHORT_DURATION" not in value_flags(duration_hours="1")
    assert "SHORT_DURATION" not in value_flags(duration_hours="0")


def test_minutes_stated_in_the_text_count_when_no_duration_is_given():
    hit = value_flags(description="A 20-minute module on greeting customers.")["SHORT_DURATION"]
    assert hit.evidence_text == "A 20-minute module on greeting customers."


def test_minutes_per_day_over_weeks_are_not_short():
    assert "SHORT_DURATION" not in value_flags(description="20 minutes a day for 6 weeks")


def test_credential_without_assessment_or_outcomes():
    hit = value_flags(description="Watch five videos.", certificate_text="Digital badge")[
        "NO_ASSESSMENT_OR_OUTCOMES"
    ]
    assert hit.evidence_text == "Digital badge"


def test_a_listing_with_no_course_page_text_is_not_checked_rather_than_flagged():
    flags = flag_offering({"id": "o1", "title": "Leadership", "certificate_text": "Badge"})
    assert "NO_ASSESSMENT_OR_OUTCOMES" not in flags.hits
    assert flags.not_checked == ("NO_ASSESSMENT_OR_OUTCOMES",)


def test_stated_assessment_or_outcomes_clear_the_flag():
    assessed = value_flags(description="Assessed by an online quiz.", certificate_text="Badge")
    outcomes = value_flags(description="Learning outcomes: plan a shift.", certificate_text="Badge")
    no_credential = value_flags(description="Watch three videos.")
    for flags in (assessed, outcomes, no_credential):
        assert "NO_ASSESSMENT_OR_OUTCOMES" not in flags


def test_attendance_certificate_presented_as_a_qualification():
    hit = value_flags(
        description="Receive an accredited certificate of attendance.",
    )["ATTENDANCE_CERTIFICATE"]
    assert hit.evidence_text == "certificate of attendance"
    assert "presented with 'accredited'" in hit.reason


def test_completion_certificate_after_an_exam_is_not_attendance_only():
    flags = value_flags(description="Certificate of completion after passing the final exam.")
    assert "ATTENDANCE_CERTIFICATE" not in flags


def test_every_rule_a_flag_can_raise_is_documented_with_a_source():
    emitted = {
        free_certificate.RULE_ID,
        over_niche.RULE_ID,
        *value_flags(
            duration_hours="0.2",
            description="Videos.",
            certificate_text="Certificate of participation",
        ),
    }
    assert emitted == {
        "FREE_CERTIFICATE",
        "OVER_NICHE",
        "SHORT_DURATION",
        "NO_ASSESSMENT_OR_OUTCOMES",
        "ATTENDANCE_CERTIFICATE",
    }
    for rule_id in emitted:
        assert RULES[rule_id].sources[0].startswith("http")
        assert RULES[rule_id].applies_to == "offering"


def test_a_title_about_assessment_is_not_a_stated_assessment():
    about = "Formative Assessment in the Classroom"
    listed = flag_offering({"id": "o1", "title": about, "certificate_text": "Digital badge"})
    assert "NO_ASSESSMENT_OR_OUTCOMES" not in listed.hits  # no course page text: not checked
    assert listed.checks()["NO_ASSESSMENT_OR_OUTCOMES"][0] == "not checked"
    crawled = flag_offering(
        {
            "id": "o2",
            "title": about,
            "description": "Five short videos on exit tickets and hinge questions.",
            "certificate_text": "Digital badge",
        }
    )
    assert crawled.hits["NO_ASSESSMENT_OR_OUTCOMES"].evidence_text == "Digital badge"


def test_the_scoring_run_records_which_offerings_were_checked(tmp_path):
    """flag_checks tells a reader which offerings had course page text to check."""
    from credwatch.pipeline import open_work_db
    from scoring.run import score_database

    db = open_work_db(tmp_path / "work.db")
    db["registry_entries"].insert(
        {"register": "rto", "entry_id": "0029", "legal_name": "Australian Taxation Office"}
    )
    db["providers"].insert({"id": "acme.test", "name": "Acme Training", "url": "http://acme.test/"})
    base = {"provider_id": "acme.test", "provider_name": "Acme Training", "status": "current"}
    db["offerings"].insert_all(
        [
            {
                **base,
                "id": "listed",
                "title": "Leadership Basics",
                "url": "http://acme.test/1",
                "certificate_text": "Digital badge",
            },
            {
                **base,
                "id": "bare",
                "title": "Team Leading",
                "url": "http://acme.test/2",
                "description": "Watch five videos.",
                "certificate_text": "Digital badge",
            },
            {
                **base,
                "id": "assessed",
                "title": "Rostering",
                "url": "http://acme.test/3",
                "description": "Assessed by an online quiz.",
                "certificate_text": "Digital badge",
            },
        ]
    )
    score_database(db, tmp_path / "work.db", overrides=[])
    states = {
        row["offering_id"]: (row["rule_id"], row["state"], row["reason"])
        for row in db["flag_checks"].rows
    }
    assert states["listed"] == (
        "NO_ASSESSMENT_OR_OUTCOMES",
        "not checked",
        "not checked: no course page text crawled yet",
    )
    assert states["bare"][:2] == ("NO_ASSESSMENT_OR_OUTCOMES", "raised")
    assert states["assessed"][:2] == ("NO_ASSESSMENT_OR_OUTCOMES", "clear")
    raised = {
        row["offering_id"]
        for row in db["flags"].rows_where("rule_id = ?", ["NO_ASSESSMENT_OR_OUTCOMES"])
    }
    assert raised == {"bare"}
