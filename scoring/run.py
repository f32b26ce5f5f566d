"""`credwatch score`: match, flag, check claims and score everything in the working database.

Reads what `registers load` and `crawl` wrote; writes `provider_matches`, `flags`,
`score_contributions`, `provider_scores` and the `rules` they cite in one transaction,
replacing earlier results, so a failed run leaves the previous scores in place.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from rich.progress import Progress

from credwatch.core.db import require_tables
from credwatch.core.identity import hostname
from scoring.claim_checks import ProviderEvidence
from scoring.decisions import DecisionIndex
from scoring.flags.listing import listing_from_row
from scoring.flags.model import OfferingFlags
from scoring.flags.over_niche import SubjectCorpus
from scoring.flags.qualification import WeekRange, clear_on_scope, cricos_typical_weeks
from scoring.match import ProviderInput, store_matches
from scoring.matching import EntryMatch, MatchResult, load_index, match_provider
from scoring.matching.index import RegisterIndex
from scoring.overrides import Override, active, apply_match_overrides, load_overrides
from scoring.rules import RULES, RuleBook
from scoring.scope import CourseRegister
from scoring.score import ProviderScore, contribution_id, stable_id, total_score

Row = dict[str, Any]
Lookup = Callable[[str, str], Row | None]
# Claim kinds the matcher may use as register-id evidence.
ID_CLAIMS = ("rto_code", "cricos_code", "abn")


# Rewritten whole by every scoring run.
SCORED_TABLES = (
    "provider_matches",
    "flags",
    "flag_checks",
    "score_contributions",
    "provider_scores",
)


# How many of the lowest scores a run's report keeps for its summary.
LOWEST_KEPT = 20


@dataclass
class ScoreReport:
    """What a scoring run wrote, for the command's summary: counts, grade counts and the
    lowest scores only, so the report stays the same size however many providers are scored
    (every score is in the database)."""

    providers: int = 0
    offerings: int = 0
    flags: int = 0
    contributions: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    _lowest: list[tuple[float, str, ProviderScore]] = field(default_factory=list, repr=False)

    def add(self, score: ProviderScore, offerings: int, flags: int, contributions: int) -> None:
        """Count one scored provider; keep it if it is among the `LOWEST_KEPT` lowest."""
        self.providers += 1
        self.offerings += offerings
        self.flags += flags
        self.contributions += contributions
        self.grades[score.grade] += 1
        kept = (-score.score, score.provider_id, score)
        if len(self._lowest) < LOWEST_KEPT:
            heapq.heappush(self._lowest, kept)
        elif kept[:2] > self._lowest[0][:2]:
            heapq.heapreplace(self._lowest, kept)

    @property
    def lowest(self) -> list[ProviderScore]:
        """The lowest scores kept, lowest first."""
        ranked = sorted(self._lowest, key=lambda kept: kept[:2], reverse=True)
        return [score for *_, score in ranked]


def _register_lookup(db: sqlite_utils.Database, db_path: str | Path) -> Lookup:
    """Register entries by (register, code), from the matcher's index: it already compares ids
    without leading zeros, so "RTO 29" on a page finds RTO 0029."""
    index = load_index(db, db_path or None)

    def lookup(register: str, entry_id: str) -> Row | None:
        entry = index.entry_by_id(register, entry_id)
        return vars(entry) if entry else None

    return lookup


def _current_offerings(db: sqlite_utils.Database) -> str:
    """The crawl's view of offerings still on their sites (removed ones are history)."""
    return "current_offerings" if "current_offerings" in db.view_names() else "offerings"


def score_database(
    db: sqlite_utils.Database,
    db_path: str | Path = "",
    rules: RuleBook = RULES,
    overrides: list[Override] | None = None,
) -> ScoreReport:
    """Score every crawled provider by `rules` and the reviewed `overrides` (default: the
    repository's overrides file); everything is written in one transaction.

    Providers are read, scored and written one at a time (their offerings, claims and links
    grouped by SQL on the `provider_id` indexes), so memory stays flat as the crawl grows:
    only the titles' subject counts (the niche-score corpus) span every offering.
    """
    require_tables(db, ["registry_entries", "providers"], db_path)
    overrides = load_overrides() if overrides is None else overrides
    today = datetime.now(UTC).date()
    index = load_index(db, db_path or None)
    offerings = _current_offerings(db)
    context = _Context(
        lookup=_register_lookup(db, db_path),
        blocked=BlockedSites(list(db["blocked_sites"].rows)),
        snapshots=_snapshots(db),
        corpus=SubjectCorpus.from_titles(
            listing_from_row(row).title for row in db.query(f"select title from {offerings}")
        ),
        offerings=offerings,
        match_overrides=active(overrides, "match", today),
        corrections=_by_provider([vars(o) for o in active(overrides, "contribution", today)]),
        decisions=DecisionIndex.from_db(db, index),
        courses=CourseRegister.from_db(db),
        course_weeks=cricos_typical_weeks(db),
    )
    total = db.execute("select count(*) from providers").fetchone()[0]
    report = ScoreReport()
    latest_run = _latest_crawl_run(db)
    with Progress(transient=True) as progress, db.atomic():
        task = progress.add_task("scoring providers", total=total)
        _replace(db["rules"], rules.rows())
        context.decisions.store_links(db)
        for table in SCORED_TABLES:
            db[table].delete_where()
        for provider in db.query("select id, name, url from providers order by id"):
            score_row = _score_provider(db, index, rules, context, provider, report)
            _record_history(db, score_row, latest_run)
            progress.advance(task)
        _replace(db["overrides"], [override.row(today) for override in overrides])
    return report


@dataclass
class _Context:
    """What every provider's rules read besides its own rows."""

    lookup: Lookup
    blocked: BlockedSites
    snapshots: dict[str, str]
    corpus: SubjectCorpus
    offerings: str  # the table or view of current offerings
    match_overrides: list[Override]
    corrections: dict[str, list[Row]]  # provider id -> its contribution overrides in force
    decisions: DecisionIndex
    courses: CourseRegister
    course_weeks: dict[str, WeekRange]


def _snapshots(db: sqlite_utils.Database) -> dict[str, str]:
    return {
        row["register"]: row["snapshot_date"]
        for row in db.query(
            "select register, max(snapshot_date) as snapshot_date from registry_entries "
            "group by register"
        )
    }


def _rows_of(db: sqlite_utils.Database, table: str, provider: str, order: str) -> list[Row]:
    return list(
        db.query(f"select * from {table} where provider_id = ? order by {order}", [provider])
    )


def _score_provider(
    db: sqlite_utils.Database,
    index: RegisterIndex,
    rules: RuleBook,
    context: _Context,
    provider: Row,
    report: ScoreReport,
) -> Row:
    """Match, flag and score one provider, write its rows, count them in `report`; returns
    its `provider_scores` row."""
    own = _rows_of(db, context.offerings, provider["id"], "url")
    claims = _rows_of(db, "claims", provider["id"], "url, kind")
    links = _rows_of(db, "outbound_links", provider["id"], "rowid")
    match_input = _match_input(provider, claims)
    result = match_provider(match_input.name, match_input.url, list(match_input.ids), index=index)
    apply_match_overrides([(match_input, result)], context.match_overrides, index)
    offering_flags = [rules.flag_offering(_flag_row(o), context.corpus) for o in own]
    clear_on_scope(offering_flags, own, context.courses.scope.current_codes(_rto_ids(result)))
    evidence = _evidence(provider, own, claims, links, result, offering_flags, context)
    score = total_score(provider["id"], *rules.evaluate(evidence))
    flag_rows = _flag_rows(own, offering_flags)
    check_rows = _check_rows(own, offering_flags)
    contribution_rows = _contribution_rows(score, rules)
    store_matches(db, [(match_input, result)])
    db["flags"].insert_all(flag_rows, pk=db["flags"].pks)
    db["flag_checks"].insert_all(check_rows, pk=db["flag_checks"].pks)
    db["score_contributions"].insert_all(contribution_rows, pk=db["score_contributions"].pks)
    score_row = _score_row(score, provider)
    db["provider_scores"].insert(score_row, pk=db["provider_scores"].pks)
    report.add(score, len(own), len(flag_rows), len(contribution_rows))
    return score_row


def _rto_ids(result: MatchResult) -> list[str]:
    """Its accepted, current RTO registrations (whose scope may back its qualifications)."""
    return [
        m.entry.entry_id
        for m in result.accepted
        if m.entry.register == "rto" and m.entry.is_current
    ]


def _match_input(provider: Row, claims: list[Row]) -> ProviderInput:
    ids = sorted({claim["value"] for claim in claims if claim["kind"] in ID_CLAIMS})
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
    provider: Row,
    own: list[Row],
    claims: list[Row],
    links: list[Row],
    result: MatchResult,
    offering_flags: list[OfferingFlags],
    context: _Context,
) -> ProviderEvidence:
    """Everything the rules read about one provider."""
    sites = {hostname(o["url"]): (o["url"], "") for o in own}
    sites[hostname(provider["url"])] = (provider["url"], "")
    sites.update((link["host"], (link["page_url"], link["url"])) for link in links)
    accepted = [_match_row(match) for match in result.accepted]
    return ProviderEvidence(
        provider_id=provider["id"],
        name=provider["name"],
        url=provider["url"],
        offerings=own,
        claims=claims,
        matches=accepted,
        best_rejected=_match_row(result.rejected[0]) if result.rejected else None,
        offering_flags=offering_flags,
        blocked=context.blocked.hits(sites),
        lookup=context.lookup,
        snapshots=context.snapshots,
        overrides=context.corrections.get(provider["id"], []),
        decisions=context.decisions.of_provider(provider["name"], accepted),
        courses=context.courses,
        course_weeks=context.course_weeks,
    )


class BlockedSites:
    """The blocked-site list indexed by domain and by every parent domain, built once per
    scoring run so each provider's hosts are looked up rather than compared with every row."""

    def __init__(self, rows: list[Row]):
        self.rows = rows
        self.by_domain: dict[str, list[int]] = {}
        self.by_parent: dict[str, list[int]] = {}
        for number, row in enumerate(rows):
            self.by_domain.setdefault(row["domain"], []).append(number)
            for parent in _parents(row["domain"]):
                self.by_parent.setdefault(parent, []).append(number)

    def hits(self, sites: dict[str | None, tuple[str, str]]) -> list[Row]:
        """Rows naming one of the provider's hosts, with the page and the link that led there.
        A host matches a listed one, or a subdomain of it; the provider's own site also
        matches when a subdomain of it is listed ("au.essaymill.com" is run from
        "essaymill.com"). Sibling subdomains never match: on shared hosting they are strangers.
        Each row is reported once, with the first of `sites` that matched it."""
        found: dict[int, tuple[str, str]] = {}
        for host, (page_url, link) in sites.items():
            bare = (host or "").removeprefix("www.")
            if not bare:
                continue
            domains = (bare, *_parents(bare))
            numbers = [n for domain in domains for n in self.by_domain.get(domain, [])]
            if not link:
                numbers += self.by_parent.get(bare, [])
            for number in numbers:
                found.setdefault(number, (page_url, link))
        return [
            {**self.rows[number], "page_url": page_url, "link": link}
            for number, (page_url, link) in sorted(found.items())
        ]


def _parents(domain: str) -> list[str]:
    """ "a.b.example.com" -> ["b.example.com", "example.com", "com"]."""
    parts = domain.split(".")
    return [".".join(parts[at:]) for at in range(1, len(parts))]


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


def _check_rows(offerings: list[Row], offering_flags: list[OfferingFlags]) -> list[Row]:
    """One row per offering and rule that reads the course page: raised, clear, or not
    checked (nothing crawled to read yet)."""
    provider_of = {offering["id"]: offering["provider_id"] for offering in offerings}
    return [
        {
            "id": stable_id(flags.offering_id, rule_id),
            "provider_id": provider_of[flags.offering_id],
            "offering_id": flags.offering_id,
            "rule_id": rule_id,
            "state": state,
            "reason": reason,
        }
        for flags in offering_flags
        for rule_id, (state, reason) in flags.checks().items()
    ]


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


def _score_row(score: ProviderScore, provider: Row) -> Row:
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


def _replace(table: sqlite_utils.db.Table, rows: list[Row]) -> None:
    table.delete_where()
    if rows:
        table.insert_all(rows, pk=table.pks)


def _by_provider(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["provider_id"], []).append(row)
    return grouped


def _latest_crawl_run(db: sqlite_utils.Database) -> str:
    """The crawl run the scores belong to ("" before any crawl run was recorded)."""
    if not db["crawl_runs"].exists():
        return ""
    return db.execute("select max(id) from crawl_runs").fetchone()[0] or ""


def _record_history(db: sqlite_utils.Database, score_row: Row, crawl_run_id: str) -> None:
    """Keep each provider's score per crawl run (a re-score of the same run replaces it)."""
    db["score_history"].insert(
        {
            "provider_id": score_row["provider_id"],
            "crawl_run_id": crawl_run_id,
            "scored_at": score_row["scored_at"],
            "score": score_row["score"],
            "grade": score_row["grade"],
        },
        pk=("provider_id", "crawl_run_id"),
        replace=True,
    )
