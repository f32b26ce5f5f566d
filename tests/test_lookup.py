"""The learner's lookup page, register cards and the report card that adds up, on a real
`credwatch serve` of the demo's published database (real register snapshots)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers.serving import running_server


@pytest.fixture(scope="module")
def site(demo_output: Path) -> Iterator[str]:
    with running_server(demo_output / "credwatch.db") as url:
        yield url


def lookup(site: str, q: str) -> dict:
    response = httpx.get(f"{site}/-/lookup.json", params={"q": q}, timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("q", ["RMIT Universty", "RMIT", "rmit.edu.au", "00122A", "CRICOS 00122A"])
def test_lookup_finds_rmit_from_a_misspelling_an_acronym_an_address_or_a_code(site, q):
    report = lookup(site, q)
    assert report["decision"] in ("matched", "probable")
    entries = [(e["register"], e["entry_id"]) for e in report["entries"]]
    assert entries[0] == ("cricos", "00122A")
    assert ("rto", "3046") in entries  # the same legal person on training.gov.au
    assert report["entries"][0]["legal_name"] == "Royal Melbourne Institute of Technology"
    assert report["entries"][0]["as_of"] == "Registered as of 3 Jan 2023"


def test_lookup_by_rto_code_with_its_prefix(site):
    report = lookup(site, "RTO 0029")
    assert report["query"]["read_as"] == "code"
    assert (report["entries"][0]["register"], report["entries"][0]["entry_id"]) == ("rto", "0029")
    assert report["entries"][0]["as_of"] == "Cancelled as of 19 Feb 2016"
    assert report["verdict"] == "on a register, but not current there"


def test_lookup_prefers_the_current_australian_institute_of_management(site):
    report = lookup(site, "Australian Institute of Management")
    first = report["entries"][0]
    assert first["is_current"] and report["verdict"] == "registered"
    found = {(e["register"], e["entry_id"]) for e in report["entries"]}
    assert {("rto", "0049"), ("cricos", "03769D")} <= found
    assert ("rto", "0200") in found  # the non-current namesake is still listed, after


def test_lookup_of_coursera_says_not_on_any_register_and_keeps_the_rejected_apart(site):
    report = lookup(site, "Coursera")
    assert report["verdict"] == "not on any register we searched"
    assert report["entries"] == []
    assert "training.gov.au (RTO)" in report["registers_searched"]
    html = httpx.get(f"{site}/-/lookup", params={"q": "Coursera"}).text
    registered_part, _, rejected_part = html.partition('<section class="rejected">')
    assert "not on any register we searched" in registered_part
    assert "Registers searched:" in registered_part
    assert "Courtenay Kaye" not in registered_part  # the rejected candidate only below
    assert "Not this provider" in rejected_part and "Courtenay Kaye" in rejected_part


def test_lookup_escapes_the_query(site):
    html = httpx.get(f"{site}/-/lookup", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_lookup_links_a_crawled_provider_to_its_report_card(site):
    report = lookup(site, "Survive First Aid")
    card = report["report_card"]
    assert card and card.startswith("/-/report/")
    assert httpx.get(f"{site}{card}").status_code == 200


def test_register_card_of_an_entry_no_crawl_reached(site):
    report = lookup(site, "CRICOS 00122A")
    card_url = report["entries"][0]["register_card"]
    html = httpx.get(f"{site}{card_url}").text
    card = httpx.get(f"{site}{card_url}.json").json()
    assert "CRICOS 00122A: Royal Melbourne Institute of Technology" in html
    assert "Registered as of 3 Jan 2023" in html
    assert card["reference"] == "CRICOS 00122A"
    assert httpx.get(f"{site}/-/register/rto/no-such-id").status_code == 404


def test_home_page_has_the_lookup_box(site):
    html = httpx.get(f"{site}/").text
    assert 'action="/-/lookup"' in html and 'name="q"' in html


def demo_provider_ids(site: str) -> list[str]:
    rows = httpx.get(f"{site}/credwatch/providers.json?_shape=array").json()
    return [row["id"] for row in rows]


def test_every_demo_report_card_adds_up_and_its_html_shows_the_same_numbers(site):
    ids = demo_provider_ids(site)
    assert len(ids) >= 6
    for provider_id in ids:
        card = httpx.get(f"{site}/-/report/{provider_id}.json").json()
        assert card["scored"], provider_id
        shown = [row["shown"] for row in card["rows"]]
        range_shown = card["range"]["shown"] if card["range"] else 0
        assert card["start"] == 65
        assert card["start"] + sum(shown) + range_shown == card["total_shown"], provider_id
        exact = card["start"] + sum(r["points"] for r in card["rows"])
        range_points = card["range"]["points"] if card["range"] else 0
        assert round(exact + range_points, 2) == card["total"], provider_id
        if card["range"]:  # only the 0-100 range, never an unexplained difference
            assert card["range"]["label"].startswith("the score range ends at")
        html = httpx.get(f"{site}/-/report/{provider_id}").text
        table = html.split('<table class="rows-and-columns contributions">')[1].split("</table>")[0]
        points = re.findall(
            r'<td class="points" data-label="Points">(?:<strong>)?([+-]?\d+)', table
        )
        expected = [65, *shown, *([range_shown] if card["range"] else []), card["total_shown"]]
        assert [int(p) for p in points] == expected, provider_id
        assert f"score <strong>{card['total_shown']}</strong>/100" in html
        assert html.count('<p class="summary">') == 1
        assert "built-in method" not in html
        assert '<svg class="waterfall"' in html
        offerings = html.split('<table class="rows-and-columns offerings">')[1].split("</table>")[0]
        assert not re.search(r"\bPT?\d+[HMD]\b", offerings)  # "5 hours", never "5 h PT5H"


def test_unregistered_provider_shows_its_rejected_candidate_apart(site):
    cards = [httpx.get(f"{site}/-/report/{i}.json").json() for i in demo_provider_ids(site)]
    unregistered = [c for c in cards if not c["registrations"] and c["rejected_candidates"]]
    assert unregistered
    for card in unregistered:
        html = httpx.get(f"{site}/-/report/{card['provider']['id']}").text
        registration, _, rest = html.partition('<section class="rejected">')
        assert "Not on any register we searched" in registration
        assert "Not this provider" in rest
