"""The result types of the offering flags: what a scorer, the CSV command and the database read."""

from __future__ import annotations

from dataclasses import dataclass


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
    """Every flag of one offering. `warnings` names input values that could not be read."""

    offering_id: str
    free_certificate: FlagHit
    free_certificate_context: tuple[str, ...]
    over_niche: FlagHit
    niche_score: float
    niche_signals: tuple[NicheSignal, ...]
    value_flags: tuple[FlagHit, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def hits(self) -> list[FlagHit]:
        """The raised flags, in the order a reader should see them (for the `flags` table)."""
        candidates = [self.free_certificate, self.over_niche, *self.value_flags]
        return [hit for hit in candidates if hit.raised]
