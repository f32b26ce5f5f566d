"""Offering flag detectors: free certificates, over-niche credentials and value minimums.

Pure functions over a `Listing` (a row with the `credwatch flags` CSV keys: `id, provider,
title, description, price, currency, duration_hours, certificate_text`); no database. Which
detectors are rules, and what a raised flag is worth, is declared in `scoring/rules/`:

    from scoring.rules import flag_offerings
    for rule_id, hit in flag_offerings(rows)[0].hits.items(): hit.value, hit.reason
"""

from __future__ import annotations

from scoring.flags.model import FlagHit, NicheSignal, OfferingFlags

__all__ = ["FlagHit", "NicheSignal", "OfferingFlags"]
