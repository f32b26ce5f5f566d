"""Regulatory decisions as `credwatch check` shows them: a section of the report, and its table.

Kept apart from check.py so the lookup's own rendering can change without touching it: the
command adds `decisions_section(...)` to its report and calls `render_decisions(...)`.
"""

from __future__ import annotations

import sqlite_utils
from rich.console import Console
from rich.table import Table

from scoring.decisions import DecisionIndex, decision_status

COLUMNS = (
    "regulator",
    "decision_id",
    "kind",
    "date_of_decision",
    "date_of_effect",
    "status_of_decision",
    "status_of_review",
    "review_information",
    "in_effect",
    "source_url",
    "link",
    "linked_by",
    "link_decision",
    "link_confidence",
    "link_reason",
)


def decisions_section(db: sqlite_utils.Database, name: str, entries: list[dict]) -> list[dict]:
    """The decisions about the provider named `name` whose register entries are `entries`."""
    found = DecisionIndex.from_db(db).of_provider(name, entries)
    return [{column: decision.get(column) for column in COLUMNS} for decision in found]


def render_decisions(decisions: list[dict], console: Console) -> None:
    if not decisions:
        return
    table = Table(title="Regulatory decisions", title_justify="left")
    for column in ("decided", "decision", "status", "page"):
        table.add_column(column)
    for decision in decisions:
        table.add_row(
            decision["date_of_decision"] or "",
            decision["kind"],
            decision_status(decision),
            decision["source_url"] or "",
        )
    console.print(table)
    for decision in decisions:
        when = decision["date_of_decision"] or "undated"
        line = f"  {when} {decision['kind']}: linked by {decision['link']}"
        console.print(line, markup=False, soft_wrap=True)
