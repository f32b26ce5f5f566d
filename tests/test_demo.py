"""The demo: its provider sites say what their README says, and `credwatch demo` runs end to end."""

from __future__ import annotations

import csv
import json
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.serving import in_process_datasette
from parsel import Selector

from credwatch.cli import cli
from credwatch.demo import load_demo_sites

SITES = {site.path.name: site for site in load_demo_sites()}


def course_graphs(site_dir: Path) -> list[dict]:
    """The JSON-LD `@graph` nodes of every page of a site, each tagged with its page."""
    nodes = []
    for page in sorted(site_dir.rglob("index.html")):
        for block in Selector(page.read_text()).css('script[type="application/ld+json"]::text'):
            nodes += [{**node, "_page": page} for node in json.loads(block.get())["@graph"]]
    return nodes


@pytest.fixture(scope="module")
def rto_list(registry_dir: Path) -> dict[str, dict]:
    with (registry_dir / "au" / "tga_rto_list_2016-02-19.csv").open(encoding="utf-8") as f:
        return {row["Code"]: row for row in csv.DictReader(f)}


def test_every_site_has_a_sitemap_of_existing_pages_and_course_json_ld():
    assert len(SITES) >= 4
    for name, site in SITES.items():
        sitemap = (site.path / "sitemap.xml").read_text()
        paths = [
            urlsplit(loc.replace("__BASE_URL__", "http://x")).path
            for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)
        ]
        assert 5 <= len(paths) <= 8, name
        for path in paths:
            assert (site.path / path.lstrip("/") / "index.html").is_file(), (name, path)
        courses = [node for node in course_graphs(site.path) if node["@type"] == "Course"]
        assert len(courses) >= 3, name
        for course in courses:
            assert course["offers"]["priceCurrency"] in {"AUD", "USD"}
            assert re.fullmatch(r"PT\d+[HM]", course["hasCourseInstance"]["courseWorkload"])
            assert course["provider"] == {"@id": "__BASE_URL__/#organization"}


def test_registered_site_shows_its_own_current_rto_code(rto_list: dict[str, dict]):
    survive = SITES["survive-first-aid"]
    footer = (survive.path / "index.html").read_text()
    assert "RTO 40764" in footer
    entry = rto_list["40764"]
    assert entry["Status"] == "Current"
    assert entry["Name"].lower().startswith(survive.name.lower())
    free = [
        c
        for c in course_graphs(survive.path)
        if c["@type"] == "Course" and c["offers"]["price"] == "0.00"
    ]
    assert len(free) == 1 and "Fee-free" in free[0]["_page"].read_text()


def test_dubious_sites_show_codes_of_other_or_cancelled_registrations(rto_list: dict[str, dict]):
    redgum = (SITES["redgum-ridge-workplace-skills"].path / "index.html").read_text()
    quaywater = (SITES["quaywater-forklift-training"].path / "index.html").read_text()
    assert "RTO 21703" in redgum
    assert rto_list["21703"]["Name"] == "Emergency First Aid Pty Ltd"
    assert "RTO No. 91608" in quaywater
    assert rto_list["91608"]["Status"] == "Cancelled"


def test_invented_names_are_not_in_the_registers(registry_dir: Path):
    invented = ["Redgum Ridge", "Quaywater", "Lessonbloom", "Fernleaf", "Holmesglenn", "Tern Point"]
    for register_file in (registry_dir / "au").glob("*.csv"):
        text = register_file.read_text(encoding="utf-8").lower()
        assert not [name for name in invented if name.lower() in text], register_file.name
    # the look-alike imitates a real registered institution on purpose
    cricos = (registry_dir / "au" / "cricos_institutions_2023-01-03.csv").read_text()
    assert "Holmesglen Institute" in cricos


def test_demo_publishes_registers_and_demo_offerings(demo_output: Path):
    db = sqlite_utils.Database(demo_output / "credwatch.db")
    providers = {row["name"] for row in db["providers"].rows}
    assert providers == {site.name for site in SITES.values()}
    titles = {row["title"] for row in db["offerings"].rows}
    assert "Provide Cardiopulmonary Resuscitation (HLTAID009)" in titles
    assert "Checking for Understanding Using Gestures" in titles
    assert db["offerings"].count == 29
    registers = dict(db.execute("select register, count(*) from registry_entries group by 1"))
    assert registers["rto"] == 11250
    assert registers["cricos"] == 1394
    assert [row["title"] for row in db["offerings"].search("dyslexia")] == [
        "Structured Literacy: Teaching Reading to Students with Dyslexia"
    ]
    # every demo provider went through scoring and has a report row
    report = {row["provider_name"]: row for row in db.view("provider_report").rows}
    assert set(report) == providers
    assert all(row["grade"] for row in report.values())
    assert (demo_output / "demo-work.db").is_file()


def test_published_claims_and_flags_agree_on_free_certificates(demo_output: Path):
    """One judge decides both: an offering has a free_certificate claim exactly when it has the
    FREE_CERTIFICATE flag. A claim with no offering comes from a page that is no course's page
    (the home page, "About"): the flags, which are per offering, have nothing to say there."""
    db = sqlite_utils.Database(demo_output / "credwatch.db")
    flagged = {row["offering_id"] for row in db["flags"].rows_where("rule_id = 'FREE_CERTIFICATE'")}
    claims = list(db["claims"].rows_where("kind = 'free_certificate'"))
    assert {claim["offering_id"] for claim in claims if claim["offering_id"]} == flagged
    titles = {row["id"]: row["title"] for row in db["offerings"].rows}
    assert "Provide First Aid in an Education and Care Setting (HLTAID012) – Fee-Free" in {
        titles[offering_id] for offering_id in flagged
    }  # fee-free: the one flagged offering the crawler used to leave unclaimed
    course_pages = {row["url"] for row in db["offerings"].rows}
    page_claims = [claim for claim in claims if claim["offering_id"] is None]
    assert page_claims and not {claim["url"] for claim in page_claims} & course_pages
    withheld = db["claims"].rows_where("kind = 'disclaimer' and value = 'free_certificate'")
    assert not {claim["offering_id"] for claim in withheld} & flagged


async def test_demo_report_cards_quote_the_register(demo_output: Path):
    db = sqlite_utils.Database(demo_output / "credwatch.db")
    ids = {row["name"]: row["id"] for row in db["providers"].rows}
    datasette = in_process_datasette(demo_output / "credwatch.db")

    quaywater = (
        await datasette.client.get(f"/-/report/{ids['Quaywater Forklift & Safety Training']}")
    ).text
    survive = (await datasette.client.get(f"/-/report/{ids['Survive First Aid']}")).text

    assert "High Risk Training &amp; Assessing, status <strong>Cancelled</strong>" in quaywater
    assert "register snapshot 2016-02-19" in quaywater
    assert "SURVIVE FIRST AID PTY LTD, status <strong>Current</strong>" in survive
    assert "Grade <strong>" in survive


def test_demo_refuses_a_taken_port_before_building(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["demo", "--port", str(port), "--out-dir", str(tmp_path / "out")]
        )

    assert result.exit_code == 2
    assert f"127.0.0.1:{port}: port not available" in result.output
    assert not (tmp_path / "out").exists()


async def test_demo_report_card_shows_an_inflated_diploma_with_its_aqf_citation(demo_output: Path):
    """The 2-hour "Free Diploma of Business Administration" of the unregistered look-alike."""
    db = sqlite_utils.Database(demo_output / "credwatch.db")
    ids = {row["name"]: row["id"] for row in db["providers"].rows}
    (flag,) = db["flags"].rows_where(
        "rule_id = 'INFLATED_QUALIFICATION_NAME' and reason like '%Diploma%2 h%'"
    )
    assert "AQF level 5 Diploma: volume of learning 1-2 years" in flag["reason"]
    datasette = in_process_datasette(demo_output / "credwatch.db")
    card = (await datasette.client.get(f"/-/report/{ids['Holmesglenn Institute Online']}")).text
    assert "INFLATED_QUALIFICATION_NAME" in card or "AQF level 5 Diploma" in card
    assert "AQF level 5 Diploma" in card
