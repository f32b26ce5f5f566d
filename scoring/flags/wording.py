"""Word classes shared by the flag rules: credential nouns, money, clause splitting.

Kept in one place so "what counts as a certificate" means the same thing to every rule.
"""

from __future__ import annotations

import re

# Things a learner receives as proof: the certificate nouns of data-sources.md section 3.
CREDENTIAL = re.compile(
    r"\b(?:e-?certificates?|certificates?|certification|certified|(?:digital\s+)?badges?"
    r"|micro-?credentials?|credentials?|diplomas?|qualifications?"
    r"|statements?\s+of\s+(?:attainment|participation|completion|accomplishment))\b",
    re.IGNORECASE,
)

_CURRENCY = r"(?:US\$|A\$|AU\$|NZ\$|C\$|\$|€|£|EUR|USD|AUD|GBP|NZD|CAD|INR)"
# "US$219", "$49", "EUR 30", "30 EUR", "£10.50"; the amount is group "amount".
MONEY = re.compile(
    rf"{_CURRENCY}\s?(?P<amount>\d+(?:[.,]\d+)?)"
    rf"|(?P<amount_after>\d+(?:[.,]\d+)?)\s?(?:{_CURRENCY}|dollars|euros|pounds)\b",
    re.IGNORECASE,
)

# Clause boundaries: sentence ends, semicolons, commas, dashes between words, new lines.
# Parentheses stay inside their clause: "Completion badge (free)" is one statement.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?])\s+|[;\n]|,\s+|\s+[-–—]\s+")


def clauses(text: str) -> list[str]:
    """Split a listing text into the short statements negation and prices apply to."""
    return [part.strip() for part in _CLAUSE_BREAK.split(text) if part and part.strip()]


def money_amounts(text: str) -> list[tuple[float, str]]:
    """Every stated amount of money with its quoted span."""
    found = []
    for match in MONEY.finditer(text):
        amount = match.group("amount") or match.group("amount_after")
        found.append((float(amount.replace(",", ".")), match.group(0)))
    return found


def quote(text: str, limit: int = 80) -> str:
    """A short quotation for a reason line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
