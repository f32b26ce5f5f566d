"""The reputability score: a base plus signed, capped contributions, each with its evidence.

A score is never a black box: every point gained or lost is a `Contribution` with a rule id
(declared in `scoring/rules/`), a sentence a learner understands, and the evidence (the
page URL and quoted text, and the register entry with its snapshot date). Caps per rule mean
no single keyword can decide a verdict alone.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

# Where every provider starts. Being on no register is not bad by itself: most online course
# sellers are legitimately unregistered, so an unregistered seller that claims nothing it
# cannot back stays in the middle band; claims that registration does not back pull it down.
BASE_SCORE = 65.0

# Grade bands (lower bound of each grade), best first.
GRADES: tuple[tuple[float, str], ...] = ((85, "A"), (70, "B"), (55, "C"), (40, "D"), (0, "E"))


@dataclass(frozen=True)
class Contribution:
    """One signed reason in a provider's score, with what it was read from."""

    rule_id: str
    points: float
    reason: str
    evidence_url: str = ""
    evidence_text: str = ""
    register: str = ""
    entry_id: str = ""
    snapshot_date: str = ""


@dataclass
class ProviderScore:
    """A provider's score, grade and the contributions that built it (after caps)."""

    provider_id: str
    score: float
    grade: str
    contributions: list[Contribution] = field(default_factory=list)


def rule_totals(contributions: list[Contribution]) -> list[tuple[str, float]]:
    """Points per rule, largest effect first: what a one-line summary should name."""
    totals: dict[str, float] = defaultdict(float)
    for item in contributions:
        totals[item.rule_id] += item.points
    return sorted(totals.items(), key=lambda pair: (-abs(pair[1]), pair[0]))


def grade_for(score: float) -> str:
    """Letter grade for a 0-100 score."""
    return next(grade for floor, grade in GRADES if score >= floor)


def apply_caps(contributions: list[Contribution], caps: dict[str, float]) -> list[Contribution]:
    """Scale down each rule's contributions so their total never exceeds that rule's cap.

    A rule may fire on many pages (one unbacked code per course page); the learner still sees
    every piece of evidence, but the rule's total is bounded by its cap.
    """
    by_rule: dict[str, list[Contribution]] = defaultdict(list)
    for contribution in contributions:
        by_rule[contribution.rule_id].append(contribution)
    capped: list[Contribution] = []
    for rule_id, items in by_rule.items():
        total = sum(item.points for item in items)
        factor = _capped_total(total, caps.get(rule_id)) / total if total else 1.0
        capped.extend(_scaled(item, factor) for item in items)
    return capped


def _capped_total(total: float, cap: float | None) -> float:
    """A rule's total bounded by its cap, exactly (the scaled pieces are rounded for display)."""
    if cap is None or abs(total) <= cap:
        return total
    return cap if total > 0 else -cap


def _scaled(item: Contribution, factor: float) -> Contribution:
    if factor == 1.0:
        return item
    return Contribution(**{**item.__dict__, "points": round(item.points * factor, 2)})


def total_score(provider_id: str, contributions: list[Contribution], caps: dict[str, float]):
    """Base plus capped contributions, clamped to 0-100, with its grade."""
    distinct = _distinct(provider_id, contributions)
    capped = apply_caps(distinct, caps)
    points = sum(_capped_total(total, caps.get(rule)) for rule, total in rule_totals(distinct))
    score = max(0.0, min(100.0, BASE_SCORE + points))
    return ProviderScore(provider_id, round(score, 1), grade_for(score), capped)


def stable_id(*parts: str) -> str:
    """Stable row id from its identifying parts, so re-scoring replaces rows, not piles them."""
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


def _distinct(provider_id: str, contributions: list[Contribution]) -> list[Contribution]:
    """One contribution per rule and piece of evidence: two course codes quoted in the same
    sentence are one reason, not two."""
    seen: dict[str, Contribution] = {}
    for item in contributions:
        seen.setdefault(contribution_id(provider_id, item), item)
    return list(seen.values())


def contribution_id(provider_id: str, contribution: Contribution) -> str:
    """Row id of one contribution of one provider."""
    c = contribution
    return stable_id(
        provider_id, c.rule_id, c.evidence_url, c.evidence_text, c.register, c.entry_id
    )
