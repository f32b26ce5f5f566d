"""Normalise a course duration as a page states it to study hours, keeping the raw text.

Rules, so nothing is invented:
- only effort is converted: "6 hours", "90 mins", "1 hour 30 minutes", ISO 8601 `PT2H32M`;
- weekly effort counts only together with a number of weeks ("4 weeks, 3 hrs/week" -> 12);
  "4-8 hours/week" alone, "4 weeks", "Full-time 9 months" and "self-paced" give no hours;
- a day (ISO `P2D` or "2-day course") counts as one training day of 8 hours, unless the
  text is about access ("365 days access"), which is not study time;
- a range gives min and max, and `hours` is the midpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOURS_PER_TRAINING_DAY = 8.0


@dataclass(frozen=True)
class Duration:
    hours: float | None
    min_hours: float | None
    max_hours: float | None
    text: str | None


_NUM = r"(\d+(?:\.\d+)?)"
_RANGE = rf"{_NUM}(?:\s*(?:-|–|—|to)\s*{_NUM})?\+?"
_ISO = re.compile(
    r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_HOURS_WORD = r"(?:hours?|hrs?|h)\b"
_MINUTES_WORD = r"(?:minutes?|mins?|m)\b"
_PER_WEEK = re.compile(
    rf"{_RANGE}\s*{_HOURS_WORD}\.?\s*(?:/|per|a|each|every)\s*(?:week|wk)\b", re.IGNORECASE
)
_WEEKS = re.compile(rf"{_RANGE}[\s-]*(?:weeks?|wks?)\b", re.IGNORECASE)
_HOURS_AND_MINUTES = re.compile(
    rf"{_NUM}\s*{_HOURS_WORD}\.?,?\s*(?:and\s+)?{_NUM}\s*{_MINUTES_WORD}", re.IGNORECASE
)
_HOURS = re.compile(rf"{_RANGE}\s*(?:total\s+)?{_HOURS_WORD}", re.IGNORECASE)
_MINUTES = re.compile(rf"{_RANGE}\s*(?:total\s+)?{_MINUTES_WORD}", re.IGNORECASE)
_DAYS = re.compile(rf"{_RANGE}[\s-]*days?\b", re.IGNORECASE)
_ACCESS = re.compile(r"\baccess\b", re.IGNORECASE)


def parse_duration(text: str | None) -> Duration:
    """Read a duration string (free text or ISO 8601); unknown wording keeps only the text."""
    if text is None or not str(text).strip():
        return Duration(None, None, None, None)
    text = " ".join(str(text).split())
    iso = _ISO.match(text)
    if iso:
        return _from_iso(iso, text)
    if _PER_WEEK.search(text):
        return _duration(_weekly_total(text), text)
    for reader in (_hours_and_minutes, _plain_hours, _plain_minutes, _days):
        span = reader(text)
        if span is not None:
            return _duration(span, text)
    return Duration(None, None, None, text)


def weekly_hours(hours_per_week: float | str | None, weeks: float | str | None) -> Duration:
    """Feeds give effort per week and a number of weeks separately (FutureLearn)."""
    per_week = _first_range(hours_per_week)
    week_count = _first_range(weeks)
    parts = []
    if week_count:
        parts.append(f"{_fmt_range(week_count)} weeks")
    if per_week:
        parts.append(f"{_fmt_range(per_week)} hours/week")
    text = ", ".join(parts) or None
    if not (per_week and week_count):
        return Duration(None, None, None, text)
    return _duration((per_week[0] * week_count[0], per_week[1] * week_count[1]), text)


def _from_iso(match: re.Match[str], text: str) -> Duration:
    years, months, weeks, days, hours, minutes, seconds = (
        float(g) if g else 0.0 for g in match.groups()
    )
    if years or months or weeks:
        return Duration(None, None, None, text)  # how long a course runs, not study time
    total = days * HOURS_PER_TRAINING_DAY + hours + minutes / 60 + seconds / 3600
    return _duration((total, total), text)


def _weekly_total(text: str) -> tuple[float, float] | None:
    """Weekly effort times weeks; None when the text gives no number of weeks."""
    per_week = _PER_WEEK.search(text)
    weeks = _WEEKS.search(text)
    if not (per_week and weeks):
        return None
    low_w, high_w = _span(per_week)
    low_n, high_n = _span(weeks)
    return (low_w * low_n, high_w * high_n)


def _hours_and_minutes(text: str) -> tuple[float, float] | None:
    match = _HOURS_AND_MINUTES.search(text)
    if not match:
        return None
    total = float(match.group(1)) + float(match.group(2)) / 60
    return (total, total)


def _plain_hours(text: str) -> tuple[float, float] | None:
    match = _HOURS.search(text)
    return _span(match) if match else None


def _plain_minutes(text: str) -> tuple[float, float] | None:
    match = _MINUTES.search(text)
    if not match:
        return None
    low, high = _span(match)
    return (low / 60, high / 60)


def _days(text: str) -> tuple[float, float] | None:
    match = _DAYS.search(text)
    if not match or _ACCESS.search(text):
        return None
    low, high = _span(match)
    return (low * HOURS_PER_TRAINING_DAY, high * HOURS_PER_TRAINING_DAY)


def _span(match: re.Match[str]) -> tuple[float, float]:
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) else low
    return (min(low, high), max(low, high))


def _duration(span: tuple[float, float] | None, text: str) -> Duration:
    if span is None:
        return Duration(None, None, None, text)
    low, high = round(span[0], 4), round(span[1], 4)
    return Duration(round((low + high) / 2, 4), low, high, text)


def _first_range(value: float | str | None) -> tuple[float, float] | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return (float(value), float(value))
    match = re.search(_RANGE, value)
    return _span(match) if match else None


def _fmt_range(span: tuple[float, float]) -> str:
    low, high = (f"{v:g}" for v in span)
    return low if low == high else f"{low}-{high}"
