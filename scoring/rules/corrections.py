"""Reviewed corrections: a dispute upheld by a reviewer adds one signed, explained contribution.

The correction itself lives in `overrides/overrides.yml` (`scoring.overrides`); scoring hands
the provider's active contribution overrides to this rule in `ProviderEvidence.overrides`.
The evidence the correction answers is never removed: the learner sees both.
"""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import ProviderEvidence
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import RIGHT_OF_REPLY

family = RuleBook()


def override_points(finding: Finding) -> float:
    """The points the reviewer set in the override (non-zero, at most 30 either way)."""
    return float(finding.facts["points"])


@family.rule(
    "OVERRIDE_CORRECTION",
    applies_to="provider",
    points=override_points,
    cap=30,
    template="Reviewed correction {id} (asked by {requested_by}, reviewed by {reviewed_by} "
    "on {decided}, corrects {changes}): {reason}",
    meaning="A dispute a reviewer upheld: the provider or a reader sent evidence that a "
    "finding was wrong or is out of date, and the correction is kept in the project's "
    "versioned overrides file until it expires.",
    guidance="Right of reply: a published verdict can be disputed and corrected with a trail",
    sources=RIGHT_OF_REPLY,
)
def reviewed_corrections(ev: ProviderEvidence) -> Iterator[Finding]:
    """One finding per active contribution override of this provider."""
    for override in ev.overrides:
        yield Finding(override, evidence_url=override["evidence_url"])
