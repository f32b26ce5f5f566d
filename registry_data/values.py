"""Cell-value parsers shared by the register loaders.

Official files write the same value several ways (money as `"$13,300.00"` in the data.gov.au
CSVs but as a number in the xlsx; dates as `19/Feb/2016`, ISO or an Excel date), so every
loader goes through these instead of trusting a cell's type.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

# IPEDS (and some other US files) write these for "not reported" / "not applicable".
NOT_REPORTED = {"-1", "-2", "-3"}

_DATE_FORMATS = ("%Y-%m-%d", "%d/%b/%Y", "%d/%m/%Y", "%m/%d/%Y", "%d %B %Y", "%d %b %Y")


def text(value: Any) -> str:
    """A cell as stripped text; numbers that are whole stay without `.0` (codes, postcodes)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any) -> float | None:
    """`"$13,300.00"`, `"1,050"`, `13300` and `""` -> 13300.0, 1050.0, 13300.0, None."""
    if isinstance(value, int | float):
        return float(value)
    cleaned = re.sub(r"[$,\s]|AUD", "", text(value))
    if not cleaned or cleaned in NOT_REPORTED:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def iso_date(value: Any, *, month_first: bool = False) -> str | None:
    """A date cell as ISO `yyyy-mm-dd`: `19/Feb/2016`, `2016-02-19`, Excel dates, US `6/30/2024`.

    `month_first` says how to read an all-numeric `a/b/yyyy` (US files write month first).
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = text(value)
    if not raw or raw in NOT_REPORTED:
        return None
    formats = _DATE_FORMATS
    if month_first:
        formats = tuple(f for f in formats if f != "%d/%m/%Y")
    for fmt in formats:
        try:
            return datetime.strptime(raw[:10] if fmt == "%Y-%m-%d" else raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def split_names(raw: str, separators: str = r"[,;]") -> list[str]:
    """Split a free-text list of names, dropping empties and repeats (order kept)."""
    return unique(part.strip() for part in re.split(separators, raw))


def unique(values) -> list[str]:
    """Non-empty values in first-seen order, compared case-insensitively."""
    seen: set[str] = set()
    kept = []
    for value in values:
        cleaned = " ".join(str(value or "").split())
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            kept.append(cleaned)
    return kept


def as_json(value: Any) -> str:
    """Stable, readable JSON for the list/object columns (`trading_names`, `aliases`, `extra`)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))
