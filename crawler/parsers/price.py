"""Normalise a price as a page states it ("AU$14,880", "14,99 €", "Free") to amount + ISO code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from credwatch.core.wording import FREE


@dataclass(frozen=True)
class Price:
    amount: float | None  # 0.0 for free; None when the page gives no figure
    currency: str | None  # ISO 4217, None when the page does not say (a bare "$")
    text: str | None  # the value as given
    is_free: bool


# Marker -> ISO code; None means "a dollar of unknown country": use the caller's hint.
_MARKERS: dict[str, str | None] = {
    "AU$": "AUD",
    "A$": "AUD",
    "AUD": "AUD",
    "US$": "USD",
    "USD": "USD",
    "NZ$": "NZD",
    "NZD": "NZD",
    "CA$": "CAD",
    "C$": "CAD",
    "CAD": "CAD",
    "S$": "SGD",
    "SGD": "SGD",
    "HK$": "HKD",
    "HKD": "HKD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "JPY",
    "JPY": "JPY",
    "₹": "INR",
    "INR": "INR",
    "CHF": "CHF",
    "$": None,
}
_MARKER = "|".join(
    rf"(?<![A-Za-z]){re.escape(m)}(?![A-Za-z])" if m.isalpha() else re.escape(m)
    for m in sorted(_MARKERS, key=len, reverse=True)
)
# "1 234,56" (spaces group thousands only before exactly three digits), "14,880", "14.99", "7"
_NUMBER = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d[\d.,]*\d|\d"
_PRICE = re.compile(
    rf"(?P<pre>{_MARKER})\s?(?P<num>{_NUMBER})|(?P<num2>{_NUMBER})\s?(?P<post>{_MARKER})",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(_NUMBER)


def parse_price(value: str | float | int | None, currency: str | None = None) -> Price:
    """Read a price; `currency` is the page's own hint (e.g. schema.org `priceCurrency`).

    A bare "$" takes its currency from the hint and otherwise stays None: guessing AUD for
    an American site would be wrong as often as right.
    """
    hint = currency.strip().upper() if currency and currency.strip() else None
    if value is None or isinstance(value, bool):
        return Price(None, hint, None, False)
    if isinstance(value, int | float):
        return Price(float(value), hint, str(value), value == 0)
    text = " ".join(value.split())
    if not text:
        return Price(None, hint, None, False)
    match = _PRICE.search(text)
    if match:
        marker = match.group("pre") or match.group("post")
        number = match.group("num") or match.group("num2")
        code = _MARKERS[marker.upper()] or hint
        amount = _to_float(number)
    else:
        bare = _BARE_NUMBER.search(text)
        code, amount = hint, _to_float(bare.group()) if bare else None
    if amount is None and FREE.search(text):  # "Free", "Fee-free", "No fees"; not "Free trial"
        return Price(0.0, code, text, True)
    return Price(amount, code if amount is not None else hint, text, amount == 0)


def _to_float(number: str) -> float | None:
    """'14,880' -> 14880, '14,99' -> 14.99, '1.234,56' -> 1234.56, '1 234,56' -> 1234.56.

    With both separators the last one is the decimal mark; a lone comma is a thousands mark
    only when exactly three digits follow it; a lone dot is decimal unless repeated.
    """
    digits = re.sub(r"[\u00a0\u202f ]", "", number)
    has_dot, has_comma = "." in digits, "," in digits
    if has_dot and has_comma:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif has_comma:
        head, _, tail = digits.rpartition(",")
        is_thousands = len(tail) == 3 or digits.count(",") > 1
        digits = digits.replace(",", "") if is_thousands else f"{head.replace(',', '')}.{tail}"
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")
    try:
        return float(digits)
    except ValueError:
        return None
