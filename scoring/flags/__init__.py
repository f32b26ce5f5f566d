"""Offering flags: free certificates, over-niche credentials and value minimums.

Pure functions over rows with the `credwatch flags` CSV keys (`id, provider, title, description,
price, currency, duration_hours, certificate_text`); no database. The rows passed together are
the corpus for the corpus-breadth signal of `niche_score`.

    results = flag_offerings(rows)
    for hit in results[0].hits: hit.rule_id, hit.value, hit.reason, hit.evidence_text
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scoring.flags.free_certificate import flag_free_certificate
from scoring.flags.listing import Listing, listing_from_row
from scoring.flags.model import FlagHit, NicheSignal, OfferingFlags
from scoring.flags.over_niche import SubjectCorpus, flag_over_niche
from scoring.flags.value import flag_value
from scoring.flags.wording import quote

__all__ = [
    "FlagHit",
    "NicheSignal",
    "OfferingFlags",
    "flag_offering",
    "flag_offerings",
    "reasons_line",
]

Row = Mapping[str, object]


def flag_offerings(rows: Sequence[Row]) -> list[OfferingFlags]:
    """Flag every row, using all of them as the corpus for subject breadth."""
    listings = [listing_from_row(row) for row in rows]
    corpus = SubjectCorpus.from_titles(listing.title for listing in listings)
    return [_flag(listing, corpus) for listing in listings]


def flag_offering(row: Row, corpus: SubjectCorpus | None = None) -> OfferingFlags:
    """Flag one row; without a corpus the breadth signal is left out."""
    listing = listing_from_row(row)
    return _flag(listing, corpus or SubjectCorpus.from_titles([listing.title]))


def _flag(listing: Listing, corpus: SubjectCorpus) -> OfferingFlags:
    free_hit, free_context = flag_free_certificate(listing)
    niche_hit, niche_score, niche_signals = flag_over_niche(listing, corpus)
    return OfferingFlags(
        offering_id=listing.offering_id,
        free_certificate=free_hit,
        free_certificate_context=free_context,
        over_niche=niche_hit,
        niche_score=niche_score,
        niche_signals=niche_signals,
        value_flags=flag_value(listing),
        warnings=listing.warnings,
    )


def reasons_line(flags: OfferingFlags) -> str:
    """The short `reasons` text of the CSV: what raised each flag, quoted."""
    parts = []
    if flags.free_certificate.raised:
        hit = flags.free_certificate
        context = f" [{', '.join(flags.free_certificate_context)}]"
        parts.append(
            f"free_certificate: {quote(hit.evidence_text)!r} ({hit.reason})"
            + (context if flags.free_certificate_context else "")
        )
    if flags.over_niche.raised:
        parts.append(f"over_niche: {flags.over_niche.reason}")
    if flags.value_flags:
        parts.append("value: " + ", ".join(hit.rule_id for hit in flags.value_flags))
    return " ; ".join(parts)
