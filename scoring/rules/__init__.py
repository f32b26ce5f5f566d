"""Every rule credwatch applies, each declared once with everything about it.

A declaration (`Rule`, `scoring/rules/book.py`) carries the rule id, what it applies to (a
provider or one offering), its points (a number or a documented function), its cap, the
sentence a learner reads, its meaning, the guidance it implements with sources, and the check
itself. Each module below declares one family in its own `family` book with `@family.rule`;
`RULES` joins them in this order, which is the order contributions are listed in:

    registration    REGISTERED, REGISTRATION_NOT_CURRENT, CODE_*, UNREGISTERED_NO_CLAIMS
    claims          recognition, ABN, 'university', regulators, vague recognition, look-alikes
    mill_phrases    life-experience credentials, same-day certificates, guarantees
    blocked_sites   TEQSA's blocked cheating-website list
    offering_flags  FREE_CERTIFICATE, OVER_NICHE and the value flags (one listing each)
    listings        TRANSPARENT_LISTINGS
    corrections     OVERRIDE_CORRECTION (reviewed corrections from overrides/overrides.yml)
    decisions       DECISION_* (regulators' published decisions, in effect or set aside)
    scope           SCOPE_* (advertised courses against the CRICOS courses held)

Adding a rule is one `@family.rule(...)` declaration in its family module, plus its test.
"""

from __future__ import annotations

from scoring.rules import (
    blocked_sites,
    claims,
    corrections,
    decisions,
    listings,
    mill_phrases,
    offering_flags,
    registration,
    scope,
)
from scoring.rules.book import Finding, Rule, RuleBook

__all__ = ["RULES", "Finding", "Rule", "RuleBook", "evaluate", "flag_offering", "flag_offerings"]

RULES = RuleBook(
    *registration.family,
    *claims.family,
    *mill_phrases.family,
    *blocked_sites.family,
    *offering_flags.family,
    *listings.family,
    *corrections.family,
    *decisions.family,
    *scope.family,
)

evaluate = RULES.evaluate
flag_offerings = RULES.flag_offerings
flag_offering = RULES.flag_offering
