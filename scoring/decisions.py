"""Which regulatory decisions are about a provider, and what kind of decision each is.

A decision is linked to one register entry, and a provider gets the decisions linked to its
own accepted register matches:

- through the RTO code the decision page gives (`linked_by` "code");
- else through the matcher on the decision's organisation name (`linked_by` "matcher"):
  "Acme Training Pty Ltd" links to "ACME TRAINING PTY. LTD." when the matcher accepts that
  entry, and the matcher's decision, confidence and reason are kept as the link's evidence;
  a candidate the matcher rejects never links;
- a decision naming an organisation on no register held is linked to a provider on no
  register only when its name, normalised as the matcher normalises names, equals the
  provider's own (`linked_by` "name").

`credwatch score` stores each decision's link in `regulatory_decisions`, so the report
card, the lookup page and the published table show the same evidence the score used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from registry_data.registers import entry_reference, provider_registers
from scoring.matching import RegisterIndex, load_index
from scoring.matching.index import id_key
from scoring.matching.query import match_query
from scoring.normalise import normalise

Row = dict[str, Any]
DECISIONS_TABLE = "regulatory_decisions"
LINK_COLUMNS = (
    "linked_register",
    "linked_entry_id",
    "linked_by",
    "link_decision",
    "link_confidence",
    "link_reason",
)
# ASQA regulates Australian RTOs: a decision's name is matched to Australian registers only.
DECISION_REGISTERS = provider_registers("AU")
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


def register_link(decision: Row, index: RegisterIndex | None) -> Row:
    """The link columns of one decision: its RTO code, else the matcher's accepted entry
    (an RTO entry first) with its evidence, else none (every column None)."""
    none = dict.fromkeys(LINK_COLUMNS)
    if decision.get("rto_code"):
        code = decision["rto_code"]
        reason = f"the decision page gives RTO code {code}"
        return {
            **none,
            "linked_register": "rto",
            "linked_entry_id": _rto_entry_id(code, index),
            "linked_by": "code",
            "link_reason": reason,
        }
    if index is None or not decision.get("organisation_name"):
        return none
    result = match_query(decision["organisation_name"], index)
    accepted = [m for m in result.accepted if m.entry.register in DECISION_REGISTERS]
    if not accepted:
        return none
    best = min(accepted, key=lambda m: m.entry.register != "rto")  # stable: best first
    return {
        "linked_register": best.entry.register,
        "linked_entry_id": best.entry.entry_id,
        "linked_by": "matcher",
        "link_decision": best.decision,
        "link_confidence": round(best.confidence, 3),
        "link_reason": best.reason,
    }


def _rto_entry_id(code: str, index: RegisterIndex | None) -> str:
    """The RTO entry's own id for a code ("512" is RTO 0512), else the code as given."""
    entry = index.entry_by_id("rto", code) if index else None
    return entry.entry_id if entry else code


def link_sentence(decision: Row) -> str:
    """How a decision was linked, for the sentence a learner reads."""
    by = decision.get("linked_by")
    if by == "code":
        return f"RTO code {decision['rto_code']}, its own register entry"
    if by == "matcher":
        return (
            f"organisation name '{decision['organisation_name']}', matched to "
            f"{entry_reference(decision['linked_register'], decision['linked_entry_id'])} "
            f"({decision['link_decision']} {decision['link_confidence']:.2f}: "
            f"{decision['link_reason']})"
        )
    return f"organisation name '{decision['organisation_name']}'"


@dataclass
class DecisionIndex:
    """Every loaded decision, by the register entry it is linked to, and (for decisions
    linked to no entry) by normalised organisation name."""

    by_entry: dict[tuple[str, str], list[Row]] = field(default_factory=dict)
    by_name: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def from_db(
        cls, db: sqlite_utils.Database, index: RegisterIndex | None = None
    ) -> DecisionIndex:
        """The decisions table, each decision linked afresh (through `index`, by default the
        matcher's index of `db`); empty when no decisions source was loaded."""
        if not db[DECISIONS_TABLE].exists():
            return cls()
        if index is None and db["registry_entries"].exists():
            index = load_index(db)
        rows = db.query(f"select * from {DECISIONS_TABLE} order by date_of_decision desc")
        return cls.of(rows, index)

    @classmethod
    def of(cls, rows: Iterable[Row], registers: RegisterIndex | None = None) -> DecisionIndex:
        """`rows` linked through their code, else the matcher on `registers` (when given)."""
        index = cls()
        for row in rows:
            decision = {**row, **register_link(row, registers), "kind": decision_kind(row)}
            if decision.get("linked_register"):
                key = (decision["linked_register"], id_key(decision["linked_entry_id"]))
                index.by_entry.setdefault(key, []).append(decision)
            else:
                name = normalise(row["organisation_name"])
                index.by_name.setdefault(name, []).append(decision)
        return index

    def decisions(self) -> Iterable[Row]:
        for group in (*self.by_entry.values(), *self.by_name.values()):
            yield from group

    def store_links(self, db: sqlite_utils.Database) -> None:
        """Write each decision's link (and its evidence) into `regulatory_decisions`."""
        for decision in self.decisions():
            db[DECISIONS_TABLE].update(
                (decision["regulator"], decision["decision_id"]),
                {column: decision.get(column) for column in LINK_COLUMNS},
            )

    def of_provider(self, name: str, matches: list[Row]) -> list[Row]:
        """The decisions about a provider whose accepted register matches are `matches`:
        those linked to one of its entries; for a provider on no register, those on no
        register whose organisation name is its own."""
        found: dict[tuple[str, str], Row] = {}
        for match in matches:
            key = (match["register"], id_key(match["entry_id"]))
            for decision in self.by_entry.get(key, []):
                found.setdefault(_key(decision), {**decision, "link": link_sentence(decision)})
        if not matches:
            for decision in self.by_name.get(normalise(name), []):
                found.setdefault(_key(decision), {**decision, "link": link_sentence(decision)})
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
