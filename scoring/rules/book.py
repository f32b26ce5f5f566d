"""A rule declared once: its id, worth, cap, sentence, guidance and check, in one `Rule`.

`@family.rule(...)` registers a check with its declaration in a family's `RuleBook`; the
books of all families make `scoring.rules.RULES`, which the scorer, the `rules` table,
`credwatch flags` and `credwatch check` read, so adding a rule is one declaration (and its
test). A provider rule's check reads a `ProviderEvidence` and yields `Finding`s. An offering
rule's check reads one listing and returns a `FlagHit` or None; every raised hit is scored
the same way from its declaration (`_offering_findings`), so a new flag needs nothing else.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from scoring.claim_checks import ProviderEvidence, Row
from scoring.flags.listing import listing_from_row
from scoring.flags.model import FlagHit, OfferingFlags
from scoring.flags.over_niche import SubjectCorpus
from scoring.flags.reading import ListingReading
from scoring.score import Contribution

AppliesTo = Literal["provider", "offering"]
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


@dataclass(frozen=True)
class Finding:
    """One occurrence of a rule: the facts its sentence (and computed points) need, and the
    evidence it rests on (page and quoted text, register entry and snapshot date)."""

    facts: Mapping[str, Any] = field(default_factory=dict)
    evidence_url: str = ""
    evidence_text: str = ""
    register: str = ""
    entry_id: str = ""
    snapshot_date: str = ""


PointsFn = Callable[[Finding], float]
ProviderCheck = Callable[[ProviderEvidence], Iterable[Finding]]
OfferingCheck = Callable[[ListingReading], FlagHit | None]
ProviderFacts = Callable[[ProviderEvidence], Mapping[str, Any]]


@dataclass(frozen=True)
class Rule:
    """Everything about one rule. `points` is a number, or a function whose docstring says how
    it computes them from a finding; `cap` bounds the absolute total of the rule's points on
    one provider (None: no cap). `template` is the sentence a learner reads, formatted with the
    finding's facts; offering findings have `title`, `reason` and `value` (the flag's hit), plus
    whatever `provider_facts` adds. `answered_by` lists claim kinds that, stated on the
    offering's own page, answer a flag read from the listing alone, so it is not scored."""

    rule_id: str
    applies_to: AppliesTo
    points: float | PointsFn
    cap: float | None
    template: str
    meaning: str
    guidance: str
    sources: tuple[str, ...]
    check: ProviderCheck | OfferingCheck
    answered_by: tuple[str, ...] = ()
    provider_facts: ProviderFacts | None = None

    def points_for(self, finding: Finding) -> float:
        return self.points(finding) if callable(self.points) else self.points

    @property
    def points_text(self) -> float | str:
        """The declared number, or "computed: <how>" from the points function's docstring."""
        if not callable(self.points):
            return self.points
        return "computed: " + " ".join((inspect.getdoc(self.points) or "").split())

    @property
    def source(self) -> str:
        """The guidance this rule implements and where it comes from, in one line."""
        return f"{self.guidance}. Sources: {'; '.join(self.sources)}"

    def contribution(self, finding: Finding) -> Contribution:
        return Contribution(
            self.rule_id,
            self.points_for(finding),
            self.template.format(**finding.facts),
            evidence_url=finding.evidence_url,
            evidence_text=finding.evidence_text,
            register=finding.register,
            entry_id=finding.entry_id,
            snapshot_date=finding.snapshot_date,
        )

    def row(self) -> Row:
        """The rule as a row of the published `rules` table."""
        return {
            "rule_id": self.rule_id,
            "applies_to": self.applies_to,
            "points": self.points_text,
            "cap": self.cap,
            "reason_template": self.template,
            "meaning": self.meaning,
            "guidance": self.guidance,
            "sources": json.dumps(list(self.sources)),
        }


class RuleBook:
    """The declared rules, in declaration order (the order their contributions are listed)."""

    def __init__(self, *rules: Rule) -> None:
        self._rules: dict[str, Rule] = {}
        for declared in rules:
            self.add(declared)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def add(self, declared: Rule) -> Rule:
        """Register one declaration; a malformed or repeated one is a programming error."""
        problem = _declaration_problem(declared, self._rules)
        if problem:
            raise ValueError(f"rule {declared.rule_id!r}: {problem}")
        self._rules[declared.rule_id] = declared
        return declared

    def rule(
        self,
        rule_id: str,
        *,
        applies_to: AppliesTo,
        points: float | PointsFn,
        cap: float | None,
        template: str,
        meaning: str,
        guidance: str,
        sources: Sequence[str],
        answered_by: Sequence[str] = (),
        provider_facts: ProviderFacts | None = None,
    ) -> Callable[[Callable], Callable]:
        """Decorator: declare the decorated check as rule `rule_id` (the function is returned
        unchanged, so it stays callable on its own)."""

        def register(check: Callable) -> Callable:
            self.add(
                Rule(
                    rule_id=rule_id,
                    applies_to=applies_to,
                    points=points,
                    cap=cap,
                    template=template,
                    meaning=meaning,
                    guidance=guidance,
                    sources=tuple(sources),
                    check=check,
                    answered_by=tuple(answered_by),
                    provider_facts=provider_facts,
                )
            )
            return check

        return register

    def of(self, applies_to: AppliesTo) -> list[Rule]:
        return [declared for declared in self if declared.applies_to == applies_to]

    def evaluate(self, ev: ProviderEvidence) -> tuple[list[Contribution], dict[str, float]]:
        """Every rule on one provider: the raw contributions and each rule's cap."""
        contributions = [
            declared.contribution(finding)
            for declared in self
            for finding in _findings(declared, ev)
        ]
        caps = {declared.rule_id: declared.cap for declared in self if declared.cap is not None}
        return contributions, caps

    def flag_offerings(self, rows: Sequence[Mapping[str, object]]) -> list[OfferingFlags]:
        """Run every offering rule on every row; the rows together are the corpus for the
        subject-breadth signal of niche_score."""
        listings = [listing_from_row(row) for row in rows]
        corpus = SubjectCorpus.from_titles(listing.title for listing in listings)
        return [self._flag(ListingReading(listing, corpus)) for listing in listings]

    def flag_offering(
        self, row: Mapping[str, object], corpus: SubjectCorpus | None = None
    ) -> OfferingFlags:
        """Flag one row; without a corpus the breadth signal is left out."""
        listing = listing_from_row(row)
        return self._flag(
            ListingReading(listing, corpus or SubjectCorpus.from_titles([listing.title]))
        )

    def _flag(self, reading: ListingReading) -> OfferingFlags:
        hits = {}
        for declared in self.of("offering"):
            hit = declared.check(reading)
            if hit is not None:
                hits[declared.rule_id] = hit
        return reading.flags(hits)

    def rows(self) -> list[Row]:
        """The `rules` table: one row per declaration."""
        return [declared.row() for declared in self]


def _declaration_problem(declared: Rule, known: Mapping[str, Rule]) -> str:
    """Why a declaration cannot be registered, or "" when it can."""
    if not _RULE_ID.match(declared.rule_id):
        return "ids are UPPER_SNAKE"
    if declared.rule_id in known:
        return "declared twice"
    if declared.applies_to not in ("provider", "offering"):
        return f"applies_to must be 'provider' or 'offering', not {declared.applies_to!r}"
    if callable(declared.points) and not inspect.getdoc(declared.points):
        return "a points function needs a docstring saying how it computes them"
    offering_only = declared.answered_by or declared.provider_facts
    if declared.applies_to == "provider" and offering_only:
        return "answered_by and provider_facts are for offering rules"
    return ""


def _findings(declared: Rule, ev: ProviderEvidence) -> Iterable[Finding]:
    if declared.applies_to == "provider":
        return declared.check(ev)
    return _offering_findings(declared, ev)


def _offering_findings(declared: Rule, ev: ProviderEvidence) -> Iterator[Finding]:
    """One finding per offering this flag was raised on, unless its page answers the flag; the
    quoted evidence is the hit's, or its reason when it quotes nothing."""
    by_id = {offering["id"]: offering for offering in ev.offerings}
    provider_facts = declared.provider_facts(ev) if declared.provider_facts else {}
    for flags in ev.offering_flags:
        hit = flags.hits.get(declared.rule_id)
        if hit is None:
            continue
        offering = by_id.get(flags.offering_id, {})
        if _answered_on_page(declared, ev, offering):
            continue
        facts = {"title": offering.get("title"), "reason": hit.reason, "value": hit.value}
        yield Finding(
            {**facts, **provider_facts},
            evidence_url=offering.get("url") or "",
            evidence_text=hit.evidence_text or hit.reason,
        )


def _answered_on_page(declared: Rule, ev: ProviderEvidence, offering: Row) -> bool:
    if not declared.answered_by:
        return False
    stated = {c["kind"] for c in ev.claims if c.get("offering_id") == offering.get("id")}
    return bool(stated & set(declared.answered_by))
