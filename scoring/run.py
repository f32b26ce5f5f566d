"""`credwatch score`: match, flag, check claims and score everything in the working database.

Reads what `registers load` and `crawl` wrote; writes `provider_matches`, `flags`,
`score_contributions`, `provider_scores` and the `rules` they cite in one transaction,
replacing earlier results, so a failed run leaves the previous scores in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from rich.progress import Progress

from credwatch.core.db import require_tables
from credwatch.core.identity import hostname
from scoring.claim_checks import ProviderEvidence
from scoring.decisions import DecisionIndex
from scoring.flags.model import OfferingFlags
from scoring.match import ProviderInput, match_providers, store_matches
from scoring.matching import EntryMatch, MatchResult, load_index
from scoring.matching.index import id_key
from scoring.overrides import Override, active, apply_match_overrides, load_overrides
from scoring.rules import RULES, RuleBook
from scoring.scope import CourseRegister
from scoring.score import ProviderScore, contribution_id, stable_id, total_score

Row = dict[str, Any]
Lookup = Callable[[str, str], Row | None]
# Claim kinds the matcher may use as register-id evidence.
ID_CLAIMS = ("rto_code", "cricos_code", "abn")


@dataclass
class ScoreReport:
    """What a scoring run wrote, for the command's summary."""

    providers: int
    offerings: int
    flags: int
    contributions: int
    scores: list[ProviderScore]


def _register_lookup(db: sqlite_utils.Database, db_path: str | Path) -> Lookup:
    """Register entries by (register, code), from the matcher's index: it already compares ids
    without leading zeros, so "RTO 29" on a page finds RTO 0029."""
    index = load_index(db, db_path or None)

    def lookup(register: str, entry_id: str) -> Row | None:
        for number in index.by_id.get(id_key(entry_id), []):
            entry = index.entries[number]
            if entry.register == register:
                return vars(entry)
        return None

    return lookup


def score_database(
    db: sqlite_utils.Database,
    db_path: str | Path = "",
    rules: RuleBook = RULES,
    overrides: list[Override] | None = None,
) -> ScoreReport:
    """Score every crawled provider by `rules` and the reviewed `overrides` (default: the
    repository's overrides file); everything is written in one transaction."""
    require_tables(db, ["registry_entries", "providers"], db_path)
    overrides = load_overrides() if overrides is None else overrides
    today = datetime.now(UTC).date()
    providers = list(db.query("select id, name, url from providers order by id"))
    offerings = list(db.query("select * from offerings order by provider_id, url"))
    claims = list(db.query("select * from claims order by provider_id, url, kind"))
    with Progress(transient=True) as progress:
        task = progress.add_task("matching providers", total=3)
        matches = match_providers(db, db_path, [_match_input(p, claims) for p in providers])
        apply_match_overrides(
            matches, active(overrides, "match", today), load_index(db, db_path or None)
        )
        progress.update(task, advance=1, description="flagging offerings")
        offering_flags = rules.flag_offerings([_flag_row(o) for o in offerings])
        progress.update(task, advance=1, description="checking claims")
        corrections = _by_provider([vars(o) for o in active(overrides, "contribution", today)])
        scores = [
            total_score(evidence.provider_id, *rules.evaluate(evidence))
            for evidence in _evidence(
                db, db_path, providers, offerings, claims, matches, offering_flags, corrections
            )
        ]
        progress.update(task, advance=1)
    flag_rows = _flag_rows(offerings, offering_flags)
    contribution_rows = [row for score in scores for row in _contribution_rows(score, rules)]
    score_rows = [_score_row(score, providers) for score in scores]
    with db.atomic():
        store_matches(db, matches)
        _replace(db["rules"], rules.rows())
        _replace(db["flags"], flag_rows)
        _replace(db["score_contributions"], contribution_rows)
        _replace(db["provider_scores"], score_rows)
        _replace(db["overrides"], [override.row(today) for override in overrides])
        _record_history(db, score_rows)
    return ScoreReport(
        len(providers), len(offerings), len(flag_rows), len(contribution_rows), scores
    )


def _match_input(provider: Row, claims: list[Row]) -> ProviderInput:
    ids = sorted(
        {
            claim["value"]
            for claim in claims
            if claim["provider_id"] == provider["id"] and claim["kind"] in ID_CLAIMS
        }
    )
    return ProviderInput(provider["id"], provider["name"], provider["url"], tuple(ids))


def _flag_row(offering: Row) -> Row:
    return {
        "id": offering["id"],
        "provider": offering["provider_name"],
        "title": offering["title"],
        "description": offering["description"],
        "price": offering["price"],
        "currency": offering["currency"],
        "duration_hours": offering["duration_hours"],
        "certificate_text": offering["certificate_text"],
    }


def _evidence(
    db: sqlite_utils.Database,
    db_path: str | Path,
    providers: list[Row],
    offerings: list[Row],
    claims: list[Row],
    matches: list[tuple[ProviderInput, MatchResult]],
    offering_flags: list[OfferingFlags],
    corrections: dict[str, list[Row]],
) -> Iterator[ProviderEvidence]:
    """Everything the rules read, one provider at a time."""
    lookup = _register_lookup(db, db_path)
    blocked = list(db["blocked_sites"].rows)
    snapshots = {
        row["register"]: row["snapshot_date"]
        for row in db.query(
            "select register, max(snapshot_date) as snapshot_date from registry_entries "
            "group by register"
        )
    }
    decisions, courses = DecisionIndex.from_db(db), CourseRegister.from_db(db)
    offerings_of = _by_provider(offerings)
    claims_of = _by_provider(claims)
    links_of = _by_provider(list(db["outbound_links"].rows))
    results = {provider.provider_id: result for provider, result in matches}
    flags_by_offering = {flags.offering_id: flags for flags in offering_flags}
    for provider in providers:
        own = offerings_of.get(provider["id"], [])
        result = results[provider["id"]]
        sites = {hostname(o["url"]): (o["url"], "") for o in own}
        sites[hostname(provider["url"])] = (provider["url"], "")
        sites.update(
            (link["host"], (link["page_url"], link["url"]))
            for link in links_of.get(provider["id"], [])
        )
        accepted = [_match_row(match) for match in result.accepted]
        yield ProviderEvidence(
            provider_id=provider["id"],
            name=provider["name"],
            url=provider["url"],
            offerings=own,
            claims=claims_of.get(provider["id"], []),
            matches=accepted,
            best_rejected=_match_row(result.rejected[0]) if result.rejected else None,
            offering_flags=[
                flags_by_offering[o["id"]] for o in own if o["id"] in flags_by_offering
            ],
            blocked=_blocked_hits(sites, blocked),
            lookup=lookup,
            snapshots=snapshots,
            overrides=corrections.get(provider["id"], []),
            decisions=decisions.of_provider(provider["name"], accepted),
            courses=courses,
        )


def _by_provider(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["provider_id"], []).append(row)
    return grouped


def _blocked_hits(sites: dict[str | None, tuple[str, str]], blocked: list[Row]) -> list[Row]:
    """Blocked-list rows naming one of the provider's hosts, with the page and the link that
    led there. A host matches a listed one, or a subdomain of it; the provider's own site
    also matches when a subdomain of it is listed ("au.essaymill.com" is run from
    "essaymill.com"). Sibling subdomains never match: on shared hosting they are strangers."""
    hits = []
    for row in blocked:
        listed = row["domain"]
        for host, (page_url, link) in sites.items():
            bare = (host or "").removeprefix("www.")
            own_parent = not link and listed.endswith("." + bare)
            if bare and (bare == listed or bare.endswith("." + listed) or own_parent):
                hits.append({**row, "page_url": page_url, "link": link})
                break
    return hits


def _match_row(match: EntryMatch) -> Row:
    return {
        **vars(match.entry),
        "matched_name": match.matched_name,
        "decision": match.decision,
        "confidence": match.confidence,
        "name_score": match.name_score,
        "domain_match": match.domain_match,
        "id_match": match.id_match,
        "reason": match.reason,
    }


def _flag_rows(offerings: list[Row], offering_flags: list[OfferingFlags]) -> list[Row]:
    by_id = {offering["id"]: offering for offering in offerings}
    rows = []
    for flags in offering_flags:
        offering = by_id[flags.offering_id]
        for rule_id, hit in flags.hits.items():
            rows.append(
                {
                    "id": stable_id(flags.offering_id, rule_id),
                    "provider_id": offering["provider_id"],
                    "offering_id": flags.offering_id,
                    "rule_id": rule_id,
                    "value": hit.value,
                    "reason": hit.reason,
                    "evidence_url": offering["url"],
                    "evidence_text": hit.evidence_text,
                }
            )
    return rows


def _contribution_rows(score: ProviderScore, rules: RuleBook) -> list[Row]:
    return [
        {
            "id": contribution_id(score.provider_id, c),
            "provider_id": score.provider_id,
            **vars(c),
            "source": rules[c.rule_id].source,
        }
        for c in score.contributions
    ]


def _score_row(score: ProviderScore, providers: list[Row]) -> Row:
    provider = next(p for p in providers if p["id"] == score.provider_id)
    registered = [c for c in score.contributions if c.rule_id == "REGISTERED"]
    losses = sorted(score.contributions, key=lambda c: c.points)[:3]
    return {
        "provider_id": score.provider_id,
        "provider_name": provider["name"],
        "provider_url": provider["url"],
        "score": score.score,
        "grade": score.grade,
        "registration": "; ".join(c.reason for c in registered) or "on no register searched",
        "summary": " ".join(c.reason for c in losses if c.points < 0) or "No claim found wanting.",
        "scored_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _record_history(db: sqlite_utils.Database, score_rows: list[Row]) -> None:
    """Keep each provider's score per crawl run (a re-score of the same run replaces it)."""
    latest = (
        db.execute("select max(id) from crawl_runs").fetchone()[0]
        if db["crawl_runs"].exists()
        else None
    )
    db["score_history"].insert_all(
        (
            {
                "provider_id": row["provider_id"],
                "crawl_run_id": latest or "",
                "scored_at": row["scored_at"],
                "score": row["score"],
                "grade": row["grade"],
            }
            for row in score_rows
        ),
        pk=("provider_id", "crawl_run_id"),
        replace=True,
    )


def _replace(table: sqlite_utils.db.Table, rows: list[Row]) -> None:
    table.delete_where()
    if rows:
        table.insert_all(rows, pk=table.pks)
