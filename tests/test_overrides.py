"""Reviewed corrections: validated on load, applied by every scoring run, published, shown."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner
from helpers.sample_db import REDGUM, SURVIVE, build_sample_work_db
from helpers.serving import in_process_datasette

from credwatch.cli import cli
from credwatch.core.errors import CredwatchError
from credwatch.publish import build_public_db
from scoring.overrides import DEFAULT_OVERRIDES, load_overrides
from scoring.run import score_database

CONTRIBUTION = {
    "id": "OV-2026-001",
    "provider_id": REDGUM,
    "kind": "contribution",
    "requested_by": "the provider",
    "reviewed_by": "credwatch editor",
    "decided": "2026-01-10",
    "reason": "The provider now shows its own RTO code; the old page was an archived copy.",
    "changes": "CODE_BELONGS_TO_OTHER",
    "points": 10,
    "expires": "2099-01-10",
}
REJECT_MATCH = {
    **CONTRIBUTION,
    "id": "OV-2026-002",
    "provider_id": SURVIVE,
    "kind": "match",
    "requested_by": "a reader",
    "reason": "Survive First Aid Pty Ltd is a different company from the RTO of that name.",
    "changes": "match rto 40764",
    "register": "rto",
    "entry_id": "40764",
    "decision": "reject",
}
EXPIRED = {**CONTRIBUTION, "id": "OV-2020-001", "decided": "2020-01-01", "expires": "2021-01-01"}


def write_overrides(path: Path, *entries: dict) -> Path:
    path.write_text(yaml.safe_dump({"overrides": list(entries)}, sort_keys=False))
    return path


def test_the_repository_file_is_valid():
    assert DEFAULT_OVERRIDES.is_file()
    load_overrides(DEFAULT_OVERRIDES)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires": "next year"}, "override OV-2026-001: expires must be a date (YYYY-MM-DD)"),
        ({"reviewed_by": ""}, "override OV-2026-001: missing reviewed_by"),
        ({"kind": "delete"}, "override OV-2026-001: kind must be one of contribution, match"),
        ({"points": 500}, "override OV-2026-001: points must be non-zero and at most 30"),
        ({"expires": "2025-01-01"}, "override OV-2026-001: expires must be after decided"),
        ({"colour": "red"}, "override OV-2026-001: unknown field colour"),
    ],
)
def test_a_bad_entry_is_refused_with_one_line_naming_it(tmp_path: Path, change, message):
    path = write_overrides(tmp_path / "overrides.yml", {**CONTRIBUTION, **change})
    with pytest.raises(CredwatchError) as error:
        load_overrides(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert "\n" not in str(error.value)


def test_a_match_override_needs_its_entry_and_an_id_is_used_once(tmp_path: Path):
    incomplete = {key: value for key, value in REJECT_MATCH.items() if key != "entry_id"}
    with pytest.raises(CredwatchError, match="OV-2026-002: a match override needs entry_id"):
        load_overrides(write_overrides(tmp_path / "a.yml", incomplete))
    with pytest.raises(CredwatchError, match="OV-2026-001: id used twice"):
        load_overrides(write_overrides(tmp_path / "b.yml", CONTRIBUTION, CONTRIBUTION))


def test_score_command_refuses_a_bad_file_with_exit_2(tmp_path: Path):
    work = build_sample_work_db(tmp_path / "work.db", scored=False)
    bad = write_overrides(tmp_path / "overrides.yml", {**CONTRIBUTION, "decided": "soon"})
    result = CliRunner().invoke(cli, ["score", "--db", str(work), "--overrides", str(bad)])
    assert result.exit_code == 2
    assert "override OV-2026-001: decided must be a date" in result.output


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample crawl scored with the three overrides, and published."""
    directory = tmp_path_factory.mktemp("corrected")
    work = build_sample_work_db(directory / "work.db", scored=False)
    path = write_overrides(directory / "overrides.yml", CONTRIBUTION, REJECT_MATCH, EXPIRED)
    db = sqlite_utils.Database(work)
    score_database(db, work, overrides=load_overrides(path))
    db.close()
    return build_public_db(work, directory / "credwatch.db").path


def test_contribution_override_adds_a_reviewed_contribution_and_keeps_the_evidence(
    corrected: Path,
):
    db = sqlite_utils.Database(corrected)
    rows = list(db.query("select * from score_contributions where provider_id = ?", [REDGUM]))
    overrides = [row for row in rows if row["rule_id"] == "OVERRIDE_CORRECTION"]
    assert [row["points"] for row in overrides] == [10.0]  # the expired one is not applied
    assert overrides[0]["reason"].startswith(
        "Reviewed correction OV-2026-001 (asked by the provider, reviewed by credwatch editor "
        "on 2026-01-10, corrects CODE_BELONGS_TO_OTHER): The provider now shows"
    )
    assert len(rows) > 1  # the findings it answers are still there


def test_match_override_sets_a_wrong_match_aside_with_its_reason(corrected: Path):
    db = sqlite_utils.Database(corrected)
    match = db["provider_matches"].get((SURVIVE, "rto", "40764"))
    assert match["decision"] == "not_found"
    assert "reviewed correction OV-2026-002" in match["reason"]
    assert "(matcher: " in match["reason"]


def test_every_override_is_published_with_its_status(corrected: Path):
    db = sqlite_utils.Database(corrected)
    statuses = {row["id"]: row["status"] for row in db["overrides"].rows}
    assert statuses == {
        "OV-2026-001": "applied",
        "OV-2026-002": "applied",
        "OV-2020-001": "expired",
    }


async def test_report_card_shows_the_correction_trail(corrected: Path):
    response = await in_process_datasette(corrected).client.get(f"/-/report/{REDGUM}")
    assert response.status_code == 200
    assert "Corrections" in response.text
    assert "OV-2026-001" in response.text
    assert "OV-2020-001" in response.text  # expired, still part of the trail
    assert "expired" in response.text
