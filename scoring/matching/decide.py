"""Evidence per candidate entry, and the decision: matched, probable or not_found.

Each piece of evidence is kept on its own (name similarity and how the name matched, domain
equality, id equality, token coverage) so a decision can always be explained in one line.
Order of strength: a register id > the same website with an agreeing name > an exact name
(legal, trading, alias) > the same name after removing campus words or a lead-in > a fuzzy
name. A fuzzy name is only tried when no exact form exists.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from credwatch.core.identity import registrable_domain
from scoring import thresholds as t
from scoring.matching.acronyms import resolve_acronym
from scoring.matching.index import (
    AUSTRALIAN_REGISTERS,
    NameRef,
    RegisterIndex,
    blocking_keys,
    id_key,
    words_sorted,
)
from scoring.matching.result import EntryMatch, MatchResult
from scoring.normalise import content_tokens, normalise, query_variants

ACRONYM_TIERS = ("acronym", "initials")  # one word read as an acronym by `acronyms`
KIND_WORDS = {"legal": "legal name", "trading": "trading name", "alias": "listed alias"}


def match_provider(
    name: str,
    url: str | None = None,
    ids: list[str] | None = None,
    *,
    index: RegisterIndex,
) -> MatchResult:
    """Match one provider name (with its website and any register ids seen) to register entries."""
    result = MatchResult(name=name, url=url or None)
    domain = registrable_domain(url) if url else None
    found: dict[int, EntryMatch] = {}
    exact, variants = query_variants(name)
    id_rejected = _add_id_matches(found, index, ids or [], exact[-1] if exact else "")
    forms = [*exact, *variants]
    name_hits, tier = _name_matches(index, exact, variants, result)
    on_domain = set(index.by_domain.get(domain, [])) if domain else set()
    for number in on_domain & name_hits.keys():
        name_hits[number].domain_match = True
    name_hits = _tie_break_by_domain(index, name_hits, on_domain)
    if tier == "fuzzy" and domain:
        name_hits = _drop_other_websites(index, name_hits, domain, result)
    if tier in ACRONYM_TIERS:
        name_hits = resolve_acronym(index, exact[-1], name_hits, result)
    if tier not in ("exact", "acronym") and not on_domain & name_hits.keys():
        # The website outranks a weaker name: "International College of Management" on
        # icms.edu.au is the CRICOS entry there, not another company of a similar name.
        name_hits = _domain_matches(index, domain, forms) or name_hits
    for number, match in name_hits.items():
        found.setdefault(number, match)
    result.accepted = settle(found, index, domain)
    result.rejected = [m for m in id_rejected if m.number not in found] + result.rejected
    return result


def settle(
    found: dict[int, EntryMatch], index: RegisterIndex, domain: str | None
) -> list[EntryMatch]:
    """Score the entries found, add their same-named siblings on other Australian registers,
    and order them: matched before probable, then current before cancelled or non-current
    (a provider re-registered under its old name is its current entry), then by confidence."""
    _score(found, domain)
    _add_same_legal_name(found, index)
    return sorted(
        found.values(),
        key=lambda m: (
            m.confidence < t.MATCHED_MIN_CONFIDENCE,
            not m.entry.is_current,
            -m.confidence,
            m.entry.label,
        ),
    )


def _tie_break_by_domain(
    index: RegisterIndex, hits: dict[int, EntryMatch], on_domain: set[int]
) -> dict[int, EntryMatch]:
    """Namesakes ("CSU", "Scotch College"): keep the legal person whose website was given."""
    persons = {index.legal_key(number) for number in on_domain & hits.keys()}
    if not persons:
        return hits
    return {n: m for n, m in hits.items() if index.legal_key(n) in persons}


def _add_id_matches(
    found: dict[int, EntryMatch],
    index: RegisterIndex,
    ids: list[str],
    form: str,
) -> list[EntryMatch]:
    """Entries whose register id or ABN was seen, when the name agrees with the entry's;
    returns the ids rejected.

    An id read off a page can be another organisation's (a broker's partner RTO, or a code
    copied to look registered): with an input name that shares no identifying word with the
    entry, the id is reported as a rejected candidate instead of a match.
    """
    rejected = []
    for raw_id in ids:
        for number in index.by_id.get(id_key(raw_id), []):
            entry = index.entries[number]
            forms = [other for other, _ in index.forms_of(number)]
            score = max(name_similarity(form, other) for other in forms)
            agreement = max(_agreement(index, form, other) for other in forms)
            reason = f"id {raw_id} is {entry.label} ({entry.legal_name})"
            match = EntryMatch(
                number, entry, "id", entry.legal_name, score, agreement, id_match=True
            )
            if form and score < t.FUZZY_ACCEPT and agreement < t.ID_NAME_AGREEMENT:
                match.reason = (
                    f"{reason}, but the name '{form}' shares no identifying word with it "
                    f"({agreement:.0%} of its weight)"
                )
                rejected.append(match)
                continue
            match.reason = reason
            found[number] = match
    return rejected


def _name_matches(
    index: RegisterIndex, exact: list[str], variants: dict[str, str], result: MatchResult
) -> tuple[dict[int, EntryMatch], str]:
    """Exact forms, then variants, then brand prefixes, then fuzzy: the first tier found wins."""
    for form in exact:
        if refs := index.names.get(form):
            hits = _from_refs(index, refs, "exact", form)
            if _alias_word(form, hits):
                return {**_initials_matches(index, form), **hits}, "acronym"
            return {**_current_namesakes(index, form, hits), **hits}, "exact"
    for form, rule in variants.items():
        if refs := index.names.get(form):
            return _from_refs(index, refs, "variant", f"'{form}' ({rule})"), "variant"
    for form in (*exact, *variants):
        if refs := index.brands.get(form):
            return _from_refs(index, refs, "brand-prefix", f"'{form}'"), "brand-prefix"
    if not exact:
        result.unmatched = "the name has no letters or digits"
        return {}, "none"
    if _is_acronym(exact[-1]) and exact[-1] in index.initials:
        return _initials_matches(index, exact[-1]), "initials"
    if _is_acronym(exact[-1]):
        result.unmatched = (
            f"'{exact[-1]}' is one short word (an acronym or brand): "
            "no register name or alias equals it, and short words are never guessed"
        )
        return {}, "none"
    return _fuzzy_matches(index, [*exact, *variants], result), "fuzzy"


def _current_namesakes(
    index: RegisterIndex, form: str, hits: dict[int, EntryMatch]
) -> dict[int, EntryMatch]:
    """When every entry of exactly the input's name is cancelled or non-current, the current
    entries named "<input> ..." are candidates too: "Australian Institute of Management" is
    today "Australian Institute of Management Education and Training" (RTO 0049, CRICOS)."""
    if any(match.entry.is_current for match in hits.values()):
        return {}
    has_keys = any(key in index.blocks for key in blocking_keys(form))
    longer = index.longer_forms(form) if has_keys else []
    refs = [
        ref
        for name in longer
        for ref in index.names[name]
        if index.entries[ref.entry].is_current and ref.kind != "alias"
    ]
    if len({index.legal_key(ref.entry) for ref in refs}) > t.AMBIGUOUS_SAME_NAME:
        return {}
    out = {}
    for ref in refs:
        entry = index.entries[ref.entry]
        out[ref.entry] = EntryMatch(
            ref.entry,
            entry,
            "current-namesake",
            ref.published,
            100.0,
            reason=f"'{ref.published}' ({entry.label}) is current and begins with '{form}', "
            "whose own entries are all cancelled or non-current",
            name_kind=ref.kind,
        )
    return out


def _alias_word(form: str, hits: dict[int, EntryMatch]) -> bool:
    """One word that only aliases equal ("CSU"), which `acronyms` decides; a longer alias
    ("Baldwin Beauty Schools") names a chain's campuses together."""
    return " " not in form and all(match.name_kind == "alias" for match in hits.values())


def _initials_matches(index: RegisterIndex, form: str) -> dict[int, EntryMatch]:
    """The university names whose initials are `form`, as claims for `resolve_acronym`."""
    return {
        ref.entry: EntryMatch(
            ref.entry,
            index.entries[ref.entry],
            "initials",
            ref.published,
            100.0,
            reason=f"'{form.upper()}' is the initials of '{ref.published}' "
            f"({index.entries[ref.entry].label})",
            name_kind="initials",
        )
        for ref in index.initials.get(form, [])
    }


def _from_refs(
    index: RegisterIndex, refs: list[NameRef], tier: str, form: str
) -> dict[int, EntryMatch]:
    out: dict[int, EntryMatch] = {}
    for ref in _preferred(index, refs):
        how = f"exact-{ref.kind}" if tier == "exact" else tier
        words = KIND_WORDS.get(ref.kind, "brand")
        label = index.entries[ref.entry].label
        detail = {
            "exact": f"name '{ref.published}' is the {words} of {label}",
            "variant": f"{form} is the {words} '{ref.published}' of {label}",
            "brand-prefix": f"{form} is the brand leading the name '{ref.published}' of {label}",
        }[tier]
        if ref.entry not in out or t.CONFIDENCE[how] > t.CONFIDENCE[out[ref.entry].how]:
            entry = index.entries[ref.entry]
            out[ref.entry] = EntryMatch(
                ref.entry, entry, how, ref.published, 100.0, reason=detail, name_kind=ref.kind
            )
    return out


def _preferred(index: RegisterIndex, refs: list[NameRef]) -> list[NameRef]:
    """Among entries sharing the input's name, keep those the registers tie to it most firmly.

    A register-listed trading name says "this legal person trades as the input": another
    legal person that merely bears that name (or lists it as a loose alias) is a namesake,
    kept only when it is the same legal person. Aliases (IPEDS IALIAS lists "Queens College"
    for CUNY Queens College) count only when no legal or trading name equals the input.
    """
    trading_persons = {index.legal_key(ref.entry) for ref in refs if ref.kind == "trading"}
    if trading_persons:
        return [ref for ref in refs if index.legal_key(ref.entry) in trading_persons]
    if any(ref.kind == "legal" for ref in refs):
        return [ref for ref in refs if ref.kind != "alias"]
    return refs


def _is_acronym(form: str) -> bool:
    return " " not in form and len(form) <= t.ACRONYM_MAX_LETTERS


def _fuzzy_matches(
    index: RegisterIndex, forms: list[str], result: MatchResult
) -> dict[int, EntryMatch]:
    """Vectorised first pass over the blocked names, scored second pass on a shortlist; only
    the candidates kept (accepted, or the best three rejected) are explained in words."""
    judged: list[Judged] = []
    for form in forms:
        for candidate in _shortlist(index, form):
            judged.extend(_judge(index, form, candidate))
    judged.sort(key=lambda j: (-(j.score * j.coverage), index.entries[j.ref.entry].label))
    accepted = [j for j in judged if _fuzzy_ok(j.score, j.coverage)]
    if not accepted:
        result.rejected = [_explained(index, j) for j in _distinct(judged)[:3]]
        return {}
    best = normalise(accepted[0].ref.published)
    kept = {j.ref.entry: j for j in accepted if normalise(j.ref.published) == best}
    return {number: _explained(index, j) for number, j in kept.items()}


def _drop_other_websites(
    index: RegisterIndex, name_hits: dict[int, EntryMatch], domain: str, result: MatchResult
) -> dict[int, EntryMatch]:
    """A merely similar name on another website than the register's is a look-alike, not a
    misspelling: "Holmesglenn Institute" at a new domain is not Holmesglen Institute. The
    websites of every entry of the same legal person count (an RTO row has none of its own)."""
    kept = {}
    for number, match in name_hits.items():
        siblings = index.by_legal_key.get(index.legal_key(number), [number])
        websites = {index.entries[n].website_domain for n in siblings} - {None, ""}
        if websites and domain not in websites:
            match.reason = (
                match.reason.replace(", accepted)", ")")
                + f"; rejected: its website is {', '.join(sorted(websites))}, not {domain}"
            )
            result.rejected.insert(0, match)
        else:
            kept[number] = match
    return kept


def _fuzzy_ok(score: float, coverage: float) -> bool:
    return score >= t.FUZZY_ACCEPT and coverage >= t.COVERAGE_ACCEPT


def _shortlist(index: RegisterIndex, form: str) -> list[str]:
    candidates = blocked_candidates(index, form)
    if candidates.size == 0:
        return []
    choices = index.forms[candidates].tolist()
    # Sorting words forgives reordering but moves a misspelt word ("beaevr" sorts before
    # "beauty"): the better of the plain and the word-sorted ratio ranks both kinds of noise.
    # The register forms' words are sorted once, in the index (`token_sort_ratio` sorting
    # them again on every call costs more than the comparisons).
    scores = np.maximum(
        process.cdist([form], choices, scorer=fuzz.ratio, processor=None)[0],
        process.cdist(
            [words_sorted(form)],
            index.sorted_forms[candidates].tolist(),
            scorer=fuzz.ratio,
            processor=None,
        )[0],
    )
    keep = min(t.FUZZY_SHORTLIST, len(choices))
    best = np.argpartition(-scores, keep - 1)[:keep]
    return [choices[i] for i in best]


def blocked_candidates(index: RegisterIndex, form: str) -> np.ndarray:
    """Numbers of the register forms sharing a narrow blocking key with `form`."""
    blocks = index.blocks
    keys = [key for key in blocking_keys(form) if key in blocks]
    if not keys:
        return np.array([], dtype=np.int32)
    narrow = [key for key in keys if blocks.size(key) <= t.BLOCK_MAX_NAMES]
    if not narrow:
        narrow = sorted(keys, key=blocks.size)[: t.BLOCK_FALLBACK_KEYS]
    if len(narrow) == 1:
        return blocks.array(narrow[0])
    chosen = np.zeros(len(index.names), dtype=bool)  # a set of numbers, read back in order
    for key in narrow:
        chosen[blocks.array(key)] = True
    return np.flatnonzero(chosen)


class Judged(NamedTuple):
    """One register name scored against one input form, before it is explained."""

    form: str
    ref: NameRef
    score: float  # name_similarity
    coverage: float  # the smaller IDF share of identifying words agreeing, both ways


def _judge(index: RegisterIndex, form: str, candidate: str) -> list[Judged]:
    score = name_similarity(form, candidate)
    coverage = min(
        _coverage(index, content_tokens(form), content_tokens(candidate)),
        _coverage(index, content_tokens(candidate), content_tokens(form)),
    )
    return [Judged(form, ref, score, coverage) for ref in index.names[candidate]]


def _explained(index: RegisterIndex, judged: Judged) -> EntryMatch:
    form, ref, score, coverage = judged
    verdict = "accepted" if score >= t.FUZZY_ACCEPT else f"below {t.FUZZY_ACCEPT:g}"
    if score >= t.FUZZY_ACCEPT and coverage < t.COVERAGE_ACCEPT:
        verdict = f"identifying words agree only {coverage:.0%}"
    entry = index.entries[ref.entry]
    reason = (
        f"{entry.label}: name '{ref.published}' similar to '{form}' ({score:.0f}/100, {verdict})"
    )
    return EntryMatch(ref.entry, entry, "fuzzy", ref.published, score, coverage, reason=reason)


def name_similarity(form: str, other: str) -> float:
    """0-100: OSA edit similarity of the names as written and of their identifying words sorted
    (so "Australia Pilkington Automotive Division Ltd" still equals its register name)."""
    direct = OSA.normalized_similarity(form, other, processor=None)
    ordered = OSA.normalized_similarity(
        _words_in_order(form), _words_in_order(other), processor=None
    )
    return 100.0 * max(direct, ordered)


@lru_cache(maxsize=200_000)
def _words_in_order(form: str) -> str:
    """Identifying words sorted, cached: each register form is compared with many inputs."""
    return " ".join(sorted(content_tokens(form)))


def _coverage(index: RegisterIndex, tokens: list[str], against: list[str]) -> float:
    """IDF-weighted share of `tokens` that appear (allowing one typo) in `against`."""
    idf, unseen = index.idf, index.max_idf
    total = agreed = 0.0
    for token in tokens:
        weight = idf.get(token, unseen)
        total += weight
        if token in against:
            agreed += weight
            continue
        for other in against:
            if _same_word(token, other):
                agreed += weight
                break
    return agreed / total if total else 0.0


def _agreement(index: RegisterIndex, form: str, other: str) -> float:
    """The larger IDF-weighted share of either name's identifying words found in the other:
    a brand adds its own words ("Curtin Perth Online") yet keeps the entry's distinctive one."""
    tokens, others = content_tokens(form), content_tokens(other)
    return max(_coverage(index, tokens, others), _coverage(index, others, tokens))


@lru_cache(maxsize=500_000)
def _same_word(token: str, other: str) -> bool:
    """Equal, or one typo apart: two swapped letters ("ciyt"/"city") or, in longer words,
    OSA similarity >= TOKEN_SAME. A different letter in a 4-letter word ("mark"/"park") is
    another word, not a typo."""
    if token == other:
        return True
    if OSA.distance(token, other, processor=None) == 1 and sorted(token) == sorted(other):
        return True  # two letters swapped: "oka"/"oak", "ciyt"/"city"
    if min(len(token), len(other)) < t.TOKEN_EXACT_BELOW:
        return False
    return OSA.normalized_similarity(token, other, processor=None) >= t.TOKEN_SAME


def _domain_matches(
    index: RegisterIndex, domain: str | None, forms: list[str]
) -> dict[int, EntryMatch]:
    """Entries on the input's website whose names still agree enough with the input's."""
    on_domain = index.by_domain.get(domain, []) if domain else []
    if not on_domain:
        return {}
    scored = [(_domain_name_support(index, number, forms), number) for number in on_domain]
    best = max(score for score, _ in scored)
    if best < t.DOMAIN_NAME_SUPPORT:
        return {}
    out = {}
    for score, number in scored:
        if score != best:
            continue
        entry = index.entries[number]
        shown = entry.trading_names[0] if entry.trading_names else entry.legal_name
        out[number] = EntryMatch(
            number,
            entry,
            "domain+name" if score >= t.FUZZY_ACCEPT else "domain-only",
            shown,
            score,
            domain_match=True,
            reason=f"names agree {score:.0f}/100 (token set)",
        )
    return out


def _domain_name_support(index: RegisterIndex, number: int, forms: list[str]) -> float:
    return max(
        fuzz.token_set_ratio(form, register_form, processor=None)
        for form in forms
        for register_form, _ in index.forms_of(number)
    )


def _add_same_legal_name(found: dict[int, EntryMatch], index: RegisterIndex) -> None:
    """An Australian provider is on CRICOS, RTO and TEQSA under one legal name: add siblings.

    Not when a register holds more same-named entries than `AMBIGUOUS_SAME_NAME`: those are
    unrelated namesakes ("VOCATIONAL EDUCATION AND TRAINING (BRIT)" is not its nine twins).
    """
    for number, match in list(found.items()):
        if match.entry.register not in AUSTRALIAN_REGISTERS:
            continue
        siblings = index.by_legal_key.get(index.legal_key(number), [])
        per_register = Counter(index.entries[sibling].register for sibling in siblings)
        for sibling in siblings:
            entry = index.entries[sibling]
            if sibling in found or per_register[entry.register] > t.AMBIGUOUS_SAME_NAME:
                continue
            found[sibling] = EntryMatch(
                sibling,
                entry,
                "same-legal-name",
                entry.legal_name,
                match.name_score,
                reason=f"same legal name '{entry.legal_name}' as {match.entry.label}, "
                f"matched because {match.reason}",
                confidence=min(t.CONFIDENCE["same-legal-name"], match.confidence),
            )


def _score(found: dict[int, EntryMatch], domain: str | None) -> None:
    """Confidence from the strongest evidence, lowered for unresolved namesakes."""
    per_name: dict[tuple[str, str], int] = {}
    for match in found.values():
        key = (match.entry.register, normalise(match.matched_name))
        per_name[key] = per_name.get(key, 0) + 1
    for match in found.values():
        how = match.how
        if match.id_match:
            how = "id"
        elif match.domain_match and how != "domain-only":
            how = "domain+name"
        base = t.CONFIDENCE[how]
        if how == "fuzzy":
            base *= match.name_score / 100.0
        if match.domain_match and how == "id":
            match.reason += f"; domain {domain} equals its website"
        elif match.domain_match:
            match.reason = f"domain {domain} equals the {match.entry.label} website; {match.reason}"
        namesakes = per_name[(match.entry.register, normalise(match.matched_name))]
        if namesakes > t.AMBIGUOUS_SAME_NAME and not (match.domain_match or match.id_match):
            base *= t.AMBIGUITY_PENALTY
            match.reason += (
                f" (one of {namesakes} same-named entries: no website or id to tell them apart)"
            )
        match.confidence = round(base, 3)


def _distinct(judged: list[Judged]) -> list[Judged]:
    """The best-scored name of each entry, in order."""
    seen: set[int] = set()
    out = []
    for item in judged:
        if item.ref.entry not in seen:
            seen.add(item.ref.entry)
            out.append(item)
    return out
