"""Which provider a one-word acronym ("CDU", "UWA", "CSU") names, or why it names none.

The registers disagree: CRICOS writes "Charles Darwin University (CDU)", while IPEDS lists
"CDU" among the aliases of Charles R Drew University and of Catholic International
University; "UWA" is The University of Western Australia in CRICOS and the University of West
Alabama in IPEDS; "CSU" is Charles Sturt in CRICOS and three universities in IPEDS. The rule:

1. Claims are ranked, and only the strongest rank present counts:
   - an alias the register lists that spells the entry's own name's initials ("UWA" for
     "University of West Alabama"): the register's abbreviation of that very name;
   - any other alias the register lists (a former name's initials, a nickname);
   - the initials we compute from a university's name of three or more words (no register
     says them, so they only count when no register lists the acronym at all).
2. Within that rank, one legal person claiming the acronym is the answer.
3. Several legal persons: when each country's registers give the acronym to exactly one of
   them, the acronym is that country's own abbreviation for one institution and the
   Australian one is the answer (credwatch answers Australian learners; the foreign
   namesake is listed as a rejected candidate). When one country's registers give it to
   several ("CSU": Columbus, Chicago and Charleston Southern in IPEDS), it is a common shape
   of names, not anybody's abbreviation: every claimant is listed and none is accepted.

A website given with the acronym picks among the claimants before this rule runs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from registry_data.registers import REGISTERS
from scoring.normalise import content_tokens, normalise

if TYPE_CHECKING:
    from scoring.matching.index import RegisterIndex
    from scoring.matching.result import EntryMatch, MatchResult

HOME_JURISDICTION = "AU"
SPELT_ALIAS, OTHER_ALIAS, COMPUTED_INITIALS = range(3)


def resolve_acronym(
    index: RegisterIndex, form: str, claims: dict[int, EntryMatch], result: MatchResult
) -> dict[int, EntryMatch]:
    """The claims of the one provider `form` names (see the module's rule), else {} with
    every claimant in `result.rejected` and the reason in `result.unmatched`."""
    if not claims:
        return {}
    rank = {number: claim_rank(match) for number, match in claims.items()}
    best = min(rank.values())
    strongest = {n: m for n, m in claims.items() if rank[n] == best}
    persons = _persons_by_country(index, strongest)
    if sum(len(p) for p in persons.values()) == 1:
        return strongest
    home = persons.get(HOME_JURISDICTION, set())
    if len(home) == 1 and all(len(p) == 1 for p in persons.values()):
        (person,) = home
        kept = {n: m for n, m in strongest.items() if index.legal_key(n) == person}
        result.rejected = _ordered(m for n, m in claims.items() if index.legal_key(n) != person)
        for match in result.rejected:
            match.reason += f"; '{form.upper()}' in Australia is {_names(kept)}"
        return kept
    result.rejected = _ordered(claims.values())
    count = len({index.legal_key(number) for number in claims})
    result.unmatched = (
        f"'{form.upper()}' names {count} different providers on the registers we searched; "
        "a website, a code or the full name would tell them apart"
    )
    return {}


def claim_rank(match: EntryMatch) -> int:
    """How firmly the registers tie the acronym to this entry (lower is firmer)."""
    if match.name_kind != "alias":
        return COMPUTED_INITIALS
    entry = match.entry
    own_names = (entry.legal_name, *entry.trading_names)
    spelt = any(spells_initials(match.matched_name, name) for name in own_names)
    return SPELT_ALIAS if spelt else OTHER_ALIAS


def spells_initials(acronym: str, name: str) -> bool:
    """ "UQ" spells "The University of Queensland" (first letters of its identifying words)."""
    tokens = content_tokens(normalise(name))
    return len(tokens) >= 2 and normalise(acronym) == "".join(token[0] for token in tokens)


def _persons_by_country(index: RegisterIndex, claims: dict[int, EntryMatch]) -> dict[str, set]:
    persons: dict[str, set[str]] = defaultdict(set)
    for number, match in claims.items():
        persons[REGISTERS[match.entry.register].jurisdiction].add(index.legal_key(number))
    return persons


def _names(claims: dict[int, EntryMatch]) -> str:
    match = min(claims.values(), key=lambda m: m.entry.label)
    return f"{match.entry.legal_name} ({match.entry.label})"


def _ordered(matches) -> list[EntryMatch]:
    return sorted(matches, key=lambda m: m.entry.label)
