"""FREE_CERTIFICATE: each wording group with a positive and a tricky negative."""

from __future__ import annotations

import pytest

from scoring.flags.free_certificate import flag_free_certificate
from scoring.flags.listing import listing_from_row


def free_certificate(**row):
    """The detector's verdict, raised or not (the rule keeps only raised hits)."""
    return flag_free_certificate(
        listing_from_row({"id": "o1", "title": "Workplace Communication", **row})
    )


def test_free_accredited_certificate_is_flagged_with_its_recognition_claim():
    hit, context = free_certificate(
        description="100% FREE course with FREE accredited certificate upon completion!",
        price="0",
    )
    assert (hit.rule_id, hit.value) == ("FREE_CERTIFICATE", 1)
    assert "FREE accredited certificate" in hit.evidence_text
    assert {"accredited", "recognition_claim_next_to_free"} <= set(context)


def test_government_fee_free_statement_is_flagged_and_marked_as_such():
    hit, context = free_certificate(
        title="Certificate III in Individual Support",
        description="Fee-free for eligible students under Fee-Free TAFE.",
        certificate_text="Statement of Attainment (nationally recognised)",
        price="0",
    )
    assert hit.value == 1
    assert hit.evidence_text == "Fee-free for eligible students under Fee-Free TAFE."
    assert {"government_fee_free", "nationally_recognised"} <= set(context)
    assert "recognition_claim_next_to_free" not in context


@pytest.mark.parametrize(
    ("row", "evidence"),
    [
        ({"certificate_text": "Completion badge (free)"}, "Completion badge (free)"),
        ({"description": "Get certified for free"}, "Get certified for free"),
        ({"description": "No fees. Digital certificate included.", "price": "0"}, "No fees."),
        ({"certificate_text": "Digital badge", "price": "0"}, "Digital badge"),
        ({"description": "No certificate fee. Certificate of completion."}, "No certificate fee."),
        (  # "no qualifications needed" is an entry rule, not a missing certificate
            {"description": "No prior qualifications needed. Free certificate."},
            "Free certificate.",
        ),
    ],
)
def test_certificate_at_no_cost_is_flagged(row, evidence):
    hit, _ = free_certificate(**row)
    assert hit.value == 1
    assert hit.evidence_text == evidence


@pytest.mark.parametrize(
    ("row", "evidence"),
    [
        (  # Coursera: free access, paid certificate
            {
                "description": "Enroll for free. Audit the course at no cost; "
                "pay to earn a shareable certificate."
            },
            "pay to earn a shareable certificate.",
        ),
        (  # FutureLearn: join free, upgrade for the certificate
            {"description": "Join for free. Upgrade for a Certificate of Achievement."},
            "Upgrade for a Certificate of Achievement.",
        ),
        (  # Alison: free learning, certificate sold
            {"description": "Free course, certificate available to purchase", "price": "0"},
            "certificate available to purchase",
        ),
        (  # negation
            {"description": "Free course; certificate not included.", "price": "0"},
            "certificate not included.",
        ),
        (  # the fee is revealed after "$0"
            {"description": "$0 today. Certificate issued for a $49 processing fee.", "price": "0"},
            "Certificate issued for a $49 processing fee.",
        ),
        (  # "free certification" then an exam fee in the next clause
            {"description": "Free certification, then a $499 exam processing fee"},
            "then a $499 exam processing fee",
        ),
    ],
)
def test_free_access_with_a_paid_or_missing_certificate_is_not_flagged(row, evidence):
    hit, _ = free_certificate(**row)
    assert hit.value == 0
    assert hit.evidence_text == evidence


def test_a_price_above_zero_decides_against_free_wording():
    hit, _ = free_certificate(description="Includes a free certificate!", price="49")
    assert hit.value == 0
    assert hit.reason == "the learner pays 49"


def test_money_written_in_the_price_column_counts_as_a_price():
    hit, _ = free_certificate(description="Free certificate!", price="AUD 49")
    assert hit.value == 0
    assert hit.evidence_text == "AUD 49"


@pytest.mark.parametrize(
    "row",
    [
        {"title": "Mergers and Acquisitions: Free Cash Flow Modeling", "certificate_text": "Yes"},
        {"description": "Gluten-free baking at home", "certificate_text": "Certificate"},
        {"description": "Start with a free trial.", "certificate_text": "Certificate"},
        {"description": "Free four-week introductory online course", "price": "0"},
        {"certificate_text": "micro-credential (digital badge)"},
    ],
)
def test_free_words_that_are_not_about_the_certificate_do_not_flag(row):
    hit, _ = free_certificate(**row)
    assert hit.value == 0


@pytest.mark.parametrize(
    ("description", "evidence"),
    [
        ("Enrol today and receive a complimentary certificate.", "complimentary certificate"),
        ("You get a certificate at no extra cost when you finish.", "at no extra cost"),
        ("Free e-certificate at the end!", "Free e-certificate"),
        ("Claim your free CPD certificate today.", "free CPD certificate"),
    ],
)
def test_other_common_free_certificate_wordings_are_flagged(description, evidence):
    hit, _ = free_certificate(description=description)
    assert hit.value == 1, hit.reason
    assert evidence in hit.evidence_text


@pytest.mark.parametrize(
    ("description", "why"),
    [
        (
            "The certificate, which is issued after you pass the assessment, is not free.",
            "no certificate, or not a free one",
        ),
        (
            "Certificates are not included in the free course and cost $49.",
            "no certificate, or not a free one",
        ),
        (
            "The course is free, but the certificate, once you have passed, costs extra.",
            "certificate costs extra",
        ),
        (
            "The certificate, issued by our partner college - is not included in the free plan.",
            "no certificate, or not a free one",
        ),
    ],
)
def test_a_negation_far_from_the_certificate_in_its_sentence_still_counts(description, why):
    for price in ("", "0"):  # a listed price of 0 does not outweigh the denial either
        hit, _ = free_certificate(description=description, price=price)
        assert (hit.value, hit.reason) == (0, why)


@pytest.mark.parametrize(
    "description",
    [
        # the predicate's subject is the course, named in another sentence than the certificate
        "The course is free. The certificate, once you have passed, comes at no extra cost.",
        "Your certificate, signed by our director, is free to download.",
        # a negation in the sentence that denies something else
        "The course is free, and the certificate is emailed to you, not posted.",
    ],
)
def test_a_far_predicate_that_does_not_deny_the_certificate_keeps_it_free(description):
    hit, _ = free_certificate(description=description)
    assert hit.value == 1, hit.reason
