"""Matching decisions: the known traps on the real shared registers, and each kind of evidence
on small hand-made registers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credwatch.pipeline import open_work_db
from registry_data.load import load_registers
from scoring.matching import RegisterIndex, build_index, load_index, match_provider


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory, registry_dir: Path) -> RegisterIndex:
    """The full shared snapshot, loaded once for this module by the registers loader."""
    path = tmp_path_factory.mktemp("registers") / "registers.db"
    db = open_work_db(path)
    load_registers(db, registry_dir, progress=False)
    return load_index(db, path)


def accepted(index: RegisterIndex, name: str, url: str | None = None) -> set[str]:
    result = match_provider(name, url, index=index)
    return {f"{m.entry.register}:{m.entry.entry_id}" for m in result.accepted}


def test_curtin_college_is_not_curtin_university(registers: RegisterIndex) -> None:
    found = accepted(registers, "Curtin College")
    assert "cricos:02042G" in found
    assert "cricos:00301J" not in found
    assert "cricos:00301J" in accepted(registers, "Curtin University")


def test_monash_college_is_not_monash_university(registers: RegisterIndex) -> None:
    found = accepted(registers, "Monash College")
    assert "cricos:01857J" in found
    assert "cricos:00008C" not in found


@pytest.mark.parametrize("name", ["RMIT English Worldwide", "RMIT Training"])
def test_rmit_companies_are_not_rmit_university(registers: RegisterIndex, name: str) -> None:
    found = accepted(registers, name)
    assert "cricos:01912G" in found
    assert "cricos:00122A" not in found


@pytest.mark.parametrize(
    ("acronym", "entry"),
    [("RMIT", "cricos:00122A"), ("UNSW", "cricos:00098G"), ("TAFE NSW", "cricos:00591E")],
)
def test_acronyms_match_through_aliases(registers: RegisterIndex, acronym: str, entry: str) -> None:
    assert entry in accepted(registers, acronym)


def test_short_acronym_without_alias_is_not_guessed_from_characters(
    registers: RegisterIndex,
) -> None:
    result = match_provider("RMTI", index=registers)
    assert result.decision == "not_found"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Udemy", "https://www.udemy.com/"),
        ("Coursera", "https://www.coursera.org/"),
        ("edX", "https://www.edx.org/"),
    ],
)
def test_mooc_platforms_are_on_no_register(registers: RegisterIndex, name: str, url: str) -> None:
    result = match_provider(name, url, index=registers)
    assert result.decision == "not_found"
    assert result.reason.startswith("not found")


def test_generic_shared_rto_name_is_only_probable(registers: RegisterIndex) -> None:
    result = match_provider("VOCATIONAL EDUCATION AND TRAINING", index=registers)
    assert {m.decision for m in result.accepted} == {"probable"}
    assert len(result.accepted) > 4
    assert "same-named entries" in result.reason


def test_bracketed_qualifier_picks_the_one_namesake(registers: RegisterIndex) -> None:
    assert accepted(registers, "Vocational Education and Training (BRIT)") == {"rto:0656"}


def test_one_provider_on_cricos_and_rto_returns_both(registers: RegisterIndex) -> None:
    assert accepted(registers, "Lyons College", "https://www.lyons.edu.au/") == {
        "cricos:03578M",
        "rto:21986",
    }


def test_domain_with_subdomain_and_reason(registers: RegisterIndex) -> None:
    result = match_provider("RMIT University", "https://online.rmit.edu.au/x", index=registers)
    best = result.accepted[0]
    assert (best.entry.entry_id, best.decision, best.domain_match) == ("00122A", "matched", True)
    assert "domain rmit.edu.au" in result.reason and "CRICOS 00122A" in result.reason


def test_invented_look_alike_is_rejected_with_its_best_candidate(registers: RegisterIndex) -> None:
    result = match_provider("Wichita Technical University Online", index=registers)
    assert result.decision == "not_found"
    assert result.rejected, "a not_found names the best candidate tried"
    assert "below" in result.reason or "agree only" in result.reason


def test_typo_is_probable_not_matched(registers: RegisterIndex) -> None:
    result = match_provider("Flinders Univresity", index=registers)
    assert result.accepted[0].entry.entry_id == "00114A"
    assert result.accepted[0].decision == "probable"
    assert result.accepted[0].name_score < 100


def row(register: str, entry_id: str, legal_name: str, **extra: object) -> dict:
    """A `registry_entries` row with the columns the matcher reads."""
    return {
        "register": register,
        "entry_id": entry_id,
        "legal_name": legal_name,
        "trading_names": json.dumps(extra.pop("trading_names", [])),
        "aliases": json.dumps(extra.pop("aliases", [])),
        "status": extra.pop("status", "registered"),
        "is_current": 1,
        **extra,
    }


@pytest.fixture
def small() -> RegisterIndex:
    return build_index(
        [
            row(
                "cricos",
                "03578M",
                "Coleraine Share Trading Pty Ltd",
                trading_names=["Lyons College"],
                website_domain="lyons.edu.au",
                abn="12 345 678 901",
            ),
            row("rto", "21986", "Coleraine Share Trading Pty Ltd", status="Current"),
            row(
                "teqsa",
                "PRV12345",
                "Harbourview Institute of Higher Education Pty Ltd",
                website_domain="harbourview.edu.au",
            ),
            row(
                "ipeds",
                "122755",
                "San Jose State University",
                aliases=["SJSU"],
                website_domain="sjsu.edu",
            ),
            row(
                "cricos",
                "03743C",
                "National Australian Institute of Technology Pty Ltd",
                trading_names=["N/A"],
            ),
        ]
    )


def test_register_id_seen_on_a_page_is_the_strongest_evidence(small: RegisterIndex) -> None:
    result = match_provider("Coleraine Training", ids=["0021986"], index=small)
    entry_ids = {m.entry.entry_id: m for m in result.accepted}
    assert entry_ids["21986"].id_match and entry_ids["21986"].decision == "matched"
    assert "03578M" in entry_ids  # the same legal person on CRICOS


def test_an_id_of_an_unrelated_organisation_is_rejected(small: RegisterIndex) -> None:
    result = match_provider("Redgum Ridge Workplace Skills", ids=["21986"], index=small)
    assert result.accepted == []
    assert result.rejected[0].entry.entry_id == "21986" and result.rejected[0].id_match
    assert "shares no identifying word" in result.reason


def test_abn_is_an_id_too(small: RegisterIndex) -> None:
    result = match_provider("Lyons", ids=["12345678901"], index=small)
    assert result.accepted[0].entry.entry_id == "03578M"
    assert result.accepted[0].confidence == pytest.approx(0.99)


def test_teqsa_entry_matched_by_name_and_domain(small: RegisterIndex) -> None:
    result = match_provider(
        "Harbourview Institute of Higher Education",
        "https://study.harbourview.edu.au/",
        index=small,
    )
    assert [(m.entry.register, m.entry.entry_id) for m in result.accepted] == [
        ("teqsa", "PRV12345")
    ]
    assert result.accepted[0].domain_match


def test_domain_alone_with_a_loosely_similar_name_decides(small: RegisterIndex) -> None:
    result = match_provider(
        "Short courses at San Jose State", "https://online.sjsu.edu", index=small
    )
    assert result.accepted[0].entry.entry_id == "122755"
    assert result.accepted[0].domain_match


def test_placeholder_trading_name_is_not_a_name(small: RegisterIndex) -> None:
    assert match_provider("N/A", index=small).decision == "not_found"


def test_raw_feature_scores_are_kept(small: RegisterIndex) -> None:
    evidence = match_provider("Lyons College", index=small).accepted[0].evidence()
    assert evidence == {
        "how": "exact-trading",
        "name_score": 100.0,
        "coverage": None,
        "domain_match": False,
        "id_match": False,
        "website_domain": "lyons.edu.au",
    }


@pytest.mark.parametrize(
    ("typed", "entry"),
    [
        ("Nobel Colelge", "rto:91527"),
        ("Sacramento Ciyt College", "ipeds:122180"),
        ("School fo Hairdressing Pty Ltd", "cricos:03016A"),
        ("Results Training Group tPy Ltd", "rto:4047"),
    ],
)
def test_one_swapped_pair_of_letters_is_a_typo(
    registers: RegisterIndex, typed: str, entry: str
) -> None:
    assert entry in accepted(registers, typed)


@pytest.mark.parametrize(
    "invented",
    ["Mark University", "College of Training Excellence Online", "Healing Beauty University"],
)
def test_invented_names_close_to_real_ones_are_not_found(
    registers: RegisterIndex, invented: str
) -> None:
    assert match_provider(invented, index=registers).decision == "not_found"


@pytest.mark.parametrize(
    ("acronym", "entry", "rejected"),
    [
        # CRICOS writes "Charles Darwin University (CDU)"; the two IPEDS aliases "CDU" do not
        # spell their own names' initials, so they rank below it.
        ("CDU", "cricos:00300K", set()),
        # The University of West Alabama's IPEDS alias spells its name too: one claimant per
        # country, and the Australian one answers (the other is listed, rejected).
        ("UWA", "cricos:00126G", {"ipeds:101587"}),
    ],
)
def test_an_acronym_one_provider_per_country_claims_resolves_to_the_australian_one(
    registers: RegisterIndex, acronym: str, entry: str, rejected: set[str]
) -> None:
    result = match_provider(acronym, index=registers)
    assert result.decision == "matched"
    assert result.accepted[0].entry.label == entry.replace(":", " ").upper()
    assert {f"{m.entry.register}:{m.entry.entry_id}" for m in result.rejected} == rejected


def test_an_acronym_several_providers_of_one_country_claim_lists_them_all(
    registers: RegisterIndex,
) -> None:
    result = match_provider("CSU", index=registers)
    assert result.decision == "not_found"
    assert "names" in result.unmatched and "different providers" in result.unmatched
    candidates = {f"{m.entry.register}:{m.entry.entry_id}" for m in result.rejected}
    assert {"cricos:00005F", "ipeds:139366", "ipeds:144005", "ipeds:217688"} <= candidates


def test_computed_initials_count_only_without_a_register_alias(registers: RegisterIndex) -> None:
    # IPEDS lists "JCU" for John Carroll University; James Cook's "JCU" is only computed.
    assert accepted(registers, "JCU") == {"ipeds:203368"}
    # Only computed initials: Australian and American National University, one per country.
    assert "cricos:00120C" in accepted(registers, "ANU")


def test_an_acronym_no_register_name_or_initials_gives_stays_unmatched(
    registers: RegisterIndex,
) -> None:
    result = match_provider("QXU", index=registers)
    assert result.decision == "not_found"
    assert result.rejected == []


def test_website_tells_namesakes_apart(registers: RegisterIndex) -> None:
    assert "cricos:00126G" in accepted(registers, "UWA", "https://www.uwa.edu.au/")
    assert "ipeds:101587" not in accepted(registers, "UWA", "https://www.uwa.edu.au/")
    assert accepted(registers, "UWA", "https://www.uwa.edu/") == {"ipeds:101587"}


@pytest.mark.parametrize(
    ("with_campus", "entry"),
    [
        ("Baxter Institute - Melbourne CBD", "cricos:02233M"),
        ("University of Southern Queensland Melbourne", "cricos:00244B"),
        ("Mayfair College Pty Ltd Melbourne", "cricos:03589G"),
        ("Queens College Online", "cricos:03000J"),
    ],
)
def test_campus_or_city_added_to_a_brand(
    registers: RegisterIndex, with_campus: str, entry: str
) -> None:
    result = match_provider(with_campus, index=registers)
    assert entry in {f"{m.entry.register}:{m.entry.entry_id}" for m in result.accepted}
    assert "campus/city words removed" in result.reason


def test_reordered_words_with_a_legal_suffix_in_the_middle(registers: RegisterIndex) -> None:
    assert "rto:4023" in accepted(registers, "Australia Pilkington Automotive Division Ltd")


def test_a_long_alias_shared_by_a_chain_names_all_its_campuses(registers: RegisterIndex) -> None:
    result = match_provider("Baldwin Beauty Schools", index=registers)
    assert len(result.accepted) >= 2
    assert {m.entry.register for m in result.accepted} == {"ipeds"}


def test_a_similar_name_on_another_website_is_a_lookalike(small: RegisterIndex) -> None:
    elsewhere = match_provider("Lyons Colege", "https://lyonscollege-online.com/", index=small)
    assert elsewhere.accepted == []
    assert "rejected: its website is lyons.edu.au" in elsewhere.reason
    at_home = match_provider("Lyons Colege", "https://www.lyons.edu.au/", index=small)
    assert at_home.accepted and at_home.accepted[0].entry.entry_id == "03578M"
