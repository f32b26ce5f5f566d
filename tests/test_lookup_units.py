"""Reading a learner's input, the "as of" wording and the report card arithmetic."""

from __future__ import annotations

import pytest

from credwatch.core.asof import human_duration, status_as_of
from credwatch.site.scorecard import breakdown, waterfall_svg
from scoring.matching.query import read_query
from scoring.normalise import initials


@pytest.mark.parametrize(
    ("text", "kind", "value", "register"),
    [
        ("RTO 0029", "code", "0029", "rto"),
        ("rto: 0029", "code", "0029", "rto"),
        ("CRICOS 00122A", "code", "00122A", "cricos"),
        ("CRICOS provider code 00122A", "code", "00122A", "cricos"),
        ("00122A", "code", "00122A", None),
        ("ABN 49 781 030 034", "code", "49781030034", "abn"),
        ("49 781 030 034", "code", "49781030034", "abn"),
        ("UKPRN 10007798", "code", "10007798", "ukprn"),
        ("unitid 164146", "code", "164146", "ipeds"),
        ("PRV12057", "code", "PRV12057", None),
        ("rmit.edu.au", "web", "rmit.edu.au", None),
        ("https://www.rmit.edu.au/study", "web", "rmit.edu.au", None),
        ("RMIT Universty", "name", "RMIT Universty", None),
        ("<script>alert(1)</script>", "name", "<script>alert(1)</script>", None),
        ("100% Online College", "name", "100% Online College", None),
    ],
)
def test_read_query(text, kind, value, register):
    query = read_query(text)
    assert (query.kind, query.value, query.register) == (kind, value, register)


def test_status_as_of_and_durations_in_words():
    assert status_as_of("Current", "2016-02-19") == "Current as of 19 Feb 2016"
    assert status_as_of("registered", "2023-01-03") == "Registered as of 3 Jan 2023"
    assert status_as_of(None, None) == "Status unknown on an undated snapshot"
    assert [human_duration(h) for h in (5, 1, 0.5, 1.5, None)] == [
        "5 hours",
        "1 hour",
        "30 minutes",
        "1.5 hours",
        "",
    ]


def test_initials_of_institution_names():
    assert initials("Charles Darwin University") == "cdu"
    assert initials("The University of Western Australia") == "uwa"
    assert initials("Acme Training Pty Ltd") is None  # two identifying words
    assert initials("Right Move Training Institute Pty Ltd") is None  # not a university


def contribution(rule_id: str, points: float, url: str = "https://x.example/a") -> dict:
    return {"rule_id": rule_id, "points": points, "reason": f"{rule_id} seen", "evidence_url": url}


def test_breakdown_rows_add_up_to_the_total_shown():
    rules = {"VAGUE": {"cap": 20.0, "meaning": ""}, "CODE": {"cap": 10.0, "meaning": ""}}
    items = [contribution("VAGUE", -0.87, f"https://x.example/{n}") for n in range(23)]
    items += [contribution("CODE", 3.33), contribution("CODE", 3.33), contribution("CODE", 3.34)]
    card = breakdown({"provider_id": "x", "score": 55.0, "grade": "C"}, items, rules)
    vague = next(row for row in card["rows"] if row["rule_id"] == "VAGUE")
    assert (vague["points"], vague["count"], vague["pages"]) == (-20.0, 23, 23)
    assert len(vague["first"]) == 3 and len(vague["rest"]) == 20
    assert card["start"] + sum(row["shown"] for row in card["rows"]) == card["total_shown"] == 55
    assert card["range"] is None


def test_breakdown_shows_the_range_row_when_the_score_is_clamped():
    rules = {"BAD": {"cap": 90.0, "meaning": ""}}
    card = breakdown(
        {"provider_id": "x", "score": 0.0, "grade": "E"}, [contribution("BAD", -90)], rules
    )
    assert card["range"] == {"label": "the score range ends at 0", "points": 25.0, "shown": 25}
    svg = waterfall_svg(card)
    assert svg.startswith("<svg") and "BAD" in svg and svg.count("<rect") == 4
