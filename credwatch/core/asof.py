"""How a register status and a length of time are said to a learner, in one place.

`credwatch check`, the lookup page and the report card all say "Current as of 19 Feb 2016"
through `status_as_of`, so the three never disagree on what a snapshot date means.
"""

from __future__ import annotations

from datetime import date

UNDATED = "on an undated snapshot"


def human_date(iso: str | None) -> str:
    """ "2016-02-19" -> "19 Feb 2016"; anything that is not an ISO date is returned as it is."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{day.day} {day:%b %Y}"


def status_as_of(status: str | None, snapshot_date: str | None) -> str:
    """ "Current as of 19 Feb 2016": the register's own status word and the day it said so."""
    word = (status or "status unknown").strip()
    word = word[:1].upper() + word[1:]
    when = human_date(snapshot_date)
    return f"{word} as of {when}" if when else f"{word} {UNDATED}"


def human_duration(hours: float | None) -> str:
    """5 -> "5 hours", 0.5 -> "30 minutes", 1.5 -> "1.5 hours": never "5 h PT5H"."""
    if hours is None:
        return ""
    if hours < 1:
        minutes = round(hours * 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    shown = f"{hours:.1f}".rstrip("0").rstrip(".")
    return f"{shown} hour{'s' if shown != '1' else ''}"
