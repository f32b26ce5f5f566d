"""Every wording credwatch reads on a provider's pages, defined once for crawler and scoring.

The crawler's claims (`crawler/parsers/claims.py`) and the offering flags (`scoring/flags/`)
both read their phrases here, so "nationally recognised", a national code or a certificate
noun means the same thing to both. `judge_free_certificate` is the only judge of "this text
promises a free certificate": the crawler's `free_certificate` claim and the FREE_CERTIFICATE
flag are its verdict on the same text, so the published `claims` and `flags` cannot disagree.

Where the wording comes from (the project's shared notes): red-flags.md rows R1-R21, cited
beside each family, and data-sources.md section 3 (the five groups of free-certificate
wording). Phrase lists are tuples of regex fragments, joined with `any_of` and compiled
once at import; a family's needles (cheap lower-case substrings, one of which any match
contains) sit beside its pattern so readers can skip texts without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property


def any_of(*alternatives: str) -> str:
    """A non-capturing alternation of regex fragments: any_of("a", "b") is "(?:a|b)"."""
    return "(?:" + "|".join(alternatives) + ")"


def _contains_any(lower: str, needles: Sequence[str]) -> bool:
    return any(needle in lower for needle in needles)


# --- certificate nouns (data-sources.md section 3: "certificate nouns") ---------------------

CERTIFICATE = r"certific(?:ate|ation)s?"
BADGE = r"badges?"
MICRO_CREDENTIAL = r"micro-?credentials?"
STATEMENT_OF = r"statements?\s+of\s+"
STATEMENT_OF_ATTAINMENT = rf"\b{STATEMENT_OF}attainment\b"  # the VET credential for units
# Things a learner receives as proof.
CREDENTIAL_NOUNS = (
    r"e-?certificates?",
    CERTIFICATE,
    "certified",
    rf"(?:digital\s+)?{BADGE}",
    MICRO_CREDENTIAL,
    r"credentials?",
    r"diplomas?",
    r"qualifications?",
    STATEMENT_OF + any_of("attainment", "participation", "completion", "accomplishment"),
)
CREDENTIAL_WORD = rf"\b{any_of(*CREDENTIAL_NOUNS)}\b"
CREDENTIAL = re.compile(CREDENTIAL_WORD, re.IGNORECASE)
CREDENTIAL_NEEDLES = ("certifi", "badge", "credential", "diploma", "qualification", "statement")

# --- recognition and registration wording (R1, R8, R11, R15) --------------------------------

RECOGNISED = r"recogni[sz]ed"
NATIONALLY_RECOGNISED = rf"\bnationally[\s-]+{RECOGNISED}\b"  # the VET "NRT" wording (R1)
WORLDWIDE = any_of("internationally", "globally", "worldwide")
INTERNATIONALLY_RECOGNISED = (  # recognition with no named body (R11, R15)
    rf"\b{WORLDWIDE}[\s-]+{any_of(RECOGNISED, 'accredited', 'accepted')}\b"
    rf"|\b{RECOGNISED}\s+{WORLDWIDE}\b"
)
GOVERNMENT_ENDORSEMENTS = (
    "approved",
    "accredited",
    RECOGNISED,
    "endorsed",
    "certified",
    "registered",
)
GOVERNMENT_APPROVED = (  # "government approved" with no department named (R15, R21)
    rf"\bgovernment[\s-]+{any_of(*GOVERNMENT_ENDORSEMENTS)}\b"
    r"|\bapproved\s+by\s+the\s+(?:\w+\s+)?government\b"
)
ACCREDITATION = r"\baccredit\w*"  # any word of the family: accredited, accreditation
CPD = r"\bCPD\b"  # "CPD" sold as if it were accreditation (data-sources.md group 5)
WHITE_CARD = r"\bwhite\s+card\b"  # the construction induction card, a licence in all but name
LICENCE = r"\blicen[cs]e\b"
# What marks a narrow but recognised, hireable unit (skill-signals.md).
RECOGNISED_UNIT = re.compile(
    "|".join((NATIONALLY_RECOGNISED, STATEMENT_OF_ATTAINMENT, WHITE_CARD, LICENCE)),
    re.IGNORECASE,
)
# Words that present a credential as a qualification (R7: attendance sold as more).
QUALIFICATION_WORDING = re.compile(
    rf"\bqualifications?\b|{ACCREDITATION}|\b{RECOGNISED}\b|\bdiplomas?\b|\bcertified\b|{CPD}",
    re.IGNORECASE,
)

# --- value wording: outcomes, assessment, attendance (R6, R7) -------------------------------

LEARNING_OUTCOMES = r"\blearning\s+(?:outcomes?|objectives?)\b|\byou(?:'ll|\s+will)\s+learn\b"
LEARNING_OUTCOME_NEEDLES = ("learning outcome", "learning objective", "will learn", "you'll learn")
# Assessment as the subject taught ("Formative Assessment in the Classroom", "Assessment for
# Learning"): the kind of assessment before the word, or what it is for/in/of after it.
_ASSESSMENT_TOPIC_BEFORE = (
    "formative",
    "summative",
    "diagnostic",
    "authentic",
    "classroom",
    "peer",
    "self-",
    "self ",
    "risk",
    "needs",
    "clinical",
    "patient",
    "nursing",
    "health",
    "impact",
    "environmental",
    "language",
    "student",
    "learner",
    "educational",
    "aligning",
)
_ASSESSMENT_TOPIC_AFTER = (
    r"\s+(?:for|of|as)\s+learning\b|\s+in\s+(?:the\s+)?(?:classroom|education|schools?)\b"
    r"|\s+(?:design|strategies|practices?|literacy|methods|techniques|tools|theory|and\s+feedback)\b"
)
_NOT_A_TOPIC = "".join(
    f"(?<!{re.escape(word)}{'' if word.endswith(('-', ' ')) else ' '})"
    for word in _ASSESSMENT_TOPIC_BEFORE
)
# Stated assessment; not "assess the casualty", "Assessing Feedback" or "Formative Assessment"
# (what is taught). The lookahead first: the 21 lookbehinds then run only at an "assessment".
ASSESSMENT = (
    r"\bassess(?:ed|ors?)\b"
    rf"|(?=assessment){_NOT_A_TOPIC}\bassessments?\b(?!{_ASSESSMENT_TOPIC_AFTER})"
    r"|\b(?:final\s+)?exam(?:s|inations?)?\b|\bquiz(?:zes)?\b|\bassignments?\b"
)
ASSESSMENT_NEEDLES = ("assess", "exam", "quiz", "assignment")
# Anything that says how a credential is earned: assessment, outcomes, or a recognised award.
ASSESSMENT_OR_OUTCOMES = re.compile(
    "|".join(
        (
            ASSESSMENT,
            r"\btests?\b|\btested\b|\bgraded?\b|\bpass(?:/fail|\s+mark)\b|\bportfolio\b",
            r"\bsubmi(?:t|ssion)\w*|\bcompetenc\w+|\bcredit\s+hours?\b",
            LEARNING_OUTCOMES,
            NATIONALLY_RECOGNISED,
            STATEMENT_OF_ATTAINMENT,
        )
    ),
    re.IGNORECASE,
)
_ATTENDED = any_of("attendance", "completion", "participation")
# A certificate for turning up (Ofqual: a certificate of attendance is not a qualification).
CERTIFICATE_OF_ATTENDANCE = re.compile(
    rf"\bcertificates?\s+of\s+{_ATTENDED}\b|\b{_ATTENDED}\s+(?:certificates?|badges?)\b"
    rf"|\b{STATEMENT_OF}participation\b",
    re.IGNORECASE,
)

# --- mill phrases and guarantees (R4, R5, R12) ----------------------------------------------

SAME_DAY = r"same[\s-]+day"
INSTANT = r"instant(?:ly)?"
SAME_DAY_CERTIFICATE = (  # a certificate before any real assessment could end (R5)
    rf"\b{SAME_DAY}\s+{CERTIFICATE}\b|\bcertificates?\s+(?:on\s+)?(?:the\s+)?{SAME_DAY}\b"
    r"|\binstant\s+certificates?\b|\bcertificates?\s+instantly\b|\bcertificates?\s+today\b"
)
LIFE_EXPERIENCE = (  # credit for life instead of study (R12)
    r"\blife[\s-]+experience\b|\bbased\s+on\s+your\s+(?:work|professional)\s+experience\b"
)
GUARANTEED_OUTCOMES = ("pass", "job", "employment")
GUARANTEE = (  # "too good to be true" inducements (R4)
    rf"\b100\s?%\s+pass(?:\s+rate)?\b|\bguaranteed?\s+{any_of(*GUARANTEED_OUTCOMES)}\b"
    rf"|\b{any_of(*GUARANTEED_OUTCOMES)}\s+guaranteed?\b"
)

# --- negation ---------------------------------------------------------------------------------

NEGATION_WORDS = (
    r"not(?!\s+only)",
    "no",
    "non",
    "never",
    "neither",
    "nor",
    r"isn'?t",
    r"aren'?t",
    r"doesn'?t",
    r"don'?t",
    "cannot",
    r"can'?t",
    r"won'?t",
)
# A negation shortly before a phrase, in its sentence: "This course is not nationally recognised".
NEGATION_GAP = 24  # at most this many characters between a negation and its phrase
NEGATION_BEFORE = re.compile(
    rf"\b{any_of(*NEGATION_WORDS)}\b[\w\s'’-]{{0,{NEGATION_GAP}}}$", re.IGNORECASE
)
# How far before a phrase a NEGATION_BEFORE match can start ("neither" is the longest word).
NEGATION_REACH = NEGATION_GAP + len("neither") + 1
NOT_INCLUDED = r"not\s+include[sd]?"
# A negation right after a phrase: "A free certificate is not included", "... is not free".
NEGATION_AFTER = re.compile(
    r"^\s+(?:is|are)\s+(?:not|never)\b"
    rf"|^\s*(?:{NOT_INCLUDED}|sold\s+separately|(?:is\s+|are\s+)?available\s+to\s+(?:buy|purchase))",
    re.IGNORECASE,
)

# --- codes (R1, R2): recorded as written, checked against the registers by scoring ---------

# Australian training packages (current and common superseded prefixes): national codes
# must start with one, which keeps product codes like "SKU12345" out.
TRAINING_PACKAGES = frozenset(
    re.findall(
        r"\w+",
        "ACM AHC AMP AUM AUR AVI BSA BSB CHC CPC CPP CSC CUA CUE CUF CUL CUS CUV DEF FBP FDF "
        "FNS FPI FWP HLT ICA ICP ICT LGA MAR MEA MEM MSA MSF MSL MSM MSS MST MTM NWP PMA PMB "
        "PMC PPM PRM PSP PUA RGR RII SFI SFL SHB SIB SIF SIH SIR SIS SIT SRC SRF SRO TAA TAE "
        "TDM TLI UEE UEG UEN UEP UET ZOO",
    )
)
# Code patterns start with one character class or a literal, the word boundary checked
# behind it: the regex engine then skips ahead to candidate characters (`[A-Z]{3}` or `\d`
# first would make it try every position, several times slower on a 40 KB page).
PACKAGE_CODE = re.compile(
    r"[A-Z](?<![\w][A-Z])[A-Z]{2}(?:SS[0-9]{5}"  # skill set: HLTSS00068
    r"|[0-9]{5}"  # qualification: BSB40120
    r"|[A-Z]{2,4}[0-9]{3,4}[A-Z]?)\b"  # unit: HLTAID011, SITXFSA005, CPCWHS1001
)
STATE_SUFFIXES = ("NAT", "VIC", "NSW", "QLD", "WA", "SA", "TAS", "ACT", "NT")
ACCREDITED_COURSE_CODE = re.compile(  # a state-accredited course: 10983NAT
    rf"[0-9](?<![\w][0-9])[0-9]{{4}}(?:{'|'.join(STATE_SUFFIXES)})\b"
)
_CODE_LABEL = r"\s*(?:No\.?|Number|Code|ID|#)?\s*[:.#-]?\s*"
RTO_CODE = re.compile(
    rf"R(?<!\wR)(?:TO\b|egistered\s+Training\s+Organi[sz]ation\b\s*[(,–-]?\s*(?:RTO|Provider)?)"
    rf"{_CODE_LABEL}(\d{{3,6}})(?![\d/])\b(?!\s+Standards)",  # not "RTO 2025 Standards"
)
CRICOS_CODE = re.compile(
    rf"\bCRICOS\b(?:\s*Provider)?{_CODE_LABEL}(\d{{5}}[A-Za-z])\b", re.IGNORECASE
)
ABN = re.compile(r"ABN(?<!\wABN)\b\s*(?:No\.?|Number)?\s*[:.#]?\s*(\d{2}(?:[\s\u00a0]?\d{3}){3})\b")


def national_codes(text: str) -> Iterator[re.Match[str]]:
    """National training codes in a text, as written: units, skill sets and qualifications of
    a training package (HLTAID011, HLTSS00068, BSB40120), then state-accredited courses."""
    for match in PACKAGE_CODE.finditer(text):
        if match.group(0)[:3] in TRAINING_PACKAGES:
            yield match
    yield from ACCREDITED_COURSE_CODE.finditer(text)


def _occurrences(haystack: str, needle: str) -> Iterator[int]:
    found = haystack.find(needle)
    while found >= 0:
        yield found
        found = haystack.find(needle, found + 1)


# --- claim phrases: what the crawler records, one `Phrase` per wording ------------------------


@dataclass(frozen=True)
class Phrase:
    """A claim wording: its kind, its pattern, how a match becomes the claim's value, and the
    lower-case needles one of which every text it can match contains."""

    kind: str
    pattern: re.Pattern[str]
    value: Callable[[re.Match[str]], str]
    needles: tuple[str, ...]
    negatable: bool = True  # a negation before or after it makes it a disclaimer


def _canonical(match: re.Match[str]) -> str:
    return " ".join(match.group(0).lower().replace("-", " ").split())


def _fixed(value: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: value


def _group(name: str) -> Callable[[re.Match[str]], str]:
    return lambda match: (match.group(name) or "").strip().rstrip(".,;:")


def _university_name(match: re.Match[str]) -> str:
    """ "Study at the University of Wollongong's Learning team" -> "University of Wollongong"."""
    words = _POSSESSIVE.sub("", match.group(0)).split()
    while len(words) > 1 and words[0] in {"The", "A", "An", "Our", "At", "Study", "With"}:
        words.pop(0)
    return " ".join(words)


_POSSESSIVE = re.compile(r"['’]s\b.*$")


def _phrase(
    kind: str,
    needles: Sequence[str],
    regex: str,
    value: Callable[[re.Match[str]], str] = _canonical,
    negatable: bool = True,
) -> Phrase:
    return Phrase(kind, re.compile(regex, re.IGNORECASE), value, tuple(needles), negatable)


_CAPITALISED = r"(?:[A-Z][\w&.'’-]*|of|and|for|the|in|&)"
# A named accrediting body: "International Accreditation Organization (IAO)".
_BODY = rf"(?-i:[A-Z][\w&.'’-]*(?:\s+{_CAPITALISED}){{0,7}}(?:\s+\([A-Z]{{2,8}}\))?)"
# Capitals before "accredited" that name no body: "FREE accredited", "FULLY accredited".
_NOT_A_BODY = ("FREE", "FULLY", "NEW", "NOW", "ALL", "OUR", "AND", "ARE", "GET", "ONLINE")

CLAIM_PHRASES: tuple[Phrase, ...] = (
    _phrase(
        "nationally_recognised",
        ["nationally"],
        NATIONALLY_RECOGNISED,
        _fixed("nationally recognised"),
    ),
    _phrase("government_approved", ["government"], GOVERNMENT_APPROVED),
    _phrase(
        "internationally_recognised",
        ["internationally", "globally", "worldwide"],
        INTERNATIONALLY_RECOGNISED,
    ),
    _phrase(  # R11: a named accreditor, checked against the lists of recognised bodies
        "accredited",
        ["accredited"],
        rf"\baccredited\s+by\s+(?:the\s+)?(?P<body>{_BODY})",
        _group("body"),
    ),
    _phrase(
        "accredited",
        ["accredited"],
        rf"\b(?-i:(?!{any_of(*_NOT_A_BODY)}\b)(?P<body>[A-Z]{{2,8}}))[\s-]+accredited\b",
        _group("body"),
    ),
    _phrase(
        "accredited",
        ["accredited"],
        r"(?<!government )(?<!government-)(?<!internationally )(?<!globally )\baccredited\b",
        _fixed(""),
    ),
    _phrase(
        "disclaimer",
        ["accredited"],
        r"\b(?:un|non-?)accredited\b",
        _fixed("accredited"),
        negatable=False,
    ),
    _phrase(  # R8: a regulator named by a provider that may not be registered with it
        "regulator",
        ["asqa", "skills"],
        r"\b(?-i:ASQA)\b|\bAustralian\s+Skills\s+Quality\s+Authority\b",
        _fixed("ASQA"),
    ),
    _phrase(
        "regulator",
        ["teqsa", "tertiary"],
        r"\b(?-i:TEQSA)\b|\bTertiary\s+Education\s+Quality\s+and\s+Standards\s+Agency\b",
        _fixed("TEQSA"),
    ),
    _phrase("regulator", ["ofqual"], r"\bOfqual\b", _fixed("Ofqual")),
    _phrase(  # R9: "university" is a protected title
        "university",
        ["university"],
        r"(?-i:\b(?:[A-Z][\w'’-]*\s+){1,4}University\b|\bUniversity\s+of(?:\s+[A-Z][\w'’-]*){1,4})",
        _university_name,
    ),
    _phrase("university", ["university"], r"\b(?:an?|our)\s+university\b"),
    _phrase(
        "same_day_certificate",
        ["certific"],
        SAME_DAY_CERTIFICATE,
        _fixed("same day certificate"),
    ),
    _phrase("life_experience", ["experience"], LIFE_EXPERIENCE, _fixed("life experience")),
    _phrase("guarantee", ["guarantee", "pass"], GUARANTEE),
    # What a value check needs: does the page state learning outcomes, and an assessment?
    _phrase(
        "learning_outcomes",
        LEARNING_OUTCOME_NEEDLES,
        LEARNING_OUTCOMES,
        _fixed("learning outcomes"),
    ),
    _phrase("assessment", ASSESSMENT_NEEDLES, ASSESSMENT, _fixed("assessment")),
)

# --- free-certificate wording (R19, data-sources.md section 3) ------------------------------

FEE_FREE = r"fee-?free"  # government "Fee-Free TAFE" (group 3): free and backed
FREE_OF_CHARGE = r"free\s+of\s+charge"
COST_NOUN = r"(?:fees?|costs?|charges?)"
# "free" that is not a price: "free trial", "free cash flow", "free will", "free shipping"...
NOT_A_PRICE_AFTER_FREE = (
    "trial",
    "cash",
    "will",
    "speech",
    "time",
    "range",
    "flow",
    "trade",
    "market",
    "software",
    "open",
    "fall",
    "energy",
    "shipping",
    "delivery",
    "postage",
    r"to\s+audit",
)
AT_NO_COST = (
    FEE_FREE,
    FREE_OF_CHARGE,
    "complimentary",
    r"costs?\s+nothing",
    rf"no[-\s]+(?:\w+\s+)?{COST_NOUN}",
    r"at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)",
)
FREE = re.compile(
    rf"\b{any_of(*AT_NO_COST)}\b"
    # "free" as a price: not "gluten-free" nor any of NOT_A_PRICE_AFTER_FREE
    rf"|(?<![-\w])free\b(?!-)(?!\s+{any_of(*NOT_A_PRICE_AFTER_FREE)})",
    re.IGNORECASE,
)
# Every match of FREE, FEE, SEPARATE_FEE and NO_COST holds one of these words, searched in
# lower case ("feedback", "coffee", "freedom" and "costume" are no cost words). Each
# starts with a literal, so a scan skips ahead as fast as `str.find`; one alternation of
# them all would try every "c" and "f" of a page.
COST_WORDS = tuple(
    re.compile(word)
    for word in (
        r"free\b",
        r"fee(?<![a-z]fee)s?\b",
        r"cost(?<![a-z]cost)s?\b",
        r"charge(?<![a-z]charge)[sd]?\b",
        "complimentary",
    )
)
NOT_FREE = re.compile(r"\bnot\s+(?:\w+\s+)?free\b", re.IGNORECASE)
# "free" that buys access only, the certificate still sold (groups 1-2: Coursera, edX, Alison).
ACCESS_VERBS = (r"audit", r"enrol+", "join", r"sign\s*up", "register", "access", "try", "start")
FREE_ACCESS_NOUNS = ("audit", "access", "trial", r"enrol\w*", "join", "preview")
ACCESS_FREE = re.compile(
    rf"\b{any_of(*ACCESS_VERBS)}\w*\s+(?:\w+\s+){{0,2}}?(?:for\s+)?free\b"
    rf"|\bfree\s+(?:to\s+)?{any_of(*FREE_ACCESS_NOUNS)}\w*",
    re.IGNORECASE,
)
PAYMENT_WORDS = (
    "pay",
    "pays",
    "paid",
    "paying",
    r"purchas(?:e|es|ed|able|ing)",
    "buy",
    "buying",
    "bought",
    r"upgrad(?:e|es|ed|ing)",
    r"charged?",
    "subscription",
    r"verified\s+track",  # edX's paid track
    r"extra\s+cost",
    r"costs?\s+extra",
)
PAID = re.compile(rf"\b{any_of(*PAYMENT_WORDS)}\b", re.IGNORECASE)
# One of these is in every PAYMENT_WORDS match ("verified track", "extra cost").
PAYMENT_NEEDLES = (
    "pay",
    "paid",
    "purchas",
    "buy",
    "bought",
    "upgrad",
    "charge",
    "subscri",
    "verified",
    "cost",
)
FEE = re.compile(r"\bfees?\b(?!-)", re.IGNORECASE)
# Wording that rules a cost out, removed before looking for a cost ("at no extra charge").
NO_COST = re.compile(
    rf"\b(?:no|zero|without)[-\s]+(?:\w+\s+){{0,2}}?{COST_NOUN}\b"
    rf"|\b{FEE_FREE}\b|\b{FREE_OF_CHARGE}\b",
    re.IGNORECASE,
)
# Fees named away from the certificate noun ("Free certification, then a $499 exam fee").
SEPARATE_FEE_NAMES = (
    "processing",
    r"exam\w*",
    "assessment",
    r"admin\w*",
    r"certificat\w*",
    r"issu\w*",
    "postage",
    "shipping",
)
SEPARATE_FEE = re.compile(rf"\b{any_of(*SEPARATE_FEE_NAMES)}\s+fees?\b", re.IGNORECASE)
# One of these is in every NEGATED_CREDENTIAL match ("not", "isn't", "excluding").
NEGATION_NEEDLES = ("no", "without", "exclud", "n't")
# "certificate not included", "no certificate", "certificates are not free"; but not "no
# certificate fee" (a price) nor "no qualifications required" (an entry rule).
NEGATED_CREDENTIAL = re.compile(
    rf"\b(?:no|without|excludes?|excluding|{NOT_INCLUDED})\s+(?:\w+\s+){{0,2}}{CREDENTIAL_WORD}"
    rf"(?!\s+(?:{COST_NOUN}|(?:are\s+|is\s+)?(?:needed|required|necessary))\b)"
    rf"|{CREDENTIAL_WORD}\s+(?:\w+\s+){{0,2}}(?:not|n't|isn't|aren't)\b",
    re.IGNORECASE,
)
CURRENCY_SYMBOLS = ("US$", "A$", "AU$", "NZ$", "C$", "$", "€", "£")
CURRENCY_CODES = ("EUR", "USD", "AUD", "GBP", "NZD", "CAD", "INR")
CURRENCY_MARKERS = CURRENCY_SYMBOLS + CURRENCY_CODES  # written before or after the amount
CURRENCY_WORDS = ("dollars", "euros", "pounds")  # written after the amount
_CURRENCY = any_of(*map(re.escape, CURRENCY_MARKERS))
# "US$219", "$49", "EUR 30", "30 EUR", "£10.50", "$1,490.00 AUD" (one amount, not two).
_THOUSANDS_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_AMOUNT = rf"{_THOUSANDS_AMOUNT}|\d+(?:[.,]\d+)?"
MONEY = re.compile(
    rf"{_CURRENCY}\s?(?P<amount>{_AMOUNT})"
    rf"|(?<![\d.,])(?P<amount_after>{_AMOUNT})\s?{any_of(_CURRENCY, *CURRENCY_WORDS)}\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# One of these is in every MONEY match, lower-cased.
_CURRENCY_NEEDLES = tuple({marker.lower() for marker in CURRENCY_MARKERS} | set(CURRENCY_WORDS))
# Where a zero amount can start ("$0", "0 AUD", "0.00 EUR"): a 0 after no digit, dot or comma.
_ZERO = re.compile(r"0(?<![\d.,]0)[0.,]*(?![\d])")
_THOUSANDS = re.compile(_THOUSANDS_AMOUNT)
# Clause boundaries: sentence ends, semicolons, commas, dashes between words, new lines.
# Parentheses stay inside their clause: "Completion badge (free)" is one statement.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?])\s+|[;\n]|,\s+|\s+[-–—]\s+")
# A clause break inside a sentence (a comma or a dash): the sentence's subject carries on.
_IN_SENTENCE = re.compile(r"\s*[,\-–—]")
# A clause that is only a predicate, its subject named earlier in the sentence: "..., is not
# free", "..., costs extra", "..., must be purchased", "..., but is sold separately".
_PREDICATE_ONLY = re.compile(
    r"(?:(?:but|and|yet|though)\s+)?(?:is|are|was|were|will|won'?t|isn'?t|aren'?t|costs?|comes?"
    r"|must|can|cannot|can'?t|requires?|needs?|has|have|not|only)\b",
    re.IGNORECASE,
)
# That predicate denies the credential: "is not free", "isn't included", "won't be issued".
NOT_GIVEN = re.compile(
    r"(?:\bnot|\bnever|n't|\bcannot)\s+(?:\w+\s+){0,2}?"
    r"(?:free|included|provided|offered|available|issued|given)\b",
    re.IGNORECASE,
)
# Words beside a free offer that change what it is worth, tagged in the verdict's context.
CONTEXT_WORDS: dict[str, re.Pattern[str]] = {
    "accredited": re.compile(ACCREDITATION, re.IGNORECASE),
    "internationally_recognised": re.compile(INTERNATIONALLY_RECOGNISED, re.IGNORECASE),
    "nationally_recognised": re.compile(
        f"{NATIONALLY_RECOGNISED}|{STATEMENT_OF_ATTAINMENT}", re.IGNORECASE
    ),
    "government_fee_free": re.compile(
        rf"\b{FEE_FREE}\b|\bgovernment[- ](?:funded|subsidi[sz]ed)\b", re.IGNORECASE
    ),
    "cpd": re.compile(CPD),
    "instant_certificate": re.compile(rf"\b{INSTANT}\b|\b{SAME_DAY}\b", re.IGNORECASE),
    "badge_or_microcredential": re.compile(
        rf"\b{BADGE}\b|\b{MICRO_CREDENTIAL}\b|\bdigital\s+credentials?\b", re.IGNORECASE
    ),
}
# Recognition wording right next to "free": the scam pattern of group 5.
_RECOGNITION_NEXT_TO_FREE = ("accredited", "internationally_recognised")


def money_amounts(text: str) -> list[tuple[float, str]]:
    """Every stated amount of money with its quoted span; "1,490" is thousands, "14,99" cents."""
    if not _DIGIT.search(text) or not _contains_any(text.lower(), _CURRENCY_NEEDLES):
        return []  # the common case, found far cheaper than by MONEY's scan
    found = []
    for match in MONEY.finditer(text):
        amount = match.group("amount") or match.group("amount_after")
        number = amount.replace(",", "" if _THOUSANDS.fullmatch(amount) else ".")
        found.append((float(number), match.group(0)))
    return found


@dataclass(frozen=True)
class FreeCertificate:
    """The verdict on "do these texts promise a free certificate", with the clause it rests on.

    `where` is (index of the text, start, end) of `evidence` in that text; None when the
    evidence is the price rather than words. `disclaimed`: the texts talk of free but say
    the certificate itself is not free (negated or sold), which the crawler records as a
    disclaimer. `context` tags the words beside the offer (accredited, fee-free, CPD...).
    """

    free: bool
    reason: str
    evidence: str = ""
    where: tuple[int, int, int] | None = None
    disclaimed: bool = False
    texts: tuple[str, ...] = field(default=(), repr=False, compare=False)
    clauses: tuple[_Clause, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def context(self) -> tuple[str, ...]:
        """Computed on first use: the flags want it, the crawler's claims do not."""
        text = " ".join(self.texts)
        tags = [name for name, pattern in CONTEXT_WORDS.items() if pattern.search(text)]
        if any(c.paid for c in self.clauses):
            tags.append("certificate_sold_separately")
        free_texts = " ".join(c.text for c in self.clauses if c.free)
        if any(CONTEXT_WORDS[name].search(free_texts) for name in _RECOGNITION_NEXT_TO_FREE):
            tags.append("recognition_claim_next_to_free")
        return tuple(tags)


@dataclass(frozen=True)
class _Clause:
    """One short statement of a text, read once for every question the verdict asks."""

    text: str
    where: tuple[int, int, int]
    credential: bool
    free: bool
    paid: bool
    negated: bool
    mentions_free: bool


def judge_free_certificate(
    texts: Sequence[str],
    price: float | None = None,
    price_text: str = "",
    *,
    one_offering: bool = True,
) -> FreeCertificate:
    """Whether a listing (its texts, title first; its price) promises a certificate, badge or
    statement at no cost. A paid or missing certificate anywhere, or a price above zero,
    outweighs any "free" wording; "free to audit" buys access, not the certificate.

    `one_offering=False` reads a page about many things (a home or catalogue page): "free"
    and a certificate then count together only in the same clause, since a "Free(341)"
    filter and a "Certificate IV" link elsewhere on it are about different courses.
    """
    texts = tuple(texts)
    if not one_offering and not any(_speaks_of_cost(text) for text in texts):
        # a page promises nothing free, nor takes it back, without a word of cost
        return FreeCertificate(False, "no word of cost", texts=texts)
    parsed = tuple(clause for index, text in enumerate(texts) for clause in _clauses(index, text))
    against = next((c for c in parsed if c.paid or c.negated), None)
    return replace(
        _verdict(parsed, against, price, price_text, one_offering),
        disclaimed=against is not None and any(c.mentions_free for c in parsed),
        texts=texts,
        clauses=parsed,
    )


def _verdict(
    parsed: tuple[_Clause, ...],
    against: _Clause | None,
    price: float | None,
    price_text: str,
    one_offering: bool,
) -> FreeCertificate:
    if against is not None:
        why = "no certificate, or not a free one" if against.negated else "certificate costs extra"
        return _resting_on(against, False, why)
    stated = _stated_price(price, price_text)
    if stated:
        return FreeCertificate(False, f"the learner pays {stated[0]:g}", stated[1])
    direct = next((c for c in parsed if c.credential and c.free), None)
    if direct is not None:
        return _resting_on(direct, True, "certificate offered free")
    credential = next((c for c in parsed if c.credential), None)
    if credential is None:
        return FreeCertificate(False, "no certificate, badge or statement mentioned")
    if not one_offering:
        return FreeCertificate(False, "no clause offers a certificate free")
    free_cost = next((c for c in parsed if c.free), None)
    awarded = CREDENTIAL.search(credential.text).group(0)
    if free_cost is not None:
        return _resting_on(free_cost, True, f"free listing that awards a {awarded}")
    if price == 0:
        return _resting_on(credential, True, f"price 0 and a {awarded} awarded")
    return FreeCertificate(False, "nothing says the certificate is free")


def _resting_on(clause: _Clause, free: bool, reason: str) -> FreeCertificate:
    return FreeCertificate(free, reason, clause.text, clause.where)


def _stated_price(price: float | None, price_text: str) -> tuple[float, str] | None:
    """A price above zero, from the price itself or money written in its text ("AUD 49")."""
    if price is not None:
        return (price, f"{price:g}") if price > 0 else None
    return next(((a, t) for a, t in money_amounts(price_text) if a > 0), None)


def _clauses(index: int, text: str) -> Iterator[_Clause]:
    """The clauses of a text that mention a credential, a cost or an amount, in order. A
    clause with no subject of its own ("The certificate, which is issued after you pass,
    is not free") speaks of the credential an earlier clause of its sentence names."""
    for start, end in _needle_segments(text):
        part_start, credential_named = start, False
        for match in (*_CLAUSE_BREAK.finditer(text, start, end), None):
            part_end = end if match is None else match.start()
            for clause in _clause(index, text, part_start, part_end, credential_named):
                credential_named = credential_named or clause.credential
                yield clause
            if match is not None:
                part_start = match.end()
                credential_named = credential_named and bool(_IN_SENTENCE.match(match[0]))


def _needle_segments(text: str) -> list[tuple[int, int]]:
    """Spans of the lines holding a needle, each widened to the whitespace before it and
    its closing newline: a clause break never reaches further, so each span splits into
    clauses exactly as the whole text would. A page of 1,500 clauses has a dozen such lines.
    """
    lower = text.lower()
    if len(lower) != len(text):  # "İ" lower-cases to two characters: offsets would drift
        return [(0, len(text))]
    hits = sorted(_needle_hits(lower))
    segments: list[tuple[int, int]] = []
    for found in hits:
        if segments and found < segments[-1][1]:
            continue  # on a line already taken
        line_start = text.rfind("\n", 0, found) + 1
        line_end = text.find("\n", found)
        widened = line_start
        while widened > 0 and text[widened - 1].isspace():
            widened -= 1
        segments.append((widened, len(text) if line_end < 0 else line_end + 1))
    return segments


def _needle_hits(lower: str) -> Iterator[int]:
    """Where a clause the verdict can use may be: at a credential noun, a cost word or a zero
    amount. A clause with none of them reads as "nothing" on every question."""
    for needle in CREDENTIAL_NEEDLES:
        yield from _occurrences(lower, needle)
    yield from _cost_hits(lower)


def _speaks_of_cost(text: str) -> bool:
    return next(_cost_hits(text.lower()), None) is not None


def _cost_hits(lower: str) -> Iterator[int]:
    """Where a cost word or a zero amount ("$0", "0.00 AUD") is: no "free" without one."""
    for word in COST_WORDS:
        for match in word.finditer(lower):
            yield match.start()
    for match in _ZERO.finditer(lower):
        # MONEY puts at most 4 characters of currency before the zero, 9 after it
        around = lower[max(0, match.start() - 4) : match.end() + 9]
        if any(amount == 0 for amount, _ in money_amounts(around)):
            yield match.start()


def _clause(
    index: int, text: str, start: int, end: int, credential_named: bool
) -> Iterator[_Clause]:
    part = text[start:end]
    stripped = part.strip()
    if stripped:
        offset = start + len(part) - len(part.lstrip())
        yield _read_clause(stripped, (index, offset, offset + len(stripped)), credential_named)


def _read_clause(text: str, where: tuple[int, int, int], credential_named: bool = False) -> _Clause:
    """Each question is asked only when the clause holds one of its needles, and the money
    in it is read once. `credential_named`: an earlier clause of the sentence names a
    credential, so a clause that is only a predicate ("is not free", "costs extra") is about
    it."""
    lower = text.lower()
    names_credential = _contains_any(lower, CREDENTIAL_NEEDLES)
    credential = names_credential and bool(CREDENTIAL.search(text))
    of_named = credential_named and not credential and bool(_PREDICATE_ONLY.match(text))
    cost_words = any(word.search(lower) for word in COST_WORDS)
    amounts = [amount for amount, _ in money_amounts(text)]
    says_free = cost_words and bool(FREE.search(text))
    if "free" in lower:  # "free" that buys access only is no price
        cost_text = ACCESS_FREE.sub(" ", text)
        free = (cost_words and bool(FREE.search(cost_text))) or _zero_amount(cost_text)
        free = free and not NOT_FREE.search(text)
    else:
        free = says_free or 0 in amounts
    return _Clause(
        text=text,
        where=where,
        credential=credential,
        free=free,
        paid=_asks_for_money(
            text,
            lower,
            cost_words=cost_words,
            about_credential=credential or of_named,
            amounts=amounts,
        ),
        negated=(
            names_credential
            and _contains_any(lower, NEGATION_NEEDLES)
            and bool(NEGATED_CREDENTIAL.search(text))
        )
        or (of_named and bool(NOT_GIVEN.search(text))),
        mentions_free=says_free or 0 in amounts,
    )


def _zero_amount(text: str) -> bool:
    return "0" in text and any(amount == 0 for amount, _ in money_amounts(text))


def _asks_for_money(
    text: str, lower: str, *, cost_words: bool, about_credential: bool, amounts: list[float]
) -> bool:
    """Pay/upgrade/purchase, a fee or an amount above 0 in a credential clause; elsewhere only
    a named fee ("exam processing fee") or a fee with an amount counts against the certificate.
    """
    if not (about_credential or cost_words):
        return False
    cost_text = NO_COST.sub(" ", text) if cost_words else text
    fee = cost_words and bool(FEE.search(cost_text))
    amount = any(value > 0 for value in amounts)
    if about_credential:
        paying = _contains_any(lower, PAYMENT_NEEDLES) and bool(PAID.search(cost_text))
        return paying or fee or amount
    return bool(SEPARATE_FEE.search(cost_text)) or (fee and amount)
