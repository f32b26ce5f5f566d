"""The result types of the offering flags: what a scorer, the CSV command and the database read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NOT_CHECKED_REASON = "not checked: no course page text crawled yet"


@dataclass(frozen=True)
class FlagHit:
    """One rule's verdict on one offering, with the words that triggered it.

    `value` is 1/0 for a boolean rule and a score in [0, 1] for a graded one; `evidence_text`
    is quoted exactly from the offering so a reader can find it on the page.
    """

    rule_id: str
    value: float
    reason: str
    evidence_text: str = ""

    @property
    def raised(self) -> bool:
        return self.value > 0


@dataclass(frozen=True)
class NicheSignal:
    """One signed contribution to `niche_score`, kept so the score can be audited."""

    name: str
    weight: float
    evidence_text: str


@dataclass(frozen=True)
class OfferingFlags:
    """The raised flags of one offering, keyed by rule id in declaration order, and what the
    detectors measured on every listing (raised or not): `niche_score` with its signals and the
    free-certificate context tags. `warnings` names input values that could not be read;
    `not_checked` names the rules that had nothing to read (not checked, rather than absent)."""

    offering_id: str
    hits: Mapping[str, FlagHit]
    niche_score: float
    niche_signals: tuple[NicheSignal, ...]
    free_certificate_context: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    not_checked: tuple[str, ...] = ()  # rules with nothing to read yet (no course page text)
    course_page_rules: tuple[str, ...] = ()  # rules that read the course page text

    def checks(self) -> dict[str, tuple[str, str]]:
        """(state, reason) of each rule that reads the course page: "raised" with its reason,
        "not checked" when no course page text was crawled yet, else "clear"."""
        states = {}
        for rule_id in self.course_page_rules:
            if rule_id in self.hits:
                states[rule_id] = ("raised", self.hits[rule_id].reason)
            elif rule_id in self.not_checked:
                states[rule_id] = ("not checked", NOT_CHECKED_REASON)
            else:
                states[rule_id] = ("clear", "checked: the listing's text does not raise it")
        return states
