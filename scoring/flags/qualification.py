"""INFLATED_QUALIFICATION_NAME: a title that names an AQF qualification (Diploma, Bachelor,
Certificate III...) while the listing states a small fraction of that qualification's volume
of learning ("Diploma in Life Coaching, 2 hours").

The volumes are the Australian Qualifications Framework's (AQF second edition, 2013): each
qualification type has a level and a volume of learning in years of full-time study, and the
AQF counts one year as 1200 hours. The CRICOS course list, when loaded, says what real courses
of each level run for (`cricos_typical_weeks`), and the rule cites that range beside the AQF.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

import sqlite_utils

from credwatch.core.wording import national_codes
from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit, OfferingFlags

RULE_ID = "INFLATED_QUALIFICATION_NAME"
AQF_HOURS_PER_YEAR = 1200  # AQF volume of learning: one year of full-time study
# Flagged under a tenth of the AQF minimum: 120 h for a Diploma, 60 h for a Certificate I.
FAR_BELOW_SHARE = 0.1


@dataclass(frozen=True)
class AqfQualification:
    """One AQF qualification type: its level, volume of learning, and CRICOS course level."""

    name: str
    level: int
    min_years: float
    max_years: float
    cricos_level: str

    @property
    def volume(self) -> str:
        years = f"{self.min_years:g}" + (
            f"-{self.max_years:g}" if self.max_years != self.min_years else ""
        )
        hours = f"{self.min_years * AQF_HOURS_PER_YEAR:,.0f}" + (
            f"-{self.max_years * AQF_HOURS_PER_YEAR:,.0f}"
            if self.max_years != self.min_years
            else ""
        )
        return f"AQF level {self.level} {self.name}: volume of learning {years} years ({hours} h)"


# AQF second edition (2013), the volume of learning of each qualification type.
AQF = {
    "graduate diploma": AqfQualification("Graduate Diploma", 8, 1, 2, "Graduate Diploma"),
    "graduate certificate": AqfQualification(
        "Graduate Certificate", 8, 0.5, 1, "Graduate Certificate"
    ),
    "advanced diploma": AqfQualification("Advanced Diploma", 6, 1.5, 2, "Advanced Diploma"),
    "associate degree": AqfQualification("Associate Degree", 6, 2, 2, "Associate Degree"),
    "diploma": AqfQualification("Diploma", 5, 1, 2, "Diploma"),
    "bachelor": AqfQualification("Bachelor Degree", 7, 3, 4, "Bachelor Degree"),
    "master": AqfQualification("Masters Degree", 9, 1, 2, "Masters Degree (Coursework)"),
    "certificate iv": AqfQualification("Certificate IV", 4, 0.5, 2, "Certificate IV"),
    "certificate iii": AqfQualification("Certificate III", 3, 1, 2, "Certificate III"),
    "certificate ii": AqfQualification("Certificate II", 2, 0.5, 1, "Certificate II"),
    "certificate i": AqfQualification("Certificate I", 1, 0.5, 1, "Certificate I"),
}
_ARABIC = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}
# Longest names first; "Master" and "Bachelor" only as awards ("Master of", "Master's"), since
# "Master Excel" is a verb; a Certificate only with its AQF number ("Certificate IV in").
_NAMED = re.compile(
    r"\b(?P<name>graduate diploma|graduate certificate|advanced diploma|associate degree"
    r"|diploma|bachelor(?:'s|’s)?(?=\s+(?:degree|of|in)\b)|master(?:'s|’s|s)?(?=\s+"
    r"(?:degree|of|in)\b)|certificate\s+(?P<number>iv|iii|ii|i|[1-4])(?![\w-]))",
    re.IGNORECASE,
)


def qualification_named(title: str) -> tuple[AqfQualification, str] | None:
    """The AQF qualification a title calls itself, and the words that say so."""
    match = _NAMED.search(title)
    if match is None:
        return None
    key = re.sub(r"(?:'s|’s|s)$", "", match["name"].lower())
    if match["number"]:
        key = "certificate " + _ARABIC.get(match["number"], match["number"].lower())
    return AQF[" ".join(key.split())], match.group(0)


def flag_inflated_qualification(listing: Listing) -> FlagHit | None:
    """Raised when the stated hours are under a tenth of the named qualification's AQF minimum."""
    named = qualification_named(listing.title)
    hours = listing.duration_hours
    if named is None or not hours:  # 0 hours is a missing figure
        return None
    qualification, words = named
    if hours >= qualification.min_years * AQF_HOURS_PER_YEAR * FAR_BELOW_SHARE:
        return None
    reason = f"called {words!r} with {hours:g} h of learning stated; {qualification.volume}"
    return FlagHit(RULE_ID, 1, reason, words)


def clear_on_scope(
    flags: list[OfferingFlags], offerings: list[dict], on_scope: frozenset[str]
) -> None:
    """Drop the flag from offerings naming a national code on the provider's current RTO
    scope (`registry_scopes`): a real qualification it may issue is not an inflated name,
    however few hours its page states."""
    text = {o["id"]: f"{o.get('title') or ''} {o.get('description') or ''}" for o in offerings}
    for offering in flags:
        codes = {m.group(0) for m in national_codes(text.get(offering.offering_id, ""))}
        if codes & on_scope:
            offering.hits.pop(RULE_ID, None)


@dataclass(frozen=True)
class WeekRange:
    """The middle half of CRICOS course durations at one level, in weeks."""

    low: float
    high: float
    courses: int

    def describe(self, level: str) -> str:
        return (
            f"CRICOS lists {self.courses:,} {level} courses, typically "
            f"{self.low:g}-{self.high:g} weeks (middle half)"
        )


def cricos_typical_weeks(db: sqlite_utils.Database) -> dict[str, WeekRange]:
    """Course level -> the interquartile range of CRICOS durations, from `registry_courses`."""
    if not db["registry_courses"].exists():
        return {}
    weeks: dict[str, list[float]] = {}
    rows = db.query(
        "select course_level, duration_weeks from registry_courses "
        "where course_level is not null and duration_weeks > 0"
    )
    for row in rows:
        weeks.setdefault(row["course_level"], []).append(row["duration_weeks"])
    return {
        level: WeekRange(*_quartiles(values), len(values))
        for level, values in weeks.items()
        if len(values) >= 4
    }


def _quartiles(values: list[float]) -> tuple[float, float]:
    low, _, high = statistics.quantiles(values, n=4)
    return low, high
