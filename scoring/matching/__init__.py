"""Provider matching: explainable links from a provider name/URL to register entries."""

from scoring.matching.decide import match_provider
from scoring.matching.index import RegisterIndex, build_index, load_index, open_registers
from scoring.matching.result import EntryMatch, MatchResult

__all__ = [
    "EntryMatch",
    "MatchResult",
    "RegisterIndex",
    "build_index",
    "load_index",
    "match_provider",
    "open_registers",
]
