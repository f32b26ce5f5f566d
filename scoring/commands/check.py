"""`credwatch check NAME`: the learner's lookup of one provider, in a terminal or as JSON.

`lookup()` builds a plain dict and the renderers only display it, so later stages can add a
section (e.g. the provider's score) with one function call before rendering.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlite_utils
from rich.console import Console
from rich.table import Table

from credwatch.core.asof import status_as_of
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id
from credwatch.core.options import work_db_option
from registry_data.history import on_date_sentence, registered_on
from registry_data.registers import REGISTERS, register_label
from scoring.commands.decisions_view import decisions_section, render_decisions
from scoring.matching import (
    EntryMatch,
    MatchResult,
    RegisterIndex,
    load_index,
    open_registers,
)
from scoring.matching.query import match_query, read_query
from scoring.matching.result import NO_SHARED_WORD

NOT_CLOSE = "no register name is close enough to it"
VERDICTS = {
    "registered": "registered",
    "not_current": "on a register, but not current there",
    "probable": "probably this one",
    "not_found": "not on any register we searched",
}


def lookup(db_path: str | Path, name: str, url: str | None = None) -> dict:
    """The lookup report of one input from the registers in `db_path` (index cached on disk)."""
    return lookup_report(load_index(open_registers(db_path), db_path), name, url)


def lookup_report(index: RegisterIndex, text: str, url: str | None = None) -> dict:
    """Decision in words, accepted entries with status "as of" their snapshot, evidence, and
    the rejected candidates kept apart (never shown as a registration)."""
    query = read_query(text, index)
    result = match_query(text, index, url)
    entries = [_entry_section(match) for match in result.accepted]
    return {
        "query": {"name": text, "url": url, "read_as": query.kind},
        "decision": result.decision,
        "verdict": _verdict(result.decision, entries),
        "reason": result.reason,
        "why": _why(result),
        "entries": entries,
        "rejected": [_entry_section(match) for match in result.rejected],
        "registers_searched": searched_registers(index),
    }


def _why(result: MatchResult) -> str:
    """The reason in one line, without naming a rejected candidate (shown apart, marked)."""
    if result.accepted:
        return result.reason
    if result.unmatched:
        return result.unmatched
    return NOT_CLOSE if result.rejected else NO_SHARED_WORD


def _verdict(decision: str, entries: list[dict]) -> str:
    if decision == "matched":
        return VERDICTS["registered" if entries[0]["is_current"] else "not_current"]
    return VERDICTS[decision]


def searched_registers(index: RegisterIndex) -> list[str]:
    """Labels of the provider registers the index holds, as a learner names them."""
    return [register_label(register) for register in index.registers]


def score_section(
    db: sqlite_utils.Database, name: str, url: str | None, entries: list[dict] = ()
) -> dict | None:
    """The provider's stored score and its contributions, each with its rule's meaning, found
    by website, exact name or a crawled provider matched to one of the `entries` found (so a
    code or a web address finds it too); None when it has not been crawled and scored."""
    if not db["provider_scores"].exists():
        return None
    where, params = "lower(provider_name) = lower(?)", [name.strip()]
    if url:
        where, params = "provider_id = ? or " + where, [provider_id(url), *params]
    if entries and db["provider_matches"].exists():
        pairs = " or ".join("(register = ? and entry_id = ?)" for _ in entries)
        where += (
            " or provider_id in (select provider_id from provider_matches where "
            f"decision in ('matched', 'probable') and ({pairs}))"
        )
        params += [value for entry in entries for value in (entry["register"], entry["entry_id"])]
    rows = list(db.query(f"select * from provider_scores where {where} limit 1", params))
    if not rows:
        return None
    contributions = db.query(
        "select rule_id, points, reason, evidence_url, evidence_text, register, entry_id, "
        "snapshot_date from score_contributions where provider_id = ? "
        "order by points, rule_id",
        [rows[0]["provider_id"]],
    )
    return {**rows[0], "contributions": [_with_meaning(row) for row in contributions]}


def _with_meaning(contribution: dict) -> dict:
    """A stored contribution with what its rule means ("" for a rule no longer declared).

    The rules are imported here, not at the top: declaring them loads the flag detectors
    (wordfreq), which a lookup of an unscored provider never needs."""
    from scoring.rules import RULES

    declared = RULES.get(contribution["rule_id"])
    return {**contribution, "meaning": declared.meaning if declared else ""}


def _entry_section(match: EntryMatch) -> dict:
    entry = match.entry
    return {
        "register": entry.register,
        "entry_id": entry.entry_id,
        "legal_name": entry.legal_name,
        "matched_name": match.matched_name,
        "decision": match.decision if match.confidence else "rejected",
        "confidence": match.confidence,
        "status": entry.status,
        "is_current": entry.is_current,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "website_domain": entry.website_domain,
        "snapshot_date": entry.snapshot_date,
        "as_of": status_as_of(entry.status, entry.snapshot_date),
        "register_label": register_label(entry.register),
        "register_url": REGISTERS[entry.register].entry_url(entry.entry_id),
        "reason": match.reason,
        "evidence": match.evidence(),
    }


def render(report: dict, console: Console) -> None:
    """Readable terminal output of a `lookup()` report."""
    query = report["query"]
    asked = query["name"] + (f" ({query['url']})" if query["url"] else "")
    console.print(f"[bold]{asked}[/bold]: [bold]{report['verdict']}[/bold] ({report['decision']})")
    console.print(report["reason"], highlight=False)
    if report["entries"]:
        console.print(_table("Register entries", report["entries"]))
    else:
        console.print("Registers searched: " + "; ".join(report["registers_searched"]))
    if report["rejected"]:
        console.print(
            _table("Not this provider: the closest rejected candidates", report["rejected"])
        )
    _render_score(report.get("score"), console)


def _render_score(score: dict | None, console: Console) -> None:
    if score is None:
        console.print(
            "Not scored: its website has not been crawled (add it to a providers file, then "
            "`credwatch crawl` and `credwatch score`)."
        )
        return
    console.print(
        f"[bold]Score {score['score']:.0f}/100, grade {score['grade']}[/bold] "
        f"(scored {score['scored_at']})"
    )
    table = Table(title="Why: every point gained or lost", title_justify="left")
    for column in ("points", "rule", "reason", "evidence"):
        table.add_column(column)
    for rule_id, items in _by_rule(score["contributions"]):
        first = items[0]
        more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
        table.add_row(
            f"{sum(item['points'] for item in items):+.0f}",
            rule_id,
            first["reason"],
            _evidence_line(first) + more,
        )
    console.print(table)
    for rule_id, items in _by_rule(score["contributions"]):
        if items[0]["meaning"]:
            console.print(f"[bold]{rule_id}[/bold]: {items[0]['meaning']}", highlight=False)


def _table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("entry", "name", "status", "dates", "decision", "evidence"):
        table.add_column(column)
    for row in rows:
        evidence = row["evidence"]
        table.add_row(
            f"{row['register'].upper()} {row['entry_id']}",
            row["matched_name"],
            row["as_of"],
            " to ".join(d for d in (row["start_date"], row["end_date"]) if d),
            f"{row['decision']} {row['confidence']:.2f}",
            f"name {evidence['name_score']:.0f}, domain {int(evidence['domain_match'])}, "
            f"id {int(evidence['id_match'])}",
        )
    return table


def _by_rule(contributions: list[dict]) -> list[tuple[str, list[dict]]]:
    """Contributions grouped by rule, in the order their rules first appear."""
    groups: dict[str, list[dict]] = {}
    for item in contributions:
        groups.setdefault(item["rule_id"], []).append(item)
    return list(groups.items())


def _evidence_line(item: dict) -> str:
    quote = f"'{item['evidence_text'][:80]}'" if item["evidence_text"] else ""
    entry = (
        f"{item['register']} {item['entry_id']} ({item['snapshot_date']})"
        if item["register"]
        else ""
    )
    return " ".join(part for part in (item["evidence_url"], quote, entry) if part)


@click.command("check")
@click.argument("name")
@click.option("--url", help="The provider's website (any page; its registrable domain is used).")
@work_db_option("Its registers are looked up (a db from `registers load` works too).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--on",
    "on_date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Was it registered on this date (YYYY-MM-DD)? Answered from the register snapshots.",
)
def check(name: str, url: str | None, db_path: Path, as_json: bool, on_date) -> None:
    """Is NAME on an Australian (or US/UK) register? Decision, entries, evidence."""
    if not name.strip():
        raise CredwatchError("NAME: empty provider name")
    db = open_registers(db_path)
    report = lookup_report(load_index(db, db_path), name, url)
    report["score"] = score_section(db, name, url, report["entries"])
    report["decisions"] = decisions_section(db, name, report["entries"])
    if on_date:
        report["on_date"] = on_date_section(db, name, report, on_date.date().isoformat())
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        render(report, Console())
        render_decisions(report["decisions"], Console())
        for found in report.get("on_date", []):
            click.echo(on_date_sentence(found))


def on_date_section(db: sqlite_utils.Database, name: str, report: dict, on: str) -> list[dict]:
    """`--on`: what the snapshots say on that date, for the matched entries and any entry
    ever listed under NAME (registry_data.history)."""
    matched = [(entry["register"], entry["entry_id"]) for entry in report["entries"]]
    return registered_on(db, on, name, matched)
