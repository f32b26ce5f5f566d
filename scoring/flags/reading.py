"""A listing as the offering rules read it, each detector's full verdict worked out once.

A rule's check wants one verdict (raised or not); the `credwatch flags` CSV and the scorer also
want what a detector measured on the way (niche_score and its signals, the free-certificate
context tags), on every listing. Caching each detector's answer here runs it once per listing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from scoring.flags.free_certificate import flag_free_certificate
from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit, NicheSignal, OfferingFlags
from scoring.flags.over_niche import SubjectCorpus, flag_over_niche
from scoring.flags.qualification import flag_inflated_qualification
from scoring.flags.value import (
    COURSE_PAGE_RULES,
    NO_ASSESSMENT_OR_OUTCOMES,
    assessment_checked,
    flag_value,
)


@dataclass
class ListingReading:
    """One listing and the corpus it is read among (all rows passed together)."""

    listing: Listing
    corpus: SubjectCorpus

    @cached_property
    def free_certificate(self) -> tuple[FlagHit, tuple[str, ...]]:
        """The FREE_CERTIFICATE verdict (raised or not) and its context tags."""
        return flag_free_certificate(self.listing)

    @cached_property
    def over_niche(self) -> tuple[FlagHit, float, tuple[NicheSignal, ...]]:
        """The OVER_NICHE verdict, niche_score and the signals behind it."""
        return flag_over_niche(self.listing, self.corpus)

    @cached_property
    def inflated_qualification(self) -> FlagHit | None:
        """INFLATED_QUALIFICATION_NAME: an AQF qualification name on a few hours, else None."""
        return flag_inflated_qualification(self.listing)

    @cached_property
    def value_flags(self) -> dict[str, FlagHit]:
        """The raised value flags (R6/R7) by rule id."""
        return {hit.rule_id: hit for hit in flag_value(self.listing)}

    def flags(self, hits: Mapping[str, FlagHit]) -> OfferingFlags:
        """The offering's flags: the rules' raised hits plus what every listing reports."""
        _, niche_score, niche_signals = self.over_niche
        return OfferingFlags(
            offering_id=self.listing.offering_id,
            hits=dict(hits),
            niche_score=niche_score,
            niche_signals=niche_signals,
            free_certificate_context=self.free_certificate[1],
            warnings=self.listing.warnings,
            not_checked=() if assessment_checked(self.listing) else (NO_ASSESSMENT_OR_OUTCOMES,),
            course_page_rules=COURSE_PAGE_RULES,
        )
