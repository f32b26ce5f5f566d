"""The name normaliser: every spelling difference the registers and learners produce."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, utils

from scoring.normalise import (
    acronym_prefix,
    content_tokens,
    fold,
    normalise,
    query_variants,
    register_forms,
    university_swap,
    without_lead_in,
    without_location,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The Management Edge Pty Ltd", "management edge"),
        ("Training Group Pty Ltd, The", "training group"),
        ("McDonald College Ltd, The", "mcdonald college"),
        ("NATIONAL INSTITUTE OF TECHNOLOGY PTY. LTD.", "national institute of technology"),
        ("Mears Construction & Training", "mears construction and training"),
        ("Methodist Ladies' College Limited", "methodist ladies college"),
        ("Grŵp Llandrillo Menai", "grwp llandrillo menai"),
        ("YWAM Townsville Assoc. Inc.", "ywam townsville"),
        ("International Institute (Aust) Pty Ltd", "international institute"),
        (
            "Monster Solutions Pty Ltd as trustee for Monster Solutions Unit Trust",
            "monster solutions",
        ),
        (
            "Australian Safety & Training Group Pty Ltd ATF ASTGroup Trust",
            "australian safety and training group",
        ),
        ("Vocational Training Group Pty Ltd ACN 094 203 684", "vocational training group"),
        ("People & Performance Solutions P/L", "people and performance solutions"),
    ],
)
def test_normalise_removes_what_does_not_identify_a_provider(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_slash_separates_words_so_placeholders_stay_apart_from_real_acronyms() -> None:
    assert fold("N/A") == "n a"
    assert fold("NA") == "na"


def test_bracketed_part_kept_only_on_request() -> None:
    name = "VOCATIONAL EDUCATION AND TRAINING (BRIT)"
    assert normalise(name) == "vocational education and training"
    assert normalise(name, keep_brackets=True) == "vocational education and training brit"
    assert register_forms(name) == [
        "vocational education and training",
        "vocational education and training brit",
    ]


def test_trading_as_names_both_parts() -> None:
    forms = register_forms("Jasmine Education Group Pty Ltd t/a Queen Anne Business College")
    assert "jasmine education group" in forms
    assert "queen anne business college" in forms


def test_university_of_x_and_x_university_are_one_name() -> None:
    assert university_swap("university of arkansas at pine bluff") == (
        "arkansas at pine bluff university"
    )
    assert university_swap("queensland university") == "university of queensland"
    assert university_swap("macquarie college") is None


def test_campus_words_stripped_from_the_end_only_and_never_to_nothing() -> None:
    assert without_location("baxter institute melbourne cbd") == [
        "baxter institute melbourne",
        "baxter institute",
    ]
    assert without_location("mayfair college pty ltd melbourne") == ["mayfair college"]
    assert without_location("melbourne city college australia") == []
    assert without_location("melbourne") == []


def test_marketing_lead_in_removed() -> None:
    assert without_lead_in("study online with global institute") == "global institute"
    assert without_lead_in("global institute") == "global institute"


def test_query_variants_try_the_exact_form_first() -> None:
    exact, variants = query_variants("Study Online with Muirden Senior College")
    assert exact == ["study online with muirden senior college"]
    assert variants == {"muirden senior college": "lead-in words removed"}
    exact, variants = query_variants("Abbey College Australia - Melbourne CBD")
    assert exact == ["abbey college australia melbourne cbd"]
    assert "abbey college australia" in variants


def test_acronym_brand_prefix_needs_two_capitalised_words_and_more_after() -> None:
    assert acronym_prefix("TAFE NSW - Sydney Institute") == "tafe nsw"
    assert acronym_prefix("TAFE NSW Technical and Further Education Commission") == "tafe nsw"
    assert acronym_prefix("UQ College") is None
    assert acronym_prefix("SUPERIOR TRAINING CENTRE PTY LTD") is None


def test_rapidfuzz_needs_an_explicit_processor() -> None:
    """Pinned from rapidfuzz's README: without a processor case alone costs most of the score."""
    assert fuzz.WRatio("this is a word", "THIS IS A WORD") < 30
    assert fuzz.WRatio("this is a word", "THIS IS A WORD", processor=utils.default_process) == 100


def test_swapped_letters_in_a_legal_suffix_still_remove_it() -> None:
    assert normalise("Mary Watson College tPy Ltd") == "mary watson college"
    assert normalise("Skill360 Australia Lmiited") == "skill360 australia"


def test_suffix_never_stripped_into_a_dangling_of() -> None:
    assert normalise("University of CO") == "university of co"
    assert without_location("university of cairns") == []


def test_stopword_typos_are_not_identifying_words() -> None:
    assert content_tokens("school fo hairdressing") == ["school", "hairdressing"]
    assert content_tokens("united tax adn accounting") == ["united", "tax", "accounting"]
