"""What the provider rules read: a provider's evidence, and the register wording they share.

The rules themselves (points, caps, sentences, guidance and the checks) are declared in
`scoring/rules/`, one declaration per rule id; this module holds what several of them read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry_data.registers import register_label
from scoring.flags.model import OfferingFlags
from scoring.scope import CourseRegister

Row = dict[str, Any]

# Claim kinds that say "we are a registered/recognised provider" and so need a register match.
REGISTRATION_CLAIMS = ("rto_code", "cricos_code", "national_code", "nationally_recognised")
VAGUE_RECOGNITION = ("internationally_recognised", "government_approved", "accredited")


@dataclass
class ProviderEvidence:
    """Everything the rules may read about one provider."""

    provider_id: str
    name: str
    url: str
    offerings: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    matches: list[Row] = field(default_factory=list)  # accepted matches joined to their entry
    best_rejected: Row | None = None  # the best candidate the matcher rejected
    offering_flags: list[OfferingFlags] = field(default_factory=list)
    blocked: list[Row] = field(default_factory=list)  # blocked_sites rows hit by its domains
    lookup: Callable[[str, str], Row | None] = lambda register, entry_id: None
    snapshots: dict[str, str] = field(default_factory=dict)  # register -> latest snapshot date
    overrides: list[Row] = field(default_factory=list)  # its active contribution overrides
    decisions: list[Row] = field(default_factory=list)  # regulators' decisions linked to it
    courses: CourseRegister = field(default_factory=CourseRegister)  # CRICOS courses held

    def claims_of(self, *kinds: str) -> list[Row]:
        return [claim for claim in self.claims if claim["kind"] in kinds]

    def current_matches(self, *registers: str) -> list[Row]:
        return [
            match
            for match in self.matches
            if match.get("is_current") and (not registers or match["register"] in registers)
        ]

    def matched(self, register: str, entry_id: str) -> Row | None:
        return next(
            (m for m in self.matches if (m["register"], m["entry_id"]) == (register, entry_id)),
            None,
        )


def entry_evidence(entry: Row) -> dict[str, str]:
    """The register entry a finding rests on, as `Finding` keyword arguments."""
    return {
        "register": entry["register"],
        "entry_id": entry["entry_id"],
        "snapshot_date": entry.get("snapshot_date") or "",
    }


def claim_evidence(claim: Row) -> dict[str, str]:
    """The page and quoted text of a claim, as `Finding` keyword arguments."""
    return {"evidence_url": claim.get("url") or "", "evidence_text": claim.get("text") or ""}


def entry_label(entry: Row) -> str:
    """'training.gov.au (RTO) 0029 (Australian Taxation Office)': an entry as a reader sees it."""
    register = register_label(entry["register"])
    return f"{register} {entry['entry_id']} ({entry['legal_name']})"
