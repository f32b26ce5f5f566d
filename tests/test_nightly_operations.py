"""Nightly operations with faults injected: two nights over fixture sites (a price
changed, a course removed and one added, one provider timing out, one returning half its
courses), the morning report's lines, a server running across the publish, rollback; and
a `kill -9` of nightly mid-crawl, a concurrent second run, `--resume`."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.crawl import fault_site
from helpers.nightly import (
    alive,
    catalogue,
    children,
    nightly_args,
    relist,
    start_nightly,
    write_providers,
)
from helpers.serving import running_server

from credwatch.cli import cli

NIGHT_ONE = {
    "Alpha": {"Course A": 100, "Course B": 200, "Course C": 300},
    "Bravo": {f"Bravo {n}": 50 for n in range(1, 5)},
    "Charlie": {"Charlie 1": 80, "Charlie 2": 90},
}
NIGHT_TWO_ALPHA = {"Course A": 120, "Course B": 200, "Course D": 400}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_nightly(root: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    before = set((root / "runs").glob("2*.json"))
    result = CliRunner().invoke(cli, nightly_args(root, *extra))
    (report_path,) = set((root / "runs").glob("2*.json")) - before
    report = json.loads(report_path.read_text())
    return result.exit_code, report, Path(report["morning_report"]).read_text()


def served_run_ids(url: str) -> set[str]:
    rows = httpx.get(f"{url}/credwatch/run_changes.json?_shape=array&_size=max").json()
    return {row["run_id"] for row in rows}


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("operator")
    out = root / "credwatch.db"
    extra = ("-s", "DOWNLOAD_TIMEOUT=2", "--provider-budget", "60")
    with (
        fault_site(catalogue("Alpha", NIGHT_ONE["Alpha"])) as alpha,
        fault_site(catalogue("Bravo", NIGHT_ONE["Bravo"])) as bravo,
        fault_site(catalogue("Charlie", NIGHT_ONE["Charlie"])) as charlie,
    ):
        sites = {"Alpha": alpha, "Bravo": bravo, "Charlie": charlie}
        write_providers(root / "providers.yml", sites)
        first = run_nightly(root, *extra)
        first_bytes = out.read_bytes()
        relist(alpha, catalogue("Alpha", NIGHT_TWO_ALPHA))
        relist(bravo, catalogue("Bravo", dict(list(NIGHT_ONE["Bravo"].items())[:2])))
        relist(charlie, catalogue("Charlie", NIGHT_ONE["Charlie"], delay=5))
        with running_server(out) as url:
            served_before = served_run_ids(url)
            second = run_nightly(root, *extra)
            served_after = served_run_ids(url)
            rollback = CliRunner().invoke(
                cli, ["rollback", "--out", str(out), "--runs-dir", str(root / "runs")]
            )
            served_after_rollback = served_run_ids(url)
    return {
        "root": root,
        "sites": {name: site.base_url for name, site in sites.items()},
        "first": first,
        "first_bytes": first_bytes,
        "second": second,
        "served": (served_before, served_after, served_after_rollback),
        "rollback": rollback,
    }


def test_first_night_publishes_and_reports_every_offering_as_new(two_nights) -> None:
    status, report, morning = two_nights["first"]
    assert status == 0, morning
    assert report["publish"]["exit_status"] == 0
    assert "**published** (exit status 0)" in morning
    assert "## Changes (first published run)" in morning
    assert "### New offerings (9)" in morning
    alpha = two_nights["sites"]["Alpha"]
    assert f"- Alpha: Course C <{alpha}courses/course-c>" in morning.splitlines()


def test_second_night_reports_exactly_what_changed(two_nights) -> None:
    status, _, morning = two_nights["second"]
    first_id = two_nights["first"][1]["run_id"]
    alpha = two_nights["sites"]["Alpha"]
    lines = morning.splitlines()
    assert status == 1, morning
    assert "**published with degraded providers** (exit status 1)" in lines
    assert f"## Changes since run {first_id}" in lines
    section = lines[lines.index("### New offerings (1)") :]
    assert section[:2] == ["### New offerings (1)", ""]
    assert section[2] == f"- Alpha: Course D <{alpha}courses/course-d>"
    assert "### Removed offerings (1)" in lines
    assert f"- Alpha: Course C <{alpha}courses/course-c>" in lines
    assert "- Alpha: Course A: price 100 -> 120" in lines
    assert "### Providers degraded (2)" in lines
    assert (
        "- Bravo: degraded (held back: offerings dropped 50% (4 -> 2), "
        "at least --provider-drop 50%)"
    ) in lines
    assert any(line.startswith("- Charlie: timeout (") for line in lines)
    # Nothing of the held or timed-out providers is reported removed: their rows stay.
    assert not [line for line in lines if line.startswith(("- Bravo: Bravo", "- Charlie: Charlie"))]


def test_held_and_failed_providers_keep_their_rows_marked_stale(two_nights) -> None:
    _, report, morning = two_nights["second"]
    rows = {row["name"]: row for row in report["providers"]}
    assert (rows["Alpha"]["decision"], rows["Alpha"]["stale"]) == ("published", False)
    assert (rows["Bravo"]["decision"], rows["Bravo"]["stale"]) == ("held", True)
    assert rows["Bravo"]["reason"].startswith("offerings dropped 50% (4 -> 2)")
    assert (rows["Charlie"]["decision"], rows["Charlie"]["outcome"]) == ("stale", "timeout")
    assert "| Bravo | held | degraded | 2 | 4 | 0/2 |" in morning
    kept = two_nights["root"] / "published" / f"credwatch-{report['run_id']}.db"
    published = sqlite_utils.Database(kept)  # the live file was rolled back since
    titles = {row["title"] for row in published["offerings"].rows}
    assert {"Bravo 3", "Bravo 4", "Charlie 1", "Charlie 2"} <= titles  # nothing lost
    outcomes = {
        row["provider_id"]: row["outcome"]
        for row in published.query(
            "select * from crawl_outcomes where crawl_run_id = ?", [report["run_id"]]
        )
    }
    assert sorted(outcomes.values()) == ["degraded", "ok", "timeout"]


def test_run_changes_is_published_with_the_price_history(two_nights) -> None:
    _, report, _ = two_nights["second"]
    history = two_nights["root"] / "published"
    kept = sorted(path.name for path in history.iterdir())
    first_id = two_nights["first"][1]["run_id"]
    assert kept == [f"credwatch-{first_id}.db", f"credwatch-{report['run_id']}.db"]
    second_file = sqlite_utils.Database(history / kept[1])
    (price,) = second_file.query(
        "select * from run_changes where kind = 'offering_changed' and field = 'price'"
    )
    assert (price["old_value"], price["new_value"], price["since_run_id"]) == (
        "100",
        "120",
        first_id,
    )
    kinds = {row["kind"] for row in second_file.query("select kind from run_changes")}
    assert {"offering_added", "offering_removed", "provider_degraded"} <= kinds


def test_a_running_server_serves_each_publish_and_the_rollback(two_nights) -> None:
    before, after, after_rollback = two_nights["served"]
    first_id = two_nights["first"][1]["run_id"]
    second_id = two_nights["second"][1]["run_id"]
    assert (before, after, after_rollback) == ({first_id}, {second_id}, {first_id})


def test_rollback_restores_the_previous_file_byte_for_byte(two_nights) -> None:
    root = two_nights["root"]
    rollback = two_nights["rollback"]
    first_id = two_nights["first"][1]["run_id"]
    assert rollback.exit_code == 0, rollback.output
    assert (root / "credwatch.db").read_bytes() == two_nights["first_bytes"]
    assert json.loads((root / "runs" / "latest.json").read_text())["run_id"] == first_id
    again = CliRunner().invoke(cli, ["rollback", "--out", str(root / "credwatch.db")])
    assert again.exit_code == 2
    assert "no earlier published file is kept" in again.output


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def test_kill_9_mid_crawl_kills_the_crawl_and_resume_finishes_it(tmp_path: Path) -> None:
    courses = {f"Course {n}": 10.0 * n for n in range(1, 7)}
    with fault_site(catalogue("Slowpoke", courses)) as site:
        write_providers(tmp_path / "providers.yml", {"Slowpoke": site})
        first = start_nightly(tmp_path)
        assert first.wait(timeout=120) == 0, first.stdout.read()
        live = tmp_path / "credwatch.db"
        published = sha256(live)

        relist(site, catalogue("Slowpoke", courses, delay=30))
        second = start_nightly(tmp_path, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        wait_for(lambda: children(second.pid), 30, "the crawl child started")
        (crawl,) = children(second.pid)
        wait_for(lambda: any(p.startswith("/courses/") for p in site.requested), 30, "crawling")

        concurrent = start_nightly(tmp_path)
        assert concurrent.wait(timeout=60) == 2
        assert "another nightly run is in progress" in concurrent.stdout.read()

        os.kill(second.pid, signal.SIGKILL)
        second.wait(timeout=10)
        wait_for(lambda: not alive(crawl), 5, "the crawl child died with nightly")
        assert sha256(live) == published

        relist(site, catalogue("Slowpoke", courses))
        resumed = start_nightly(tmp_path, "--resume")
        output = resumed.communicate(timeout=120)[0]
    assert resumed.returncode in (0, 1), output
    reports = sorted((tmp_path / "runs").glob("2*.json"))
    report = json.loads(reports[-1].read_text())
    killed_id = report["run_id"]
    assert report["resumed"] is True
    assert [row["id"] for row in report["aborted_runs_found"]] == [killed_id]
    assert "killed or crashed" in report["aborted_runs_found"][0]["status_reason"]
    assert report["publish"]["published"] is True
    work = sqlite_utils.Database(tmp_path / "work.db")
    runs = {row["id"]: row for row in work["crawl_runs"].rows}
    assert runs[killed_id]["status"] == "resumed" and runs[killed_id]["finished"]
    assert sha256(live) != published


def test_failed_validation_and_a_spent_budget_show_in_the_report_and_exit_status(
    tmp_path: Path,
) -> None:
    courses = {f"Course {n}": 10.0 * n for n in range(1, 7)}
    with (
        fault_site(catalogue("Valid", {"Sound Course": 20})) as valid,
        fault_site(catalogue("Broken", courses, currency="dollars")) as broken,
        fault_site(catalogue("Slow", courses, delay=2)) as slow_site,
    ):
        sites = {"Valid": valid, "Broken": broken, "Slow": slow_site}
        write_providers(tmp_path / "providers.yml", sites)
        budget = ("--provider-budget", "3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        status, report, morning = run_nightly(tmp_path, *budget)
    rows = {row["name"]: row for row in report["providers"]}
    assert status == 1, morning
    assert rows["Valid"]["decision"] == "published"
    assert rows["Broken"]["decision"] == "held"
    assert rows["Broken"]["validation"] == {
        "items": 6,
        "invalid": 6,
        "problems": {"currency/not_iso_4217": 6},
    }
    assert "| Broken | held | degraded | 6 | 6 | 6/6 | validation: 6/6 offerings invalid" in morning
    assert rows["Slow"]["cut_short"] is True
    assert "cut short by the time budget" in morning
    assert "per-provider time budget: 3 s" in morning


def test_sigterm_as_systemd_sends_it_unwinds_nightly_and_kills_the_crawl(tmp_path: Path) -> None:
    courses = {f"Course {n}": 10.0 * n for n in range(1, 4)}
    with fault_site(catalogue("Slowpoke", courses, delay=30)) as site:
        write_providers(tmp_path / "providers.yml", {"Slowpoke": site})
        nightly = start_nightly(tmp_path)
        wait_for(lambda: children(nightly.pid), 30, "the crawl child started")
        (crawl,) = children(nightly.pid)
        wait_for(lambda: any(p.startswith("/courses/") for p in site.requested), 30, "crawling")
        nightly.send_signal(signal.SIGTERM)
        assert nightly.wait(timeout=10) == 128 + signal.SIGTERM
        assert not alive(crawl)
    assert not (tmp_path / "credwatch.db").exists()
