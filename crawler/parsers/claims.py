"""Find the statements a registration or value check needs, quoting the page exactly.

Each claim keeps a sentence-ish window of the page text around the match, so a reviewer can
see what the site said. Negated wording ("not nationally recognised", "non-accredited") is
kept as a `disclaimer` claim whose value is the kind it negates, never as a positive claim.
Codes (RTO, CRICOS, ABN, national codes) are recorded as written: checking them against the
registers is scoring's job.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crawler.items import Claim

WINDOW_CHARS = 160  # at most this much text on each side of a match
NEEDLE_MARGIN = 200  # no phrase reaches further than this from its needle
MAX_MATCHES_PER_PHRASE = 12  # occurrences of one wording read per page (first ones kept)
# Ends of sentences, list items and " | " separators; "No." and "Pty." end nothing.
_SENTENCE_END = re.compile(
    r"[.!?](?=\s)(?<!\bNo.)(?<!\bno.)(?<!\bPty.)(?<!\bapprox.)(?<!\bSt.)(?<!\be\.g.)(?<!\bi\.e.)"
    r"|\n|\s[|•·]\s"
)
_NEGATION = re.compile(
    r"\b(?:not(?!\s+only)|no|non|never|neither|nor|isn'?t|aren'?t|doesn'?t|don'?t|cannot|"
    r"can'?t|won'?t)\b[\w\s'’-]{0,24}$",
    re.IGNORECASE,
)
# Negation that follows its phrase: "A free certificate is not included", "... is not free".
_NEGATION_AFTER = re.compile(
    r"^\s+(?:is|are)\s+(?:not|never)\b"
    r"|^\s*(?:not\s+included|sold\s+separately|(?:is\s+|are\s+)?available\s+to\s+(?:buy|purchase))",
    re.IGNORECASE,
)

# Australian training packages (current and common superseded prefixes): national codes
# must start with one, which keeps product codes like "SKU12345" out.
_PACKAGES = frozenset(
    re.findall(
        r"\w+",
        "ACM AHC AMP AUM AUR AVI BSA BSB CHC CPC CPP CSC CUA CUE CUF CUL CUS CUV DEF FBP FDF "
        "FNS FPI FWP HLT ICA ICP ICT LGA MAR MEA MEM MSA MSF MSL MSM MSS MST MTM NWP PMA PMB "
        "PMC PPM PRM PSP PUA RGR RII SFI SFL SHB SIB SIF SIH SIR SIS SIT SRC SRF SRO TAA TAE "
        "TDM TLI UEE UEG UEN UEP UET ZOO",
    )
)
# Each starts with a character class, so the scan skips ahead fast (see `_RTO` below).
_PACKAGE_CODE = re.compile(
    r"[A-Z]{3}(?<![\w][A-Z]{3})(?:SS\d{5}"  # skill set: HLTSS00068
    r"|\d{5}"  # qualification: BSB40120
    r"|[A-Z]{2,4}\d{3,4}[A-Z]?)\b"  # unit: HLTAID011, SITXFSA005, CPCWHS1001
)
_STATE_SUFFIXES = ("NAT", "VIC", "NSW", "QLD", "WA", "SA", "TAS", "ACT", "NT")
_ACCREDITED_COURSE_CODE = re.compile(rf"\d{{5}}(?<!\w\d{{5}})(?:{'|'.join(_STATE_SUFFIXES)})\b")
_CODE_LABEL = r"\s*(?:No\.?|Number|Code|ID|#)?\s*[:.#-]?\s*"
# Patterns start with a literal (word boundary checked behind it): scanning is then fast.
_RTO = re.compile(
    rf"R(?<!\wR)(?:TO\b|egistered\s+Training\s+Organi[sz]ation\b\s*[(,–-]?\s*(?:RTO|Provider)?)"
    rf"{_CODE_LABEL}(\d{{3,6}})(?![\d/])\b(?!\s+Standards)",  # not "RTO 2025 Standards"
)
_CRICOS = re.compile(rf"\bCRICOS\b(?:\s*Provider)?{_CODE_LABEL}(\d{{5}}[A-Za-z])\b", re.IGNORECASE)
_ABN = re.compile(
    r"ABN(?<!\wABN)\b\s*(?:No\.?|Number)?\s*[:.#]?\s*(\d{2}(?:[\s\u00a0]?\d{3}){3})\b"
)
_ABN_WEIGHTS = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)


@dataclass(frozen=True)
class _Phrase:
    """A wording pattern; `value` maps a match to the claim's normalised value."""

    kind: str
    pattern: re.Pattern[str]
    value: Callable[[re.Match[str]], str]
    needles: tuple[str, ...]  # lower-case words one of which the text must contain
    negatable: bool = True


def _canonical(match: re.Match[str]) -> str:
    return " ".join(match.group(0).lower().replace("-", " ").split())


def _fixed(value: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: value


def _group(name: str) -> Callable[[re.Match[str]], str]:
    return lambda match: (match.group(name) or "").strip().rstrip(".,;:")


def _phrase(
    kind: str, needles: str, regex: str, value=_canonical, negatable: bool = True
) -> _Phrase:
    """A phrase, run only on texts containing one of the `|`-separated `needles` (a needle
    may hold a space): a substring test is ~100 times cheaper than a case-insensitive regex
    scan, and a rare needle keeps the regex off most of the page."""
    return _Phrase(
        kind, re.compile(regex, re.IGNORECASE), value, tuple(needles.split("|")), negatable
    )


_CAPITALISED = r"(?:[A-Z][\w&.'’-]*|of|and|for|the|in|&)"
_BODY = rf"(?-i:[A-Z][\w&.'’-]*(?:\s+{_CAPITALISED}){{0,7}}(?:\s+\([A-Z]{{2,8}}\))?)"

_PHRASES: tuple[_Phrase, ...] = (
    _phrase(
        "nationally_recognised",
        "nationally",
        r"\bnationally[\s-]+recogni[sz]ed\b",
        _fixed("nationally recognised"),
    ),
    _phrase(
        "government_approved",
        "government",
        r"\bgovernment[\s-]+(?:approved|accredited|recogni[sz]ed|endorsed|certified|registered)\b"
        r"|\bapproved\s+by\s+the\s+(?:\w+\s+)?government\b",
    ),
    _phrase(
        "internationally_recognised",
        "internationally|globally|worldwide",
        r"\b(?:internationally|globally|worldwide)[\s-]+(?:recogni[sz]ed|accredited|accepted)\b"
        r"|\brecogni[sz]ed\s+(?:internationally|globally|worldwide)\b",
    ),
    _phrase(
        "accredited",
        "accredited",
        rf"\baccredited\s+by\s+(?:the\s+)?(?P<body>{_BODY})",
        _group("body"),
    ),
    _phrase(
        "accredited",
        "accredited",
        r"\b(?-i:(?!(?:FREE|FULLY|NEW|NOW|ALL|OUR|AND|ARE|GET|ONLINE)\b)(?P<body>[A-Z]{2,8}))"
        r"[\s-]+accredited\b",
        _group("body"),
    ),
    _phrase(
        "accredited",
        "accredited",
        r"(?<!government )(?<!government-)(?<!internationally )(?<!globally )\baccredited\b",
        _fixed(""),
    ),
    _phrase(
        "disclaimer",
        "accredited",
        r"\b(?:un|non-?)accredited\b",
        _fixed("accredited"),
        negatable=False,
    ),
    _phrase(
        "regulator",
        "asqa|skills",
        r"\b(?-i:ASQA)\b|\bAustralian\s+Skills\s+Quality\s+Authority\b",
        _fixed("ASQA"),
    ),
    _phrase(
        "regulator",
        "teqsa|tertiary",
        r"\b(?-i:TEQSA)\b|\bTertiary\s+Education\s+Quality\s+and\s+Standards\s+Agency\b",
        _fixed("TEQSA"),
    ),
    _phrase("regulator", "ofqual", r"\bOfqual\b", _fixed("Ofqual")),
    _phrase(
        "university",
        "university",
        r"(?-i:\b(?:[A-Z][\w'’-]*\s+){1,4}University\b|\bUniversity\s+of(?:\s+[A-Z][\w'’-]*){1,4})",
        lambda m: _strip_leading_article(_POSSESSIVE.sub("", m.group(0))),
    ),
    _phrase("university", "university", r"\b(?:an?|our)\s+university\b"),
    _phrase(
        "free_certificate",
        "certifi",
        r"(?<!fee-)(?<!fee )\bfree\s+(?:[\w-]+\s+){0,3}certific(?:ate|ation)s?\b"
        r"|\bcertific(?:ate|ation)s?\s+(?:is\s+|are\s+)?(?:for\s+free|free\s+of\s+charge)\b"
        r"|\bget\s+certified\s+for\s+free\b",
        _fixed("free certificate"),
    ),
    _phrase(
        "same_day_certificate",
        "certific",
        r"\bsame[\s-]+day\s+certific(?:ate|ation)s?\b"
        r"|\bcertificates?\s+(?:on\s+)?(?:the\s+)?same[\s-]+day\b"
        r"|\binstant\s+certificates?\b|\bcertificates?\s+instantly\b"
        r"|\bcertificates?\s+today\b",
        _fixed("same day certificate"),
    ),
    _phrase(
        "life_experience",
        "experience",
        r"\blife[\s-]+experience\b|\bbased\s+on\s+your\s+(?:work|professional)\s+experience\b",
        _fixed("life experience"),
    ),
    _phrase(
        "guarantee",
        "guarantee|pass",
        r"\b100\s?%\s+pass(?:\s+rate)?\b|\bguaranteed?\s+(?:pass|job|employment)\b"
        r"|\b(?:pass|job|employment)\s+guaranteed?\b",
    ),
    # What a value check needs: does the page state learning outcomes, and an assessment?
    _phrase(
        "learning_outcomes",
        "learning outcome|learning objective|will learn|you'll learn",
        r"learning\s+(?:outcomes?|objectives?)\b|\bwhat\s+you(?:'ll|\s+will)\s+learn\b",
        _fixed("learning outcomes"),
    ),
    _phrase(
        "assessment",
        "assessed|assessment|exam|quiz|assignment",
        r"\bassess(?:ed|ment|ments)\b|\b(?:final\s+)?exams?\b|\bquiz(?:zes)?\b"
        r"|\bassignments?\b",
        _fixed("assessment"),
    ),
)


def valid_abn(abn: str) -> bool:
    """The ATO check: subtract 1 from the first digit, weight, sum, divisible by 89."""
    digits = [int(c) for c in abn if c.isdigit()]
    if len(digits) != 11 or len(re.sub(r"[\d\s\u00a0]", "", abn)) > 0:
        return False
    digits[0] -= 1
    return sum(d * w for d, w in zip(digits, _ABN_WEIGHTS, strict=True)) % 89 == 0


def extract_claims(text: str, url: str = "") -> list[Claim]:
    """Every claim on a page's text, first occurrence of each (kind, value) kept."""
    seen: set[tuple[str, str]] = set()
    claims: list[Claim] = []
    taken: list[tuple[int, int, str]] = []
    for start, end, kind, value in sorted(_matches(text), key=lambda m: (m[0], -m[1])):
        if (kind, value) in seen or _inside(start, end, kind, taken):
            continue
        seen.add((kind, value))
        taken.append((start, end, kind))
        claims.append(Claim(kind=kind, value=value, text=_window(text, start, end), url=url))
    return claims


def _matches(text: str) -> Iterator[tuple[int, int, str, str]]:
    lower = text.lower()
    yield from _code_matches(text, lower)
    regions: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # phrases share needles
    for phrase in _PHRASES:
        if phrase.needles not in regions:
            regions[phrase.needles] = _regions(
                text, lower, phrase.needles, NEEDLE_MARGIN, per_needle=MAX_MATCHES_PER_PHRASE
            )
        for match in _phrase_matches(phrase, text, regions[phrase.needles]):
            kind, value = phrase.kind, phrase.value(match)
            if phrase.negatable and _is_negated(text, match.start(), match.end()):
                kind, value = "disclaimer", phrase.kind
            yield match.start(), match.end(), kind, value


def _phrase_matches(
    phrase: _Phrase, text: str, regions: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """The first MAX_MATCHES_PER_PHRASE matches of a phrase, searched only in the regions
    around its needles: a substring search is about a hundred times cheaper than a
    case-insensitive regex scan of a whole page, and a word repeated 200 times
    ("assessment") says nothing new after a few."""
    matches = (m for start, end in regions for m in phrase.pattern.finditer(text, start, end))
    yield from itertools.islice(matches, MAX_MATCHES_PER_PHRASE)


def _regions(
    text: str,
    haystack: str,
    needles: tuple[str, ...],
    margin: int,
    per_needle: int | None = None,
) -> list[tuple[int, int]]:
    """Merged spans of `margin` characters around every needle in `haystack` (the text or
    its lower case), or around its first `per_needle` occurrences; the whole text when
    lower-casing changed its length, as "İ" does, so offsets would not line up."""
    if len(haystack) != len(text):
        return [(0, len(text))] if any(needle in haystack for needle in needles) else []
    spans = []
    for needle in needles:
        found, seen = haystack.find(needle), 0
        while found >= 0 and seen != per_needle:
            spans.append((max(0, found - margin), found + len(needle) + margin))
            found, seen = haystack.find(needle, found + 1), seen + 1
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _code_matches(text: str, lower: str) -> Iterator[tuple[int, int, str, str]]:
    if "RTO" in text or "Registered Training" in text:
        for match in _RTO.finditer(text):
            yield match.start(), match.end(), "rto_code", match.group(1)
    if "cricos" in lower:
        for match in _CRICOS.finditer(text):
            yield match.start(), match.end(), "cricos_code", match.group(1).upper()
    if "ABN" in text:
        for match in _ABN.finditer(text):
            digits = re.sub(r"\D", "", match.group(1))
            yield match.start(), match.end(), "abn" if valid_abn(digits) else "abn_invalid", digits
    for match in _PACKAGE_CODE.finditer(text):
        if match.group(0)[:3] in _PACKAGES:
            yield match.start(), match.end(), "national_code", match.group(0)
    for start, end in _regions(text, text, _STATE_SUFFIXES, margin=6):
        for match in _ACCREDITED_COURSE_CODE.finditer(text, start, end):
            yield match.start(), match.end(), "national_code", match.group(0)


def _inside(start: int, end: int, kind: str, taken: list[tuple[int, int, str]]) -> bool:
    """A generic "accredited" inside an already-read "accredited by X" adds nothing."""
    return any(s <= start and end <= e and k == kind for s, e, k in taken)


def _is_negated(text: str, start: int, end: int) -> bool:
    sentence_start = _sentence_start(text, start)
    before = _NEGATION.search(text[sentence_start:start])
    return bool(before or _NEGATION_AFTER.search(text[end : end + WINDOW_CHARS]))


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


_POSSESSIVE = re.compile(r"['’]s\b.*$")  # "University of Wollongong's Learning" -> the name


def _strip_leading_article(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and words[0] in {"The", "A", "An", "Our", "At", "Study", "With"}:
        words.pop(0)
    return " ".join(words)
