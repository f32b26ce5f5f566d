"""Registers over time, on copies of the real shared snapshots: every snapshot kept, every
change recorded, the load gate, `check --on`, and bounded reading of hostile CSV input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlite_utils import Database

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.gate import check_load
from registry_data.schema import migrations
from registry_data.tables import FIELD_LIMIT, LINE_LIMIT, WHOLE_FILE_LIMIT

CRICOS_OLD, CRICOS_NEW = "cricos_institutions_2022-10-04.csv", "cricos_institutions_2023-01-03.csv"
RTO = "tga_rto_list_2016-02-19.csv"
METADATA = Path(__file__).resolve().parent.parent / "credwatch" / "site" / "metadata.yml"


def folder_with(tmp_path: Path, name: str, *files: tuple[str, bytes]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file_name, data in files:
        (folder / file_name).write_bytes(data)
    return folder


def shared(registry_dir: Path, name: str) -> bytes:
    return (registry_dir / "au" / name).read_bytes()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def registers_load(folder: Path, db_path: Path, *more: str):
    return CliRunner().invoke(
        cli, ["registers", "load", "--quiet", "--from", str(folder), "--db", str(db_path), *more]
    )


@pytest.fixture
def rto_db(tmp_path: Path, registry_dir: Path) -> Path:
    """A working database holding the real 2016 RTO List (11,250 entries)."""
    db_path = tmp_path / "work.db"
    result = registers_load(folder_with(tmp_path, "rto", (RTO, shared(registry_dir, RTO))), db_path)
    assert result.exit_code == 0, result.output
    return db_path


def test_a_header_only_file_is_refused_and_the_database_is_unchanged(
    rto_db: Path, tmp_path: Path, registry_dir: Path
) -> None:
    header = shared(registry_dir, RTO).splitlines(keepends=True)[0]
    before = sha256(rto_db)
    result = registers_load(
        folder_with(tmp_path, "empty", ("tga_rto_list_2016-03-19.csv", header)), rto_db
    )
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "tga_rto_list_2016-03-19.csv: no data rows" in message
    assert "11,250 rows" in message
    assert sha256(rto_db) == before


def test_a_register_shrinking_by_over_a_fifth_needs_accept_shrink(
    rto_db: Path, tmp_path: Path, registry_dir: Path
) -> None:
    lines = shared(registry_dir, RTO).splitlines(keepends=True)
    half = b"".join(lines[: len(lines) // 2])
    folder = folder_with(tmp_path, "half", ("tga_rto_list_2016-03-19.csv", half))
    before = sha256(rto_db)
    refused = registers_load(folder, rto_db)
    assert refused.exit_code == 2
    assert (
        "5,624 rows against 11,250 in the newest training.gov.au RTO List snapshot of "
        "2016-02-19, 50% fewer (limit 20%)" in refused.output
    )
    assert sha256(rto_db) == before
    accepted = registers_load(folder, rto_db, "--accept-shrink")
    assert accepted.exit_code == 0, accepted.output
    db = open_work_db(rto_db)
    assert db["registry_entries"].count_where("register = 'rto'") == 5624
    assert db["registry_changes"].count_where("change = 'disappeared'") == 11250 - 5624


def test_the_gate_is_a_function_nightly_can_call() -> None:
    check_load("rto.csv", "RTO List", 9000, 11250)  # 20% fewer: allowed
    with pytest.raises(Exception, match=r"rto\.csv: 8,999 rows against 11,250"):
        check_load("rto.csv", "RTO List", 8999, 11250)
    check_load("rto.csv", "RTO List", 10, 11250, accept_shrink=True)
    with pytest.raises(Exception, match="no data rows"):
        check_load("rto.csv", "RTO List", 0, None, accept_shrink=True)


def test_an_older_snapshot_loaded_after_a_newer_one_only_adds_history(
    tmp_path: Path, registry_dir: Path
) -> None:
    db_path = tmp_path / "work.db"
    new = folder_with(tmp_path, "new", (CRICOS_NEW, shared(registry_dir, CRICOS_NEW)))
    old = folder_with(tmp_path, "old", (CRICOS_OLD, shared(registry_dir, CRICOS_OLD)))
    assert registers_load(new, db_path).exit_code == 0
    assert registers_load(old, db_path).exit_code == 0
    db = open_work_db(db_path)
    dates = db.execute("select distinct snapshot_date from registry_entries").fetchall()
    assert dates == [("2023-01-03",)]
    assert db["registry_entries"].count == 1394
    assert not db["registry_entries"].count_where("entry_id = '01784K'")
    kaplan = db["registry_changes"].get(
        ("cricos", "01784K", "disappeared", "", "2022-10-04", "2023-01-03")
    )
    assert kaplan["legal_name"] == "Kaplan International (Perth) Pty Limited"
    assert db["registry_changes"].count_where("field = 'trading_names'") == 15
    history = dict(
        db.execute("select snapshot_date, count(*) from registry_entry_history group by 1")
    )
    assert history == {"2022-10-04": 1373, "2023-01-03": 1394}
    rmit = db["registry_entries"].get(("cricos", "00122A"))
    assert (rmit["first_seen"], rmit["last_seen"]) == ("2022-10-04", "2023-01-03")


def test_loading_the_same_file_twice_changes_nothing(
    rto_db: Path, tmp_path: Path, registry_dir: Path
) -> None:
    before = sha256(rto_db)
    again = folder_with(tmp_path, "again", (RTO, shared(registry_dir, RTO)))
    result = CliRunner().invoke(
        cli, ["registers", "load", "--from", str(again), "--db", str(rto_db)]
    )
    assert result.exit_code == 0, result.output
    assert "already loaded, not loaded again: training.gov.au RTO List of 2016-02-19" in (
        result.output
    )
    assert sha256(rto_db) == before


def test_one_status_changed_in_a_later_rto_list_is_one_changed_row(
    rto_db: Path, tmp_path: Path, registry_dir: Path
) -> None:
    text = shared(registry_dir, RTO).decode()
    line = "ASQA,0022,Adelaide Training and Employment Centre Inc,2013-10-28,2018-10-27,Current"
    assert line in text
    later = text.replace(line, line.replace(",Current", ",Cancelled"))
    folder = folder_with(tmp_path, "later", ("tga_rto_list_2016-05-20.csv", later.encode()))
    result = registers_load(folder, rto_db)
    assert result.exit_code == 0, result.output
    db = open_work_db(rto_db)
    assert [dict(row) for row in db.query("select * from registry_changes")] == [
        {
            "register": "rto",
            "entry_id": "0022",
            "legal_name": "Adelaide Training and Employment Centre Inc",
            "change": "changed",
            "field": "status",
            "old_value": "Current",
            "new_value": "Cancelled",
            "old_snapshot": "2016-02-19",
            "new_snapshot": "2016-05-20",
        }
    ]
    adelaide = db["registry_entries"].get(("rto", "0022"))
    assert (adelaide["status"], adelaide["is_current"], adelaide["snapshot_date"]) == (
        "Cancelled",
        0,
        "2016-05-20",
    )
    assert db["registry_snapshots"].count_where("register = 'rto'") == 2


@pytest.fixture
def cricos_db(tmp_path: Path, registry_dir: Path) -> Path:
    """Both real CRICOS institution snapshots, loaded together."""
    db_path = tmp_path / "work.db"
    folder = folder_with(
        tmp_path,
        "cricos",
        (CRICOS_OLD, shared(registry_dir, CRICOS_OLD)),
        (CRICOS_NEW, shared(registry_dir, CRICOS_NEW)),
    )
    assert registers_load(folder, db_path).exit_code == 0
    return db_path


@pytest.mark.parametrize(
    ("on", "answer", "snapshot"),
    [
        ("2022-10-04", "registered", "2022-10-04"),
        ("2022-12-01", "registered", "2022-10-04"),
        ("2023-01-03", "not listed", "2023-01-03"),
        ("2021-06-30", "outside", None),
        ("2024-01-01", "outside", "2023-01-03"),
    ],
)
def test_check_on_a_date_answers_from_the_snapshots(
    cricos_db: Path, on: str, answer: str, snapshot: str | None
) -> None:
    """Kaplan (Perth) is in the 2022-10-04 snapshot and gone from 2023-01-03: found by name
    although it is no longer in the current view."""
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "Kaplan International (Perth) Pty Limited",
            "--db",
            str(cricos_db),
            "--on",
            on,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.output)["on_date"]
    assert (found["entry_id"], found["answer"], found["snapshot_date"]) == (
        "01784K",
        answer,
        snapshot,
    )
    assert (found["last_seen"], found["first_snapshot"], found["newest_snapshot"]) == (
        "2022-10-04",
        "2022-10-04",
        "2023-01-03",
    )
    assert found["source_url"].endswith("ProviderCode=01784K")


def test_check_on_prints_one_line_with_the_snapshot_and_the_link(cricos_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", "RMIT University", "--db", str(cricos_db), "--on", "2021-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "CRICOS 00122A Royal Melbourne Institute of Technology: 2021-01-01 is outside every "
        "snapshot held (snapshots held: 2022-10-04 to 2023-01-03)"
    ) in result.output
    assert "ProviderCode=00122A" in result.output


def test_oversized_field_is_a_one_line_error(tmp_path: Path, registry_dir: Path) -> None:
    header = shared(registry_dir, RTO).splitlines(keepends=True)[0]
    row = b'ASQA,0022,"' + b"x" * (2 * FIELD_LIMIT) + b'",2013-10-28,,Current\n'
    folder = folder_with(tmp_path, "big", ("rto_2016-03-01.csv", header + row))
    result = registers_load(folder, tmp_path / "work.db")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "credwatch: error: rto_2016-03-01.csv: line 2: "
        f"field larger than field limit ({FIELD_LIMIT})"
    ]


def test_an_60_mb_line_is_a_one_line_error(tmp_path: Path, registry_dir: Path) -> None:
    header = shared(registry_dir, RTO).splitlines(keepends=True)[0]
    folder = folder_with(tmp_path, "long", ("rto_2016-03-01.csv", header))
    with (folder / "rto_2016-03-01.csv").open("ab") as file:
        for _ in range(60):
            file.write(b"x," * (1 << 19))  # 60 MB, no newline
    result = registers_load(folder, tmp_path / "work.db")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"credwatch: error: rto_2016-03-01.csv: line 2 is longer than {LINE_LIMIT:,} characters: "
        "not a register file (or a broken one)"
    ]


def test_a_database_from_before_history_keeps_its_rows_as_history(
    tmp_path: Path, registry_dir: Path
) -> None:
    """Entries loaded before snapshots were kept become the history of their snapshot, and
    an older file loaded afterwards still leaves the newer current view alone."""
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="keep_every_snapshot")
    db["registry_entries"].insert(
        {
            "register": "cricos",
            "entry_id": "00122A",
            "legal_name": "Royal Melbourne Institute of Technology",
            "snapshot_date": "2023-01-03",
        }
    )
    db["registry_snapshots"].insert(
        {"register": "cricos", "snapshot_date": "2023-01-03", "source_file": CRICOS_NEW, "rows": 1}
    )
    legacy_change = {
        "register": "cricos",
        "entry_id": "01784K",
        "legal_name": "Kaplan International (Perth) Pty Limited",
        "change": "disappeared",
        "from_snapshot": "2022-07-05",
        "to_snapshot": "2023-01-03",
    }
    db["registry_changes"].insert(legacy_change)
    migrations.apply(db)
    assert [row["entry_id"] for row in db["registry_entry_history"].rows] == ["00122A"]
    assert db["registry_entries"].get(("cricos", "00122A"))["first_seen"] == "2023-01-03"
    db.close()
    old = folder_with(tmp_path, "old", (CRICOS_OLD, shared(registry_dir, CRICOS_OLD)))
    assert registers_load(old, tmp_path / "old.db").exit_code == 0
    db = open_work_db(tmp_path / "old.db")
    assert db["registry_entries"].count == 1
    assert db["registry_entries"].get(("cricos", "00122A"))["first_seen"] == "2022-10-04"
    kept = db["registry_changes"].get(
        ("cricos", "01784K", "disappeared", "", "2022-07-05", "2023-01-03")
    )
    assert kept["legal_name"] == legacy_change["legal_name"]  # not lost on reload


@pytest.mark.parametrize(
    ("on", "answer", "snapshot"),
    [
        ("2022-11-15", "registered", "2022-10-04"),
        ("2023-02-01", "outside every snapshot held", "2023-01-03"),
        ("2023-01-03", "not listed in the snapshot in force", "2023-01-03"),
        ("2020-01-01", "outside every snapshot held", None),
    ],
)
def test_the_registered_on_date_canned_query(
    cricos_db: Path, on: str, answer: str, snapshot: str | None
) -> None:
    metadata = yaml.safe_load(METADATA.read_text())
    sql = metadata["databases"]["credwatch"]["queries"]["registered_on_date"]["sql"]
    db = open_work_db(cricos_db)
    rows = list(db.query(sql, {"name": "Kaplan International (Perth)", "on_date": on}))
    kaplan = [row for row in rows if row["entry_id"] == "01784K"]
    assert [(row["answer"], row["snapshot_date"], row["last_seen"]) for row in kaplan] == [
        (answer, snapshot, "2022-10-04")
    ]
    assert kaplan[0]["source_url"].endswith("ProviderCode=01784K")


def test_a_file_read_whole_has_a_size_bound(tmp_path: Path) -> None:
    folder = tmp_path / "huge"
    folder.mkdir()
    line = b"essaymill.example\n"
    lines = WHOLE_FILE_LIMIT // len(line) + 1
    (folder / "blocked_2026-05-19.txt").write_bytes(line * lines)
    result = registers_load(folder, tmp_path / "work.db")
    assert result.exit_code == 2
    assert f"blocked_2026-05-19.txt: {len(line) * lines:,} bytes, over the 67,108,864" in (
        result.output
    )
