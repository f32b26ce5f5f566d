"""`credwatch serve`: a real Datasette process on the published database, read-only and safe.

Detailed page checks run in-process (`Datasette(...).client`, same configuration as the
command); one end-to-end test starts `credwatch serve` as a real server on a free port.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.sample_db import REDGUM, SURVIVE, XSS_TITLE, publish_sample
from helpers.serving import in_process_datasette, running_server

from credwatch.cli import cli
from credwatch.publish import build_public_db


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_sample(tmp_path_factory.mktemp("scored"), scored=True)


def test_real_server_serves_tables_and_canned_queries_and_denies_sql(published: Path):
    with running_server(published) as url:
        offerings = httpx.get(f"{url}/credwatch/offerings.json?_shape=array").json()
        lookup = httpx.get(
            f"{url}/credwatch/provider_lookup.json", params={"name": "survive", "_shape": "array"}
        ).json()
        sql = httpx.get(f"{url}/credwatch.json", params={"sql": "select 1"})
        sql_html = httpx.get(f"{url}/credwatch", params={"sql": "select 1"})
        report = httpx.get(f"{url}/-/report/{REDGUM}")
        off_site = httpx.get(f"{url}//evil.example/")
        not_found = httpx.get(f"{url}/credwatch/nonexistent-evil-text")

    assert sorted(row["title"] for row in offerings) == [
        XSS_TITLE,
        "Provide Cardiopulmonary Resuscitation (HLTAID009)",
        "Provide First Aid (HLTAID011)",
    ]
    assert [(row["found_in"], row["provider_id"], row["entry_id"]) for row in lookup] == [
        ("crawled provider", SURVIVE, None),
        ("register: rto", None, "40764"),
    ]
    assert sql.status_code == 403
    assert sql_html.status_code == 403
    assert report.status_code == 200
    assert "Report card: Redgum Ridge Skills" in report.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report.text
    assert "<script>alert(1)" not in report.text
    assert not off_site.headers.get("location", "").startswith("//evil")
    assert not_found.status_code == 404
    assert "nonexistent-evil-text" not in not_found.text


async def test_report_card_shows_score_contributions_and_register_evidence(published: Path):
    response = await in_process_datasette(published).client.get(f"/-/report/{REDGUM}")
    html = response.text

    assert response.status_code == 200
    assert "Grade <strong>E</strong>" in html
    assert "The RTO code shown belongs to a different organisation." in html
    assert "<blockquote>RTO 21703</blockquote>" in html
    # the register entry behind the claimed code, with its snapshot
    assert "Emergency First Aid Pty Ltd, status <strong>Current</strong>" in html
    assert "register snapshot 2016-02-19" in html
    # crawled text is escaped and script URLs are never links
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;b&gt;FREE&lt;/b&gt; accredited certificate" in html
    assert 'href="javascript:' not in html
    assert '<span class="unlinked-url">javascript:alert(document.cookie)</span>' in html
    assert f'href="http://{REDGUM}/about/"' in html


async def test_report_card_of_unscored_provider_says_not_scored_yet(tmp_path: Path):
    datasette = in_process_datasette(publish_sample(tmp_path, scored=False))
    html = (await datasette.client.get(f"/-/report/{SURVIVE}")).text

    assert "not scored yet" in html
    assert "Provide First Aid (HLTAID011)" in html
    assert "SURVIVE FIRST AID PTY LTD, status <strong>Current</strong>" in html
    # a footer claim repeated on two pages is shown once, with its page count
    assert html.count("<blockquote>RTO 40764</blockquote>") == 1
    assert "and 1 more page<" in html
    assert "Grade" not in html


async def test_report_card_urls_and_links(published: Path):
    datasette = in_process_datasette(published)
    tilde_escaped = await datasette.client.get("/-/report/127~2E0~2E0~2E1~3A18101")
    missing = await datasette.client.get("/-/report/no-such-provider.example")
    report_view = await datasette.client.get("/credwatch/provider_report")

    assert "Report card: Survive First Aid" in tilde_escaped.text
    assert missing.status_code == 404
    assert f'<a href="/-/report/{SURVIVE}">{SURVIVE}</a>' in report_view.text


async def test_metadata_gives_sources_licences_and_facets(published: Path):
    datasette = in_process_datasette(published)
    registers = (await datasette.client.get("/credwatch/registry_entries")).text
    offerings = await datasette.client.get(
        "/credwatch/offerings.json?_search=cardiopulmonary&_shape=objects"
    )

    assert "CC BY 2.5 AU" in registers
    assert "licence is to be checked" in registers
    assert "public domain" in registers
    assert 'id="facet-register"' in registers
    assert [row["title"] for row in offerings.json()["rows"]] == [
        "Provide Cardiopulmonary Resuscitation (HLTAID009)"
    ]
    assert set(offerings.json()["facet_results"]) == {"provider_name", "currency", "flags"}


def test_serve_refuses_missing_or_misnamed_database(tmp_path: Path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["serve", "--out", str(tmp_path / "credwatch.db")])
    other = tmp_path / "other.db"
    other.write_bytes(b"")
    misnamed = runner.invoke(cli, ["serve", "--out", str(other)])

    assert missing.exit_code == 2
    assert "published database not found" in missing.output
    assert misnamed.exit_code == 2
    assert "must be named credwatch.db" in misnamed.output


def test_publish_under_a_running_server_then_restart_and_rollback(tmp_path: Path):
    db = publish_sample(tmp_path, scored=True)
    work = sqlite_utils.Database(tmp_path / "work.db")
    work["offerings"].insert(
        {**next(work["offerings"].rows), "id": "offering-4", "title": "Provide CPR Refresher"}
    )
    work.close()

    def offering_count(url: str) -> int:
        return len(httpx.get(f"{url}/credwatch/offerings.json?_shape=array").json())

    with running_server(db) as url:
        assert offering_count(url) == 3
        build_public_db(tmp_path / "work.db", db)
        # the swap is atomic: the running server keeps answering from a complete file
        assert httpx.get(f"{url}/credwatch/offerings.json").status_code == 200
    with running_server(db) as url:
        assert offering_count(url) == 4
    os.replace(tmp_path / "credwatch.prev.db", db)  # rollback
    with running_server(db) as url:
        assert offering_count(url) == 3
