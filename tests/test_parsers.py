"""Table-driven tests of the pure parsers every spider shares (crawler/parsers/)."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.parsers.claims import extract_claims, valid_abn
from crawler.parsers.duration import parse_duration, weekly_hours
from crawler.parsers.price import parse_price
from crawler.parsers.structured import (
    COURSE_TYPES,
    ORGANIZATION_TYPES,
    clean_description,
    course_fields,
    extract_structured,
    find_objects,
    item_list_urls,
    organization_fields,
    read_structured,
    type_names,
)
from crawler.parsers.text import page_text

# --- price -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint", "amount", "currency", "is_free"),
    [
        ("AU$14,880", None, 14880.0, "AUD", False),
        ("Fees: AU$14,880 (2025 total)", None, 14880.0, "AUD", False),
        ("2025 fees: AU$14,880", None, 14880.0, "AUD", False),
        ("A$99", None, 99.0, "AUD", False),
        ("US$49.99", None, 49.99, "USD", False),
        ("USD 49", None, 49.0, "USD", False),
        ("Price: 1,234.50 AUD", None, 1234.5, "AUD", False),
        ("€14.99", None, 14.99, "EUR", False),
        ("14,99 €", None, 14.99, "EUR", False),
        ("1.234,56 €", None, 1234.56, "EUR", False),
        ("1 234,56 €", None, 1234.56, "EUR", False),
        ("£12", None, 12.0, "GBP", False),
        ("$49", None, 49.0, None, False),  # a bare dollar is not guessed
        ("$49", "aud", 49.0, "AUD", False),
        ("$49 2 courses", None, 49.0, None, False),
        ("$0", None, 0.0, None, True),
        ("Free", None, 0.0, None, True),
        ("FREE", "AUD", 0.0, "AUD", True),
        ("Fee-free", None, 0.0, None, True),  # the wording FREE_CERTIFICATE reads
        ("Free trial", None, None, None, False),
        ("49.00", "AUD", 49.0, "AUD", False),
        (49, "USD", 49.0, "USD", False),
        (0, None, 0.0, None, True),
        (19.5, None, 19.5, None, False),
        ("Contact us", None, None, None, False),
        ("", None, None, None, False),
        (None, "AUD", None, "AUD", False),
    ],
)
def test_parse_price(value, hint, amount, currency, is_free):
    price = parse_price(value, hint)
    assert (price.amount, price.currency, price.is_free) == (amount, currency, is_free)


def test_parse_price_keeps_the_text_as_given():
    assert parse_price("  Fees:  AU$14,880 ").text == "Fees: AU$14,880"
    assert parse_price(None).text is None


# --- duration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours", "low", "high"),
    [
        ("PT6H", 6.0, 6.0, 6.0),
        ("PT90M", 1.5, 1.5, 1.5),
        ("PT2H32M", 2.5333, 2.5333, 2.5333),
        ("pt40h", 40.0, 40.0, 40.0),
        ("P2D", 16.0, 16.0, 16.0),  # a training day is 8 hours
        ("P1DT2H", 10.0, 10.0, 10.0),
        ("P4W", None, None, None),  # how long it runs, not effort
        ("40 total mins", 0.6667, 0.6667, 0.6667),
        ("P9M", None, None, None),
        ("14.5 total hours", 14.5, 14.5, 14.5),
        ("1 hour 30 minutes", 1.5, 1.5, 1.5),
        ("1h 30m", 1.5, 1.5, 1.5),
        ("90 mins", 1.5, 1.5, 1.5),
        ("45 minutes", 0.75, 0.75, 0.75),
        ("6 hours", 6.0, 6.0, 6.0),
        ("Approx. 10+ hours", 10.0, 10.0, 10.0),
        ("2-3 hours", 2.5, 2.0, 3.0),
        ("2 to 3 hours", 2.5, 2.0, 3.0),
        ("4 weeks, 3 hrs/week", 12.0, 12.0, 12.0),
        ("3 hours per week for 6 weeks", 18.0, 18.0, 18.0),
        ("8 weeks, 4-8 hours/week", 48.0, 32.0, 64.0),
        ("4-8 hours/week", None, None, None),  # no weeks: no total
        ("4 weeks", None, None, None),
        ("2-day course", 16.0, 16.0, 16.0),
        ("365 days access", None, None, None),
        ("Full-time 9 months", None, None, None),
        ("Duration: Full-time 9 months / Part-time 1 year", None, None, None),
        ("self-paced", None, None, None),
    ],
)
def test_parse_duration(text, hours, low, high):
    duration = parse_duration(text)
    assert (duration.hours, duration.min_hours, duration.max_hours) == (hours, low, high)
    assert duration.text == text


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_parse_duration_of_nothing(empty):
    assert parse_duration(empty).text is None


@pytest.mark.parametrize(
    ("per_week", "weeks", "hours", "text"),
    [
        (3, 4, 12.0, "4 weeks, 3 hours/week"),
        ("3", "4 weeks", 12.0, "4 weeks, 3 hours/week"),
        ("2-3", 4, 10.0, "4 weeks, 2-3 hours/week"),
        (None, 6, None, "6 weeks"),
        (4, None, None, "4 hours/week"),
        (None, None, None, None),
    ],
)
def test_weekly_hours(per_week, weeks, hours, text):
    duration = weekly_hours(per_week, weeks)
    assert (duration.hours, duration.text) == (hours, text)


# --- claims ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "abn", ["51 824 753 556", "51824753556", "53 004 085 616", "33 102 417 032"]
)
def test_valid_abn_accepts_real_abns(abn):
    assert valid_abn(abn)


@pytest.mark.parametrize(
    "abn", ["51 824 753 557", "12 345 678 901", "5182475355", "ABN51824753556"]
)
def test_valid_abn_rejects_bad_checksums_and_shapes(abn):
    assert not valid_abn(abn)


def _kinds(text: str) -> set[tuple[str, str]]:
    return {(claim.kind, claim.value) for claim in extract_claims(text, "https://x.example/")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Skills Academy Pty Ltd (RTO 91430)", {("rto_code", "91430")}),
        ("RTO No: 0029.", {("rto_code", "0029")}),
        ("RTO Code: 5740", {("rto_code", "5740")}),
        ("RTO #45678", {("rto_code", "45678")}),
        ("a Registered Training Organisation (Provider No. 0029)", {("rto_code", "0029")}),
        ("CRICOS Provider Code: 00122A", {("cricos_code", "00122A")}),
        ("CRICOS 03578m", {("cricos_code", "03578M")}),
        ("ABN 51 824 753 556", {("abn", "51824753556")}),
        ("ABN: 12 345 678 901", {("abn_invalid", "12345678901")}),
        ("BSB40120 Certificate IV in Business", {("national_code", "BSB40120")}),
        ("Provide First Aid (HLTAID011)", {("national_code", "HLTAID011")}),
        ("SITXFSA005 Use hygienic practices", {("national_code", "SITXFSA005")}),
        ("White Card CPCWHS1001", {("national_code", "CPCWHS1001")}),
        ("Skill set HLTSS00068", {("national_code", "HLTSS00068")}),
        ("Course in Hazardous Materials 10983NAT", {("national_code", "10983NAT")}),
        ("Nationally Recognised Training", {("nationally_recognised", "nationally recognised")}),
        (
            "accredited by the International Accreditation Organization (IAO)",
            {("accredited", "International Accreditation Organization (IAO)")},
        ),
        ("Fully accredited courses", {("accredited", "")}),
        ("CPD accredited", {("accredited", "CPD")}),
        ("A government-accredited diploma", {("government_approved", "government accredited")}),
        (
            "Approved by the Australian Government",
            {("government_approved", "approved by the australian government")},
        ),
        (
            "Internationally recognized certificate",
            {("internationally_recognised", "internationally recognized")},
        ),
        ("Delivered with Deakin University", {("university", "Deakin University")}),
        ("Study at the University of Melbourne", {("university", "University of Melbourne")}),
        ("We are a university for everyone", {("university", "a university")}),
        ("Regulated by ASQA", {("regulator", "ASQA")}),
        ("Australian Skills Quality Authority", {("regulator", "ASQA")}),
        ("registered with TEQSA", {("regulator", "TEQSA")}),
        ("Ofqual regulated qualification", {("regulator", "Ofqual")}),
        ("Get a free certificate", {("free_certificate", "free certificate")}),
        (
            "Free accredited certificate",
            {("free_certificate", "free certificate"), ("accredited", "")},
        ),
        ("Your certificate for free", {("free_certificate", "free certificate")}),
        (  # government fee-free: free and backed, raised like the FREE_CERTIFICATE flag is
            "Fee-free Certificate III in Individual Support",
            {("free_certificate", "free certificate")},
        ),
        ("Same-day certificate", {("same_day_certificate", "same day certificate")}),
        ("Instant certificate download", {("same_day_certificate", "same day certificate")}),
        (
            "Receive your certificate the same day",
            {("same_day_certificate", "same day certificate")},
        ),
        ("A degree for your life experience", {("life_experience", "life experience")}),
        ("Degree based on your work experience", {("life_experience", "life experience")}),
        ("100% pass rate", {("guarantee", "100% pass rate")}),
        ("Guaranteed pass", {("guarantee", "guaranteed pass")}),
        ("Job guaranteed", {("guarantee", "job guaranteed")}),
        ("with a job guarantee", {("guarantee", "job guarantee")}),
    ],
)
def test_claims_found(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This course is not nationally recognised.", {("disclaimer", "nationally_recognised")}),
        ("This is not an accredited course.", {("disclaimer", "accredited")}),
        ("A non-accredited short course", {("disclaimer", "accredited")}),
        ("Unaccredited professional development", {("disclaimer", "accredited")}),
        ("We are not government approved", {("disclaimer", "government_approved")}),
        ("We don't offer a job guarantee", {("disclaimer", "guarantee")}),
        ("No, it isn't internationally recognised", {("disclaimer", "internationally_recognised")}),
        ("A free certificate is not included.", {("disclaimer", "free_certificate")}),
        ("There is no exam.", {("disclaimer", "assessment")}),
        ("Free certificate available to purchase", {("disclaimer", "free_certificate")}),
    ],
)
def test_negated_wording_is_a_disclaimer(text, expected):
    assert _kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order SKU12345 today",  # not a training package prefix
        "ISO9001 quality system",
        "Call 1300 123 456 for details",
        "Open Universities Australia",
        "CRICOS Course Code: 078241E",  # a course, not a provider
        "ABN pending",
        "Over 2,000 learners with no prior experience",
        "Meets the RTO 2025 Standards",
    ],
)
def test_no_claim_in_ordinary_text(text):
    assert _kinds(text) == set()


def test_text_whose_lower_case_is_longer_still_finds_claims():
    text = "İİİİİ. " * 50 + "Nationally recognised training"  # 250 characters longer
    (claim,) = extract_claims(text)
    assert (claim.kind, claim.text) == ("nationally_recognised", "Nationally recognised training")


def test_learning_outcomes_and_assessment_are_recorded_for_value_checks():
    assert _kinds("What you will learn: build pivot tables. Assessment: an online quiz.") == {
        ("learning_outcomes", "learning outcomes"),
        ("assessment", "assessment"),
    }


def test_a_later_unrelated_negation_does_not_negate():
    assert _kinds("Nationally recognised and is not expensive") == {
        ("nationally_recognised", "nationally recognised")
    }


def test_university_names_stop_at_a_possessive():
    assert _kinds("Run by the University of Wollongong's Learning team") == {
        ("university", "University of Wollongong")
    }


def test_not_only_is_not_a_negation():
    assert _kinds("Not only nationally recognised but practical") == {
        ("nationally_recognised", "nationally recognised")
    }


def test_negation_does_not_reach_across_sentences_or_commas():
    text = "No prerequisites. Nationally recognised. No matter where you are, our accredited course"
    assert _kinds(text) == {("nationally_recognised", "nationally recognised"), ("accredited", "")}


def test_claims_quote_their_sentence_and_keep_the_url():
    text = (
        "Welcome to Skills Co.\nWe are a Registered Training Organisation (RTO 91430) regulated "
        "by ASQA. Enrol today!"
    )
    claims = extract_claims(text, "https://skills.example/about")
    rto = next(claim for claim in claims if claim.kind == "rto_code")
    assert rto.text == "We are a Registered Training Organisation (RTO 91430) regulated by ASQA."
    assert rto.url == "https://skills.example/about"


def test_claims_are_deduplicated_per_kind_and_value_first_occurrence_kept():
    text = "RTO 91430. Nationally recognised.\nFooter: RTO 91430 | nationally recognised training"
    claims = extract_claims(text)
    assert [(c.kind, c.text) for c in claims] == [
        ("rto_code", "RTO 91430."),
        ("nationally_recognised", "Nationally recognised."),
    ]


def test_long_text_windows_are_cut_on_word_boundaries():
    text = "lorem " * 100 + "our nationally recognised courses " + "ipsum " * 100
    (claim,) = extract_claims(text)
    assert claim.text.startswith("lorem ") and claim.text.endswith("ipsum")
    assert len(claim.text) <= 2 * 160 + len("nationally recognised")


# --- page text ---------------------------------------------------------------------------


def test_page_text_keeps_visible_text_blocks_and_alt_text():
    html = (
        "<html><head><title>T</title><script>var rto = 'RTO 1';</script></head><body>"
        "<div>Hello <b>Nationally</b> recognised<p>Para   two</p>tail</div>"
        "<footer>RTO <span>91430</span><img alt='NRT logo' src='x.png'></footer>"
        "<style>.a{}</style><noscript>enable js</noscript></body></html>"
    )
    assert page_text(html) == "Hello Nationally recognised\nPara two\ntail\nRTO 91430\nNRT logo"


def test_page_text_accepts_bytes_and_selectors():
    assert page_text(b"<p>caf\xc3\xa9</p>") == "café"
    assert page_text(Selector(text="<p>a</p><p>b</p>")) == "a\nb"
    assert page_text("") == ""


# --- structured data ---------------------------------------------------------------------

GRAPH_PAGE = """<html><head>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "@id": "https://skills.example/#org", "name": "Skills Co",
   "legalName": "Skills Co Pty Ltd", "url": "/",
   "identifier": [{"@type": "PropertyValue", "propertyID": "ABN", "value": "51 824 753 556"},
                  {"@type": "PropertyValue", "propertyID": "RTO", "value": "91430"}]},
  {"@type": "WebPage", "@id": "https://skills.example/first-aid/#webpage"},
  {"@type": ["Course", "Product"], "name": "Provide First Aid",
   "description": "<p>Learn &amp; practise <b>HLTAID011</b>.</p><p>Nationally recognised.</p>",
   "provider": {"@id": "https://skills.example/#org"},
   "offers": [{"@type": "Offer", "price": "149.00", "priceCurrency": "AUD"},
              {"@type": "Offer", "price": 99, "priceCurrency": "AUD"}],
   "hasCourseInstance": [{"@type": "CourseInstance", "courseMode": "onsite",
                          "courseWorkload": "PT6H"},
                         {"@type": "CourseInstance", "courseMode": "Online"}],
   "educationalCredentialAwarded": {"@type": "EducationalOccupationalCredential",
                                    "name": "Statement of Attainment"}}
]}
</script>
<script type="application/ld+json">{"@type": "Course", "name": "broken", </script>
</head><body><h1>Provide First Aid</h1></body></html>"""


def test_graph_page_maps_to_offering_fields():
    data = read_structured(Selector(text=GRAPH_PAGE), "https://skills.example/first-aid/")
    assert data.malformed == 1
    (course,) = find_objects(data.objects, COURSE_TYPES)
    fields = course_fields(course, "https://skills.example/first-aid/")
    assert fields == {
        "title": "Provide First Aid",
        "url": "https://skills.example/first-aid/",
        "description": "Learn & practise HLTAID011.\nNationally recognised.",
        "provider_name": "Skills Co",
        "price": 99.0,
        "currency": "AUD",
        "price_text": "99",
        "duration_hours": 6.0,
        "duration_min_hours": 6.0,
        "duration_max_hours": 6.0,
        "duration_text": "PT6H",
        "certificate_text": "Statement of Attainment",
        "delivery_mode": "blended",
        "extra": {"schema_type": ["Course", "Product"], "other_prices": [149.0]},
    }


def test_organization_fields_read_identifiers():
    objects = extract_structured(GRAPH_PAGE, "https://skills.example/first-aid/")
    (org,) = find_objects(objects, ORGANIZATION_TYPES)
    assert organization_fields(org, "https://skills.example/first-aid/") == {
        "name": "Skills Co",
        "url": "https://skills.example/",
        "legal_name": "Skills Co Pty Ltd",
        "abn": "51824753556",
        "identifiers": {"RTO": "91430"},
    }


def test_organization_tax_id_is_an_abn():
    org = {"@type": "EducationalOrganization", "name": "X", "taxID": "ABN 51 824 753 556"}
    assert organization_fields(org)["abn"] == "51824753556"


@pytest.mark.parametrize(
    ("course", "expected"),
    [
        (
            {"@type": "Course", "name": "A", "offers": {"@type": "Offer", "category": "free"}},
            {"price": 0.0, "price_text": "free"},
        ),
        ({"@type": "Course", "name": "A", "isAccessibleForFree": "True"}, {"price": 0.0}),
        (
            {
                "@type": "Course",
                "name": "A",
                "offers": {"@type": "AggregateOffer", "lowPrice": "19", "priceCurrency": "USD"},
            },
            {"price": 19.0, "currency": "USD"},
        ),
        (
            {
                "@type": "Course",
                "name": "A",
                "offers": {
                    "@type": "Offer",
                    "priceSpecification": {"price": 1200, "priceCurrency": "AUD"},
                },
            },
            {"price": 1200.0, "currency": "AUD"},
        ),
        (
            {"@type": "Course", "name": "A", "provider": ["Jane Smith", {"name": "Other"}]},
            {"provider_name": "Jane Smith"},
        ),
        (
            {"@type": "Course", "name": "A", "provider": {"@type": "Person", "name": "Dr Lee"}},
            {"provider_name": "Dr Lee"},
        ),
        (
            {
                "@type": "Course",
                "name": "A",
                "timeRequired": "PT90M",
                "hasCourseInstance": {"courseWorkload": "2 hours per week"},
            },
            {"duration_hours": 1.5, "duration_text": "PT90M"},
        ),
        (
            {
                "@type": "Course",
                "name": "A",
                "hasCourseInstance": {"courseWorkload": "4-8 hours/week"},
            },
            {"duration_hours": None, "duration_text": "4-8 hours/week"},
        ),
        (
            {
                "@type": "Course",
                "name": "A",
                "hasCourseInstance": {
                    "@type": "CourseInstance",
                    "location": {"@type": "VirtualLocation"},
                },
            },
            {"delivery_mode": "online"},
        ),
        (
            {
                "@type": "Course",
                "hasCourseInstance": {
                    "courseSchedule": {
                        "@type": "Schedule",
                        "duration": "PT2H",
                        "repeatCount": 8,
                        "repeatFrequency": "Weekly",
                    }
                },
            },
            {"duration_hours": 16.0, "duration_text": "PT2H x 8 Weekly"},
        ),
        (
            {"@type": "Course", "hasCourseInstance": {"courseSchedule": {"duration": "PT3H"}}},
            {"duration_hours": None, "duration_text": "PT3H"},
        ),
        (
            {
                "@type": "Course",
                "name": "A",
                "educationalCredentialAwarded": "Certificate of Completion",
            },
            {"certificate_text": "Certificate of Completion"},
        ),
        (
            {
                "@type": "EducationalOccupationalCredential",
                "name": "Digital badge in SQL",
                "credentialCategory": "badge",
                "recognizedBy": {"name": "Acme Board"},
            },
            {"title": "Digital badge in SQL", "certificate_text": "badge"},
        ),
        (
            {"@type": "Course", "name": ["  Spaced   name "], "url": "/c/1"},
            {"title": "Spaced name", "url": "https://p.example/c/1"},
        ),
        (
            {"@type": "Course"},
            {"title": None, "price": None, "description": None, "delivery_mode": None},
        ),
    ],
)
def test_course_fields_variants(course, expected):
    fields = course_fields(course, "https://p.example/page")
    assert {key: fields[key] for key in expected} == expected


def test_course_extra_keeps_codes_and_recognising_body():
    fields = course_fields(
        {
            "@type": "EducationalOccupationalCredential",
            "courseCode": "BSB40120",
            "recognizedBy": [{"name": "ASQA"}],
            "isAccessibleForFree": False,
        }
    )
    assert fields["extra"] == {
        "schema_type": ["EducationalOccupationalCredential"],
        "course_code": "BSB40120",
        "is_accessible_for_free": False,
        "recognized_by": ["ASQA"],
    }


MICRODATA_PAGE = """<html><body>
<div itemscope itemtype="https://schema.org/Course">
  <h1 itemprop="name">Intro to SQL</h1>
  <div itemprop="description">Queries, joins &amp; indexes.</div>
  <div itemprop="provider" itemscope itemtype="https://schema.org/EducationalOrganization">
    <span itemprop="name">Fernleaf</span></div>
  <div itemprop="offers" itemscope itemtype="http://schema.org/Offer">
    <span itemprop="price" content="49.00">$49</span>
    <meta itemprop="priceCurrency" content="AUD"></div>
  <meta itemprop="timeRequired" content="PT2H32M">
</div></body></html>"""


def test_microdata_reads_like_json_ld():
    objects = extract_structured(MICRODATA_PAGE, "https://fernleaf.example/sql/")
    (course,) = find_objects(objects, COURSE_TYPES)
    fields = course_fields(course, "https://fernleaf.example/sql/")
    assert fields["title"] == "Intro to SQL"
    assert fields["description"] == "Queries, joins & indexes."
    assert fields["provider_name"] == "Fernleaf"
    assert (fields["price"], fields["currency"]) == (49.0, "AUD")
    assert fields["duration_text"] == "PT2H32M"


def test_several_blocks_lists_and_html_comment_wrappers():
    html = """<script type="application/ld+json">[{"@type": "Course", "name": "A"},
    {"@type": "Course", "name": "B"}]</script>
    <script type="application/ld+json"><!-- {"@type": "Course", "name": "C"} --></script>
    <script type="Application/LD+JSON">{"@type": "schema:Course", "name": "D"}</script>
    <script type="application/json">{"@type": "Course", "name": "not schema.org"}</script>"""
    objects = extract_structured(html, "https://p.example/")
    assert [o["name"] for o in find_objects(objects, COURSE_TYPES)] == ["A", "B", "C", "D"]


def test_item_list_urls_and_nested_courses():
    html = """<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
      {"@type": "ListItem", "position": 1, "url": "/courses/a/"},
      {"@type": "ListItem", "position": 2, "item": {"@type": "Course", "name": "B",
                                                     "url": "https://p.example/courses/b/"}},
      "https://p.example/courses/c/"]}</script>"""
    objects = extract_structured(html, "https://p.example/courses/")
    (item_list,) = find_objects(objects, {"ItemList"})
    assert item_list_urls(item_list, "https://p.example/courses/") == [
        "https://p.example/courses/a/",
        "https://p.example/courses/b/",
        "https://p.example/courses/c/",
    ]
    assert [c["name"] for c in find_objects(objects, COURSE_TYPES)] == ["B"]


def test_offer_wrapping_a_course_gives_the_course_its_price():
    html = """<script type="application/ld+json">{"@type": "Offer", "price": "A$250",
      "priceCurrency": "AUD", "itemOffered": {"@type": "Course", "name": "RSA"}}</script>"""
    (course,) = find_objects(extract_structured(html, "https://p.example/"), COURSE_TYPES)
    assert (course_fields(course)["price"], course_fields(course)["currency"]) == (250.0, "AUD")


def test_reference_cycles_do_not_loop():
    html = """<script type="application/ld+json">{"@graph": [
      {"@type": "Organization", "@id": "#o", "name": "O", "subjectOf": {"@id": "#c"}},
      {"@type": "Course", "@id": "#c", "name": "C", "provider": {"@id": "#o"}}]}</script>"""
    objects = extract_structured(html, "https://p.example/")
    (course,) = find_objects(objects, COURSE_TYPES)
    assert course_fields(course)["provider_name"] == "O"


def test_type_names_strip_schema_prefixes():
    assert type_names({"@type": ["http://schema.org/Course", "schema:Product"]}) == {
        "Course",
        "Product",
    }
    assert type_names("Course") == set()


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Plain &amp; simple", "Plain & simple"),
        ("<ul><li>One</li><li>Two</li></ul>", "One\nTwo"),
        ("   ", None),
        (None, None),
    ],
)
def test_clean_description(html, text):
    assert clean_description(html) == text
