"""`credwatch nightly --accept-shrink` reaches the register load gate, as it does for
`registers load`: without it a register shrinking by over a fifth is refused (the previous
registers stay and the run goes on), with it the smaller snapshot is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from credwatch import nightly
from credwatch.cli import cli
from credwatch.demo import SAMPLE_REGISTERS
from credwatch.nightly import Gates, new_run, refresh_registers
from credwatch.pipeline import load_registers

RTO_LIST = "tga_rto_list_2016-02-19.csv"


@pytest.fixture
def shrunk(tmp_path: Path) -> Path:
    """A work database holding the sample RTO list, and a later list with half its rows."""
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    shutil.copy(SAMPLE_REGISTERS / RTO_LIST, first / RTO_LIST)
    lines = (SAMPLE_REGISTERS / RTO_LIST).read_text(encoding="utf-8").splitlines(keepends=True)
    half = "".join(lines[: 1 + (len(lines) - 1) // 2])
    (later / "tga_rto_list_2016-03-19.csv").write_text(half, encoding="utf-8")
    load_registers(tmp_path / "work.db", first)
    return later


def rto_rows(work: Path) -> int:
    return sqlite_utils.Database(work)["registry_entries"].count_where("register = 'rto'")


def run_with(tmp_path: Path, gates: Gates) -> nightly.NightlyRun:
    run = new_run(tmp_path / "runs", tmp_path / "work.db", tmp_path / "out.db", "night")
    run.gates = gates
    return run


def test_a_shrunk_register_is_refused_without_accept_shrink(tmp_path: Path, shrunk) -> None:
    before = rto_rows(tmp_path / "work.db")
    run = run_with(tmp_path, Gates())
    refresh_registers(run, shrunk)
    assert run.steps["registers"].status == "failed"
    assert "6 rows against 13 in the newest training.gov.au RTO List" in (
        run.steps["registers"].detail
    )
    assert rto_rows(tmp_path / "work.db") == before == 13


def test_accept_shrink_loads_the_smaller_snapshot(tmp_path: Path, shrunk) -> None:
    run = run_with(tmp_path, Gates(accept_shrink=True))
    refresh_registers(run, shrunk)
    assert run.steps["registers"].status == "ok", run.steps["registers"].detail
    assert rto_rows(tmp_path / "work.db") == 6


def test_the_nightly_option_sets_the_gate(tmp_path: Path, monkeypatch) -> None:
    seen: list[bool] = []

    def stop_after_gates(run, *args, **kwargs) -> None:
        seen.append(run.gates.accept_shrink)
        raise SystemExit(0)

    monkeypatch.setattr(nightly, "execute", stop_after_gates)
    providers = "providers:\n- {name: Survive First Aid, url: 'http://127.0.0.1:9/'}\n"
    (tmp_path / "providers.yml").write_text(providers, encoding="utf-8")
    args = [
        "nightly",
        *("--providers", str(tmp_path / "providers.yml")),
        *("--registers", str(SAMPLE_REGISTERS)),
        *("--db", str(tmp_path / "work.db")),
    ]
    for extra, expected in (((), False), (("--accept-shrink",), True)):
        runs = ("--runs-dir", str(tmp_path / f"runs-{expected}"))
        result = CliRunner().invoke(cli, [*args, *runs, *extra])
        assert seen == [expected], (result.output, result.exception)
        seen.clear()
