"""Provider-name normalisation: the one place that decides when two spellings are the same name.

Register names and learner input differ in case, accents, punctuation, `&`/`and`, legal
suffixes ("Pty Ltd", "as trustee for ..."), a leading "The" or the register's trailing
", The", bracketed abbreviations, "University of X" vs "X University", and marketing or
campus words around a brand ("Study Online with X", "X - Melbourne CBD"). Every function
here is pure and cheap, because the matcher calls them for every input and every register name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Trailing tokens that only say what kind of legal person it is, not which one.
LEGAL_SUFFIXES = frozenset(
    """
    pty ltd limited inc incorporated proprietary co corp corporation llc plc p l assoc
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
# Words that carry no identity: dropped from blocking keys and token coverage.
STOPWORDS = frozenset(["of", "and", "the", "for", "at", "in", "on", "a", "an"])
_STOPWORD_LETTERS = frozenset("".join(sorted(word)) for word in STOPWORDS)
# Suffixes whose letter-swapped typos are no other word a provider name ends with.
_SUFFIX_LETTERS = frozenset(
    "".join(sorted(word)) for word in ("pty", "ltd", "limited", "inc", "incorporated")
)
# Campus, city and channel words a brand gets suffixed with ("Metro Institute Melbourne",
# "Baxter Institute - Melbourne CBD", "Queens College Online"); stripped from the END only.
LOCATION_WORDS = frozenset(
    """
    sydney melbourne brisbane perth adelaide hobart darwin canberra cbd campus online
    geelong newcastle wollongong gold coast sunshine cairns townsville toowoomba ballarat
    bendigo parramatta launceston nsw vic qld wa sa tas nt act victoria queensland tasmania
    south western northern territory new wales australian capital main city north east west
    southbank docklands ultimo haymarket chatswood footscray fortitude valley surfers
    paradise
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
# Marketing lead-ins put before a provider's name on course pages and platform listings.
LEAD_INS = (
    "study online with",
    "short courses at",
    "short courses from",
    "micro credentials by",
    "micro credentials from",
    "online courses from",
    "online courses by",
    "courses by",
    "courses from",
    "learn online with",
    "learn with",
)

_TRUSTEE = re.compile(r"\b(?:as\s+(?:the\s+)?trustees?\s+for|atf)\b.*$", re.IGNORECASE)
_TRADING_AS = re.compile(r"\s+(?:t/a|trading\s+as)\s+", re.IGNORECASE)
_ACN = re.compile(r"\b(?:acn|abn)\s*[\d\s]{9,14}\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_APOSTROPHE = re.compile(r"['\u2019\u2018`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_UNIVERSITY_OF = re.compile(r"^university of (.+)$")
_X_UNIVERSITY = re.compile(r"^(.+) university$")


def fold(text: str) -> str:
    """Lower case, accents removed ("Grŵp" -> "grwp"), `&` spelled out, punctuation to spaces."""
    if text.isascii():  # most names: nothing to decompose (and the loop below is the cost)
        ascii_text = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = _APOSTROPHE.sub("", ascii_text.replace("&", " and "))
    return " ".join(_NON_WORD.split(ascii_text)).strip()


def trading_parts(raw: str) -> list[str]:
    """ "A Pty Ltd t/a B" names two things: the legal person and its trading name."""
    return [part for part in _TRADING_AS.split(raw) if part.strip()]


@lru_cache(maxsize=200_000)
def normalise(raw: str, *, keep_brackets: bool = False) -> str:
    """The comparable form of one name: "The Management Edge Pty Ltd" -> "management edge".

    Bracketed text ("(Aust)", "(UNSW)") is dropped unless `keep_brackets`, where it stays
    as plain words so "VOCATIONAL EDUCATION AND TRAINING (BRIT)" keeps its own identity.
    """
    text = _TRUSTEE.sub("", raw)
    text = _ACN.sub(" ", text)
    text = text.replace("(", " ").replace(")", " ") if keep_brackets else _BRACKETED.sub(" ", text)
    folded = fold(text)
    if folded.endswith(" the"):  # the register's "Training Group Pty Ltd, The"
        folded = folded[: -len(" the")]
    tokens = _drop_legal_suffixes(folded.split())
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    if tokens and tokens[-1] == "the":
        tokens.pop()
    return " ".join(_drop_legal_suffixes(tokens))


def _drop_legal_suffixes(tokens: list[str]) -> list[str]:
    """Trailing "pty ltd"s go, unless that would leave a dangling "of" ("University of CO")."""
    tokens = list(tokens)
    while len(tokens) > 1 and _is_legal_suffix(tokens[-1]) and tokens[-2] not in STOPWORDS:
        tokens.pop()
    return tokens


def _is_legal_suffix(token: str) -> bool:
    """ "ltd", and its swapped-letter typos "tld", "pyt", "lmiited", which a learner makes too."""
    return token in LEGAL_SUFFIXES or (len(token) >= 3 and _letters(token) in _SUFFIX_LETTERS)


def register_forms(raw: str) -> list[str]:
    """Every comparable form of one register name (with and without its bracketed part)."""
    forms: list[str] = []
    for part in trading_parts(raw):
        for form in (normalise(part), normalise(part, keep_brackets=True)):
            if form and form not in forms:
                forms.append(form)
    return forms


def without_lead_in(form: str) -> str:
    """ "study online with global institute" -> "global institute"."""
    for lead_in in LEAD_INS:
        if form.startswith(lead_in + " "):
            return form[len(lead_in) + 1 :]
    return form


def without_location(form: str) -> list[str]:
    """Shorter and shorter forms without trailing campus words, each with legal suffixes dropped.

    "southern queensland university melbourne" -> ["... queensland university", ...]: one word
    at a time, so a place that belongs to the name ("University of Southern Queensland")
    is found before it is cut; never strips the whole name or leaves a dangling "of".
    """
    tokens = form.split()
    shorter: list[str] = []
    while len(tokens) > 1 and tokens[-1] in LOCATION_WORDS and tokens[-2] not in STOPWORDS:
        tokens.pop()
        shorter.append(" ".join(_drop_legal_suffixes(tokens)))
    return shorter


def university_swap(form: str) -> str | None:
    """ "university of arkansas" <-> "arkansas university": the two orders people use."""
    if match := _UNIVERSITY_OF.match(form):
        return f"{match.group(1)} university"
    if match := _X_UNIVERSITY.match(form):
        return f"university of {match.group(1)}"
    return None


def query_variants(raw: str) -> tuple[list[str], dict[str, str]]:
    """The input's exact forms, and weaker variants each with the rule that made it.

    Exact forms (with its bracketed part, then without) are tried first; variants only when
    they find nothing, so "Melbourne City College Australia" is never cut down to a different
    provider and "... (BRIT)" picks the one namesake whose register name carries "(BRIT)".
    """
    exact = list(
        dict.fromkeys(f for f in (normalise(raw, keep_brackets=True), normalise(raw)) if f)
    )
    plain = normalise(raw)
    variants: dict[str, str] = {}
    candidates = [(without_lead_in(plain), "lead-in words removed")]
    for source in dict.fromkeys((plain, without_lead_in(plain))):
        candidates += [(form, "campus/city words removed") for form in without_location(source)]
    for form, rule in candidates:
        if form and form not in exact:
            variants.setdefault(form, rule)
    for form in [*exact, *variants]:
        swapped = university_swap(form)
        if swapped and swapped not in exact:
            variants.setdefault(swapped, "'University of X' reordered")
    return exact, variants


def acronym_prefix(raw: str) -> str | None:
    """Leading upper-case words of a mixed-case name: "TAFE NSW - Sydney Institute" -> "tafe nsw".

    A brand people type on its own; only runs of two or more words count, because a
    single leading acronym ("UQ College") is too often another provider's alias.
    """
    words = re.split(r"[\s\-\u2013]+", raw.strip())
    prefix: list[str] = []
    for word in words:
        letters = re.sub(r"[^A-Za-z]", "", word)
        if len(letters) >= 2 and letters.isupper():
            prefix.append(letters)
        else:
            break
    if len(prefix) < 2 or len(prefix) == len([w for w in words if w]):
        return None
    return fold(" ".join(prefix))


INITIALS_MIN_WORDS = 3  # "Charles Darwin University" -> "cdu"; two-word names give too many
# Only universities are known by initials often enough to guess them: the initials of a
# company name ("Right Move Training Institute" -> "rmti") are mostly a typo of another's.
INITIALS_OF = "university"


def initials(raw: str) -> str | None:
    """The initialism people use for a university: "The University of Western Australia" ->
    "uwa". First letters of the identifying words (stopwords and legal suffixes dropped),
    only for university names of three or more such words, so "cdu" exists but "ab" never."""
    tokens = content_tokens(normalise(raw))
    if len(tokens) < INITIALS_MIN_WORDS or INITIALS_OF not in tokens:
        return None
    if any(not token[0].isalpha() for token in tokens):
        return None
    return "".join(token[0] for token in tokens)


def content_tokens(form: str) -> list[str]:
    """Words that identify a provider: stopwords removed, also when typed "fo", "adn", "teh",
    and legal-form words wherever they stand ("Pilkington Australia Ltd Automotive Division")."""
    return list(_content_tokens(form))


@lru_cache(maxsize=200_000)
def _content_tokens(form: str) -> tuple[str, ...]:
    """Cached: the fuzzy matcher asks for the same register forms' words thousands of times."""
    return tuple(
        token
        for token in form.split()
        if _letters(token) not in _STOPWORD_LETTERS and not _is_legal_suffix(token)
    )


def _letters(token: str) -> str:
    """A word's letters in order: two words with the same letters differ by swapped letters."""
    return "".join(sorted(token))
