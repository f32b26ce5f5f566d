"""`credwatch check` on the real shared registers: every kind of input a learner brings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.load import load_registers
from scoring.commands.check import lookup


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory, registry_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("registers") / "registers.db"
    load_registers(open_work_db(path), registry_dir, progress=False)
    return path


def found(report: dict) -> list[str]:
    return [f"{entry['register']}:{entry['entry_id']}" for entry in report["entries"]]


@pytest.mark.parametrize(
    ("text", "read_as", "entry"),
    [
        ("RMIT Universty", "name", "cricos:00122A"),  # misspelt
        ("RMIT", "name", "cricos:00122A"),  # the register's own abbreviation
        ("Royal Melbourne Institute of Technology", "name", "cricos:00122A"),  # trading name
        ("rmit.edu.au", "web", "cricos:00122A"),
        ("https://www.rmit.edu.au/study", "web", "cricos:00122A"),
        ("CRICOS 00122A", "code", "cricos:00122A"),
        ("00122A", "code", "cricos:00122A"),
        ("RTO 0029", "code", "rto:0029"),
        ("0029", "code", "rto:0029"),
        ("UKPRN 10007798", "code", "ukprn:10007798"),
        ("10007798", "code", "ukprn:10007798"),
        ("unitid 164146", "code", "ipeds:164146"),
        ("CDU", "name", "cricos:00300K"),
        ("UWA", "name", "cricos:00126G"),
    ],
)
def test_each_kind_of_input_finds_its_entry(
    registers: Path, text: str, read_as: str, entry: str
) -> None:
    report = lookup(registers, text)
    assert report["query"]["read_as"] == read_as
    assert report["decision"] in ("matched", "probable")
    assert found(report)[0] == entry


def test_the_misspelling_finds_the_rto_of_the_same_legal_person_too(registers: Path) -> None:
    assert found(lookup(registers, "RMIT Universty")) == ["cricos:00122A", "rto:3046"]


def test_every_entry_of_a_name_is_a_candidate_and_the_current_ones_come_first(
    registers: Path,
) -> None:
    report = lookup(registers, "Australian Institute of Management")
    entries = found(report)
    assert {"rto:0049", "cricos:03769D"} <= set(entries)  # the current RTO and its CRICOS entry
    current = [entry["is_current"] for entry in report["entries"]]
    assert current == sorted(current, reverse=True)


def test_an_abn_on_registers_listing_none_says_so(registers: Path) -> None:
    report = lookup(registers, "ABN 49 781 030 034")
    assert report["query"]["read_as"] == "code"
    assert report["decision"] == "not_found"
    assert "none of the registers we searched lists ABNs" in report["why"]


def test_an_acronym_of_several_universities_lists_them_apart(registers: Path) -> None:
    report = lookup(registers, "CSU")
    assert report["decision"] == "not_found" and report["entries"] == []
    assert {"cricos:00005F", "ipeds:139366"} <= {
        f"{entry['register']}:{entry['entry_id']}" for entry in report["rejected"]
    }


def test_check_command_answers_from_the_cached_index(registers: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["check", "00122A", "--db", str(registers), "--json"])
    second = runner.invoke(cli, ["check", "00122A", "--db", str(registers), "--json"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert json.loads(first.stdout)["entries"] == json.loads(second.stdout)["entries"]
    assert len(list(registers.parent.glob(f".{registers.name}.matcher-*.pickle"))) == 1


def test_a_lookup_imports_only_what_its_answer_needs(registers: Path) -> None:
    """A name, a code or a listed web address never loads the flag detectors (wordfreq) nor
    the public-suffix list (tldextract, requests): each costs a fresh `check` ~0.1-0.2 s."""
    program = (
        "import sys\n"
        "from scoring.commands.check import lookup\n"
        "for text in ('RMIT Universty', '00122A', 'https://www.rmit.edu.au/study'):\n"
        "    assert lookup(sys.argv[1], text)['entries'], text\n"
        "print(sorted({'wordfreq', 'tldextract', 'requests'} & set(sys.modules)))\n"
    )
    lookup(registers, "RMIT")  # the cached index exists, as after a first call
    done = subprocess.run(
        [sys.executable, "-c", program, str(registers)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
