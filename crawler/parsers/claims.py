"""Find the statements a registration or value check needs, quoting the page exactly.

Each claim keeps a sentence-ish window of the page text around the match, so a reviewer can
see what the site said. Negated wording ("not nationally recognised", "non-accredited") is
kept as a `disclaimer` claim whose value is the kind it negates, never as a positive claim.
Codes (RTO, CRICOS, ABN, national codes) are recorded as written: checking them against the
registers is scoring's job. The wording itself is `credwatch.core.wording`'s; a
`free_certificate` claim is its `judge_free_certificate` verdict, the one the
FREE_CERTIFICATE flag gives on the same text.
"""

from __future__ import annotations

import itertools
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterator, Sequence

from crawler.items import Claim
from credwatch.core.wording import (
    ABN,
    CLAIM_PHRASES,
    CRICOS_CODE,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    NEGATION_REACH,
    RTO_CODE,
    FreeCertificate,
    Phrase,
    judge_free_certificate,
    national_codes,
)

WINDOW_CHARS = 160  # at most this much text on each side of a match
NEEDLE_MARGIN = 200  # no phrase reaches further than this from its needle
MAX_MATCHES_PER_PHRASE = 12  # occurrences of one wording read per page (first ones kept)
# The claims `judge_free_certificate` alone decides (see `free_certificate_claims`).
FREE_CERTIFICATE_CLAIMS = frozenset(
    {("free_certificate", "free certificate"), ("disclaimer", "free_certificate")}
)
# Ends of sentences, list items and " | " separators; "No." and "Pty." end nothing.
_SENTENCE_END = re.compile(
    r"[.!?](?=\s)(?<!\bNo.)(?<!\bno.)(?<!\bPty.)(?<!\bapprox.)(?<!\bSt.)(?<!\be\.g.)(?<!\bi\.e.)"
    r"|\n|\s[|•·]\s"
)
_ABN_WEIGHTS = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
START_CHARS = 4  # literal characters of a phrase's starts searched before trying it
_ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})
# Letters Python's case-insensitive regexes match to an ASCII letter though `str.lower`
# keeps them (dotless i, long s); every other one lower-cases to that letter.
_FOLDED_TO_ASCII = ("\u0131", "\u017f")


def valid_abn(abn: str) -> bool:
    """The ATO check: subtract 1 from the first digit, weight, sum, divisible by 89."""
    digits = [int(c) for c in abn if c.isdigit()]
    if len(digits) != 11 or len(re.sub(r"[\d\s\u00a0]", "", abn)) > 0:
        return False
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, _ABN_WEIGHTS, strict=True)) % 89 == 0


def extract_claims(text: str, url: str = "", *, free_certificate: bool = True) -> list[Claim]:
    """Every claim on a page's text, first occurrence of each (kind, value) kept.

    A page speaks of many courses, so a free certificate is claimed only where one clause
    offers it; an offering's own is `free_certificate_claims` on its data (a pipeline), so
    claims read for an offering pass `free_certificate=False`: the page's verdict would
    only be replaced.
    """
    matches = list(_matches(text))
    if free_certificate:
        matches.extend(_page_free_certificate(text))
    return _claims(matches, text, url)


def offering_and_page_claims(text: str, url: str) -> tuple[list[Claim], list[Claim]]:
    """`extract_claims` without and with the page's free-certificate verdict, from one scan
    of the text (a page's reading does not yet know whether it holds offerings)."""
    matches = list(_matches(text))
    offering = _claims(matches, text, url)
    verdict = list(_page_free_certificate(text))
    return offering, (_claims(matches + verdict, text, url) if verdict else offering)


def _claims(matches: list[tuple[int, int, str, str]], text: str, url: str) -> list[Claim]:
    seen: set[tuple[str, str]] = set()
    claims: list[Claim] = []
    taken: list[tuple[int, int, str]] = []
    for start, end, kind, value in sorted(matches, key=lambda m: (m[0], -m[1])):
        if (kind, value) in seen or _inside(start, end, kind, taken):
            continue
        seen.add((kind, value))
        taken.append((start, end, kind))
        claims.append(Claim(kind=kind, value=value, text=_window(text, start, end), url=url))
    return claims


def _page_free_certificate(text: str) -> Iterator[tuple[int, int, str, str]]:
    """The free-certificate claim a page about many things makes, if any."""
    found = _free_certificate_match(judge_free_certificate((text,), one_offering=False))
    if found is not None:
        yield found[1:]


def free_certificate_claims(texts: Sequence[str], price: float | None, url: str) -> list[Claim]:
    """The `free_certificate` claim (or its disclaimer) of a listing's texts and price: there
    is one exactly when the FREE_CERTIFICATE flag on the same texts and price is raised."""
    found = _free_certificate_match(judge_free_certificate(texts, price))
    if found is None:
        return []
    index, start, end, kind, value = found
    return [Claim(kind=kind, value=value, text=_window(texts[index], start, end), url=url)]


def is_free_certificate_claim(claim: Claim) -> bool:
    """A free-certificate claim or its disclaimer: both are `judge_free_certificate`'s."""
    return (claim.kind, claim.value) in FREE_CERTIFICATE_CLAIMS


def _free_certificate_match(verdict: FreeCertificate) -> tuple[int, int, int, str, str] | None:
    """(text index, start, end, kind, value) of the claim a verdict makes, if any."""
    if verdict.free:
        return (*verdict.where, "free_certificate", "free certificate")
    if verdict.disclaimed:
        return (*verdict.where, "disclaimer", "free_certificate")
    return None


def _matches(text: str) -> Iterator[tuple[int, int, str, str]]:
    lower = text.lower()
    yield from _code_matches(text, lower)
    aligned = lower if _lower_aligned(text, lower) else None
    regions: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # phrases share needles
    for phrase, starts in _SCANNED_PHRASES:
        if phrase.needles not in regions:
            regions[phrase.needles] = _regions(text, lower, phrase.needles)
        if not regions[phrase.needles]:
            continue  # none of its needles: most phrases on most texts
        for match in _phrase_matches(phrase, starts, text, aligned, regions[phrase.needles]):
            kind, value = phrase.kind, phrase.value(match)
            if phrase.negatable and _is_negated(text, match.start(), match.end()):
                kind, value = "disclaimer", phrase.kind
            yield match.start(), match.end(), kind, value


def _phrase_matches(
    phrase: Phrase,
    starts: re.Pattern[str] | None,
    text: str,
    lower: str | None,
    regions: list[tuple[int, int]],
) -> Iterator[re.Match[str]]:
    """The first MAX_MATCHES_PER_PHRASE matches of a phrase, searched only in the regions
    around its needles: a substring search is about a hundred times cheaper than a
    case-insensitive regex scan of a whole page, and a word repeated 200 times
    ("assessment") says nothing new after a few. `lower` is the lower-cased text when its
    letters line up with the text's for the regex engine (see `_lower_aligned`); `starts`
    the phrase's `_start_scanner`."""
    if starts is None or lower is None:
        matches = (m for start, end in regions for m in phrase.pattern.finditer(text, start, end))
    else:
        matches = (
            m for start, end in regions for m in _started(phrase, starts, text, lower, start, end)
        )
    yield from itertools.islice(matches, MAX_MATCHES_PER_PHRASE)


def _started(
    phrase: Phrase, starts: re.Pattern[str], text: str, lower: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """`phrase.pattern.finditer(text, start, end)`, trying the pattern only where the
    lower-cased text begins one of its literal starts: the regex engine cannot skip ahead
    through a case-insensitive pattern that opens with `\\b`, so it tries every position."""
    position = start
    while (candidate := starts.search(lower, position, end)) is not None:
        match = phrase.pattern.match(text, candidate.start(), end)
        if match is None:
            position = candidate.start() + 1
        else:
            position = match.end()
            yield match


def _lower_aligned(text: str, lower: str) -> bool:
    """Whether a case-insensitive pattern matches an ASCII letter in `text` exactly where
    `lower` has that letter: not when lower-casing changed the length ("İ") nor with a
    letter the engine folds to an ASCII one that `str.lower` keeps (dotless i, long s)."""
    return len(lower) == len(text) and not any(char in text for char in _FOLDED_TO_ASCII)


def _literal_starts(items: list, room: int = START_CHARS) -> set[str]:
    """The lower-case literal texts (at most `room` characters) one of which every match of
    a parsed pattern begins with; {""} when a match may begin with anything."""
    for index, (op, argument) in enumerate(items):
        rest = items[index + 1 :]
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL and chr(argument).isascii():
            tails = _literal_starts(rest, room - 1) if room > 1 else {""}
            return {chr(argument).lower() + tail for tail in tails}
        if op is sre.SUBPATTERN:
            return _literal_starts(list(argument[-1]) + rest, room)
        if op is sre.BRANCH:
            return set().union(*(_literal_starts(list(alt) + rest, room) for alt in argument[1]))
        if op is sre.MAX_REPEAT and argument[0] == 0:  # optional: with or without it
            return _literal_starts(list(argument[2]) + rest, room) | _literal_starts(rest, room)
        return {""}
    return {""}


def _start_scanner(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive regex of a pattern's literal starts, searched in lower-cased text
    (the engine skips straight to their first letters); None when a match may start with
    any character. Read from the pattern as Python's own regex parser parses it."""
    starts = _literal_starts(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if "" in starts:
        return None
    return re.compile("|".join(map(re.escape, sorted(starts))))


def _regions(text: str, lower: str, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    """Merged spans of NEEDLE_MARGIN characters around the first MAX_MATCHES_PER_PHRASE
    occurrences of each needle in the lower-cased text; the whole text when lower-casing
    changed its length, as "İ" does, so offsets would not line up."""
    if len(lower) != len(text):
        return [(0, len(text))] if any(needle in lower for needle in needles) else []
    spans = []
    for needle in needles:
        found, seen = lower.find(needle), 0
        while found >= 0 and seen != MAX_MATCHES_PER_PHRASE:
            spans.append((max(0, found - NEEDLE_MARGIN), found + len(needle) + NEEDLE_MARGIN))
            found, seen = lower.find(needle, found + 1), seen + 1
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _code_matches(text: str, lower: str) -> Iterator[tuple[int, int, str, str]]:
    if "RTO" in text or "Registered Training" in text:
        for match in RTO_CODE.finditer(text):
            yield match.start(), match.end(), "rto_code", match.group(1)
    if "cricos" in lower:
        for match in CRICOS_CODE.finditer(text):
            yield match.start(), match.end(), "cricos_code", match.group(1).upper()
    if "ABN" in text:
        for match in ABN.finditer(text):
            digits = re.sub(r"\D", "", match.group(1))
            yield match.start(), match.end(), "abn" if valid_abn(digits) else "abn_invalid", digits
    for match in national_codes(text):
        yield match.start(), match.end(), "national_code", match.group(0)


def _inside(start: int, end: int, kind: str, taken: list[tuple[int, int, str]]) -> bool:
    """A generic "accredited" inside an already-read "accredited by X" adds nothing."""
    return any(s <= start and end <= e and k == kind for s, e, k in taken)


def _is_negated(text: str, start: int, end: int) -> bool:
    """A negation after the phrase, or before it in its sentence; the sentence start is only
    looked for when a negation is within reach at all (most phrases have none)."""
    if NEGATION_AFTER.search(text[end : end + WINDOW_CHARS]):
        return True
    reach = max(0, start - NEGATION_REACH)
    if not NEGATION_BEFORE.search(text, reach, start):
        return False
    return bool(NEGATION_BEFORE.search(text, max(reach, _sentence_start(text, start)), start))


def _sentence_start(text: str, start: int) -> int:
    lower = max(0, start - WINDOW_CHARS)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lower, start)]
    return ends[-1] if ends else lower


def _window(text: str, start: int, end: int) -> str:
    """The sentence around a match, cut to WINDOW_CHARS a side without splitting words."""
    left = _sentence_start(text, start)
    if left > 0 and text[left - 1].isalnum():
        left = text.find(" ", left, start) + 1 or left
    stop = _SENTENCE_END.search(text, end, end + WINDOW_CHARS)
    if stop:
        right = stop.start() + (text[stop.start()] in ".!?")
    else:
        right = min(len(text), end + WINDOW_CHARS)
        if right < len(text) and text[right].isalnum():
            right = max(text.rfind(" ", end, right), end)
    return " ".join(text[left:right].split())


# Each phrase with its start scanner (a tuple, not a dict: hashing a compiled pattern hashes
# all of its code, every time).
_SCANNED_PHRASES = tuple((phrase, _start_scanner(phrase.pattern)) for phrase in CLAIM_PHRASES)
