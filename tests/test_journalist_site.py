"""The journalist's Datasette: every table and column described, sourced and licensed; the
canned queries answer in HTML, JSON, CSV (and Atom for the feeds); the home page says how old
the data is; the about page says what a score means and how to dispute it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
import yaml
from helpers.sample_db import REDGUM, publish_sample
from helpers.serving import in_process_datasette

from credwatch.serve import SITE_DIR

QUERIES = yaml.safe_load((SITE_DIR / "metadata.yml").read_text())["databases"]["credwatch"][
    "queries"
]
# A value for every named parameter the canned queries take.
PARAMETERS = {
    "name": "first aid",
    "provider": "",
    "min_score": "",
    "from_date": "2000-01-01",
    "on_date": "2023-01-03",
    "to_date": "2100-01-01",
    "register": "",
    "since_run": "",
    "provider_id": "",
    "grade": "",
    "rule_id": "",
    "search": "first aid",
}


@pytest.fixture(scope="module", params=["demo", "sample"])
def published(request, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database (built from the shared registers when present) and the sample."""
    if request.param == "demo":
        return request.getfixturevalue("demo_output") / "credwatch.db"
    return publish_sample(tmp_path_factory.mktemp("sample"), scored=True)


async def test_every_published_table_and_column_has_a_description_source_and_licence(
    published: Path,
):
    datasette = in_process_datasette(published)
    await datasette.invoke_startup()
    db = sqlite_utils.Database(published)
    hidden = set(await datasette.get_database("credwatch").hidden_table_names())
    problems = []
    for table in [*db.table_names(), *db.view_names()]:
        if table in hidden:
            continue
        meta = datasette.table_metadata("credwatch", table)
        for key in ("description", "source", "license"):
            if not meta.get(key) and not meta.get(f"{key}_html"):
                problems.append(f"{table}: no {key}")
        described = meta.get("columns") or {}
        problems += [
            f"{table}.{column}: no description"
            for column in db[table].columns_dict
            if not described.get(column)
        ]
    assert problems == []


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_every_canned_query_has_a_title_a_description_and_json_and_csv(
    published: Path, name: str
):
    query = QUERIES[name]
    assert query.get("title") and query.get("description")
    params = {param: PARAMETERS[param] for param in query.get("params", [])}
    if name == "provider_lookup":
        params = {"name": "first"}
    client = in_process_datasette(published).client
    for extension in ("", ".json", ".csv"):
        response = await client.get(f"/credwatch/{name}{extension}", params=params)
        assert response.status_code == 200, (name, extension, response.text[:300])
    if name.endswith("_feed"):
        feed = await client.get(f"/credwatch/{name}.atom", params=params)
        assert feed.status_code == 200
        assert (
            feed.headers["content-type"].startswith("application/xml")
            or "atom" in (feed.headers["content-type"])
        )
        assert "<feed" in feed.text


async def test_name_search_escapes_full_text_syntax(published: Path):
    client = in_process_datasette(published).client
    response = await client.get(
        "/credwatch/offerings_by_flag_and_provider.json",
        params={"rule_id": "", "search": 'first" OR aid*) NEAR(', "_shape": "array"},
    )
    assert response.status_code == 200


async def test_home_page_says_when_each_part_was_last_updated_and_links_the_guides(
    published: Path,
):
    html = (await in_process_datasette(published).client.get("/")).text
    assert "Last updated" in html
    assert "crawl finished" in html
    assert "snapshots rto 2016-02-19" in html or "rto 2016-02-19" in html
    for link in ('href="/about"', 'href="/-/dashboard"', 'href="/credwatch#queries"'):
        assert link in html


async def test_about_page_explains_the_score_and_the_dispute_path(published: Path):
    response = await in_process_datasette(published).client.get("/about")
    assert response.status_code == 200
    for text in (
        "indicative",
        'href="/credwatch/rules"',
        'id="dispute"',
        "What to send",
        "Where",
        "What happens next",
        "expiry",
    ):
        assert text in response.text


async def test_crawled_tables_name_the_crawl_date_as_their_source(tmp_path: Path):
    datasette = in_process_datasette(publish_sample(tmp_path, scored=True))
    await datasette.invoke_startup()
    source = datasette.table_metadata("credwatch", "offerings")["source"]
    assert source.startswith("Provider websites, crawled on ")
    assert "unknown" not in source


async def test_report_card_links_the_dispute_path(tmp_path: Path):
    datasette = in_process_datasette(publish_sample(tmp_path, scored=True))
    html = (await datasette.client.get(f"/-/report/{REDGUM}")).text
    assert 'href="/about#dispute"' in html
    assert "No correction has been made to this report card." in html
