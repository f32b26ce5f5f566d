"""Every schema.org syntax and course type the crawler reads, and lenient JSON-LD.

The saved pages themselves (RDFa, a program priced through `priceSpecification`, JSON-LD
with comments, a catalogue of url-less courses, a microdata WorkBasedProgram) are goldens in
tests/test_structured_data_spider.py; these are the rules behind them.
"""

from __future__ import annotations

import json

import pytest
from parsel import Selector

from crawler.parsers.structured import (
    COURSE_TYPES,
    course_fields,
    find_objects,
    lenient_json,
    read_structured,
)

URL = "https://p.example/c/"


def _read(page: str):
    return read_structured(Selector(text=page, type="html"), URL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, // note\n "b": "http://x/y"}', {"a": 1, "b": "http://x/y"}),
        ('{"a": [1, 2,], /* block */ "b": 2,}', {"a": [1, 2], "b": 2}),
        ('{"a": "x // not a comment, ]"}', {"a": "x // not a comment, ]"}),
        ('{"a": 1}\n{"b": 2}', [{"a": 1}, {"b": 2}]),
        ("{&quot;name&quot;: &quot;A &amp; B&quot;}", {"name": "A & B"}),
        ('{"a": 1} {"b": ', None),
        ("not json at all", None),
    ],
)
def test_lenient_json_reads_what_a_forgiving_reader_would(text: str, expected: object):
    assert lenient_json(text) == expected


def test_repaired_and_dropped_blocks_are_counted():
    page = (
        '<script type="application/ld+json">{"@type": "Course", "name": "A",}</script>'
        '<script type="application/ld+json">{"@type": "Course" "name": "B"}</script>'
        '<script type="application/ld+json">{"@type": "Course", "name": "C"}</script>'
    )
    data = _read(page)
    assert (data.repaired, data.malformed) == (1, 1)
    assert [obj["name"] for obj in data.objects] == ["A", "C"]


def test_rdfa_course_is_read_with_its_nested_offer_and_instance():
    page = (
        '<body vocab="https://schema.org/"><div typeof="Course"><span property="name">RSA</span>'
        '<div property="offers" typeof="Offer"><span property="price">45</span>'
        '<span property="priceCurrency">AUD</span></div>'
        '<div property="provider" typeof="Organization"><span property="name">Bar School</span>'
        "</div></div></body>"
    )
    (course,) = find_objects(_read(page).objects, COURSE_TYPES)
    fields = course_fields(course, URL)
    assert (fields["title"], fields["price"], fields["currency"]) == ("RSA", 45.0, "AUD")
    assert fields["provider_name"] == "Bar School"


def test_a_program_is_the_offering_not_its_credential_and_salary_is_no_price():
    program = {
        "@type": "EducationalOccupationalProgram",
        "name": "Welding Program",
        "offers": {"@type": "Offer", "priceSpecification": {"price": 5000, "priceCurrency": "USD"}},
        "estimatedSalary": {"@type": "MonetaryAmountDistribution", "median": 41000},
        "educationalCredentialAwarded": {
            "@type": "EducationalOccupationalCredential",
            "name": "AWS Certified Welder",
            "offers": {"@type": "Offer", "price": 300, "priceCurrency": "USD"},
        },
        "timeToComplete": "P6M",
    }
    (found,) = find_objects([program], COURSE_TYPES)
    fields = course_fields(found, URL)
    assert (fields["title"], fields["price"]) == ("Welding Program", 5000)
    assert fields["currency"] == "USD"
    assert fields["certificate_text"] == "AWS Certified Welder"
    assert fields["duration_text"] == "P6M"


def test_course_wrapped_in_an_offer_gets_the_offers_price():
    offer = {
        "@type": "Offer",
        "price": "19.99",
        "priceCurrency": "GBP",
        "itemOffered": {"@type": "Course", "name": "Food Hygiene Level 2"},
    }
    page = f'<script type="application/ld+json">{json.dumps(offer)}</script>'
    (course,) = find_objects(_read(page).objects, COURSE_TYPES)
    assert course_fields(course, URL)["price"] == 19.99
