"""Bad register files: a one-line error naming file and problem, exit 2, database untouched."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.pipeline import open_work_db

SAMPLE = Path(__file__).resolve().parent.parent / "registry_data" / "sample"
TABLES = (
    "registry_entries",
    "registry_courses",
    "blocked_sites",
    "registry_snapshots",
    "registry_changes",
)


def missing_column(folder: Path) -> str:
    rows = list(csv.reader(io.StringIO((SAMPLE / "tga_rto_list_2016-02-19.csv").read_text())))
    text = io.StringIO()
    csv.writer(text).writerows([row[:-1] for row in rows])  # drop "Status"
    (folder / "rto_2024-05-01.csv").write_text(text.getvalue())
    return "rto_2024-05-01.csv: missing required column(s) Status for a training.gov.au RTO List"


def truncated_xlsx(folder: Path) -> str:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Institutions"
    sheet.append(["Institutions"])
    sheet.append(["Report generated Tuesday, 3 January 2023"])
    sheet.append(["CRICOS Provider Code", "Trading Name", "Institution Name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    (folder / "export.xlsx").write_bytes(data[: len(data) // 2])
    return "export.xlsx: corrupt or truncated zip/xlsx"


def unknown_file(folder: Path) -> str:
    (folder / "providers.csv").write_text("provider,url\nSurvive First Aid,https://example.com\n")
    return "providers.csv: unknown file: not a register format this tool reads"


def wrong_encoding(folder: Path) -> str:
    content = (SAMPLE / "tga_rto_list_2016-02-19.csv").read_text(encoding="utf-8")
    (folder / "rto.csv").write_bytes(content.encode("utf-16"))
    return "rto.csv: not UTF-8 or latin-1 text (UTF-16 or binary data)"


def bad_json(folder: Path) -> str:
    (folder / "uk.json").write_text('[{"name": "Cranfield University", "ukprn": ')
    return "uk.json: invalid JSON"


def repeated_id_after_other_writes(folder: Path) -> str:
    """Fails while writing (the last register written), after RTO rows were already replaced:
    only the transaction keeps the database as it was."""
    lines = (SAMPLE / "tga_rto_list_2016-02-19.csv").read_text().splitlines()
    (folder / "rto_2016-02-19.csv").write_text("\n".join(lines[:3]) + "\n")
    ipeds = (SAMPLE / "ipeds_hd2024.csv").read_text().splitlines()
    (folder / "hd_2030-01-01.csv").write_text("\n".join([*ipeds, ipeds[1]]) + "\n")
    return "hd_2030-01-01.csv: repeated register id"


@pytest.mark.parametrize(
    "make_bad_file",
    [
        missing_column,
        truncated_xlsx,
        unknown_file,
        wrong_encoding,
        bad_json,
        repeated_id_after_other_writes,
    ],
)
def test_bad_file_gives_one_line_and_leaves_the_database_as_it_was(
    tmp_path: Path, make_bad_file
) -> None:
    db_path = tmp_path / "work.db"
    runner = CliRunner()
    good = runner.invoke(cli, ["registers", "load", "--from", str(SAMPLE), "--db", str(db_path)])
    assert good.exit_code == 0, good.output
    before = table_contents(db_path)

    bad_folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, bad_folder)
    expected = make_bad_file(bad_folder)
    result = runner.invoke(
        cli, ["registers", "load", "--from", str(bad_folder), "--db", str(db_path)]
    )

    assert result.exit_code == 2
    error_lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(error_lines) == 1
    assert error_lines[0].startswith(f"credwatch: error: {expected}")
    assert "Traceback" not in result.output
    assert table_contents(db_path) == before


def table_contents(db_path: Path) -> dict[str, list[tuple]]:
    db = open_work_db(db_path)
    try:
        return {
            table: sorted(db.execute(f"select * from [{table}]").fetchall()) for table in TABLES
        }
    finally:
        db.close()


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["registers", "load", "--from", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.db")],
    )
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("nowhere: not a folder of register files")


def test_folder_with_only_notes_is_an_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "README.md").write_text("# Registers\n\nDownload them first.\n")
    result = CliRunner().invoke(
        cli, ["registers", "load", "--from", str(notes), "--db", str(tmp_path / "w.db")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("notes: no register file to load in this folder")
