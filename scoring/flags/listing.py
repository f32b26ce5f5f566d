"""One offering row read leniently: numbers parsed where they are numbers, text kept otherwise."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Listing:
    """The fields the flag rules read. A non-numeric price or duration stays in `*_text`."""

    offering_id: str
    provider: str
    title: str
    description: str
    certificate_text: str
    price: float | None
    price_text: str
    duration_hours: float | None
    duration_text: str
    warnings: tuple[str, ...]

    def texts(self) -> list[str]:
        """Every free-text field, title first; empty ones left out."""
        fields = (self.title, self.description, self.certificate_text, self.price_text)
        return [text for text in (*fields, self.duration_text) if text]


def listing_from_row(row: Mapping[str, object]) -> Listing:
    """Read one CSV/dict row; a value that is not a number is kept as text and warned about."""
    price, price_text, price_warning = _number_or_text(row, "price")
    duration, duration_text, duration_warning = _number_or_text(row, "duration_hours")
    return Listing(
        offering_id=_text(row, "id"),
        provider=_text(row, "provider"),
        title=_text(row, "title"),
        description=_text(row, "description"),
        certificate_text=_text(row, "certificate_text"),
        price=price,
        price_text=price_text,
        duration_hours=duration,
        duration_text=duration_text,
        warnings=tuple(w for w in (price_warning, duration_warning) if w),
    )


def _text(row: Mapping[str, object], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _number_or_text(row: Mapping[str, object], key: str) -> tuple[float | None, str, str]:
    """(number, leftover text, warning). Numbers pass through; anything else is read as text."""
    value = row.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), "", ""
    text = _text(row, key)
    if not text:
        return None, "", ""
    if _NUMBER.match(text):
        return float(text.replace(",", "")), "", ""
    return None, text, f"{key} {text!r} is not a number; read as text"
