"""The claims parser tries a phrase only where the lower-cased text begins one of the
phrase's literal starts (crawler/parsers/claims.py): it must find exactly the matches a
full regex scan of the same regions finds."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from crawler.parsers import claims
from crawler.parsers.text import page_text
from credwatch.core.wording import CLAIM_PHRASES

SITES = Path(__file__).parent / "fixtures" / "sites"
DEMO_SITES = Path(__file__).parent.parent / "credwatch" / "demo_sites"
TRICKY = (
    "Assessment for Learning, then a final  exam and two quizzes; our assessors ASSESS it.",
    "Not nationally-recognised. Nationally Recognised Training (RTO 40764), regulated by "
    "the Australian\tSkills Quality\nAuthority (ASQA) and TEQSA.",
    "Internationally accredited by the International Accreditation Organization (IAO), "
    "recognised worldwide; CPD accredited, FREE accredited, non-accredited and unaccredited.",
    "Study at the University of Wollongong's Learning team or an university; 100 % pass, "
    "job guaranteed, same-day certification, certificates instantly, life-experience; "
    "Ofqual regulated, based on your work experience, government-approved.",
    "You'll learn to plan; learning objectives: assessment, assignment, quiz. " * 30,
    # letters whose lower case the regex engine does not share: the full scan is used
    "Dotless \u0131 and long \u017f: the assessment is a quiz, nationally recognised.",
    "\u0130stanbul campus: assessment, quiz and exams, internationally recognised.",
)


def _texts() -> list[str]:
    pages = sorted(SITES.rglob("*.html")) + sorted(DEMO_SITES.rglob("*.html"))
    assert len(pages) > 20
    return [page_text(page.read_bytes()) for page in pages] + list(TRICKY)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@pytest.mark.parametrize(
    ("phrase", "starts"), claims._SCANNED_PHRASES, ids=lambda value: str(value)[:50]
)
def test_scanning_from_literal_starts_finds_what_a_full_scan_finds(phrase, starts, texts):
    found = 0
    for text in texts:
        lower = text.lower()
        aligned = lower if claims._lower_aligned(text, lower) else None
        regions = claims._regions(text, lower, phrase.needles)
        expected = itertools.islice(
            (m for s, e in regions for m in phrase.pattern.finditer(text, s, e)),
            claims.MAX_MATCHES_PER_PHRASE,
        )
        scanned = claims._phrase_matches(phrase, starts, text, aligned, regions)
        spans = [m.span() for m in scanned]
        assert spans == [m.span() for m in expected], text[:80]
        found += len(spans)
    assert found > 0  # the texts exercise every phrase


def test_literal_starts_of_a_phrase():
    scanner = claims._start_scanner(
        re.compile(r"\b(?:final\s+)?exam(?:s)?\b|(?<!peer )\bassess(?:ed|ors?)\b|\bquiz", re.I)
    )
    assert scanner is not None
    assert set(scanner.pattern.split("|")) == {"asse", "exam", "fina", "quiz"}


def test_a_pattern_that_may_start_with_any_letter_has_no_scanner():
    assert claims._start_scanner(re.compile(r"\b[A-Z]{2,8}\s+accredited\b")) is None
    assert claims._start_scanner(re.compile(r"\w+ university|university", re.I)) is None


def test_most_claim_phrases_have_a_scanner():
    scanned = [phrase for phrase, starts in claims._SCANNED_PHRASES if starts is not None]
    assert len(scanned) >= len(CLAIM_PHRASES) - 2


def test_every_character_the_engine_folds_to_ascii_lower_cases_to_it_or_is_listed():
    """What `_lower_aligned` rests on, for every character of the Basic Multilingual Plane."""
    ascii_char = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    for code in range(0x80, 0x10000):
        char = chr(code)
        if ascii_char.fullmatch(char) and char not in claims._FOLDED_TO_ASCII:
            same = [chr(a) for a in range(0x80) if re.fullmatch(re.escape(chr(a)), char, re.I)]
            assert len(char.lower()) != 1 or char.lower() in {a.lower() for a in same}, hex(code)
