"""OVER_NICHE: the credential certifies one trivial micro-behaviour or one button of one tool.

`niche_score` in [0, 1] is a transparent sum of signed signals (skill-signals.md): the title's
structure (an act + a concrete object + a narrowing phrase; a product + one feature; one
particular thing rather than a class of things; an act is a verb form by lemminflect's offline
tables, read through a frame such as "How to ..." or "The Art of ..." and with its object first
as in "Spoon Holding"), what kind of words it uses (classroom/office objects, niceties vs fields
of knowledge, an abstraction as the act's object), how everyday those words are (wordfreq Zipf,
a compound read by its halves), who and when (your own things, one moment of the day) against an
occupation or a purpose stated, the stated duration (weak), how many other offerings of the same
input share its subject terms, and national unit codes or licences, which mark narrow-but-
valuable units. Each signal's weight is documented on the function that adds it; every signal is
kept with its evidence, and the two strongest name the flag's reason. The flag is raised at
`THRESHOLD`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from wordfreq import zipf_frequency

from credwatch.core.wording import RECOGNISED_UNIT, national_codes
from scoring.flags import niche_words as words
from scoring.flags.listing import Listing
from scoring.flags.model import FlagHit, NicheSignal

RULE_ID = "OVER_NICHE"
THRESHOLD = 0.5

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
# The last prepositional phrase of a title: "Checking for Understanding [Using Gestures]".
_TAIL = re.compile(
    r"^(?P<head>.*\S)\s+(?P<tail>(?P<prep>using|with|via|at|on|in|into|to|for|while|from)"
    r"\s+(?P<object>[^:]+?))\s*$",
    re.IGNORECASE,
)
_INSTRUMENT_PREPOSITIONS = frozenset({"using", "with", "via"})
_PREFIX = re.compile(r"^(?P<prefix>[^:]{1,40}):\s*(?P<rest>.+)$")
_PLEASANTRY = re.compile(r"\b(?:" + "|".join(map(re.escape, words.PLEASANTRIES)) + r")\b")
_MAX_TAIL_WORDS = 3
_MAX_NAME_PREFIX_WORDS = 2
_MAX_OBJECT_FIRST_WORDS = 3
# Words that follow a phrasal verb before its object: "Picking *Up* Litter", "Hand *In* Forms".
_PARTICLES = frozenset({"up", "off", "in", "out", "on", "down", "back", "away"})
_INFINITIVE_FRAME = re.compile(
    r"^(?:(?:(?:knowing|learning)\s+)?(?:how|when|where|what)"
    r"|(?:don['’]?t\s+)?(?P<catenative>[A-Za-z]+))\s+to\s+"
    r"(?P<verb>[A-Za-z]+)(?P<rest>\b.*)$",
    re.IGNORECASE,
)
# Verbs that take another act as their complement ("Remembering to Feed", "Stop Smoking"): a
# closed class of English verbs of memory, learning and phase. They frame an act, never are it.
_CATENATIVES = frozenset(
    {"remember", "learn", "forget", "try", "start", "begin", "stop", "keep", "quit", "finish"}
)
_GERUND_FRAME = re.compile(
    r"^(?:(?:the|an?)\s+)?(?:(?P<art>art)|(?P<word>[A-Za-z]+))\s+(?:of|to)\s+"
    r"(?P<verb>[A-Za-z]+ing)(?P<rest>\b.*)$",
    re.IGNORECASE,
)
_BROAD_SUBJECT_OTHERS = 5
_MIN_CORPUS_FOR_BREADTH = 20
# Zipf frequency (wordfreq, log10 of uses per billion English words): "door" 5.1, "chair" 4.7,
# "kettle" 3.5, "suture" 3.0, "tourniquet" 2.5, "nasogastric" 1.7. A title whose rarest word is
# still common names an everyday thing; one rare word is usually the specialism it teaches.
EVERYDAY_ZIPF = 4.0
COMMON_ZIPF = 3.5
SPECIALIST_ZIPF = 3.0
_MIN_COMPOUND_PART = 3
_POSSESSIVES = frozenset({"your", "yours", "yourself"})
# A time clause after the act: "Before Recess", "After a Meeting", "While Explaining", "At the
# End of the Day".
_MOMENT = re.compile(
    r"\b(?:before|after|when|whenever|while|during|at\s+the\s+(?:start|end|beginning)\s+of)"
    r"\s+\S.*$",
    re.IGNORECASE,
)
# An act on one particular thing: "Folding a", "Picking Up the", "Hanging Your" (+ a noun).
_ONE_THING = re.compile(
    r"\S+\s+(?:(?:up|off|in|out|on|down|back)\s+)?(?:a|an|the|your)\s+\S+", re.IGNORECASE
)
# "to" + a word + more words: an infinitive of purpose when the word is a verb.
_TO_WORD = re.compile(r"\bto\s+(?P<word>[A-Za-z]+)\s+\S.*$", re.IGNORECASE)
# A noun formed to name an abstraction: a process, a quality, a relation ("Objections",
# "Expectations", "Resilience", "Partnerships"); long enough not to be a plain word ("fence").
_ABSTRACT_NOUN = re.compile(r"^\w{4,}(?:tion|sion|ment|ness|ity|ities|ship|ism|ance|ence)s?$")
# The learner's role: "as a Dispatcher", "as an Interpreter".
_ROLE = re.compile(r"\bas\s+an?\s+[A-Za-z].*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Title:
    """A title taken apart once: product prefix, the rest, its words and its last phrase."""

    text: str
    product: str  # "Excel" in "Excel: Changing the Font Colour", else ""
    rest: str  # the title after a product prefix
    tokens: tuple[str, ...]  # lower-case words of `rest`
    tail: re.Match[str] | None  # the last prepositional phrase of `rest`

    @classmethod
    def parse(cls, title: str) -> _Title:
        match = _PREFIX.match(title)
        product, rest = "", title
        if match and _is_product_prefix(match["prefix"]):
            product, rest = match["prefix"].strip(), match["rest"].strip()
        rest = _object_first(_unframed(rest))
        return cls(title, product, rest, tuple(_tokens(rest)), _TAIL.match(rest))

    @property
    def body(self) -> str:
        """The title less any frame around its act: what its words are judged on."""
        return f"{self.product}: {self.rest}" if self.product else self.rest

    @property
    def lead(self) -> str:
        """The first word when it is an act, else "". An -ing form of a verb is one unless it
        names a field or thing ("Nursing Practice"); either kind, and a listed verb in its
        base form, is one when a determiner follows, as only a verb takes an object that way
        ("*Lighting a* Candle", "*Hand In Your* Form", not "Hand Hygiene")."""
        if not self.tokens:
            return ""
        first = self.tokens[0]
        takes_object = len(self.tokens) > 1 and (
            self.tokens[1] in words.DETERMINERS or self.tokens[1] in _PARTICLES
        )
        if _is_gerund(first) or (takes_object and _is_action(first)):
            return first
        if takes_object and first.endswith("ing") and _verb_lemma(first) not in ("", first):
            return first
        return ""

    @property
    def tool_variant_head(self) -> str:
        """The act a tool-narrowed title certifies ("checking for understanding"), else ""."""
        if not self.lead or not self.tail or not _is_tool_tail(self.tail):
            return ""
        return " ".join(_tokens(self.tail["head"]))


@dataclass(frozen=True)
class SubjectCorpus:
    """Corpus-level counts over one input: offerings per subject term and per tool-narrowed act."""

    offerings_per_term: Counter[str]
    offerings_per_head: Counter[str]
    size: int

    @classmethod
    def from_titles(cls, titles: Iterable[str]) -> SubjectCorpus:
        terms: Counter[str] = Counter()
        heads: Counter[str] = Counter()
        size = 0
        for title in titles:
            terms.update(set(subject_terms(_Title.parse(title).body)))
            head = _Title.parse(title).tool_variant_head
            heads.update([head] if head else [])
            size += 1
        return cls(terms, heads, size)


def subject_terms(title: str) -> list[str]:
    """Content words naming what a title is about: no stopwords, acts or course boilerplate."""
    return [
        token
        for token in _tokens(title)
        if token not in words.STOPWORDS
        and token not in words.GENERIC_COURSE_WORDS
        and not _is_action(token)
        and not token.isdigit()
    ]


def flag_over_niche(
    listing: Listing, corpus: SubjectCorpus
) -> tuple[FlagHit, float, tuple[NicheSignal, ...]]:
    """(OVER_NICHE verdict, niche_score, the signals that made the score)."""
    title = _Title.parse(listing.title)
    signals = [
        *_structure_signals(title),
        *_vocabulary_signals(title),
        *_everyday_word_signals(title),
        *_routine_signals(title),
        *_duration_signals(listing.duration_hours),
        *_breadth_signals(listing.title, corpus),
        *_series_signals(title, corpus),
        *_recognition_signals(listing),
    ]
    score = round(min(1.0, max(0.0, sum(signal.weight for signal in signals))), 3)
    raised = score >= THRESHOLD
    drivers = sorted((s for s in signals if s.weight > 0), key=lambda s: -s.weight)
    reason = ", ".join(f"{s.name} {s.evidence_text!r}" for s in drivers[:2]) or "no niche signal"
    evidence = listing.title if raised else ""
    return (
        FlagHit(RULE_ID, 1 if raised else 0, f"{reason} ({score:.2f})", evidence),
        score,
        tuple(signals),
    )


def _tokens(text: str) -> list[str]:
    return [token.lower().strip("'’") for token in _TOKEN.findall(text)]


@cache
def _verb_lemma(token: str) -> str:
    """The verb a word is a form of, "" for a word that is no verb form ("stapling" -> "staple",
    "morning" -> ""), from lemminflect's tables, which its wheel ships. Imported on first use:
    loading the tables costs about half a second, and commands that never flag an offering
    (`credwatch check`) import this module without needing them."""
    from lemminflect import getAllLemmas, getAllLemmasOOV  # deferred on purpose, see above

    known = getAllLemmas(token)
    if not known and token.endswith("ing"):  # a word it lacks ("unmuting"): read by its rules
        known = getAllLemmasOOV(token, "VERB")
    lemmas = known.get("VERB", ())
    return lemmas[0] if lemmas else ""


def _is_gerund(token: str) -> bool:
    """An -ing form of a real verb ("muting"), not a noun ("ceiling") or a field ("nursing")."""
    return (
        token.endswith("ing")
        and _verb_lemma(token) not in ("", token)
        and token not in words.NOMINAL_ING
    )


def _is_product_prefix(prefix: str) -> bool:
    """A product named before a colon: a listed one ("Excel", "Google Meet"), or one or two
    capitalised names that are no field, course word or act ("Spotify:", "Jira:"): a title
    heading itself with a bare proper name is about one tool. "Digital Skills:", "Engaging
    Students:", "Irish 201:" and "Mergers and Acquisitions:" are not names of that kind."""
    tokens = _tokens(prefix)
    if _names_product(tokens, allow_ambiguous=True):
        return True
    names = prefix.split()
    not_subject = words.FIELD_WORDS | words.COURSE_LEVEL_WORDS | words.QUALITY_WORDS
    return (
        0 < len(names) <= _MAX_NAME_PREFIX_WORDS
        and all(name[:1].isupper() and name.isalpha() for name in names)
        and not any(t in not_subject or t in words.STOPWORDS or _is_action(t) for t in tokens)
    )


def _unframed(text: str) -> str:
    """The act a frame wraps, as a gerund phrase: "How to Tie a Bin Bag", "Remembering to Tie
    a Bin Bag" and "The Art of Tying a Bin Bag" all read as "Tying a Bin Bag".

    Two closed grammatical frames: a wh-word or a verb of remembering, learning or starting
    (`_CATENATIVES`) before a to-infinitive (`_INFINITIVE_FRAME`); "the art of" or a
    course-level word ("Introduction to", "Basics of") before a gerund (`_GERUND_FRAME`). The
    wrapped act is then judged by the same signals as a title that opens with it; a frame says
    how a title is sold, not what it certifies. "Introduction to Process Mining" is no frame
    ("process" is no -ing form), nor is "Writing Publicly to Influence Parents" (a purpose:
    "writing" is no catenative verb), nor "Prepare to Work Safely"."""
    from lemminflect import getInflection  # deferred, as in `_verb_lemma`

    match = _INFINITIVE_FRAME.match(text)
    catenative = match and (not match["catenative"] or _is_catenative(match["catenative"]))
    if catenative and _verb_lemma(match["verb"].lower()) == match["verb"].lower():
        gerund = getInflection(match["verb"].lower(), tag="VBG")
        if gerund:
            return gerund[0].capitalize() + match["rest"]
    match = _GERUND_FRAME.match(text)
    framing = match and (match["art"] or match["word"].lower() in words.COURSE_LEVEL_WORDS)
    if framing and _is_gerund(match["verb"].lower()):
        return match["verb"] + match["rest"]
    return text


def _object_first(text: str) -> str:
    """A compound whose act comes after its object, read act first: "Proper Spoon Holding" as
    "Holding Proper Spoon", "Pen Clicking Awareness" as "Clicking Pen Awareness". In English a
    noun before an -ing form is that act's object (spoon holding = holding a spoon), so the
    title is judged as the act on that object. Only an -ing form of a real verb (`_is_gerund`)
    within the first `_MAX_OBJECT_FIRST_WORDS` words of the title's first part (before a colon
    or dash), with no act, stopword, field or catenative verb before it: "Live Coding",
    "Problem Solving", "Start Writing Fiction" and "Process Mining" keep their order (fields,
    a verb framing an act, a nominal "mining")."""
    first_part = re.split(r"[:–—]|\s-\s", text, maxsplit=1)[0]
    names = first_part.split()
    for at, name in enumerate(names[1 : _MAX_OBJECT_FIRST_WORDS + 1], start=1):
        token = _tokens(name)[0] if _tokens(name) else ""
        if not _is_gerund(token):
            continue
        before = [t for n in names[:at] for t in _tokens(n)]
        subject = words.FIELD_WORDS | words.COURSE_LEVEL_WORDS
        if any(
            t in words.STOPWORDS or t in subject or _is_action(t) or _is_catenative(t)
            for t in before
        ):
            return text
        rest_of_title = text[len(" ".join(names[: at + 1])) :]
        return " ".join([name, *names[:at]]) + rest_of_title
    return text


def _is_catenative(token: str) -> bool:
    return _act_lemma(token.lower()) in _CATENATIVES


def _is_action(token: str) -> bool:
    return _is_gerund(token) or token in words.TRIVIAL_ACTIONS or token in words.GENERIC_ACTIONS


def _is_trivial_act(token: str) -> bool:
    return _act_lemma(token) in words.TRIVIAL_ACTIONS


def _is_everyday_act(token: str) -> bool:
    """A listed everyday verb, matched by its lemma ("clicking" as "click")."""
    return _act_lemma(token) in words.GENERIC_ACTIONS or _is_trivial_act(token)


def _act_lemma(token: str) -> str:
    return _verb_lemma(token) or token


def _names_product(tokens: list[str], *, allow_ambiguous: bool) -> bool:
    """A product name alone, optionally after its maker ("Microsoft Teams", "Zoom")."""
    if not tokens or len(tokens) > 3 or tokens[-1] not in words.PRODUCTS:
        return False
    if not all(t in words.PRODUCTS or t in words.PRODUCT_OWNERS for t in tokens):
        return False
    has_owner = any(t in words.PRODUCT_OWNERS for t in tokens)
    return allow_ambiguous or has_owner or tokens[-1] not in words.AMBIGUOUS_PRODUCTS


def _structure_signals(title: _Title) -> list[NicheSignal]:
    """An act as the title's head, then what narrows it: a product, a short tail, a manner."""
    if not title.lead:
        return []
    head = title.rest.split()[0]
    if _is_trivial_act(title.lead):
        signals = [NicheSignal("trivial act as title", 0.45, head)]
    elif _is_everyday_act(title.lead):
        signals = [NicheSignal("everyday act as title", 0.2, head)]
    else:
        signals = [NicheSignal("skilled act as title", 0.1, head)]
    tail = title.tail
    if title.product:
        # A listed consumer product is one app's button; a name we cannot place may as well
        # be professional software ("Revit: Drafting ..."), so it counts for less.
        known = _names_product(_tokens(title.product), allow_ambiguous=True)
        weight = 0.35 if known else 0.2
        signals.append(NicheSignal("product + one feature", weight, f"{title.product}: {head}"))
    elif tail and _names_product(_tokens(tail["object"]), allow_ambiguous=False):
        signals.append(NicheSignal("product + one feature", 0.35, tail["tail"]))
    elif tail and len(subject_terms(tail["object"]) or _tokens(tail["object"])) <= _MAX_TAIL_WORDS:
        signals.append(_tail_signal(tail))
        if _is_act_object_tool(title.lead, tail):
            signals.append(NicheSignal("act + object + tool", 0.1, title.rest))
    if len(title.tokens) > 1 and _is_manner_adverb(title.tokens[-1]):
        signals.append(NicheSignal("narrowed by manner", 0.1, title.rest.split()[-1]))
    return signals


def _is_tool_tail(tail: re.Match[str]) -> bool:
    """'Using a Timer' names a tool; 'with Colleagues' only says who else is there."""
    object_tokens = [t for t in _tokens(tail["object"]) if t not in words.STOPWORDS]
    with_people = all(t in words.PEOPLE for t in object_tokens)
    return tail["prep"].lower() in _INSTRUMENT_PREPOSITIONS and not with_people


def _tail_signal(tail: re.Match[str]) -> NicheSignal:
    if _is_tool_tail(tail):
        return NicheSignal("narrowed by a tool", 0.2, tail["tail"])
    return NicheSignal("narrowed to one occasion", 0.1, tail["tail"])


def _is_act_object_tool(lead: str, tail: re.Match[str]) -> bool:
    """The full over-niche shape: an everyday act, its object, then a tool ("... Using X")."""
    return _is_everyday_act(lead) and len(_tokens(tail["head"])) > 1 and _is_tool_tail(tail)


def _is_manner_adverb(token: str) -> bool:
    return token.endswith("ly") and len(token) > 4 and token not in words.NOT_ADVERBS


def _series_signals(title: _Title, corpus: SubjectCorpus) -> list[NicheSignal]:
    """One act sold as several credentials, one per tool ("... Using Gestures/Whiteboards")."""
    head = title.tool_variant_head
    siblings = corpus.offerings_per_head[head] - 1 if head else 0
    if siblings < 1:
        return []
    return [NicheSignal("same act, one credential per tool", 0.15, f"{head} (+{siblings})")]


def _vocabulary_signals(title: _Title) -> list[NicheSignal]:
    """Everyday objects and niceties push up; fields, grades of quality and course words down."""
    lowered = title.body.lower()
    tokens = _tokens(title.body)
    object_tokens = _tokens(_where_objects_count(title))
    objects = [t for t in dict.fromkeys(object_tokens) if t in words.TRIVIAL_OBJECTS]
    objects += list(dict.fromkeys(m.group(0) for m in _PLEASANTRY.finditer(lowered)))
    signals = []
    if objects:
        # An everyday object is the point of an everyday act, but only the tool of a skilled one.
        weight = 0.3 if _is_everyday_act(title.lead) else 0.15
        weight += 0.1 * min(len(objects) - 1, 1)
        signals.append(NicheSignal("everyday object", weight, ", ".join(objects)))
    fields = [t for t in dict.fromkeys(tokens) if t in words.FIELD_WORDS]
    if fields:
        weight = -min(0.45, 0.15 * len(fields))
        signals.append(NicheSignal("names a field", weight, ", ".join(fields)))
    quality = [t for t in dict.fromkeys(tokens) if t in words.QUALITY_WORDS]
    if quality:
        signals.append(NicheSignal("grades how well", -0.15, ", ".join(quality)))
    course = [t for t in dict.fromkeys(tokens) if t in words.COURSE_LEVEL_WORDS]
    if course:
        signals.append(NicheSignal("course-level wording", -0.3, ", ".join(course)))
    return signals


def _where_objects_count(title: _Title) -> str:
    """The title, less a tool phrase after a skilled act: in "Photographing Birds *with a
    Smartphone*" the phone is what the skill is done with, not what it is about; after an
    everyday act ("Checking for Understanding Using *Whiteboards*") the tool is the point."""
    tail = title.tail
    if title.lead and not _is_everyday_act(title.lead) and tail and _is_tool_tail(tail):
        return tail["head"]
    return title.body


def _everyday_word_signals(title: _Title) -> list[NicheSignal]:
    """How everyday the words after the act are (wordfreq), judged by the rarest of them.

    Only for a title led by an act: "Folding a Paper Towel" (rarest "towel", 4.0) is an
    everyday act on an everyday thing; "Inserting a Nasogastric Tube" (1.7) is a clinical
    skill. Weights: +0.3 when the rarest word is everyday (Zipf >= 4.0), +0.2 when common
    (>= 3.5), -0.2 when one word is specialist (< 3.0); nothing in between. Halved for an act
    outside the everyday verbs (pruning, shearing, laying): everyday things are then the
    materials of a craft rather than the point of the act, as in `_vocabulary_signals`. Not
    added when the title names a field, grades quality or uses course-level words: those
    already say the title is about a subject, and its words being common says nothing more.
    """
    if not title.lead or _names_subject(title.tokens):
        return []
    others = [
        token
        for token in title.tokens[1:]
        if token not in words.STOPWORDS and not token.isdigit() and not _is_action(token)
    ]
    if not others:
        return []
    rarest = min(others, key=_zipf)
    evidence = f"{rarest} {_zipf(rarest):.1f}"
    share = 1.0 if _is_everyday_act(title.lead) else 0.5
    if _zipf(rarest) >= EVERYDAY_ZIPF:
        return [NicheSignal("only everyday words", round(0.3 * share, 3), evidence)]
    if _zipf(rarest) >= COMMON_ZIPF:
        return [NicheSignal("only common words", round(0.2 * share, 3), evidence)]
    if _zipf(rarest) < SPECIALIST_ZIPF:
        return [NicheSignal("specialist word", -0.2, evidence)]
    return []


def _names_subject(tokens: tuple[str, ...]) -> bool:
    subject_words = words.FIELD_WORDS | words.QUALITY_WORDS | words.COURSE_LEVEL_WORDS
    return any(token in subject_words for token in tokens)


def _zipf(token: str) -> float:
    """A word's Zipf frequency, a plural counted as its singular ("worksheets" as "worksheet"),
    a closed compound of two common words as its rarer half ("whiteboard" as "board" 5.2, not
    its printed 2.9: compounds are printed rarely, their halves are not); a listed everyday
    object counts as everyday however rarely it is printed."""
    if token in words.TRIVIAL_OBJECTS:
        return max(EVERYDAY_ZIPF, _printed_zipf(token))
    return max(_printed_zipf(token), _compound_zipf(token))


def _printed_zipf(token: str) -> float:
    singular = token[:-1] if token.endswith("s") and len(token) > 3 else token
    return max(zipf_frequency(token, "en"), zipf_frequency(singular, "en"))


def _compound_zipf(token: str) -> float:
    """The rarer half of the best split of a closed compound whose halves (at least
    `_MIN_COMPOUND_PART` letters) are both common words; 0 for a word that is no such compound:
    "shoelaces" (shoe 4.2 + lace 3.8) reads 3.8, "micropipette" (pipette 2.3) stays rare."""
    if "-" in token or len(token) < 2 * _MIN_COMPOUND_PART:
        return 0.0
    halves = (
        min(_printed_zipf(token[:at]), _printed_zipf(token[at:]))
        for at in range(_MIN_COMPOUND_PART, len(token) - _MIN_COMPOUND_PART + 1)
    )
    best = max(halves, default=0.0)
    return best if best >= COMMON_ZIPF else 0.0


def _purpose(text: str) -> str:
    """The infinitive of purpose in a title ("to Build Classroom Community"), else ""."""
    for match in _TO_WORD.finditer(text):
        word = match["word"].lower()
        plural = word.endswith("s") and not word.endswith("ss")
        if not (plural or word in words.DETERMINERS or word in words.PEOPLE):
            return match.group(0)
    return ""


def _routine_signals(title: _Title) -> list[NicheSignal]:
    """Who and when, for an act in everyday words: a habit of one's own day, or a job's role.

    - +0.15 "your own things": a second-person possessive ("Hanging Your Coat") makes the act
      a personal habit, not a task done for an employer;
    - +0.15 "one moment of the day": a time clause ("... Before Recess", "... After a
      Meeting", "... When Leaving a Room") ties the act to a moment of a routine;
    - -0.3 "names an occupation": "as a Dispatcher", "as a Justice of the Peace" says the
      act belongs to a role someone is hired for;
    - -0.2 "states a purpose": an infinitive of purpose ("Using Name Games *to Build*
      Classroom Community", "Writing Publicly *to Influence* Parents") says what the act
      achieves, an outcome a skill is judged by; "to the Bus Driver", "to Colleagues" (a
      determiner, a plural, a person) only say to whom.
    - +0.1 "one thing, not a class": the act's object is one particular thing ("Folding *a*
      Towel", "Closing *the* Blinds"), not a class of them ("Laying Bricks", "Motivating
      Students"): the one act + one object shape of a micro-behaviour;
    - -0.15 "acts on an abstraction": the act's object (before any tool phrase) is a noun formed
      to name a process, quality or relation ("Handling Objections", "Managing Expectations",
      "Drafting a Settlement"), or is headed by an -ing form ("Taking a Meter Reading"): acts
      on abstractions and on acts are competences, a habit acts on a thing. Found by the
      suffix alone (-tion, -ment, -ness, -ity, -ship, -ance...), on words of at least four
      letters before it ("cement" is no nominalisation).
    These count only for a title led by an act that names no field, grade of quality or
    course level (those titles are about a subject whatever their grammar).
    """
    signals = []
    role = _ROLE.search(title.rest)
    if role:
        signals.append(NicheSignal("names an occupation", -0.3, role.group(0)))
    purpose = _purpose(title.rest)
    if purpose:
        signals.append(NicheSignal("states a purpose", -0.2, purpose))
    if not title.lead or _names_subject(title.tokens):
        return signals
    abstract = _abstract_object(title)
    if abstract:
        signals.append(NicheSignal("acts on an abstraction", -0.15, abstract))
    possessive = next((t for t in title.tokens if t in _POSSESSIVES), "")
    if possessive:
        signals.append(NicheSignal("your own things", 0.15, possessive))
    moment = _MOMENT.search(title.rest)
    if moment:
        signals.append(NicheSignal("one moment of the day", 0.15, moment.group(0)))
    one_thing = _ONE_THING.match(title.rest)
    if one_thing:
        signals.append(NicheSignal("one thing, not a class", 0.1, one_thing.group(0)))
    return signals


def _abstract_object(title: _Title) -> str:
    """A nominalisation in what the act is done to ("Handling *Objections*"), or an -ing form
    heading its direct object ("Taking a Blood Pressure *Reading*": what is taken is an act;
    not "Checking for Understanding", a prepositional object), else "".
    What the act is done to ends before a tail phrase; its head, before a time clause too
    ("Turning Off the Fan *When Leaving*": "leaving" is when, not what)."""
    head = title.tail["head"] if title.tail else title.rest
    objects = [t for t in _tokens(head)[1:] if t not in words.STOPWORDS]
    phrase = [t for t in _tokens(_MOMENT.sub("", head))[1:] if t not in _PARTICLES]
    if len(phrase) > 1 and phrase[0] in words.DETERMINERS:  # a direct object: "a ... Reading"
        head_noun = phrase[-1]
        if head_noun.endswith("ing") and _verb_lemma(head_noun):
            return head_noun
    return next((t for t in objects if _ABSTRACT_NOUN.match(t)), "")


def _duration_signals(hours: float | None) -> list[NicheSignal]:
    """Weak: under an hour fits a micro-behaviour; several hours of learning does not."""
    if hours is None:
        return []
    evidence = f"{hours:g} h"
    if hours < 1:
        return [NicheSignal("under one hour", 0.1, evidence)]
    if hours < 3:
        return [NicheSignal("a few hours", -0.1, evidence)]
    if hours < 10:
        return [NicheSignal("several hours", -0.25, evidence)]
    return [NicheSignal("ten hours or more", -0.4, evidence)]


def _breadth_signals(title: str, corpus: SubjectCorpus) -> list[NicheSignal]:
    """Many other offerings sharing a subject term mark a common field, not a one-off act."""
    if corpus.size < _MIN_CORPUS_FOR_BREADTH:
        return []
    terms = list(dict.fromkeys(subject_terms(_Title.parse(title).body)))
    if not terms:
        return []
    others = {term: corpus.offerings_per_term[term] - 1 for term in terms}
    broadest = max(terms, key=lambda term: others[term])
    if others[broadest] >= _BROAD_SUBJECT_OTHERS:
        evidence = f"{broadest} in {others[broadest]} other offerings"
        return [NicheSignal("common subject", -0.15, evidence)]
    if others[broadest] == 0:
        return [NicheSignal("subject found nowhere else", 0.05, ", ".join(terms))]
    return []


def _recognition_signals(listing: Listing) -> list[NicheSignal]:
    """A national unit code or licence marks a narrow but recognised, hireable unit."""
    for text in listing.texts():
        match = next(national_codes(text), None) or RECOGNISED_UNIT.search(text)
        if match:
            return [NicheSignal("recognised unit or licence", -0.6, match.group(0))]
    return []
