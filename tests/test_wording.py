"""credwatch.core.wording: each phrase family with a positive and a tricky negative, the code
patterns, and the one free-certificate judge the crawler's claims and the flag share."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.parsers.text import page_text
from credwatch.core import wording
from credwatch.core.wording import (
    ABN,
    ASSESSMENT_OR_OUTCOMES,
    CERTIFICATE_OF_ATTENDANCE,
    CLAIM_PHRASES,
    CREDENTIAL,
    CRICOS_CODE,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    QUALIFICATION_WORDING,
    RECOGNISED_UNIT,
    RTO_CODE,
    judge_free_certificate,
    money_amounts,
    national_codes,
)

REPO = Path(__file__).resolve().parent.parent


def phrase_kinds(text: str) -> set[str]:
    """The claim kinds whose wording matches somewhere in the text (negation not applied)."""
    return {phrase.kind for phrase in CLAIM_PHRASES if phrase.pattern.search(text)}


# (kind, a text it must match, a look-alike it must not)
FAMILIES = [
    ("nationally_recognised", "Nationally-recognised training", "recognised nationwide"),
    ("government_approved", "a government-endorsed course", "government funding available"),
    ("government_approved", "Approved by the Victorian Government", "approved by our trainers"),
    ("internationally_recognised", "recognised worldwide", "international students welcome"),
    ("internationally_recognised", "globally accepted diploma", "accepted globally by nobody"),
    ("accredited", "accredited by the Quality Licence Scheme", "accreditation pending"),
    ("accredited", "CPD accredited", "FREE"),
    ("disclaimer", "a non-accredited course", "an accredited course"),
    ("regulator", "Regulated by ASQA", "asqa-style wording"),
    ("regulator", "the Tertiary Education Quality and Standards Agency", "tertiary study"),
    ("regulator", "Ofqual regulated", "of quality"),
    ("university", "Deakin University", "universal skills"),
    ("same_day_certificate", "certificates on the same day", "same day delivery"),
    ("same_day_certificate", "instant certificate", "instant coffee"),
    ("life_experience", "credit for your life experience", "a lively experience"),
    ("guarantee", "100% pass rate", "pass the salt"),
    ("guarantee", "job guaranteed", "guaranteed fun"),
    ("learning_outcomes", "Learning objectives: plan a roster", "learning online"),
    ("learning_outcomes", "You'll learn to plan a roster", "you learned it"),
    ("assessment", "a final examination", "for example"),
    ("assessment", "assessed by a trainer", "assess the casualty"),
]


@pytest.mark.parametrize(("kind", "positive", "negative"), FAMILIES)
def test_each_claim_family_matches_its_wording_and_not_a_look_alike(kind, positive, negative):
    assert kind in phrase_kinds(positive)
    assert kind not in phrase_kinds(negative)


@pytest.mark.parametrize(("kind", "positive", "_negative"), FAMILIES)
def test_every_match_of_a_phrase_holds_one_of_its_needles(kind, positive, _negative):
    """The claims parser only runs a phrase near its needles: a match without one is lost."""
    for phrase in CLAIM_PHRASES:
        match = phrase.pattern.search(positive)
        if phrase.kind == kind and match:
            assert any(needle in positive.lower() for needle in phrase.needles), phrase.pattern


def test_negation_before_a_phrase_stays_in_its_reach():
    assert NEGATION_BEFORE.search("This course is not ")
    assert NEGATION_BEFORE.search("We don't offer a ")
    assert not NEGATION_BEFORE.search("Not only ")  # "not only X but Y" affirms X
    assert not NEGATION_BEFORE.search("No matter how far away you are, our very friendly ")


def test_negation_after_a_phrase():
    assert NEGATION_AFTER.search(" is not included in the price")
    assert NEGATION_AFTER.search(" sold separately")
    assert NEGATION_AFTER.search(" available to purchase")
    assert not NEGATION_AFTER.search(" is now included")


def test_value_wording_families():
    assert ASSESSMENT_OR_OUTCOMES.search("Pass mark 80% on the portfolio")
    assert not ASSESSMENT_OR_OUTCOMES.search("Watch three videos, for example on Excel.")
    assert CERTIFICATE_OF_ATTENDANCE.search("a Certificate of Participation")
    assert not CERTIFICATE_OF_ATTENDANCE.search("participation in class")
    assert QUALIFICATION_WORDING.search("a fully accredited certificate")
    assert not QUALIFICATION_WORDING.search("a certificate of attendance")
    assert RECOGNISED_UNIT.search("Construction White Card")
    assert not RECOGNISED_UNIT.search("a white cardigan")


def test_credential_nouns():
    assert [m.group(0) for m in CREDENTIAL.finditer("e-certificate, micro-credential, badge")] == [
        "e-certificate",
        "micro-credential",
        "badge",
    ]
    assert not CREDENTIAL.search("certify your teams' skills; a credentialing service")


# --- codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("BSB50420 Diploma of Leadership and Management", ["BSB50420"]),
        ("Provide First Aid (HLTAID011) includes HLTAID009", ["HLTAID011", "HLTAID009"]),
        ("Skill set HLTSS00068; CPCWHS1001 White Card", ["HLTSS00068", "CPCWHS1001"]),
        ("Course in Hazardous Materials 10983NAT", ["10983NAT"]),
        ("Order SKU12345, ISO9001, XBSB50420, BSB5042 or 110983NAT", []),
        ("bsb50420 written in lower case", []),
    ],
)
def test_national_codes(text, codes):
    assert [match.group(0) for match in national_codes(text)] == codes


def test_rto_cricos_and_abn_codes():
    assert RTO_CODE.search("a Registered Training Organisation (Provider No. 0029)").group(1) == (
        "0029"
    )
    assert not RTO_CODE.search("Meets the RTO 2025 Standards")
    assert CRICOS_CODE.search("CRICOS Provider Code: 00122A").group(1) == "00122A"
    assert not CRICOS_CODE.search("CRICOS Course Code: 078241E")  # a course, not a provider
    assert ABN.search("ABN: 51 824 753 556").group(1) == "51 824 753 556"
    assert not ABN.search("CABN 51 824 753 556")


def test_money_reads_thousands_and_one_amount_per_price():
    assert money_amounts("$1,490.00 AUD") == [(1490.0, "$1,490.00")]
    assert money_amounts("14,99 EUR or AUD 0") == [(14.99, "14,99 EUR"), (0.0, "AUD 0")]
    assert money_amounts("no digits here") == []


# --- the free-certificate judge --------------------------------------------------------------


def judge(*texts: str, price: float | None = None, **options) -> wording.FreeCertificate:
    return judge_free_certificate(texts, price, **options)


@pytest.mark.parametrize(
    "text",
    [
        "Get your FREE accredited certificate today.",
        "Certificate of completion: free of charge",
        "Digital badge at no extra cost",
        "Certificate: $0",
        "Fee-free Certificate III in Individual Support",  # government fee-free (group 3)
    ],
)
def test_a_clause_offering_the_certificate_free_is_a_promise(text):
    verdict = judge(text)
    assert (verdict.free, verdict.reason, verdict.evidence) == (
        True,
        "certificate offered free",
        text,
    )


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # negation before and after the certificate noun
        ("Free course. No certificate is issued.", "No certificate is issued."),
        ("A free certificate is not included.", "A free certificate is not included."),
        ("Free course; the certificate is not free.", "the certificate is not free."),
        # a paid certificate after free access (data-sources.md groups 1-2)
        ("Free course, certificate available to purchase", "certificate available to purchase"),
        ("Join for free. Upgrade for a Certificate of Achievement.", "Upgrade for a Certificate"
         " of Achievement."),
        ("Free certification, then a $499 exam processing fee", "then a $499 exam processing fee"),
    ],
)  # fmt: skip
def test_free_wording_taken_back_by_the_text_is_a_disclaimer(text, evidence):
    verdict = judge(text)
    assert not verdict.free
    assert verdict.disclaimed
    assert verdict.evidence == evidence


def test_free_to_audit_buys_access_not_the_certificate():
    verdict = judge("Free to audit. Shareable certificate.")
    assert not verdict.free
    assert verdict.reason == "nothing says the certificate is free"
    assert not verdict.disclaimed  # nothing said the certificate is free, nor that it is not


def test_a_price_outweighs_free_wording_and_zero_backs_a_credential():
    assert judge("Includes a free certificate!", price=49).reason == "the learner pays 49"
    paid_in_text = judge_free_certificate(["Free certificate!"], None, "AUD 49")
    assert (paid_in_text.free, paid_in_text.evidence) == (False, "AUD 49")
    free = judge("Barista basics", "Certificate of completion", price=0)
    assert (free.free, free.reason) == (True, "price 0 and a Certificate awarded")


def test_the_evidence_span_points_into_its_text():
    texts = ("Workplace Communication", "Short course. Earn a free digital badge!")
    verdict = judge_free_certificate(texts)
    index, start, end = verdict.where
    assert texts[index][start:end] == verdict.evidence == "Earn a free digital badge!"


def test_a_listing_combines_clauses_but_a_page_does_not():
    texts = ("Free(341) Paid(120)", "Certificate IV in Business")
    listing = judge_free_certificate(texts)
    assert (listing.free, listing.reason) == (True, "free listing that awards a Certificate")
    page = judge_free_certificate(texts, one_offering=False)
    assert not page.free and not page.disclaimed


def test_a_page_without_a_word_of_cost_is_not_read_further():
    page = judge("Upgrade for a certificate.", "Certificate IV in Business", one_offering=False)
    assert (page.free, page.disclaimed, page.reason) == (False, False, "no word of cost")
    listing = judge("Upgrade for a certificate.", "Certificate IV in Business")
    assert (listing.free, listing.reason) == (False, "certificate costs extra")


def test_context_tags_the_words_beside_the_offer():
    verdict = judge("100% FREE course with FREE accredited certificate!", "CPD points")
    assert set(verdict.context) == {"accredited", "cpd", "recognition_claim_next_to_free"}
    fee_free = judge("Fee-free for eligible students.", "Statement of Attainment", price=0)
    assert {"government_fee_free", "nationally_recognised"} <= set(fee_free.context)
    assert "recognition_claim_next_to_free" not in fee_free.context


def whole_text_clauses(text: str) -> list[str]:
    """The reference: every clause of the whole text, the way the flag first read listings."""
    parts = (part.strip() for part in wording._CLAUSE_BREAK.split(text))
    return [part for part in parts if part]


def answers(clause) -> tuple:
    return (
        clause.text,
        clause.credential,
        clause.free,
        clause.paid,
        clause.negated,
        clause.mentions_free,
    )


def relevant(clause) -> bool:
    return any(answers(clause)[1:])


def local_pages() -> list[Path]:
    roots = (REPO / "credwatch" / "demo_sites", REPO / "tests" / "fixtures")
    return sorted(page for root in roots for page in root.rglob("*.html"))


TRICKY_TEXTS = (
    # breaks that span lines: ",\n", " -\n", " \n- " (a list item after a trailing space)
    "Free course,\ncertificate included\n\n- digital badge free.\nNo fees -\nzero cost \n- $0\n"
    "feedback over coffee, statement of attainment; 0 AUD\nPrice: AUD 0\nUnit 0: 2,000 learners",
    "İ" * 40 + "\nFree certificate\nTea\n" + "and more plain words " * 4,  # "İ" lowers to 2
)


@pytest.mark.parametrize(
    "text", [*TRICKY_TEXTS, *(page_text(p.read_bytes()) for p in local_pages())]
)
def test_long_texts_are_read_only_around_needles_yet_exactly(text):
    """Reading only the lines with a needle finds every clause a full split would use."""
    verdict = judge_free_certificate([text])
    reference = [wording._read_clause(part, (0, 0, 0)) for part in whole_text_clauses(text)]
    assert [answers(c) for c in verdict.clauses if relevant(c)] == [
        answers(c) for c in reference if relevant(c)
    ]
    for clause in verdict.clauses:
        _, start, end = clause.where
        assert text[start:end] == clause.text
