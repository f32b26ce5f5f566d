"""Offering flags: each check reads one listing (with its corpus) and returns a raised `FlagHit`
or None. The detectors live in `scoring/flags/`; these declarations say what a raised flag
means and costs. A raised flag is scored per offering by the book, from its declaration.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from scoring.claim_checks import VAGUE_RECOGNITION, ProviderEvidence
from scoring.flags import free_certificate as free_certificate_detector
from scoring.flags import over_niche as over_niche_detector
from scoring.flags import qualification, value
from scoring.flags.model import FlagHit
from scoring.flags.reading import ListingReading
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import AQF, MICROCREDENTIALS_FRAMEWORK, OFQUAL_REGULATED

family = RuleBook()

# Value-flag rules may fire on every listing; together they cost at most this much per rule.
VALUE_FLAG_CAP = 6.0
VALUE_FLAG_POINTS = -2

# What a free certificate is worth depends on who offers it: (points, why), by standing.
FREE_CERTIFICATE_STANDING = {
    "registered": (0, "it is a registered provider, so a free statement is backed"),
    "sold_as_accredited": (
        -15,
        "it is sold as accredited or recognised by an unregistered seller",
    ),
    "unbacked": (-5, "nothing on a register backs the certificate"),
}


def free_certificate_standing(ev: ProviderEvidence) -> dict[str, Any]:
    """Who stands behind this provider's free certificates."""
    if ev.current_matches():
        standing = "registered"
    elif ev.claims_of(*VAGUE_RECOGNITION, "nationally_recognised"):
        standing = "sold_as_accredited"
    else:
        standing = "unbacked"
    return {"standing": standing, "note": FREE_CERTIFICATE_STANDING[standing][1]}


def free_certificate_points(finding: Finding) -> float:
    """0 from a registered provider (a backed fee-free course), -15 when an unregistered
    seller calls it accredited or recognised, -5 otherwise."""
    return FREE_CERTIFICATE_STANDING[finding.facts["standing"]][0]


def _raised(hit: FlagHit | None) -> FlagHit | None:
    return hit if hit is not None and hit.raised else None


@family.rule(
    free_certificate_detector.RULE_ID,
    applies_to="offering",
    points=free_certificate_points,
    cap=15,
    template="'{title}' promises a free certificate; {note}.",
    meaning="The listing promises a certificate, badge or statement at no cost to the learner. "
    "Free access with a paid certificate (audit tracks, 'upgrade for a certificate', "
    "'certificate available to purchase') and 'certificate not included' do not count. "
    "A fact, not a verdict: its context tags (fee-free government course, accredited or "
    "internationally recognised wording next to 'free', CPD) decide what it is worth.",
    guidance="R19 'free certificate' offers; R4 free courses that are not free; data-sources "
    "section 3 (five groups of free-certificate wording)",
    sources=(
        "https://iblnews.org/edx-removes-free-certificates-and-adds-verified-and-xseries-"
        "credentials-udacity-leads-the-way",
        "https://campustechnology.com/articles/2019/01/08/mooc-operator-edx-solidifies-"
        "paywall.aspx",
        "https://www.futurelearn.com/info/faq/upgrading",
        "https://learner.coursera.help/hc/en-us/articles/360049172132",
        "https://dewr.gov.au/newsroom/articles/skill-change-feefree-tafe",
    ),
    provider_facts=free_certificate_standing,
)
def free_certificate(offering: ListingReading) -> FlagHit | None:
    """A certificate at no cost (not free access with a paid certificate)."""
    hit, _ = offering.free_certificate
    return _raised(hit)


@family.rule(
    over_niche_detector.RULE_ID,
    applies_to="offering",
    points=-4,
    cap=12,
    template="'{title}' certifies a very narrow behaviour (niche score {value:.2f}).",
    meaning="The credential certifies one trivial micro-behaviour or one button of one tool "
    "('Checking for Understanding Using Gestures', 'Excel: Changing the Font Colour') "
    "rather than a skill an employer could hire for. Scored 0-1 (niche_score) from the "
    "title's structure and word classes, how everyday its words are (wordfreq), who and "
    "when (your own things, one moment of the day) against a stated occupation or purpose, "
    "duration, subject breadth across the input, and national unit codes or licences "
    "(evidence against); raised at 0.5. Narrow but "
    "recognised units (CPR, RSA, White Card) are not over-niche.",
    guidance="R6 micro-credential below national minimums; skill-signals notes",
    sources=MICROCREDENTIALS_FRAMEWORK,
)
def over_niche(offering: ListingReading) -> FlagHit | None:
    """Raised at the niche-score threshold; the hit's value is the niche score itself."""
    hit, niche_score, _ = offering.over_niche
    return replace(hit, value=niche_score) if hit.raised else None


@family.rule(
    value.SHORT_DURATION,
    applies_to="offering",
    points=VALUE_FLAG_POINTS,
    cap=VALUE_FLAG_CAP,
    template="'{title}': {reason}",
    meaning="Under one hour of learning, from the stated duration or a number of minutes in the "
    "listing: below the National Microcredentials Framework minimum.",
    guidance="R6 micro-credential below national minimums; R3 unrealistically short duration",
    sources=(
        *MICROCREDENTIALS_FRAMEWORK,
        "https://www.asqa.gov.au/how-we-regulate/risk-priorities/shortened-course-duration",
    ),
)
def short_duration(offering: ListingReading) -> FlagHit | None:
    """Under one hour of learning."""
    return offering.value_flags.get(value.SHORT_DURATION)


@family.rule(
    value.NO_ASSESSMENT_OR_OUTCOMES,
    applies_to="offering",
    points=VALUE_FLAG_POINTS,
    cap=VALUE_FLAG_CAP,
    template="'{title}': {reason}",
    meaning="A credential is promised but the listing states neither how it is assessed nor its "
    "learning outcomes. A weak value signal: it reads only what the listing says, and the "
    "course page stating learning outcomes or assessment answers it.",
    guidance="R6 micro-credential below national minimums",
    sources=MICROCREDENTIALS_FRAMEWORK,
    answered_by=("learning_outcomes", "assessment"),
)
def no_assessment_or_outcomes(offering: ListingReading) -> FlagHit | None:
    """A credential with no stated assessment or learning outcomes."""
    return offering.value_flags.get(value.NO_ASSESSMENT_OR_OUTCOMES)


@family.rule(
    value.ATTENDANCE_CERTIFICATE,
    applies_to="offering",
    points=VALUE_FLAG_POINTS,
    cap=VALUE_FLAG_CAP,
    template="'{title}': {reason}",
    meaning="A certificate of attendance, completion or participation with no assessment; the "
    "reason notes when it is presented with qualification wording (accredited, "
    "recognised, diploma, CPD). A value discount, not fraud; the course page stating an "
    "assessment answers it.",
    guidance="R7 attendance-only certificate presented as a qualification",
    sources=OFQUAL_REGULATED,
    answered_by=("assessment",),
)
def attendance_certificate(offering: ListingReading) -> FlagHit | None:
    """A certificate for attending or completing, with no assessment."""
    return offering.value_flags.get(value.ATTENDANCE_CERTIFICATE)


def qualification_standing(ev: ProviderEvidence) -> dict[str, Any]:
    """Whether a current RTO registration backs the qualification names, and what CRICOS
    courses of the named levels really run for (when the CRICOS course list is loaded)."""
    titles = {o["id"]: o.get("title") or "" for o in ev.offerings}
    levels = dict.fromkeys(
        named[0].cricos_level
        for flags in ev.offering_flags
        if qualification.RULE_ID in flags.hits
        and (named := qualification.qualification_named(titles.get(flags.offering_id, "")))
    )
    ranges = [
        ev.course_weeks[level].describe(level) for level in levels if level in ev.course_weeks
    ]
    registers = "; ".join(ranges) or "the CRICOS course list is not loaded"
    backed = bool(ev.current_matches("rto"))
    note = (
        "a current RTO registration backs it, so its marketing wording is not counted"
        if backed
        else "no current RTO registration backs it"
    )
    return {"backed": backed, "registers_note": registers, "note": note}


def qualification_points(finding: Finding) -> float:
    """0 when a current RTO registration backs the provider (a real qualification sold with
    short contact hours), -6 otherwise: an unbacked Diploma of two hours misleads a learner."""
    return 0 if finding.facts["backed"] else -6


@family.rule(
    qualification.RULE_ID,
    applies_to="offering",
    points=qualification_points,
    cap=12,
    template="'{title}': {reason}; {registers_note}; {note}.",
    meaning="The title calls the offering an AQF qualification (Certificate I-IV, Diploma, "
    "Advanced Diploma, Associate Degree, Bachelor, Graduate Certificate or Diploma, Masters) "
    "but states under a tenth of that qualification's AQF volume of learning (one year = 1200 "
    "hours): a 'Diploma' of 2 hours where the AQF says 1-2 years. The reason cites the AQF "
    "level and volume, and beside it the typical duration (middle half, in weeks) of CRICOS "
    "courses at that level. A provider with a current RTO registration is not counted.",
    guidance="R6 micro-credential below national minimums; R7 certificate presented as a "
    "qualification; AQF qualification types and volume of learning",
    sources=AQF,
    provider_facts=qualification_standing,
)
def inflated_qualification_name(offering: ListingReading) -> FlagHit | None:
    """A qualification name on a small fraction of its AQF volume of learning."""
    return offering.inflated_qualification
