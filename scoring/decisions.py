"""Which regulatory decisions are about a provider, and what kind of decision each is.

A decision is linked to a provider through the RTO code the decision page gives, when that
code is one of the provider's own accepted register matches; a decision without a code is
linked when its organisation name, normalised as the matcher normalises names, equals the
name of one of those entries or the provider's own. Each linked row says how (`link`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from scoring.matching.index import id_key
from scoring.normalise import normalise

Row = dict[str, Any]
DECISIONS_TABLE = "regulatory_decisions"
# (words in the decision type, or failing that in its details) -> kind; checked in order.
KINDS = (
    (("part suspension", "following part of the rto"), "part suspension"),
    (("cancel",), "cancellation"),
    (("suspen",), "suspension"),
    (("reject", "renewal"), "rejection of renewal"),
    (("scope",), "amend scope"),
    (("written direction", "direction"), "written direction"),
    (("condition",), "conditions"),
)


def decision_kind(decision: Row) -> str:
    """The kind of decision, from its type ("Part suspension"), else from its details."""
    for text in (decision.get("decision_type"), decision.get("details")):
        lower = (text or "").casefold()
        for words, kind in KINDS:
            if any(word in lower for word in words):
                return kind
    return "decision"


@dataclass
class DecisionIndex:
    """Every loaded decision, by RTO code and by normalised organisation name."""

    by_code: dict[str, list[Row]] = field(default_factory=dict)
    by_name: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def from_db(cls, db: sqlite_utils.Database) -> DecisionIndex:
        """The decisions table, or an empty index when no decisions source was loaded."""
        if not db[DECISIONS_TABLE].exists():
            return cls()
        rows = db.query(f"select * from {DECISIONS_TABLE} order by date_of_decision desc")
        return cls.of(rows)

    @classmethod
    def of(cls, rows: Iterable[Row]) -> DecisionIndex:
        index = cls()
        for row in rows:
            decision = {**row, "kind": decision_kind(row)}
            if row.get("rto_code"):
                index.by_code.setdefault(id_key(row["rto_code"]), []).append(decision)
            else:
                name = normalise(row["organisation_name"])
                index.by_name.setdefault(name, []).append(decision)
        return index

    def of_provider(self, name: str, matches: list[Row]) -> list[Row]:
        """The decisions about a provider whose accepted register matches are `matches`."""
        found: dict[tuple[str, str], Row] = {}
        for match in matches:
            if match["register"] == "rto":
                for decision in self.by_code.get(id_key(match["entry_id"]), []):
                    link = f"RTO code {decision['rto_code']}, its own register entry"
                    found.setdefault(_key(decision), {**decision, "link": link})
        names = {normalise(name), *(normalise(match["legal_name"]) for match in matches)}
        for form in sorted(names - {""}):
            for decision in self.by_name.get(form, []):
                link = f"organisation name '{decision['organisation_name']}'"
                found.setdefault(_key(decision), {**decision, "link": link})
        return sorted(found.values(), key=lambda d: d.get("date_of_decision") or "", reverse=True)


def _key(decision: Row) -> tuple[str, str]:
    return decision["regulator"], decision["decision_id"]


def decision_status(decision: Row) -> str:
    """What a learner needs to read first: in effect or not, in the regulator's words."""
    words = decision.get("status_of_decision") or "status not stated"
    verdict = {1: "In effect", 0: "No longer in effect"}.get(decision.get("in_effect"), "Unclear")
    review = decision.get("review_information")
    outcome = f" Review outcome: {review}" if review and decision.get("in_effect") == 0 else ""
    return f"{verdict}: {words}.{outcome}"
