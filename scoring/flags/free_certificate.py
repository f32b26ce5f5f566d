"""FREE_CERTIFICATE: the listing promises a certificate, badge or statement at no cost.

The judgement is `credwatch.core.wording.judge_free_certificate` (clause by clause, so "free to
audit; pay for the certificate", negation and prices decide against the flag). The crawler
records its `free_certificate` claims with the same function, so a published claim and flag
never disagree; this module only turns the verdict into a `FlagHit`.
"""

from __future__ import annotations

from credwatch.core.wording import judge_free_certificate
from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit

RULE_ID = "FREE_CERTIFICATE"


def flag_free_certificate(listing: Listing) -> tuple[FlagHit, tuple[str, ...]]:
    """The FREE_CERTIFICATE verdict and the context tags a scorer weighs it with."""
    verdict = judge_free_certificate(listing.texts(), listing.price, listing.price_text)
    hit = FlagHit(RULE_ID, 1 if verdict.free else 0, verdict.reason, verdict.evidence)
    return hit, verdict.context
