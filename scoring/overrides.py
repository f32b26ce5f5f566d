"""Reviewed corrections (the right of reply), kept in a versioned file and applied every run.

A provider or reader disputes a verdict; a reviewer checks the evidence and, when it holds,
adds an entry to `overrides/overrides.yml` (who asked, who reviewed, when, why, what it
changes, when it expires). Nightly runs rebuild every score from scratch, so a correction
lives in the repository, not in the database, and scoring applies it on every run:

- `kind: contribution` adds one signed contribution (rule `OVERRIDE_CORRECTION`) with the
  override's reason; the evidence it answers stays on the report card.
- `kind: match` records a reviewed match decision for one register entry: `accept` makes
  it a match, `reject` sets a wrongly accepted entry aside; the matcher's own evidence and
  reason are kept beside the reviewer's.

An expired override is published (the trail stays visible) but no longer applied. A file
that breaks the schema is refused with one line naming the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from credwatch.core.errors import CredwatchError
from scoring.matching import EntryMatch, MatchResult
from scoring.matching.index import RegisterIndex

DEFAULT_OVERRIDES = Path(__file__).resolve().parent.parent / "overrides" / "overrides.yml"
KINDS = ("contribution", "match")
MATCH_DECISIONS = ("accept", "reject")
# An override answers one finding; it may not outweigh the whole score on its own.
MAX_POINTS = 30
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_REQUIRED = ("id", "provider_id", "kind", "requested_by", "reviewed_by", "decided", "reason")
_REQUIRED += ("changes", "expires")
_KIND_FIELDS = {"contribution": ("points",), "match": ("register", "entry_id", "decision")}
_ALLOWED = {*_REQUIRED, *(f for fields in _KIND_FIELDS.values() for f in fields), "evidence_url"}


@dataclass(frozen=True)
class Override:
    """One reviewed correction, as declared in the overrides file."""

    id: str
    provider_id: str
    kind: str  # contribution | match
    requested_by: str  # who asked: the provider, a reader, a journalist ...
    reviewed_by: str
    decided: str  # ISO date of the review decision
    reason: str  # why, in a sentence a learner reads
    changes: str  # the rule id or the match it corrects
    expires: str  # ISO date after which it is no longer applied
    points: float | None = None
    register: str = ""
    entry_id: str = ""
    decision: str = ""  # accept | reject, for a match override
    evidence_url: str = ""

    def active_on(self, day: date) -> bool:
        return date.fromisoformat(self.decided) <= day <= date.fromisoformat(self.expires)

    def row(self, day: date) -> dict[str, Any]:
        """The override as a row of the published `overrides` table."""
        return {**vars(self), "status": "applied" if self.active_on(day) else _inactive(self, day)}


def _inactive(override: Override, day: date) -> str:
    return "expired" if day > date.fromisoformat(override.expires) else "not yet in force"


def load_overrides(path: Path = DEFAULT_OVERRIDES) -> list[Override]:
    """Every override in `path`, validated; a missing default file means none."""
    if not path.is_file():
        if path == DEFAULT_OVERRIDES:
            return []
        raise CredwatchError(f"{path}: overrides file not found")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CredwatchError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from error
    entries = document.get("overrides") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise CredwatchError(f"{path}: expected a top-level 'overrides:' list")
    overrides, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        override = _parse(path, number, entry)
        if override.id in seen:
            raise CredwatchError(f"{path}: override {override.id}: id used twice")
        seen.add(override.id)
        overrides.append(override)
    return overrides


def _parse(path: Path, number: int, entry: object) -> Override:
    name = entry.get("id") if isinstance(entry, dict) and entry.get("id") else f"#{number}"
    problem = _problem(entry)
    if problem:
        raise CredwatchError(f"{path}: override {name}: {problem}")
    assert isinstance(entry, dict)
    fields = {key: value if key == "points" else str(value) for key, value in entry.items()}
    return Override(**fields)


def _problem(entry: object) -> str:
    """What is wrong with one entry of the file, or "" when it is sound."""
    if not isinstance(entry, dict):
        return "each override is a mapping of fields"
    missing = [key for key in _REQUIRED if entry.get(key) in (None, "")]
    if missing:
        return f"missing {', '.join(missing)}"
    unknown = sorted(set(entry) - _ALLOWED)
    if unknown:
        return f"unknown field {', '.join(unknown)}"
    if not _ID.match(str(entry["id"])):
        return "id must be letters, digits, '.', '_' or '-'"
    if entry["kind"] not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}, not {entry['kind']!r}"
    missing = [key for key in _KIND_FIELDS[entry["kind"]] if entry.get(key) in (None, "")]
    if missing:
        return f"a {entry['kind']} override needs {', '.join(missing)}"
    return _dates_problem(entry) or _value_problem(entry)


def _dates_problem(entry: dict) -> str:
    for key in ("decided", "expires"):
        try:
            date.fromisoformat(str(entry[key]))
        except ValueError:
            return f"{key} must be a date (YYYY-MM-DD), not {entry[key]!r}"
    if str(entry["expires"]) <= str(entry["decided"]):
        return "expires must be after decided"
    return ""


def _value_problem(entry: dict) -> str:
    if entry["kind"] == "match":
        if entry["decision"] not in MATCH_DECISIONS:
            return f"decision must be accept or reject, not {entry['decision']!r}"
        return ""
    points = entry["points"]
    if isinstance(points, bool) or not isinstance(points, int | float):
        return f"points must be a number, not {points!r}"
    if not 0 < abs(points) <= MAX_POINTS:
        return f"points must be non-zero and at most {MAX_POINTS} either way"
    return ""


def active(overrides: list[Override], kind: str, day: date) -> list[Override]:
    return [o for o in overrides if o.kind == kind and o.active_on(day)]


def apply_match_overrides(
    results: list[tuple[Any, MatchResult]], overrides: list[Override], index: RegisterIndex
) -> None:
    """Apply each reviewed match decision to its provider's result, in place.

    `accept` moves the entry into the accepted matches (from the rejected candidates, or from
    the register when the matcher never proposed it) with the reviewer's reason beside the
    matcher's; `reject` moves a wrongly accepted entry to the rejected candidates. Nothing
    the matcher found is dropped."""
    by_provider = {provider.provider_id: result for provider, result in results}
    for override in overrides:
        result = by_provider.get(override.provider_id)
        if result is not None:
            _apply_match(result, override, index)


def _apply_match(result: MatchResult, override: Override, index: RegisterIndex) -> None:
    key = (override.register, override.entry_id)
    note = f"reviewed correction {override.id}: {override.reason}"
    accepted = [m for m in result.accepted if (m.entry.register, m.entry.entry_id) == key]
    rejected = [m for m in result.rejected if (m.entry.register, m.entry.entry_id) == key]
    if override.decision == "reject":
        for match in accepted:
            result.accepted.remove(match)
            match.reason = f"{note} (matcher: {match.reason})"
            result.rejected.insert(0, match)
        return
    match = (rejected or [None])[0] or _register_entry(index, *key)
    if match is None or accepted:
        return
    if match in result.rejected:
        result.rejected.remove(match)
    match.reason = f"{note} (matcher: {match.reason})" if match.reason else note
    match.confidence = 1.0
    result.accepted.insert(0, match)


def _register_entry(index: RegisterIndex, register: str, entry_id: str) -> EntryMatch | None:
    for number, entry in enumerate(index.entries):
        if (entry.register, entry.entry_id) == (register, entry_id):
            return EntryMatch(
                number, entry, how="override", matched_name=entry.legal_name, name_score=0.0
            )
    return None
