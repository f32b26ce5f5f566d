"""ASQA's regulatory decisions: a register source read by a spider into `regulatory_decisions`.

The fixture site (`tests/fixtures/sites/asqa_decisions`) is modelled on asqa.gov.au's
decision pages: a paged listing, Drupal label/value fields, and an older page whose fields
come as a definition list in another order.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.paths import FIXTURES
from helpers.spiders import crawl_register_site
from parsel import Selector

from crawler.spiders.registers.asqa_decisions import decision_from_page
from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.registers.asqa_decisions import in_effect

SITE = FIXTURES / "sites" / "asqa_decisions"
DECISION_IDS = ["0763-0", "22479", "41231", "45339", "45473", "45810", "47102"]


def page_decision(decision_id: str):
    html = (SITE / "decisions" / decision_id / "index.html").read_text(encoding="utf-8")
    return decision_from_page(Selector(html), f"https://www.asqa.gov.au/decisions/{decision_id}")


def test_a_decision_page_gives_its_fields() -> None:
    decision = page_decision("45339")
    assert (decision.organisation_name, decision.rto_code) == (
        "Brindabella Skills Institute Pty Ltd",
        "41877",
    )
    assert (decision.decision_type, decision.date_of_decision) == ("Cancellation", "2019-11-26")
    assert decision.status_of_decision == (
        "Settled pursuant to terms of agreement at the AAT – decision set aside"
    )
    assert decision.status_of_review == "No review available"
    assert decision.review_information.startswith("Following AAT review, the parties reached")
    assert decision.details.startswith("The Commissioner, Regulatory Operations decided to")
    assert page_decision("45810").date_of_effect == "2024-04-16"


@pytest.mark.parametrize("decision_id", ["41231", "0763-0"])
def test_fields_are_read_by_label_whatever_their_order_or_layout(decision_id: str) -> None:
    decision = page_decision(decision_id)
    assert decision.decision_type in {"Part suspension", "Rejection of renewal"}
    assert decision.rto_code in {"40333", "90812"}
    assert decision.date_of_decision in {"2022-02-09", "2017-05-02"}
    assert decision.status_of_decision and decision.details


def test_a_page_without_a_decision_id_gives_nothing() -> None:
    assert decision_from_page(Selector("<h1>Decisions</h1>"), "https://x/decisions") is None


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("In effect", True),
        ("AAT affirmed decision - decision in effect", True),
        ("Settled pursuant to terms of agreement at the AAT – decision set aside", False),
        ("Reconsideration finalised - decision varied - decision not current", False),
        ("Reassessment finalised – suspension lifted", False),
        ("Under review", None),
        (None, None),
    ],
)
def test_status_wording_says_whether_a_decision_is_in_effect(status, expected) -> None:
    assert in_effect(status) is expected


def crawl_decisions(site_root: Path, to_dir: Path) -> tuple[subprocess.CompletedProcess, list]:
    return crawl_register_site("asqa_decisions", site_root, to_dir)


def load(folder: Path, db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["registers", "load", "--from", str(folder), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output


def test_crawl_through_the_paged_listing_into_regulatory_decisions(tmp_path: Path) -> None:
    out = tmp_path / "decisions"
    result, requested = crawl_decisions(SITE, out)
    assert result.returncode == 0, result.stderr[-3000:]
    today = datetime.now(UTC).date().isoformat()
    feed = out / f"asqa-decisions-{today}.jsonl"
    assert [path.name for path in out.iterdir()] == [feed.name]
    assert "/decisions?page=1" in requested
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert sorted(record["decision_id"] for record in records) == DECISION_IDS

    db_path = tmp_path / "work.db"
    load(out, db_path)
    rows = {
        row["decision_id"]: row
        for row in open_work_db(db_path).query("select * from regulatory_decisions")
    }
    assert sorted(rows) == DECISION_IDS
    in_effect_by_id = {key: row["in_effect"] for key, row in rows.items()}
    assert in_effect_by_id == {
        "0763-0": 1,
        "22479": 1,
        "41231": 1,
        "45339": 0,
        "45473": 0,
        "45810": 1,
        "47102": 1,
    }
    cancelled = rows["45810"]
    assert (cancelled["rto_code"], cancelled["decision_type"]) == ("45120", "Cancellation")
    assert cancelled["source_url"].endswith("/decisions/45810")
    assert (cancelled["first_seen"], cancelled["last_seen"]) == (today, today)


def test_a_later_load_keeps_first_seen_and_a_vanished_decision(tmp_path: Path) -> None:
    """Decisions accumulate: a page taken down keeps its row and its last_seen."""
    result, _ = crawl_decisions(SITE, tmp_path / "crawl")
    assert result.returncode == 0, result.stderr[-3000:]
    (feed,) = (tmp_path / "crawl").glob("*.jsonl")
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    early, late = tmp_path / "early", tmp_path / "late"
    early.mkdir(), late.mkdir()
    shutil.copy(feed, early / "asqa-decisions-2026-01-05.jsonl")
    varied = [
        {**r, "status_of_decision": "Reconsideration finalised - decision revoked"}
        if r["decision_id"] == "45810"
        else r
        for r in records
        if r["decision_id"] != "47102"
    ]
    lines = "".join(json.dumps(record) + "\n" for record in varied)
    (late / "asqa-decisions-2026-02-09.jsonl").write_text(lines, encoding="utf-8")
    db_path = tmp_path / "work.db"
    load(early, db_path)
    load(late, db_path)
    rows = {
        row["decision_id"]: row
        for row in open_work_db(db_path).query("select * from regulatory_decisions")
    }
    assert (rows["45810"]["first_seen"], rows["45810"]["last_seen"]) == (
        "2026-01-05",
        "2026-02-09",
    )
    assert rows["45810"]["in_effect"] == 0
    assert (rows["47102"]["first_seen"], rows["47102"]["last_seen"]) == (
        "2026-01-05",
        "2026-01-05",
    )
    load(early, db_path)  # an older snapshot again: the newer status stays
    row = open_work_db(db_path)["regulatory_decisions"].get(("asqa", "45810"))
    assert (row["in_effect"], row["last_seen"]) == (0, "2026-02-09")
