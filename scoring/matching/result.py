"""What the matcher answers for one input: each register entry judged, and the decision.

Kept apart from `decide` (which builds them) so that the rules it calls, such as
`acronyms`, can take and give these types without importing `decide` back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring import thresholds as t
from scoring.matching.index import Entry

NO_SHARED_WORD = "no register name shares an identifying word with the input"


@dataclass
class EntryMatch:
    """One register entry judged for one input, with every feature's raw score."""

    number: int  # position in the index, the key of `found`
    entry: Entry
    how: str  # a key of thresholds.CONFIDENCE
    matched_name: str  # the register's own spelling of the name that matched
    name_score: float  # 0-100, unclamped similarity of the input to matched_name
    coverage: float | None = None  # share of identifying words agreeing (fuzzy only)
    domain_match: bool = False
    id_match: bool = False
    reason: str = ""
    confidence: float = 0.0
    name_kind: str = ""  # legal | trading | alias | brand, when a name matched exactly

    @property
    def decision(self) -> str:
        return "matched" if self.confidence >= t.MATCHED_MIN_CONFIDENCE else "probable"

    def evidence(self) -> dict:
        return {
            "how": self.how,
            "name_score": self.name_score,
            "coverage": self.coverage,
            "domain_match": self.domain_match,
            "id_match": self.id_match,
            "website_domain": self.entry.website_domain,
        }


@dataclass
class MatchResult:
    """The answer for one input: accepted entries (best first) or the best rejected one."""

    name: str
    url: str | None
    accepted: list[EntryMatch] = field(default_factory=list)
    rejected: list[EntryMatch] = field(default_factory=list)
    unmatched: str = ""  # why nothing was accepted, when more than "no name was close"

    @property
    def decision(self) -> str:
        return self.accepted[0].decision if self.accepted else "not_found"

    @property
    def reason(self) -> str:
        if self.accepted:
            return self.accepted[0].reason
        if not self.rejected:
            return f"not found: {self.unmatched or NO_SHARED_WORD}"
        best = f"best candidate: {self.rejected[0].reason}"
        return f"not found: {self.unmatched}; {best}" if self.unmatched else f"not found: {best}"
