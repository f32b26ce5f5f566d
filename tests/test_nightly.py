"""`credwatch nightly` end to end on two local demo sites: a good night publishes, a night
with one site down still publishes and keeps that provider's rows (stale), a night with
every site down is withheld and leaves the published file and latest.json alone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner, Result

from crawler.pipelines import provider_id
from credwatch.cli import cli
from credwatch.core.localsite import serve_directory
from credwatch.demo import DEMO_SITES, SAMPLE_REGISTERS
from credwatch.nightly import crawl_reasons

# Loopback sites need no politeness delay, and a refused connection need not be retried.
LOOPBACK = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "RETRY_TIMES=0")


@dataclass
class Night:
    """One nightly run: the CLI result, its report and the published file's state after it."""

    result: Result
    report: dict[str, Any]
    latest: dict[str, Any]
    published: tuple[bytes, int]


class Operator:
    """Runs `credwatch nightly` into one folder, night after night."""

    def __init__(self, root: Path):
        self.root = root
        self.providers = root / "providers.yml"
        self.out = root / "credwatch.db"
        self.runs = root / "runs"

    def list_sites(self, sites: dict[str, str]) -> None:
        entries = [{"name": name, "url": f"{url}/"} for name, url in sites.items()]
        self.providers.write_text(yaml.safe_dump({"providers": entries}), encoding="utf-8")

    def args(self) -> list[str]:
        return [
            "nightly",
            *("--providers", str(self.providers)),
            *("--db", str(self.root / "work.db")),
            *("--out", str(self.out)),
            *("--runs-dir", str(self.runs)),
            *LOOPBACK,
        ]

    def run(self, *extra: str, env: dict[str, str] | None = None) -> Night:
        before = set(self.runs.glob("*.json"))
        result = CliRunner().invoke(cli, [*self.args(), *extra], env=env)
        (report_path,) = set(self.runs.glob("2*.json")) - before
        return Night(
            result=result,
            report=json.loads(report_path.read_text()),
            latest=json.loads((self.runs / "latest.json").read_text()),
            published=(self.out.read_bytes(), self.out.stat().st_mtime_ns),
        )

    def published_db(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self.out)


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three nights: both sites up; Survive down (and the register fetch failing); both down."""
    operator = Operator(tmp_path_factory.mktemp("nightly"))
    registers = ("--registers", str(SAMPLE_REGISTERS))
    with serve_directory(DEMO_SITES / "fernleaf-digital-skills") as fernleaf:
        with serve_directory(DEMO_SITES / "survive-first-aid") as survive:
            operator.list_sites({"Fernleaf": fernleaf.base_url, "Survive": survive.base_url})
            first = operator.run(*registers)
            first_offerings = list(operator.published_db()["offerings"].rows)
        # Survive's port is closed now: it stands for the site and for the register host.
        fetch_env = {"CREDWATCH_REGISTERS_BASE_URL": survive.base_url}
        second = operator.run("--fetch", "--max-drop", "0.9", env=fetch_env)
    third = operator.run(*registers)
    return {
        "operator": operator,
        "first": first,
        "first_offerings": first_offerings,
        "second": second,
        "third": third,
        "survive_id": provider_id(f"{survive.base_url}/"),
        "fernleaf_id": provider_id(f"{fernleaf.base_url}/"),
    }


def test_a_good_night_publishes_offerings_scores_and_points_latest_at_it(nights) -> None:
    first: Night = nights["first"]
    assert first.result.exit_code == 0, first.result.output
    report = first.report
    assert {name: s["status"] for name, s in report["steps"].items()} == {
        "registers": "ok",
        "crawl": "ok",
        "score": "ok",
        "publish": "ok",
    }
    assert report["steps"]["registers"]["counts"]["rto"] > 0
    assert "2/2 providers ok" in Path(report["crawl_log"]).read_text()
    db = nights["operator"].published_db()
    offerings = db["offerings"].count
    assert offerings >= 6
    assert report["counts"] == {
        "providers": 2,
        "providers_ok": 2,
        "providers_failed": 0,
        "providers_stale": 0,
        "providers_held": 0,
        "offerings_seen": offerings,
        "offerings_total": offerings,
        "scores_computed": 2,
    }
    assert report["publish"]["published"] is True
    assert report["publish"]["baseline"] is None
    assert first.latest == {"run_id": report["run_id"], "report": f"{report['run_id']}.json"}
    scored = {row["provider_id"] for row in db["provider_scores"].rows}
    assert scored == {nights["fernleaf_id"], nights["survive_id"]}
    assert {row["provider_id"] for row in nights["first_offerings"]} == scored
    assert "published" in first.result.stdout and report["run_id"] in first.result.stdout


def test_one_site_down_still_publishes_and_keeps_its_offerings_as_stale(nights) -> None:
    first, second = nights["first"], nights["second"]
    assert second.result.exit_code == 1, second.result.output  # published, one degraded
    rows = {row["name"]: row for row in second.report["providers"]}
    assert rows["Fernleaf"]["outcome"] == "ok" and not rows["Fernleaf"]["stale"]
    survive_before = [
        o for o in nights["first_offerings"] if o["provider_id"] == rows["Survive"]["provider_id"]
    ]
    assert rows["Survive"]["outcome"] != "ok"
    assert rows["Survive"]["stale"] is True
    assert (rows["Survive"]["offerings_seen"], rows["Survive"]["offerings_total"]) == (
        0,
        len(survive_before),
    )
    kept = list(
        nights["operator"]
        .published_db()
        .query(
            "select title, crawl_run_id from offerings where provider_id = ?",
            [nights["survive_id"]],
        )
    )
    assert sorted(row["title"] for row in kept) == sorted(o["title"] for o in survive_before)
    assert {row["crawl_run_id"] for row in kept} == {first.report["run_id"]}
    baseline = second.report["publish"]["baseline"]
    assert (baseline["run_id"], baseline["offerings_seen"]) == (
        first.report["run_id"],
        first.report["counts"]["offerings_seen"],
    )
    assert rows["Survive"]["decision"] == "stale"
    assert second.latest["run_id"] == second.report["run_id"]
    assert second.published != first.published


def test_a_failed_register_fetch_keeps_the_previous_registers_and_publishes(nights) -> None:
    steps = nights["second"].report["steps"]
    assert steps["fetch"]["status"] == "failed"
    assert "download failed" in steps["fetch"]["detail"]
    assert steps["registers"]["status"] == "skipped"
    assert steps["publish"]["status"] == "ok"
    assert nights["operator"].published_db()["registry_entries"].count > 0


def test_every_site_down_is_withheld_and_leaves_the_published_file_alone(nights) -> None:
    second, third = nights["second"], nights["third"]
    assert third.result.exit_code == 2, third.result.output
    assert third.published == second.published
    assert third.latest == second.latest
    publish = third.report["publish"]
    assert publish["published"] is False
    assert publish["reason"] == "the crawl failed for every provider"
    assert third.report["counts"]["providers_failed"] == 2
    assert third.report["counts"]["providers_stale"] == 2
    assert {name: s["status"] for name, s in third.report["steps"].items()} == {
        "registers": "ok",
        "crawl": "failed",
        "score": "skipped",
        "publish": "skipped",
    }
    assert "withheld" in third.result.stdout


def test_no_registers_at_all_fails_scoring_and_publishes_nothing(tmp_path: Path) -> None:
    operator = Operator(tmp_path)
    with serve_directory(DEMO_SITES / "fernleaf-digital-skills") as fernleaf:
        operator.list_sites({"Fernleaf": fernleaf.base_url})
        with serve_directory(DEMO_SITES / "survive-first-aid") as closed:
            pass
        env = {"CREDWATCH_REGISTERS_BASE_URL": closed.base_url}
        result = CliRunner().invoke(cli, [*operator.args(), "--fetch"], env=env)
    assert result.exit_code == 2, result.output
    (report_path,) = operator.runs.glob("2*.json")
    report = json.loads(report_path.read_text())
    assert [report["steps"][name]["status"] for name in ("fetch", "crawl", "score")] == [
        "failed",
        "ok",
        "failed",
    ]
    assert report["publish"]["reason"].startswith("scoring failed: ")
    assert "registry_entries" in report["publish"]["reason"]
    assert not operator.out.exists()
    assert not (operator.runs / "latest.json").exists()


def test_a_drop_reaching_max_drop_withholds_and_a_smaller_one_does_not() -> None:
    baseline = {"run_id": "20260101T000000Z", "offerings_seen": 10}
    assert crawl_reasons(2, 5, baseline, max_drop=0.5) == [
        "offerings seen dropped 50% (10 in run 20260101T000000Z -> 5), at least --max-drop 50%"
    ]
    assert crawl_reasons(2, 6, baseline, max_drop=0.5) == []
    assert crawl_reasons(2, 1, None, max_drop=0.5) == []
    assert crawl_reasons(0, 0, None, max_drop=0.5) == ["the crawl failed for every provider"]


def test_bad_input_is_one_line_and_starts_no_run(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yml"
    args = ["nightly", "--providers", str(missing), "--runs-dir", str(tmp_path / "runs")]
    result = CliRunner().invoke(cli, [*args, "--registers", str(SAMPLE_REGISTERS)])
    assert result.exit_code == 2
    assert result.output.strip() == f"credwatch: error: {missing}: providers file not found"
    assert not (tmp_path / "runs").exists()
    both = CliRunner().invoke(cli, [*args, "--fetch", "--registers", str(SAMPLE_REGISTERS)])
    assert both.exit_code == 2
    assert "--registers and --fetch" in both.output
    bad_setting = CliRunner().invoke(cli, [*args, "--fetch", "-s", "DOWNLOAD_DELAY"])
    assert bad_setting.exit_code == 2
    assert bad_setting.output.strip() == (
        "credwatch: error: -s DOWNLOAD_DELAY: expected NAME=VALUE"
    )
    assert not (tmp_path / "runs").exists()


def test_registers_must_be_named_never_the_demo_sample(tmp_path: Path) -> None:
    operator = Operator(tmp_path)
    operator.list_sites({"Fernleaf": "http://127.0.0.1:9/"})
    result = CliRunner().invoke(cli, operator.args())
    assert result.exit_code == 2
    assert result.output.strip() == (
        "credwatch: error: nightly needs its registers named: --registers DIR to load a "
        "folder, or --fetch to download the official files"
    )
    assert not operator.runs.exists()
    assert not (tmp_path / "work.db").exists()
