"""Provider matching for the other stages: many providers at once, results stored or as CSV rows.

The evidence and decision rules live in `scoring.matching`; this module is the library
surface used by the `match`/`check` commands and the scoring stage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from scoring.matching import EntryMatch, MatchResult, load_index, match_provider

OUTPUT_COLUMNS = (
    "name",
    "url",
    "register",
    "entry_id",
    "matched_name",
    "decision",
    "confidence",
    "name_score",
    "domain_match",
    "id_match",
    "reason",
)


@dataclass(frozen=True)
class ProviderInput:
    """One provider to match: its id in the working database, name, website, ids seen."""

    provider_id: str
    name: str
    url: str | None = None
    ids: tuple[str, ...] = ()


def match_providers(
    db: sqlite_utils.Database,
    db_path: str | Path | None,
    providers: Iterable[ProviderInput | tuple[str, str, str | None, Iterable[str]]],
) -> list[tuple[ProviderInput, MatchResult]]:
    """Match every provider against the registers in `db` (index built once per process).

    `db_path` names the database in errors (None: the file `db` has open). Providers are
    `ProviderInput`s or `(provider_id, name, url, ids)` tuples.
    """
    index = load_index(db, db_path)
    out = []
    for provider in providers:
        if not isinstance(provider, ProviderInput):
            provider_id, name, url, ids = provider
            provider = ProviderInput(provider_id, name, url, tuple(ids or ()))
        result = match_provider(provider.name, provider.url, list(provider.ids), index=index)
        out.append((provider, result))
    return out


def store_matches(
    db: sqlite_utils.Database, results: list[tuple[ProviderInput, MatchResult]]
) -> int:
    """Replace `provider_matches` rows of these providers; a not_found keeps its best candidate."""
    rows = [
        _match_row(provider.provider_id, match, result)
        for provider, result in results
        for match in _reported(result)
    ]
    with db.atomic():
        for provider, _ in results:
            db.execute("delete from provider_matches where provider_id = ?", [provider.provider_id])
        db["provider_matches"].insert_all(rows, pk=("provider_id", "register", "entry_id"))
    return len(rows)


def csv_rows(result: MatchResult) -> Iterator[dict[str, object]]:
    """The output rows of `credwatch match` for one input (one per accepted entry, or not_found)."""
    if result.accepted:
        for match in result.accepted:
            yield _csv_row(result, match, match.decision, match.reason)
        return
    best = result.rejected[0] if result.rejected else None
    yield _csv_row(result, best, "not_found", result.reason)


def _reported(result: MatchResult) -> list[EntryMatch | None]:
    return list(result.accepted) or [result.rejected[0] if result.rejected else None]


def _match_row(provider_id: str, match: EntryMatch | None, result: MatchResult) -> dict:
    row = _csv_row(result, match, match.decision if result.accepted else "not_found", "")
    row["reason"] = match.reason if result.accepted and match else result.reason
    row["provider_id"] = provider_id
    row["evidence"] = json.dumps(match.evidence() if match else {}, sort_keys=True)
    for column in ("name", "url"):
        row.pop(column)
    return row


def _csv_row(
    result: MatchResult, match: EntryMatch | None, decision: str, reason: str
) -> dict[str, object]:
    return {
        "name": result.name,
        "url": result.url or "",
        "register": match.entry.register if match else "",
        "entry_id": match.entry.entry_id if match else "",
        "matched_name": match.matched_name if match else "",
        "decision": decision,
        "confidence": match.confidence if match and result.accepted else 0.0,
        "name_score": round(match.name_score, 2) if match else 0.0,
        "domain_match": int(match.domain_match) if match else 0,
        "id_match": int(match.id_match) if match else 0,
        "reason": reason,
    }
