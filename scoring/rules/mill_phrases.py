"""Diploma-mill phrases: credentials for life experience, same-day certificates, guarantees.

The crawler's claim parser tags each phrase with a claim kind; each rule here scores one kind.
"""

from __future__ import annotations

from collections.abc import Iterator

from scoring.claim_checks import ProviderEvidence, claim_evidence
from scoring.rules.book import Finding, RuleBook
from scoring.rules.sources import DIPLOMA_MILLS

family = RuleBook()


def _phrases(ev: ProviderEvidence, kind: str) -> Iterator[Finding]:
    """One finding per claim of that kind, quoted with its page."""
    for claim in ev.claims_of(kind):
        yield Finding(**claim_evidence(claim))


@family.rule(
    "LIFE_EXPERIENCE_CREDENTIAL",
    applies_to="provider",
    points=-25,
    cap=25,
    template="It offers credentials for life or work experience, a diploma-mill hallmark.",
    meaning="Credentials for life or work experience.",
    guidance="R12 credential for life experience",
    sources=DIPLOMA_MILLS,
)
def life_experience(ev: ProviderEvidence) -> Iterator[Finding]:
    """A degree or certificate for life or work experience."""
    return _phrases(ev, "life_experience")


@family.rule(
    "SAME_DAY_CERTIFICATE",
    applies_to="provider",
    points=-15,
    cap=15,
    template="It promises a certificate the same day, which leaves no time for real assessment.",
    meaning="'Same day' or 'instant' certificates.",
    guidance="R5 same-day certificates (ACCC v RSA Express)",
    sources=(
        "https://www.adreview.com.au/post/express-online-training-found-to-have-misled-"
        "consumers-about-course-completion-and-payment-claims",
    ),
)
def same_day_certificate(ev: ProviderEvidence) -> Iterator[Finding]:
    """A certificate the same day or instantly."""
    return _phrases(ev, "same_day_certificate")


@family.rule(
    "GUARANTEED_OUTCOME",
    applies_to="provider",
    points=-15,
    cap=15,
    template="It guarantees a pass or a job, an inducement regulators warn about.",
    meaning="A guaranteed pass or job ('100% pass', 'job guaranteed').",
    guidance="R4 too-good-to-be-true inducements",
    sources=(
        "https://www.afr.com/news/policy/education/asqa-blitz-on-training-providers-20130203-jibyy",
    ),
)
def guaranteed_outcome(ev: ProviderEvidence) -> Iterator[Finding]:
    """A guaranteed pass or job."""
    return _phrases(ev, "guarantee")
