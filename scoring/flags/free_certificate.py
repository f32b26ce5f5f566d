"""FREE_CERTIFICATE: the listing promises a certificate, badge or statement at no cost.

Reads each clause separately so "free to audit; pay for the certificate" (the freemium MOOC
pattern, data-sources.md section 3, groups 1-2) is not mistaken for a free certificate, and
negation ("certificate not included") and prices in the same text decide against the flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit
from scoring.flags.wording import CREDENTIAL, clauses, money_amounts

RULE_ID = "FREE_CERTIFICATE"

_FREE = re.compile(
    r"\bfee-?free\b|\bfree\s+of\s+charge\b|\bcomplimentary\b|\bcosts?\s+nothing\b"
    r"|\bno[-\s]+(?:\w+\s+)?(?:fees?|costs?|charges?)\b"
    r"|\bat\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)\b"
    # "free" as a price: not "gluten-free", "free trial", "free cash flow", "free will"...
    r"|(?<![-\w])free\b(?!-)(?!\s+(?:trial|cash|will|speech|time|range|flow|trade|market|software"
    r"|open|fall|energy|shipping|delivery|postage|to\s+audit))",
    re.IGNORECASE,
)
_NOT_FREE = re.compile(r"\bnot\s+(?:\w+\s+)?free\b", re.IGNORECASE)
# "free" that buys access only: the certificate is still sold (Coursera, edX, FutureLearn).
_ACCESS_FREE = re.compile(
    r"\b(?:audit|enrol+|join|sign\s*up|register|access|try|start)\w*\s+(?:\w+\s+){0,2}?"
    r"(?:for\s+)?free\b|\bfree\s+(?:to\s+)?(?:audit|access|trial|enrol\w*|join|preview)\w*",
    re.IGNORECASE,
)
_PAID = re.compile(
    r"\b(?:pay|pays|paid|paying|purchas(?:e|es|ed|able|ing)|buy|buying|bought"
    r"|upgrad(?:e|es|ed|ing)|charged?|subscription|verified\s+track|extra\s+cost|costs?\s+extra)\b",
    re.IGNORECASE,
)
_FEE = re.compile(r"\bfees?\b(?!-)", re.IGNORECASE)
# Wording that rules a cost out, removed before looking for a cost ("at no extra charge").
_NO_COST = re.compile(
    r"\b(?:no|zero|without)[-\s]+(?:\w+\s+){0,2}?(?:fees?|costs?|charges?)\b|\bfee-?free\b"
    r"|\bfree\s+of\s+charge\b",
    re.IGNORECASE,
)
# A fee stated away from the certificate noun ("Free certification, then a $499 exam fee").
_SEPARATE_FEE = re.compile(
    r"\b(?:processing|exam\w*|assessment|admin\w*|certificat\w*|issu\w*|postage|shipping)\s+fees?\b",
    re.IGNORECASE,
)
_CRED = CREDENTIAL.pattern
_NEGATED_CREDENTIAL = re.compile(
    rf"\b(?:no|without|excludes?|excluding|not\s+include[sd]?)\s+(?:\w+\s+){{0,2}}{_CRED}"
    # not "no certificate fee" (a price) nor "no qualifications required" (an entry rule)
    r"(?!\s+(?:fees?|costs?|charges?|(?:are\s+|is\s+)?(?:needed|required|necessary))\b)"
    rf"|{_CRED}\s+(?:\w+\s+){{0,2}}(?:not|n't|isn't|aren't)\b",
    re.IGNORECASE,
)
_CONTEXT_WORDS = {
    "accredited": re.compile(r"\baccredit\w*", re.IGNORECASE),
    "internationally_recognised": re.compile(
        r"\b(?:internationally|globally|worldwide)\s+recogni[sz]ed\b", re.IGNORECASE
    ),
    "nationally_recognised": re.compile(
        r"\bnationally\s+recogni[sz]ed\b|\bstatement\s+of\s+attainment\b", re.IGNORECASE
    ),
    "government_fee_free": re.compile(
        r"\bfee-?free\b|\bgovernment[- ](?:funded|subsidi[sz]ed)\b", re.IGNORECASE
    ),
    "cpd": re.compile(r"\bCPD\b"),
    "instant_certificate": re.compile(r"\binstant(?:ly)?\b|\bsame[- ]day\b", re.IGNORECASE),
    "badge_or_microcredential": re.compile(
        r"\bbadges?\b|\bmicro-?credentials?\b|\bdigital\s+credentials?\b", re.IGNORECASE
    ),
}


@dataclass(frozen=True)
class _Clause:
    text: str
    credential: bool
    free: bool
    paid: bool
    negated: bool


def flag_free_certificate(listing: Listing) -> tuple[FlagHit, tuple[str, ...]]:
    """The FREE_CERTIFICATE verdict and the context tags a scorer weighs it with."""
    parsed = [_read_clause(text) for field in listing.texts() for text in clauses(field)]
    return _verdict(listing, parsed), _context(listing, parsed)


def _read_clause(text: str) -> _Clause:
    credential = bool(CREDENTIAL.search(text))
    cost_text = _ACCESS_FREE.sub(" ", text)
    free = bool(_FREE.search(cost_text)) or _zero_amount(cost_text)
    return _Clause(
        text=text,
        credential=credential,
        free=free and not _says_not_free(text),
        paid=_asks_for_money(text, about_credential=credential),
        negated=bool(_NEGATED_CREDENTIAL.search(text)),
    )


def _zero_amount(text: str) -> bool:
    return any(amount == 0 for amount, _ in money_amounts(text))


def _says_not_free(text: str) -> bool:
    return bool(_NOT_FREE.search(text))


def _asks_for_money(text: str, *, about_credential: bool) -> bool:
    """Pay/upgrade/purchase, a fee or an amount above 0 in a credential clause; elsewhere only
    a named fee ("exam processing fee") or a fee with an amount counts against the certificate.
    """
    cost_text = _NO_COST.sub(" ", text)
    fee = bool(_FEE.search(cost_text))
    amount = any(value > 0 for value, _ in money_amounts(text))
    if about_credential:
        return bool(_PAID.search(cost_text)) or fee or amount
    return bool(_SEPARATE_FEE.search(cost_text)) or (fee and amount)


def _verdict(listing: Listing, parsed: list[_Clause]) -> FlagHit:
    """A paid or missing certificate anywhere, or a price, outweighs any "free" wording."""
    against = next((c for c in parsed if c.paid or c.negated), None)
    if against is not None:
        why = "no certificate, or not a free one" if against.negated else "certificate costs extra"
        return FlagHit(RULE_ID, 0, why, against.text)
    price = _stated_price(listing)
    if price:
        return FlagHit(RULE_ID, 0, f"the learner pays {price[0]:g}", price[1])
    direct = next((c for c in parsed if c.credential and c.free), None)
    if direct is not None:
        return FlagHit(RULE_ID, 1, "certificate offered free", direct.text)
    if not any(c.credential for c in parsed):
        return FlagHit(RULE_ID, 0, "no certificate, badge or statement mentioned")
    free_cost = next((c for c in parsed if c.free), None)
    credential = next(c for c in parsed if c.credential)
    awarded = CREDENTIAL.search(credential.text).group(0)
    if free_cost is not None:
        return FlagHit(RULE_ID, 1, f"free listing that awards a {awarded}", free_cost.text)
    if listing.price == 0:
        return FlagHit(RULE_ID, 1, f"price 0 and a {awarded} awarded", credential.text)
    return FlagHit(RULE_ID, 0, "nothing says the certificate is free")


def _stated_price(listing: Listing) -> tuple[float, str] | None:
    """A price above zero, from the price column or money written in it ("AUD 49")."""
    if listing.price is not None:
        return (listing.price, f"{listing.price:g}") if listing.price > 0 else None
    return next(((a, t) for a, t in money_amounts(listing.price_text) if a > 0), None)


def _context(listing: Listing, parsed: list[_Clause]) -> tuple[str, ...]:
    """Words beside the offer that change what it means (accredited, fee-free, CPD...)."""
    text = " ".join(listing.texts())
    tags = [name for name, pattern in _CONTEXT_WORDS.items() if pattern.search(text)]
    if any(c.paid for c in parsed):
        tags.append("certificate_sold_separately")
    claims = ("accredited", "internationally_recognised")
    free_texts = " ".join(c.text for c in parsed if c.free)
    if any(_CONTEXT_WORDS[claim].search(free_texts) for claim in claims):
        tags.append("recognition_claim_next_to_free")
    return tuple(tags)
