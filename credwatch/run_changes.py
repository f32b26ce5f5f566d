"""What changed since the last published run: the `run_changes` table and the morning report.

The comparison is between two public databases, the live one (the last published run) and
the one about to replace it, so it lists only what a reader of the served data would see
change. An offering is *current* for its provider when it was seen in or after that
provider's latest crawl that came out `ok`: a provider that failed or was held back by the
gate keeps its last good offerings current (stale, not removed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

# Offering fields whose change is news (a price change is the common one).
WATCHED_OFFERING_FIELDS = ("title", "price", "currency", "duration_hours", "certificate_text")
REGISTER_ENTRY_FIELDS = ("status", "legal_name")

CURRENT_OFFERINGS_SQL = """
SELECT o.* FROM offerings o
 WHERE o.crawl_run_id >= COALESCE(
   (SELECT max(c.crawl_run_id) FROM crawl_outcomes c
     WHERE c.provider_id = o.provider_id AND c.outcome = 'ok'), '')
"""
LATEST_OUTCOME_SQL = """
SELECT c.provider_id, c.outcome, c.detail FROM crawl_outcomes c
 WHERE c.crawl_run_id = (SELECT max(d.crawl_run_id) FROM crawl_outcomes d
                          WHERE d.provider_id = c.provider_id)
"""


@dataclass(frozen=True)
class Change:
    """One row of `run_changes`: what changed, on which subject, from what to what."""

    kind: str
    subject_id: str
    name: str
    field: str = ""
    old_value: str = ""
    new_value: str = ""
    detail: str = ""


def compare(old_db: Path | None, new_db: Path) -> list[Change]:
    """Every change from `old_db` (None: nothing was published yet) to `new_db`."""
    new = _Snapshot(new_db)
    old = _Snapshot(old_db) if old_db and old_db.is_file() else _Snapshot(None)
    try:
        return [
            *_offering_changes(old, new),
            *_flag_changes(old, new),
            *_score_changes(old, new),
            *_register_changes(old, new),
            *_provider_changes(old, new),
        ]
    finally:
        old.close()
        new.close()


class _Snapshot:
    """Read-only queries on one public database (or an empty one for the first publish)."""

    def __init__(self, path: Path | None):
        self.conn = None
        if path is not None:
            self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            self.conn.row_factory = sqlite3.Row
        self.tables = set(sqlite_utils.Database(self.conn).table_names()) if self.conn else set()

    def rows(self, sql: str, *needs: str) -> list[dict[str, Any]]:
        if self.conn is None or not set(needs) <= self.tables:
            return []
        return [dict(row) for row in self.conn.execute(sql)]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _by(rows: list[dict[str, Any]], *key: str) -> dict[tuple, dict[str, Any]]:
    return {tuple(row[k] for k in key): row for row in rows}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _offering_changes(old: _Snapshot, new: _Snapshot) -> Iterator[Change]:
    before = _by(old.rows(CURRENT_OFFERINGS_SQL, "offerings", "crawl_outcomes"), "id")
    after = _by(new.rows(CURRENT_OFFERINGS_SQL, "offerings", "crawl_outcomes"), "id")
    for key in sorted(after.keys() - before.keys(), key=lambda k: _offering_order(after[k])):
        row = after[key]
        yield Change("offering_added", row["id"], _offering_name(row), detail=row["url"])
    for key in sorted(before.keys() - after.keys(), key=lambda k: _offering_order(before[k])):
        row = before[key]
        yield Change("offering_removed", row["id"], _offering_name(row), detail=row["url"])
    for key in sorted(before.keys() & after.keys(), key=lambda k: _offering_order(after[k])):
        old_row, new_row = before[key], after[key]
        for field in WATCHED_OFFERING_FIELDS:
            if _text(old_row.get(field)) != _text(new_row.get(field)):
                yield Change(
                    "offering_changed",
                    new_row["id"],
                    _offering_name(new_row),
                    field,
                    _text(old_row.get(field)),
                    _text(new_row.get(field)),
                    new_row["url"],
                )


def _offering_order(row: dict[str, Any]) -> tuple[str, str]:
    return (row["provider_name"] or "", row["title"] or "")


def _offering_name(row: dict[str, Any]) -> str:
    return f"{row['provider_name']}: {row['title']}"


FLAGS_SQL = """
SELECT f.provider_id, COALESCE(f.offering_id, '') AS offering_id, f.rule_id,
       COALESCE(o.provider_name || ': ' || o.title, p.name, f.provider_id) AS name
  FROM flags f
  LEFT JOIN offerings o ON o.id = f.offering_id
  LEFT JOIN providers p ON p.id = f.provider_id
"""


def _flag_changes(old: _Snapshot, new: _Snapshot) -> Iterator[Change]:
    key = ("provider_id", "offering_id", "rule_id")
    before = _by(old.rows(FLAGS_SQL, "flags", "offerings", "providers"), *key)
    after = _by(new.rows(FLAGS_SQL, "flags", "offerings", "providers"), *key)
    for kind, keys, rows in (
        ("flag_raised", after.keys() - before.keys(), after),
        ("flag_cleared", before.keys() - after.keys(), before),
    ):
        for flag in sorted(keys, key=lambda k: (rows[k]["name"], k[2])):
            row = rows[flag]
            yield Change(
                kind,
                row["offering_id"] or row["provider_id"],
                row["name"],
                "rule_id",
                new_value=row["rule_id"],
            )


SCORES_SQL = "SELECT provider_id, provider_name, score, grade FROM provider_scores"
RULE_POINTS_SQL = (
    "SELECT provider_id, rule_id, sum(points) AS points FROM score_contributions "
    "GROUP BY provider_id, rule_id"
)


def _score_changes(old: _Snapshot, new: _Snapshot) -> Iterator[Change]:
    before = _by(old.rows(SCORES_SQL, "provider_scores"), "provider_id")
    after = _by(new.rows(SCORES_SQL, "provider_scores"), "provider_id")
    points_before = _by(old.rows(RULE_POINTS_SQL, "score_contributions"), "provider_id", "rule_id")
    points_after = _by(new.rows(RULE_POINTS_SQL, "score_contributions"), "provider_id", "rule_id")
    for key in sorted(before.keys() & after.keys(), key=lambda k: after[k]["provider_name"]):
        old_row, new_row = before[key], after[key]
        old_value = f"{_text(old_row['score'])} ({old_row['grade']})"
        new_value = f"{_text(new_row['score'])} ({new_row['grade']})"
        if old_value == new_value:
            continue
        moved = _rules_that_moved(key[0], points_before, points_after)
        yield Change(
            "score_changed",
            key[0],
            new_row["provider_name"],
            "score",
            old_value,
            new_value,
            "rules: " + ", ".join(moved) if moved else "",
        )


def _rules_that_moved(
    provider: str, before: dict[tuple, dict[str, Any]], after: dict[tuple, dict[str, Any]]
) -> list[str]:
    rules = {rule for pid, rule in before.keys() | after.keys() if pid == provider}
    moved = []
    for rule in sorted(rules):
        old_points = (before.get((provider, rule)) or {}).get("points") or 0
        new_points = (after.get((provider, rule)) or {}).get("points") or 0
        if old_points != new_points:
            moved.append(f"{rule} {new_points - old_points:+g}")
    return moved


ENTRIES_SQL = "SELECT register, entry_id, legal_name, status FROM registry_entries"


def _register_changes(old: _Snapshot, new: _Snapshot) -> Iterator[Change]:
    before = _by(old.rows(ENTRIES_SQL, "registry_entries"), "register", "entry_id")
    after = _by(new.rows(ENTRIES_SQL, "registry_entries"), "register", "entry_id")

    def subject(key: tuple) -> str:
        return f"{key[0]} {key[1]}"

    for kind, keys, rows, side in (
        ("register_entry_appeared", after.keys() - before.keys(), after, "new_value"),
        ("register_entry_disappeared", before.keys() - after.keys(), before, "old_value"),
    ):
        for key in sorted(keys):
            status = {side: rows[key]["status"] or ""}
            yield Change(kind, subject(key), rows[key]["legal_name"] or "", "status", **status)
    for key in sorted(before.keys() & after.keys()):
        for field in REGISTER_ENTRY_FIELDS:
            old_value, new_value = _text(before[key][field]), _text(after[key][field])
            if old_value != new_value:
                yield Change(
                    "register_entry_changed",
                    subject(key),
                    after[key]["legal_name"] or "",
                    field,
                    old_value,
                    new_value,
                )


PROVIDER_OUTCOMES_SQL = f"""
SELECT p.id AS provider_id, p.name, l.outcome, l.detail
  FROM providers p JOIN ({LATEST_OUTCOME_SQL}) l ON l.provider_id = p.id
"""


def _provider_changes(old: _Snapshot, new: _Snapshot) -> Iterator[Change]:
    before = _by(old.rows(PROVIDER_OUTCOMES_SQL, "providers", "crawl_outcomes"), "provider_id")
    after = _by(new.rows(PROVIDER_OUTCOMES_SQL, "providers", "crawl_outcomes"), "provider_id")
    for key in sorted(after, key=lambda k: after[k]["name"]):
        row = after[key]
        was_ok = key not in before or before[key]["outcome"] == "ok"
        if was_ok and row["outcome"] != "ok":
            yield Change(
                "provider_degraded",
                key[0],
                row["name"],
                "outcome",
                before.get(key, {}).get("outcome", ""),
                row["outcome"],
                row["detail"] or "",
            )
        elif not was_ok and row["outcome"] == "ok":
            yield Change(
                "provider_recovered", key[0], row["name"], "outcome", before[key]["outcome"], "ok"
            )


def write_run_changes(
    db: sqlite_utils.Database, run_id: str, since: str | None, changes: list[Change]
) -> None:
    """The published `run_changes` table: this run's changes only (empty on a quiet night)."""
    table = db["run_changes"]
    table.create(
        {
            "run_id": str,
            "since_run_id": str,
            "kind": str,
            "subject_id": str,
            "name": str,
            "field": str,
            "old_value": str,
            "new_value": str,
            "detail": str,
        },
        if_not_exists=True,
    )
    table.insert_all(
        [{"run_id": run_id, "since_run_id": since or "", **asdict(change)} for change in changes]
    )
    table.create_index(["kind"], if_not_exists=True)


# --- The morning report -------------------------------------------------------------

HEADINGS = {
    "offering_added": "New offerings",
    "offering_removed": "Removed offerings",
    "offering_changed": "Changed offerings",
    "flag_raised": "New flags",
    "flag_cleared": "Cleared flags",
    "score_changed": "Score and grade changes",
    "register_entry_appeared": "Register entries that appeared",
    "register_entry_disappeared": "Register entries that disappeared",
    "register_entry_changed": "Register entries that changed",
    "provider_degraded": "Providers degraded",
    "provider_recovered": "Providers recovered",
}


def change_line(change: Change) -> str:
    """One bullet of the morning report."""
    if change.kind in {"offering_added", "offering_removed"}:
        return f"- {change.name} <{change.detail}>"
    if change.kind in {"flag_raised", "flag_cleared"}:
        return f"- {change.name}: {change.new_value}"
    if change.kind == "register_entry_appeared":
        return f"- {change.subject_id} {change.name} ({change.new_value})"
    if change.kind == "register_entry_disappeared":
        return f"- {change.subject_id} {change.name} (was {change.old_value})"
    if change.kind == "provider_recovered":
        return f"- {change.name}: {change.old_value} -> ok"
    if change.kind == "provider_degraded":
        return f"- {change.name}: {change.new_value} ({change.detail})"
    label = (
        f"{change.subject_id} {change.name}"
        if change.kind.startswith("register")
        else (change.name)
    )
    line = f"- {label}: {change.field} {change.old_value} -> {change.new_value}"
    return f"{line}; {change.detail}" if change.kind == "score_changed" and change.detail else line


def changes_section(changes: list[Change], since: str | None) -> list[str]:
    """The "what changed" part of the morning report, one heading per kind of change."""
    lines = [f"## Changes since run {since}" if since else "## Changes (first published run)"]
    if not changes:
        return [*lines, "", "Nothing changed."]
    for kind, heading in HEADINGS.items():
        of_kind = [change for change in changes if change.kind == kind]
        if of_kind:
            lines += ["", f"### {heading} ({len(of_kind)})", "", *map(change_line, of_kind)]
    return lines
