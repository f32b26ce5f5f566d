"""`credwatch match` as other tools call it: columns, decisions, one-line errors; and the
library surface the scoring stage uses (`match_providers`, `store_matches`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.load import load_registers
from scoring.commands import match as match_command
from scoring.evaluation.matching import run_match as run_evaluation_match
from scoring.evaluation.matching import score
from scoring.match import OUTPUT_COLUMNS, ProviderInput, match_providers, store_matches

ENTRIES = [
    ("cricos", "00122A", "Royal Melbourne Institute of Technology", ["RMIT University (RMIT)"],
     ["RMIT", "RMIT University"], "rmit.edu.au"),
    ("cricos", "01912G", "RMIT Training Pty Ltd", ["RMIT English Worldwide"], [],
     "rmitenglishworldwide.com"),
    ("rto", "4051", "RMIT Training Pty Ltd", [], [], None),
    ("cricos", "02042G", "Colleges of Business and Technology (WA) Pty Ltd", ["Curtin College"], [],
     "curtincollege.edu.au"),
    ("cricos", "00301J", "Curtin University", ["Curtin University"], [], "curtin.edu.au"),
]  # fmt: skip


def registers_db(path: Path) -> Path:
    db = open_work_db(path)
    db["registry_entries"].insert_all(
        {
            "register": register,
            "entry_id": entry_id,
            "legal_name": legal,
            "trading_names": json.dumps(trading),
            "aliases": json.dumps(aliases),
            "status": "registered",
            "is_current": 1,
            "website_domain": domain,
            "snapshot_date": "2023-01-03",
        }
        for register, entry_id, legal, trading, aliases, domain in ENTRIES
    )
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run_match(db: Path, names: Path, output: Path):
    args = ["match", "--db", str(db), "--input", str(names), "--output", str(output)]
    return CliRunner().invoke(cli, args)


def test_match_writes_one_row_per_entry_or_one_not_found(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "registers.db")
    names = write(
        tmp_path / "names.csv",
        "name,url\nRMIT Online,https://online.rmit.edu.au/courses\nRMIT English Worldwide,\n"
        "Curtin College,\nUdemy,https://www.udemy.com/\n",
    )
    output = tmp_path / "out" / "matches.csv"
    result = run_match(db, names, output)
    assert result.exit_code == 0, result.output
    with output.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == OUTPUT_COLUMNS
        rows = list(reader)
    got = [
        (r["name"], r["register"], r["entry_id"], r["decision"], r["domain_match"]) for r in rows
    ]
    assert got == [
        ("RMIT Online", "cricos", "00122A", "matched", "1"),
        ("RMIT English Worldwide", "cricos", "01912G", "matched", "0"),
        ("RMIT English Worldwide", "rto", "4051", "matched", "0"),
        ("Curtin College", "cricos", "02042G", "matched", "0"),
        ("Udemy", "", "", "not_found", "0"),
    ]
    assert "domain rmit.edu.au" in rows[0]["reason"]
    assert "matches.csv" in result.stderr


def test_not_found_row_names_the_best_rejected_candidate(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "registers.db")
    names = write(tmp_path / "names.csv", "name\nCurtin Universal Online College\n")
    output = tmp_path / "matches.csv"
    assert run_match(db, names, output).exit_code == 0
    (row,) = csv.DictReader(output.open(encoding="utf-8"))
    assert row["decision"] == "not_found"
    assert row["matched_name"].startswith("Curtin")
    assert row["reason"].startswith("not found: best candidate")


@pytest.mark.parametrize(
    ("content", "message"),
    [("title,url\nRMIT,\n", "no `name` column"), ("", "empty file")],
)
def test_bad_input_csv_is_one_line_and_exit_2(tmp_path: Path, content: str, message: str) -> None:
    db = registers_db(tmp_path / "registers.db")
    names = write(tmp_path / "names.csv", content)
    result = run_match(db, names, tmp_path / "matches.csv")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("credwatch: error: ") and message in result.stderr
    assert not (tmp_path / "matches.csv").exists()


def test_database_without_register_tables_is_one_line_and_exit_2(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["notes"].insert({"text": "not a registers database"})
    names = write(tmp_path / "names.csv", "name\nRMIT\n")
    result = run_match(other, names, tmp_path / "matches.csv")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no register tables" in result.stderr


def test_match_providers_and_store_matches(tmp_path: Path) -> None:
    path = registers_db(tmp_path / "work.db")
    db = open_work_db(path)
    providers = [
        ProviderInput("p1", "RMIT Training", "https://www.rmitenglishworldwide.com/"),
        ProviderInput("p2", "Totally Unknown Skills Hub"),
    ]
    stored = store_matches(db, match_providers(db, path, providers))
    rows = list(db.query("select * from provider_matches order by provider_id, entry_id"))
    assert stored == len(rows) == 3
    assert [(r["provider_id"], r["entry_id"], r["decision"]) for r in rows[:2]] == [
        ("p1", "01912G", "matched"),
        ("p1", "4051", "matched"),
    ]
    assert json.loads(rows[0]["evidence"])["domain_match"] is True
    assert rows[2]["provider_id"] == "p2" and rows[2]["decision"] == "not_found"
    rerun = [("p1", "RMIT Training", None, ["4051"])]  # a tuple, as the scoring stage passes
    store_matches(db, match_providers(db, None, rerun))  # replaces p1 rows, never duplicates
    assert db["provider_matches"].count == 3


def test_ids_column_is_evidence(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "registers.db")
    names = write(
        tmp_path / "names.csv",
        "name,url,ids\nCurtin Perth Online,,00301J\nA brand nobody lists,,00301J\n",
    )
    output = tmp_path / "matches.csv"
    assert run_match(db, names, output).exit_code == 0
    agreeing, unrelated = csv.DictReader(output.open(encoding="utf-8"))
    assert (agreeing["entry_id"], agreeing["id_match"], agreeing["decision"]) == (
        "00301J",
        "1",
        "matched",
    )
    assert (unrelated["entry_id"], unrelated["decision"]) == ("00301J", "not_found")
    assert "shares no identifying word" in unrelated["reason"]


def test_evaluation_counts_a_row_correct_only_when_all_its_entries_are_gold(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "registers.db")
    dev = write(
        tmp_path / "dev.csv",
        "name,url,gold,kind\nRMIT Training,,cricos:01912G,cricos-legal\n"
        "Curtin College,,cricos:00301J,trap\nUdemy,,,negative\n",
    )
    accepted = run_evaluation_match(db, dev, tmp_path / "out.csv")
    tallies = score(list(csv.DictReader(dev.open(encoding="utf-8"))), accepted)
    overall = tallies["all"]
    # RMIT Training also matches rto:4051, which is not in its gold: a wrong prediction.
    assert (overall.predicted, overall.correct, overall.with_gold, overall.found_gold) == (
        2,
        0,
        2,
        1,
    )
    assert tallies["negative"].predicted == 0


def test_row_with_empty_name_keeps_its_place_as_not_found(tmp_path: Path) -> None:
    db = registers_db(tmp_path / "registers.db")
    names = write(tmp_path / "names.csv", "name,url\n,https://example.com\nRMIT,\n")
    output = tmp_path / "matches.csv"
    assert run_match(db, names, output).exit_code == 0
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [(r["name"], r["decision"]) for r in rows] == [("", "not_found"), ("RMIT", "matched")]
    assert "no letters or digits" in rows[0]["reason"]


def test_a_file_that_is_not_a_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    not_db = write(tmp_path / "registers.db", "name,url\nthis is a CSV, not SQLite\n")
    names = write(tmp_path / "names.csv", "name\nRMIT\n")
    result = run_match(not_db, names, tmp_path / "matches.csv")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a SQLite database" in result.stderr


def test_match_in_worker_processes_writes_what_one_process_writes(
    tmp_path: Path, registry_dir: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dev names against the real registers: forked workers, chunk by chunk, give the
    same rows in the same order as matching them here."""
    db = open_work_db(tmp_path / "registers.db")
    load_registers(db, registry_dir, progress=False)
    names = shared_dir / "eval" / "matching-dev.csv"
    monkeypatch.setattr(match_command, "PARALLEL_FROM_ROWS", 1)
    monkeypatch.setattr(match_command, "CHUNK_ROWS", 7)
    outputs = []
    for workers in ("1", "2"):
        output = tmp_path / f"matches-{workers}.csv"
        args = ["match", "--db", str(tmp_path / "registers.db"), "--input", str(names),
                "--output", str(output), "--workers", workers]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        outputs.append(output.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    with names.open(newline="", encoding="utf-8") as handle:
        given = len(list(csv.DictReader(handle)))
    assert outputs[0].count("\n") - 1 >= given > 200  # every name has at least its row
