"""The RTO scope source (training.gov.au GetDetails responses): recognised and loaded into
`registry_scopes`, fetched from a configured address with the access grant's credentials,
and read by the scope rules: a national code on its RTO's current scope is confirmed, one
off it costs points citing the scope snapshot, and without a scope the sentence says which
registers were used."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.crawl import fault_site, page
from helpers.paths import FIXTURES
from helpers.sample_db import build_sample_work_db, rto_entry

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.fetch import fetch_registers, how_fetched
from registry_data.load import load_registers
from registry_data.registers import REGISTERS
from scoring.claim_checks import ProviderEvidence
from scoring.flags.qualification import RULE_ID as INFLATED
from scoring.flags.qualification import clear_on_scope
from scoring.rules import RULES
from scoring.run import score_database
from scoring.scope import CourseRegister, RtoScope

SCOPE_FILE = FIXTURES / "tga_scope" / "tga-scope-2026-11-30.xml"
WATTLE = {
    "register": "rto",
    "entry_id": "45991",
    "legal_name": "Wattle Creek Skills Pty Ltd",
    "is_current": True,
}


@pytest.fixture
def scope_db(tmp_path: Path) -> sqlite_utils.Database:
    folder = tmp_path / "registers"
    folder.mkdir()
    shutil.copy(SCOPE_FILE, folder / "saved-response.tga-scope-2026-11-30.xml")
    db = open_work_db(tmp_path / "work.db")
    load_registers(db, folder, progress=False)
    return db


def test_a_getdetails_response_loads_each_scope_item(scope_db) -> None:
    rows = {row["nrt_code"]: row for row in scope_db["registry_scopes"].rows}
    assert set(rows) == {"BSB50420", "BSBLDR523", "HLTAID011", "CHC33015", "CHC50121"}
    assert {code for code, row in rows.items() if row["is_current"]} == {
        "BSB50420",
        "BSBLDR523",
        "HLTAID011",
    }
    ended, refused = rows["CHC33015"], rows["CHC50121"]
    assert (ended["end_date"], ended["is_current"]) == ("2025-02-28", 0)
    assert (refused["is_refused"], refused["is_current"]) == (1, 0)
    assert rows["BSBLDR523"]["is_implicit"] == 1
    assert rows["BSB50420"]["rto_code"] == "45991"
    assert rows["BSB50420"]["organisation_name"] == "Wattle Creek Skills Pty Ltd"
    assert rows["BSB50420"]["snapshot_date"] == "2026-11-30"


def test_a_broken_response_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "registers"
    folder.mkdir()
    text = SCOPE_FILE.read_text(encoding="utf-8")
    (folder / "tga-scope-2026-12-01.xml").write_text(text[: len(text) // 2], encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["registers", "load", "--quiet", "--from", str(folder), "--db", str(tmp_path / "w.db")],
    )
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert "tga-scope-2026-12-01.xml: not a readable XML scope response" in line


def test_fetched_from_the_configured_address_with_the_grant_credentials(
    tmp_path: Path, monkeypatch
) -> None:
    body, seen = SCOPE_FILE.read_bytes(), []

    def guarded(handler) -> None:
        seen.append(handler.headers.get("Authorization"))
        page(body, content_type="text/xml")(handler)

    register = REGISTERS["tga_scope"]
    monkeypatch.delenv("CREDWATCH_TGA_SCOPE_URL", raising=False)
    assert "CREDWATCH_TGA_SCOPE_URL is not set" in how_fetched(register)
    with fault_site({"/scope/responses.xml": guarded}) as site:
        monkeypatch.setenv("CREDWATCH_TGA_SCOPE_URL", f"{site.base_url}/scope/responses.xml")
        monkeypatch.setenv("CREDWATCH_TGA_USERNAME", "grant-user")
        monkeypatch.setenv("CREDWATCH_TGA_PASSWORD", "grant-secret")
        monkeypatch.setattr("registry_data.fetch.REGISTERS", {"tga_scope": register})
        [saved] = fetch_registers(tmp_path / "fetched")
    assert saved.name.startswith("tga-scope-") and saved.read_bytes() == body
    assert seen == ["Basic " + base64.b64encode(b"grant-user:grant-secret").decode()]


SCOPE = RtoScope.of(
    [
        {
            "rto_code": "45991",
            "nrt_code": "BSB50420",
            "is_current": 1,
            "snapshot_date": "2026-11-30",
        },
        {
            "rto_code": "45991",
            "nrt_code": "CHC33015",
            "is_current": 0,
            "end_date": "2025-02-28",
            "snapshot_date": "2026-11-30",
        },
    ]
)


# One CRICOS course of another provider, so the CRICOS course list counts as held.
CRICOS_COURSE = {
    "course_code": "091234B",
    "provider_code": "01234A",
    "course_name": "Diploma of Nursing",
    "vet_national_code": "HLT54115",
    "expired": 0,
    "snapshot_date": "2023-01-03",
}


def claim(code: str) -> dict:
    return {"kind": "national_code", "value": code, "text": code, "url": "https://w.example/c"}


def scored(codes: list[str], scope: RtoScope = SCOPE, matches=(WATTLE,)) -> dict[str, list]:
    ev = ProviderEvidence(
        "p1",
        "Wattle Creek Skills",
        "https://w.example",
        matches=list(matches),
        claims=[claim(code) for code in codes],
        courses=CourseRegister.of([CRICOS_COURSE], scope),
    )
    contributions, _ = RULES.evaluate(ev)
    found: dict[str, list] = {}
    for contribution in contributions:
        if contribution.rule_id.startswith("SCOPE"):
            found.setdefault(contribution.rule_id, []).append(contribution)
    return found


def test_a_code_on_its_rtos_current_scope_is_confirmed() -> None:
    [confirmed] = scored(["BSB50420"])["SCOPE_ON_RTO_SCOPE"]
    assert confirmed.points == 2
    assert "current scope of its own RTO 45991" in confirmed.reason
    assert "scope snapshot of 2026-11-30" in confirmed.reason
    assert (confirmed.register, confirmed.snapshot_date) == ("tga_scope", "2026-11-30")


def test_a_code_off_its_scope_costs_points_citing_the_snapshot() -> None:
    found = scored(["CHC33015", "SIT30622"])
    ended, absent = found["SCOPE_NOT_ON_RTO_SCOPE"]
    assert ended.points == absent.points == -8
    assert "CHC33015, which left its scope on 2025-02-28 as its own RTO 45991" in ended.reason
    assert "SIT30622, which is not on its scope" in absent.reason
    assert "training.gov.au scope snapshot of 2026-11-30" in absent.reason
    assert "SCOPE_NOT_VERIFIABLE" not in found


def test_without_a_scope_the_sentence_names_the_registers_used() -> None:
    [unknown] = scored(["BSB50420"], scope=RtoScope())["SCOPE_NOT_VERIFIABLE"]
    assert "the CRICOS course list is the only course register held" in unknown.reason
    other_rto = {**WATTLE, "entry_id": "52011"}
    [elsewhere] = scored(["BSB50420"], matches=(other_rto,))["SCOPE_NOT_VERIFIABLE"]
    assert "the scope loaded holds nothing about its RTO" in elsewhere.reason
    assert "SCOPE_NOT_ON_RTO_SCOPE" not in scored(["BSB50420"], matches=())


def test_another_providers_cricos_code_names_the_registers_the_sentence_could_use() -> None:
    own_cricos = {"register": "cricos", "entry_id": "05991A", "legal_name": "Wattle Creek Skills"}
    other_rto = {**WATTLE, "entry_id": "52011"}

    def note(scope: RtoScope, rto: dict) -> str:
        found = scored(["HLT54115"], scope=scope, matches=(rto, own_cricos))
        [other] = found["SCOPE_NATIONAL_CODE_NOT_ON_OWN_CRICOS"]
        return other.reason

    assert "its RTO's training.gov.au scope, loaded, is checked for it" in note(SCOPE, WATTLE)
    assert "the scope loaded holds nothing about its RTO" in note(SCOPE, other_rto)
    assert "the CRICOS course list is the only course register held" in note(RtoScope(), WATTLE)


def test_a_short_real_qualification_on_scope_is_not_flagged_as_inflated() -> None:
    offerings = [
        {"id": "dip", "title": "BSB50420 Diploma of Leadership and Management", "description": ""},
        {"id": "fake", "title": "Diploma of Life Coaching", "description": "2 hours online"},
    ]
    flags = [RULES.flag_offering({**o, "duration_hours": 8.0}) for o in offerings]
    assert all(INFLATED in f.hits for f in flags)
    clear_on_scope(flags, offerings, SCOPE.current_codes(["45991"]))
    assert [INFLATED in f.hits for f in flags] == [False, True]


def test_scoring_reads_the_scope_and_links_a_decision_through_the_matcher(tmp_path: Path) -> None:
    path = build_sample_work_db(tmp_path / "work.db", scored=False)
    db = sqlite_utils.Database(path)
    db["registry_entries"].insert(
        rto_entry("45991", "WATTLE CREEK SKILLS PTY. LTD.", "Current", "2012-07-01", "")
    )
    folder = tmp_path / "scope"
    folder.mkdir()
    shutil.copy(SCOPE_FILE, folder / SCOPE_FILE.name)
    load_registers(db, folder, progress=False)
    site, seen = "127.0.0.1:18109", "2026-11-29T06:00:00+00:00"
    db["providers"].insert(
        {"id": site, "name": "Wattle Creek Skills", "url": f"http://{site}/", "last_seen": seen}
    )
    courses = {"dip": "BSB50420 Diploma of Leadership and Management", "life": "Diploma of Life"}
    for offering_id, title in courses.items():
        db["offerings"].insert(
            {
                "id": offering_id,
                "provider_id": site,
                "provider_name": "Wattle Creek Skills",
                "title": title,
                "url": f"http://{site}/courses/{offering_id}/",
                "description": "Online, self-paced.",
                "duration_hours": 8.0,
            }
        )
    claims = [("rto_code", "45991"), ("national_code", "BSB50420"), ("national_code", "SIT30622")]
    db["claims"].insert_all(
        {"id": f"c{n}", "provider_id": site, "kind": kind, "value": value, "text": value}
        for n, (kind, value) in enumerate(claims)
    )
    db["regulatory_decisions"].insert_all(
        {
            "regulator": "asqa",
            "decision_id": decision_id,
            "organisation_name": name,
            "decision_type": "Conditions",
            "date_of_decision": "2025-05-01",
            "status_of_decision": "In effect",
            "in_effect": 1,
        }
        for decision_id, name in (
            ("t1", "Wattle Creek Skills Pty Ltd"),
            ("t2", "Wattle Grove Skills"),
        )
    )
    score_database(db, path, overrides=[])
    rules = {
        row["rule_id"]: row
        for row in db["score_contributions"].rows_where("provider_id = ?", [site])
    }
    assert "BSB50420" in rules["SCOPE_ON_RTO_SCOPE"]["reason"]
    assert "SIT30622, which is not on its scope" in rules["SCOPE_NOT_ON_RTO_SCOPE"]["reason"]
    assert "matched to RTO 45991 (matched" in rules["DECISION_IN_EFFECT"]["reason"]
    flagged = {row["offering_id"] for row in db["flags"].rows_where("rule_id = ?", [INFLATED])}
    assert flagged == {"life"}  # the Diploma on its RTO's scope is a real qualification
    links = {row["decision_id"]: row for row in db["regulatory_decisions"].rows}
    assert (links["t1"]["linked_by"], links["t1"]["linked_entry_id"]) == ("matcher", "45991")
    assert links["t2"]["linked_by"] is None  # a look-alike the matcher rejects never links
