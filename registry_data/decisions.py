"""Load regulatory decisions without forgetting them: first_seen / last_seen across loads.

Unlike a register snapshot, a decisions crawl is not a complete list to replace the last one:
ASQA takes pages down and republishes them. So a decision loaded again keeps the date it was
first seen and gets the new snapshot as `last_seen` (its status and review outcome updated);
one missing from a later load stays, with the `last_seen` of the last load that held it.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

TABLE = "regulatory_decisions"


def merge_decisions(db: Database, rows: list[dict[str, Any]]) -> int:
    """Upsert `rows` into `regulatory_decisions`; return how many rows were given.

    An older snapshot loaded after a newer one only moves `first_seen` back: the newer
    status stays."""
    seen = {
        (row["regulator"], row["decision_id"]): (row["first_seen"], row["last_seen"])
        for row in db.query(f"select regulator, decision_id, first_seen, last_seen from {TABLE}")
    }
    merged = []
    for row in rows:
        date = row["snapshot_date"]
        first, last = seen.get((row["regulator"], row["decision_id"]), (date, date))
        if last > date:
            row = db[TABLE].get((row["regulator"], row["decision_id"]))
        merged.append({**row, "first_seen": min(first, date), "last_seen": max(last, date)})
    db[TABLE].upsert_all(merged, pk=("regulator", "decision_id"))
    return len(rows)
