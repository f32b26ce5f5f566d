"""Rules as data: every declaration complete, a new rule is one declaration, and the published
database explains every rule id it cites."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from scoring.claim_checks import ProviderEvidence
from scoring.flags.model import FlagHit
from scoring.flags.reading import ListingReading
from scoring.rules import RULES, Finding, RuleBook
from scoring.run import score_database

# Every rule id with its declared points and cap; scores depend on these staying put.
DECLARED = {
    "REGISTERED": (20, 25),
    "REGISTRATION_NOT_CURRENT": ("computed", 25),
    "CODE_NOT_ON_REGISTER": (-25, 30),
    "CODE_OF_OTHER_ORGANISATION": (-30, 35),
    "CODE_CONFIRMED": (10, 10),
    "UNREGISTERED_NO_CLAIMS": (0, None),
    "NATIONAL_RECOGNITION_UNBACKED": (-25, 25),
    "INVALID_ABN": (-10, 10),
    "UNIVERSITY_TITLE_UNBACKED": (-20, 20),
    "REGULATOR_NAMED_UNREGISTERED": (-15, 15),
    "VAGUE_RECOGNITION": (-10, 20),
    "LOOKALIKE_NAME": (-20, 20),
    "LIFE_EXPERIENCE_CREDENTIAL": (-25, 25),
    "SAME_DAY_CERTIFICATE": (-15, 15),
    "GUARANTEED_OUTCOME": (-15, 15),
    "BLOCKED_CHEATING_SITE": ("computed", 60),
    "FREE_CERTIFICATE": ("computed", 15),
    "OVER_NICHE": (-4, 12),
    "SHORT_DURATION": (-2, 6),
    "NO_ASSESSMENT_OR_OUTCOMES": (-2, 6),
    "ATTENDANCE_CERTIFICATE": (-2, 6),
    "INFLATED_QUALIFICATION_NAME": ("computed", 12),
    "TRANSPARENT_LISTINGS": (5, 5),
    "OVERRIDE_CORRECTION": ("computed", 30),
    "DECISION_IN_EFFECT": ("computed", 50),
    "DECISION_WRITTEN_DIRECTION": (-2, 4),
    "DECISION_SET_ASIDE": (0, None),
    "DECISION_STATUS_UNCLEAR": (0, None),
    "SCOPE_COURSE_CONFIRMED": (3, 6),
    "SCOPE_COURSE_OF_OTHER_PROVIDER": (-15, 30),
    "SCOPE_COURSE_EXPIRED": (-10, 20),
    "SCOPE_NATIONAL_CODE_NOT_ON_OWN_CRICOS": (0, None),
    "SCOPE_NOT_VERIFIABLE": (0, None),
    "SCOPE_ON_RTO_SCOPE": (2, 6),
    "SCOPE_NOT_ON_RTO_SCOPE": (-8, 24),
}
OFFERING_RULES = {
    "FREE_CERTIFICATE",
    "OVER_NICHE",
    "SHORT_DURATION",
    "NO_ASSESSMENT_OR_OUTCOMES",
    "ATTENDANCE_CERTIFICATE",
    "INFLATED_QUALIFICATION_NAME",
}


def test_every_rule_is_declared_with_its_points_and_cap():
    declared = {
        rule.rule_id: ("computed" if callable(rule.points) else rule.points, rule.cap)
        for rule in RULES
    }
    assert declared == DECLARED
    assert {rule.rule_id for rule in RULES.of("offering")} == OFFERING_RULES


@pytest.mark.parametrize("rule", list(RULES), ids=lambda rule: rule.rule_id)
def test_every_rule_has_meaning_guidance_sources_a_sentence_and_a_check(rule):
    assert len(rule.meaning.split()) > 3 and rule.meaning.endswith(".")
    assert rule.guidance.strip()
    assert rule.sources and all(url.startswith(("http://", "https://")) for url in rule.sources)
    assert rule.template.strip() and callable(rule.check)
    assert rule.applies_to in ("provider", "offering")
    if callable(rule.points):
        assert rule.points_text.startswith("computed: ") and len(rule.points_text) > 30
    else:
        assert rule.points_text == rule.points


def test_computed_points_say_how_in_the_rules_table():
    row = RULES["REGISTRATION_NOT_CURRENT"].row()
    assert "-25 when the entry is suspended" in row["points"]
    assert "-10 when it is cancelled" in row["points"]
    assert json.loads(RULES["FREE_CERTIFICATE"].row()["sources"])[-1].startswith("https://dewr")


def test_a_contribution_cites_its_rule_guidance_and_sources():
    source = RULES["INVALID_ABN"].source
    assert source.startswith("R14 no verifiable business identity")
    assert "https://abr.business.gov.au/Help/AbnFormat" in source


def test_a_malformed_or_repeated_declaration_is_refused():
    book = RuleBook(RULES["INVALID_ABN"])
    with pytest.raises(ValueError, match="declared twice"):
        book.add(RULES["INVALID_ABN"])
    with pytest.raises(ValueError, match="UPPER_SNAKE"):
        _declare(book, "lower_case")
    with pytest.raises(ValueError, match="docstring"):
        _declare(book, "UNDOCUMENTED_POINTS", points=lambda finding: -1)


def _declare(book: RuleBook, rule_id: str, points=-1) -> None:
    @book.rule(
        rule_id,
        applies_to="provider",
        points=points,
        cap=1,
        template="t",
        meaning="m",
        guidance="g",
        sources=["https://example.test/"],
    )
    def check(ev: ProviderEvidence) -> Iterator[Finding]:
        yield Finding()


# -- adding a rule is one declaration ----------------------------------------------------------

THROWAWAY = RuleBook()


@THROWAWAY.rule(
    "PLAIN_HTTP_SITE",
    applies_to="provider",
    points=-7,
    cap=7,
    template="Its site {url} is served without HTTPS.",
    meaning="The provider's own website is served over plain HTTP.",
    guidance="A throwaway rule for this test",
    sources=["https://example.test/plain-http"],
)
def plain_http_site(ev: ProviderEvidence) -> Iterator[Finding]:
    if ev.url.startswith("http://"):
        yield Finding({"url": ev.url}, evidence_url=ev.url)


@THROWAWAY.rule(
    "SHOUTED_TITLE",
    applies_to="offering",
    points=-3,
    cap=5,
    template="'{title}' is written in capitals ({reason}).",
    meaning="The course title is all capital letters.",
    guidance="A throwaway flag for this test",
    sources=["https://example.test/shouting"],
)
def shouted_title(offering: ListingReading) -> FlagHit | None:
    title = offering.listing.title
    if title.isupper():
        return FlagHit("SHOUTED_TITLE", 1, "every letter a capital", title)
    return None


def small_work_db(path: Path) -> sqlite_utils.Database:
    db = open_work_db(path)
    db["registry_entries"].insert(
        {"register": "rto", "entry_id": "0029", "legal_name": "Australian Taxation Office"}
    )
    db["providers"].insert(
        {"id": "shouty.test", "name": "Shouty Skills", "url": "http://shouty.test/"}
    )
    db["offerings"].insert_all(
        {
            "id": f"o{number}",
            "provider_id": "shouty.test",
            "provider_name": "Shouty Skills",
            "title": title,
            "url": f"http://shouty.test/c{number}",
            "price": 20.0,
            "duration_hours": 3.0,
        }
        for number, title in enumerate(["FORKLIFT SAFETY", "FIRST AID NOW", "Calm Course"])
    )
    return db


def test_a_new_rule_and_a_new_flag_are_scored_flagged_and_listed(tmp_path: Path):
    path = tmp_path / "work.db"
    db = small_work_db(path)

    report = score_database(db, path, rules=THROWAWAY)

    [score] = report.lowest
    assert score.score == 65 - 7 - 5  # the flag's -3 on two offerings is capped at 5
    assert {row["rule_id"] for row in db["rules"].rows} == {"PLAIN_HTTP_SITE", "SHOUTED_TITLE"}
    flagged = {row["offering_id"]: row["rule_id"] for row in db["flags"].rows}
    assert flagged == {"o0": "SHOUTED_TITLE", "o1": "SHOUTED_TITLE"}
    rows = list(db.query("select * from score_contributions order by rule_id, evidence_url"))
    assert [row["reason"] for row in rows] == [
        "Its site http://shouty.test/ is served without HTTPS.",
        "'FORKLIFT SAFETY' is written in capitals (every letter a capital).",
        "'FIRST AID NOW' is written in capitals (every letter a capital).",
    ]
    assert rows[1]["source"] == (
        "A throwaway flag for this test. Sources: https://example.test/shouting"
    )


def test_the_declared_rules_are_written_on_every_score_run(tmp_path: Path):
    path = tmp_path / "work.db"
    db = small_work_db(path)
    score_database(db, path, rules=THROWAWAY)

    score_database(db, path)

    assert [row["rule_id"] for row in db["rules"].rows] == [rule.rule_id for rule in RULES]
    assert "SHOUTED_TITLE" not in {row["rule_id"] for row in db["flags"].rows}


# -- the published database -------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(demo_output: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(demo_output / "credwatch.db")


def test_every_cited_rule_id_is_in_the_published_rules_table(published):
    declared = {row["rule_id"] for row in published["rules"].rows}
    assert declared == {rule.rule_id for rule in RULES}
    for table in ("score_contributions", "flags"):
        cited = {row["rule_id"] for row in published.query(f"select rule_id from {table}")}
        assert cited and cited <= declared, table
    unexplained = published.execute(
        "select count(*) from score_contributions c left join rules r using (rule_id) "
        "where r.rule_id is null"
    ).fetchone()[0]
    assert unexplained == 0


def test_every_published_contribution_names_its_source(published):
    rows = list(
        published.query(
            "select c.source, r.guidance, r.sources from score_contributions c "
            "join rules r using (rule_id)"
        )
    )
    assert rows
    for row in rows:
        assert row["source"].startswith(row["guidance"])
        assert all(url in row["source"] for url in json.loads(row["sources"]))


def test_published_rules_keep_numbers_as_numbers_and_say_what_is_computed(published):
    points = {
        row["rule_id"]: row["points"]
        for row in published.query("select rule_id, points from rules")
    }
    assert points["CODE_OF_OTHER_ORGANISATION"] == -30
    assert points["BLOCKED_CHEATING_SITE"].startswith("computed: -60 when the provider's own site")


def test_check_shows_what_each_rule_means(demo_output: Path):
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "Redgum Ridge Workplace Skills",
            "--db",
            str(demo_output / "demo-work.db"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    contributions = json.loads(result.stdout)["score"]["contributions"]
    other = next(c for c in contributions if c["rule_id"] == "CODE_OF_OTHER_ORGANISATION")
    assert other["meaning"] == RULES["CODE_OF_OTHER_ORGANISATION"].meaning
    text = CliRunner().invoke(
        cli, ["check", "Redgum Ridge Workplace Skills", "--db", str(demo_output / "demo-work.db")]
    )
    assert "belongs to a different organisation" in " ".join(text.stdout.split())
