"""An offering's free-certificate claim is the FREE_CERTIFICATE flag's verdict on its data.

Scoring flags an offering from its stored title, description, certificate text and price
(`scoring/run.py` builds the flag's listing from those columns). Claims read from the page
around a course may speak of other courses ("Free Diploma" in a menu), so on an offering they
are replaced by `free_certificate_claims` on exactly those fields, after the text is cleaned
as it will be stored: the published `claims` and `flags` then agree offering by offering.
"""

from __future__ import annotations

from typing import Any

from crawler.items import Offering
from crawler.parsers.claims import free_certificate_claims, is_free_certificate_claim

# The text columns the flag reads; price and duration reach it as numbers, not text.
FLAGGED_TEXT_FIELDS = ("title", "description", "certificate_text")


class FreeCertificateClaimPipeline:
    """Replace an offering's free-certificate claims with the flag's verdict on its fields."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Offering):
            texts = [text for name in FLAGGED_TEXT_FIELDS if (text := getattr(item, name))]
            kept = [claim for claim in item.claims if not is_free_certificate_claim(claim)]
            item.claims = kept + free_certificate_claims(texts, item.price, item.url)
        return item
