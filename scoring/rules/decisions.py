"""Regulatory decisions: a regulator's published decision about this provider's registration.

The strongest negative evidence a learner can get, and the one most often misread: a
decision set aside at the tribunal, or varied on reconsideration, no longer applies, so it
costs nothing and the sentence says what the review decided instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import ProviderEvidence, Row
from scoring.rules.book import Finding, RuleBook

family = RuleBook()

ASQA_DECISIONS = (
    "https://www.asqa.gov.au/decisions",
    "https://www.asqa.gov.au/decisions/seek-review-asqa-decision/how-asqa-reviews-decisions",
)
REGULATORS = {"asqa": "ASQA"}
# Points of a decision in effect, by kind: losing registration (or its renewal) is worst, a
# condition says the regulator found something to watch, not that training must stop.
KIND_POINTS = {
    "cancellation": -40,
    "suspension": -30,
    "rejection of renewal": -30,
    "part suspension": -20,
    "amend scope": -15,
    "conditions": -10,
    "decision": -10,
}
_REVIEW_WORDS = 240


def _excerpt(text: str | None) -> str:
    """The first words of a long field, for the sentence (the page has the rest)."""
    words = " ".join((text or "").split())
    return words if len(words) <= _REVIEW_WORDS else words[:_REVIEW_WORDS].rsplit(" ", 1)[0] + "…"


def _finding(decision: Row, **facts: object) -> Finding:
    """A finding on one decision: its date, kind and status, linked to its published page."""
    return Finding(
        {
            "regulator": REGULATORS.get(decision["regulator"], decision["regulator"].upper()),
            "kind": decision["kind"],
            "date": decision.get("date_of_decision") or "an unstated date",
            "effect": f", in effect from {decision['date_of_effect']}"
            if decision.get("date_of_effect")
            else "",
            "status": decision.get("status_of_decision") or "not stated",
            "link": decision["link"],
            **facts,
        },
        evidence_url=decision.get("source_url") or "",
        evidence_text=_excerpt(decision.get("details")),
        register="asqa_decisions",
        entry_id=decision["decision_id"],
        snapshot_date=decision.get("last_seen") or decision.get("snapshot_date") or "",
    )


def _decisions(ev: ProviderEvidence, in_effect: int | None) -> list[Row]:
    """Its decisions in effect (1), no longer in effect (0) or of unread status (None)."""
    return [decision for decision in ev.decisions if decision.get("in_effect") == in_effect]


def decision_points(finding: Finding) -> float:
    """By the decision's kind: cancellation -40, suspension or rejected renewal -30, part
    suspension -20, scope amended -15, conditions (or another decision) -10."""
    return KIND_POINTS.get(str(finding.facts["kind"]), KIND_POINTS["decision"])


@family.rule(
    "DECISION_IN_EFFECT",
    applies_to="provider",
    points=decision_points,
    cap=50,
    template="{regulator}'s {kind} decision of {date} is in effect{effect}: status "
    "'{status}' (linked by {link}).",
    meaning="A regulator's published decision about this provider (cancellation, suspension, "
    "part suspension, conditions, amended scope, rejected renewal) that is still in effect. "
    "Costs by kind: a cancellation or suspension far more than a condition.",
    guidance="R17 active sanctions; ASQA publishes its regulatory decisions to inform students",
    sources=ASQA_DECISIONS,
)
def decision_in_effect(ev: ProviderEvidence) -> Iterator[Finding]:
    """A decision about this provider whose status says it is in effect."""
    for decision in _decisions(ev, 1):
        if decision["kind"] != "written direction":
            yield _finding(decision)


@family.rule(
    "DECISION_WRITTEN_DIRECTION",
    applies_to="provider",
    points=-2,
    cap=4,
    template="{regulator} gave it a written direction on {date}; status '{status}' "
    "(linked by {link}). A direction to fix non-compliance is not a sanction.",
    meaning="A written direction requires the provider to rectify non-compliance; shown so a "
    "learner knows of it, but it scores little.",
    guidance="ASQA written directions (NVR Act s 35A)",
    sources=ASQA_DECISIONS,
)
def written_direction(ev: ProviderEvidence) -> Iterator[Finding]:
    """A written direction in effect."""
    for decision in _decisions(ev, 1):
        if decision["kind"] == "written direction":
            yield _finding(decision)


@family.rule(
    "DECISION_SET_ASIDE",
    applies_to="provider",
    points=0,
    cap=None,
    template="{regulator}'s {kind} decision of {date} is no longer in effect: '{status}'. "
    "{review} (linked by {link}). It costs nothing.",
    meaning="A decision set aside by the tribunal, varied or revoked on reconsideration, or "
    "lifted: it no longer applies, so it costs nothing; the review outcome is quoted.",
    guidance="ASQA reviews: a decision may be affirmed, varied, set aside or revoked",
    sources=ASQA_DECISIONS,
)
def decision_set_aside(ev: ProviderEvidence) -> Iterator[Finding]:
    """A decision about this provider whose status says it no longer applies."""
    for decision in _decisions(ev, 0):
        review = _excerpt(decision.get("review_information")) or "The page gives no outcome."
        yield _finding(decision, review=f"Review outcome: {review}")


@family.rule(
    "DECISION_STATUS_UNCLEAR",
    applies_to="provider",
    points=0,
    cap=None,
    template="{regulator}'s {kind} decision of {date} has status '{status}', which does not "
    "say whether it is in effect (linked by {link}); it costs nothing until it does.",
    meaning="A decision whose published status is not one credwatch can read as in effect or "
    "not (e.g. 'Under review'): shown, not scored.",
    guidance="never score what the register does not say",
    sources=ASQA_DECISIONS,
)
def decision_status_unclear(ev: ProviderEvidence) -> Iterator[Finding]:
    for decision in _decisions(ev, None):
        yield _finding(decision)
