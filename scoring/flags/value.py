"""Value flags R6/R7 of red-flags.md: below the National Microcredentials Framework minimums
(under one hour, no stated assessment or learning outcomes) and attendance-only certificates
(Ofqual: a certificate of attendance is not a qualification). A value discount, not fraud.
"""

from __future__ import annotations

import re

from credwatch.core.wording import (
    ASSESSMENT_OR_OUTCOMES,
    CERTIFICATE_OF_ATTENDANCE,
    CREDENTIAL,
    QUALIFICATION_WORDING,
)
from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit
from scoring.flags.wording import quote

SHORT_DURATION = "SHORT_DURATION"
NO_ASSESSMENT_OR_OUTCOMES = "NO_ASSESSMENT_OR_OUTCOMES"
ATTENDANCE_CERTIFICATE = "ATTENDANCE_CERTIFICATE"
# Rules that read the course page's text, so "not checked" until one is crawled.
COURSE_PAGE_RULES = (NO_ASSESSMENT_OR_OUTCOMES,)

_MINUTES = re.compile(r"\b(?P<minutes>\d{1,2})\s*-?\s*(?:minutes?|mins?)\b", re.IGNORECASE)
_HOURS_WORD = re.compile(r"\b(?:hours?|hrs?|days?|weeks?)\b", re.IGNORECASE)


def flag_value(listing: Listing) -> tuple[FlagHit, ...]:
    """The raised value flags of one offering (none when it meets the minimums)."""
    hits = (_short_duration(listing), _no_assessment(listing), _attendance_only(listing))
    return tuple(hit for hit in hits if hit is not None)


def _short_duration(listing: Listing) -> FlagHit | None:
    """Under one hour of learning, from the duration column or a stated number of minutes."""
    hours = listing.duration_hours
    if hours:  # 0 hours is a missing figure, not a course without content
        if hours < 1:
            return FlagHit(SHORT_DURATION, 1, f"{hours:g} h of learning", f"{hours:g}")
        return None
    for text in listing.texts():
        match = _MINUTES.search(text)
        if match and not _HOURS_WORD.search(text):
            return FlagHit(SHORT_DURATION, 1, f"{match['minutes']} minutes of learning", text)
    return None


def assessment_checked(listing: Listing) -> bool:
    """Whether there is course-page text to look for assessment in: a listing with only a title
    and credential words (a catalogue row whose course page is not crawled yet) is "not
    checked", never "absent"."""
    return bool(listing.description)


def _no_assessment(listing: Listing) -> FlagHit | None:
    """A credential is promised but nothing says how it is assessed or what is learned."""
    if not assessment_checked(listing):
        return None
    credential = _first_match(listing, CREDENTIAL)
    if credential is None or _first_match(listing, ASSESSMENT_OR_OUTCOMES) is not None:
        return None
    reason = "credential with no stated assessment or learning outcomes"
    return FlagHit(NO_ASSESSMENT_OR_OUTCOMES, 1, reason, credential)


def _attendance_only(listing: Listing) -> FlagHit | None:
    """A completion/attendance certificate with no assessment; worse if sold as a qualification."""
    attendance = _first_match(listing, CERTIFICATE_OF_ATTENDANCE)
    if attendance is None or _first_match(listing, ASSESSMENT_OR_OUTCOMES) is not None:
        return None
    reason = "certificate for attending or completing, with no assessment"
    qualification = _first_match(listing, QUALIFICATION_WORDING)
    if qualification is not None:
        reason += f", presented with {quote(qualification)!r}"
    return FlagHit(ATTENDANCE_CERTIFICATE, 1, reason, attendance)


def _first_match(listing: Listing, pattern: re.Pattern[str]) -> str | None:
    """The first span of the listing's text the pattern matches, quoted exactly."""
    matches = (pattern.search(text) for text in listing.texts())
    return next((match.group(0) for match in matches if match), None)
