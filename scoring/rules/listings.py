"""What a provider's listings show as a whole (a provider rule read from all its offerings)."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import ProviderEvidence
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import DIPLOMA_MILLS

family = RuleBook()

# Share of listings that must state both price and duration to count as transparent.
TRANSPARENT_SHARE = 0.8


@family.rule(
    "TRANSPARENT_LISTINGS",
    applies_to="provider",
    points=5,
    cap=5,
    template="{stated} of {total} listings state both price and duration.",
    meaning="Most listings state both price and duration, so a learner can compare before paying.",
    guidance="R13 price unrelated to teaching (the opposite signal)",
    sources=DIPLOMA_MILLS,
)
def transparency(ev: ProviderEvidence) -> Iterator[Finding]:
    """Prices and durations stated up front help a learner compare; reward it."""
    if not ev.offerings:
        return
    stated = [o for o in ev.offerings if o.get("price") is not None and o.get("duration_hours")]
    if len(stated) / len(ev.offerings) >= TRANSPARENT_SHARE:
        yield Finding({"stated": len(stated), "total": len(ev.offerings)}, evidence_url=ev.url)
