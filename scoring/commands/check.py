"""`credwatch check NAME`: the learner's lookup of one provider, in a terminal or as JSON.

`lookup()` builds a plain dict and the renderers only display it, so later stages can add a
section (e.g. the provider's score) with one function call before rendering.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from credwatch.errors import CredwatchError
from scoring.matching import EntryMatch, load_index, match_provider, open_registers

DEFAULT_DB = Path("output/work.db")


def lookup(db_path: str | Path, name: str, url: str | None = None) -> dict:
    """Decision, accepted entries with status and dates, evidence, and best rejected candidates."""
    index = load_index(open_registers(db_path), db_path)
    result = match_provider(name, url, index=index)
    return {
        "query": {"name": name, "url": url},
        "decision": result.decision,
        "reason": result.reason,
        "entries": [_entry_section(match) for match in result.accepted],
        "rejected": [_entry_section(match) for match in result.rejected],
    }


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
        "reason": match.reason,
        "evidence": match.evidence(),
    }


def render(report: dict, console: Console) -> None:
    """Readable terminal output of a `lookup()` report."""
    query = report["query"]
    asked = query["name"] + (f" ({query['url']})" if query["url"] else "")
    console.print(f"[bold]{asked}[/bold]: [bold]{report['decision']}[/bold]")
    console.print(report["reason"], highlight=False)
    for title, rows in (("Register entries", report["entries"]), ("Rejected", report["rejected"])):
        if rows:
            console.print(_table(title, rows))


def _table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("entry", "name", "status", "dates", "decision", "evidence"):
        table.add_column(column)
    for row in rows:
        evidence = row["evidence"]
        table.add_row(
            f"{row['register'].upper()} {row['entry_id']}",
            row["matched_name"],
            row["status"] or "",
            " to ".join(d for d in (row["start_date"], row["end_date"]) if d),
            f"{row['decision']} {row['confidence']:.2f}",
            f"name {evidence['name_score']:.0f}, domain {int(evidence['domain_match'])}, "
            f"id {int(evidence['id_match'])}",
        )
    return table


@click.command("check")
@click.argument("name")
@click.option("--url", help="The provider's website (any page; its registrable domain is used).")
@click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Database holding the registers (the working db or one from `registers load`).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(name: str, url: str | None, db_path: Path, as_json: bool) -> None:
    """Is NAME on an Australian (or US/UK) register? Decision, entries, evidence."""
    if not name.strip():
        raise CredwatchError("NAME: empty provider name")
    report = lookup(db_path, name, url)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        render(report, Console())
