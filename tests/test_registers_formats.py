"""Register file formats: value parsing, name splitting, xlsx reports, ZIPs and encodings."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from credwatch.pipeline import open_work_db
from registry_data.detect import detect
from registry_data.load import load_registers
from registry_data.registers import is_current
from registry_data.registers.cricos import bracket_aliases, split_trading_names
from registry_data.registers.teqsa_blocked import blocked_rows
from registry_data.values import iso_date, number

SAMPLE = Path(__file__).resolve().parent.parent / "registry_data" / "sample"
INSTITUTION_HEADER = [
    "CRICOS Provider Code", "Trading Name", "Institution Name", "Institution Type",
    "Institution Capacity", "Website", "Postal Address Line 1", "Postal Address Line 2",
    "Postal Address Line 3", "Postal Address Line 4", "Postal Address City",
    "Postal Address State", "Postal Address Postcode",
]  # fmt: skip
RMIT = [
    "00122A", "RMIT University (RMIT)", "Royal Melbourne Institute of Technology", "Government",
    23000, "www.rmit.edu.au", "GPO Box 2476", "", "", "", "MELBOURNE", "VIC", "3001",
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("$13,300.00", 13300.0), ("1,050", 1050.0), (13300, 13300.0), ("", None), ("-2", None)],
)
def test_money_and_integers_written_as_text(raw, expected) -> None:
    assert number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19/Feb/2016", "2016-02-19"),
        ("2016-02-19", "2016-02-19"),
        ("05/Nov/2014", "2014-11-05"),
        ("", None),
        ("not a date", None),
    ],
)
def test_register_dates(raw, expected) -> None:
    assert iso_date(raw) == expected


def test_us_dates_read_month_first() -> None:
    assert iso_date("6/7/2024", month_first=True) == "2024-06-07"
    assert iso_date("12/31/2023", month_first=True) == "2023-12-31"


@pytest.mark.parametrize(
    ("raw", "city", "expected"),
    [
        ("Holmesglen, Holmesglen Institute", "", ["Holmesglen", "Holmesglen Institute"]),
        ("Bendigo TAFE; and Kangan Institute", "", ["Bendigo TAFE", "Kangan Institute"]),
        ("Campion College, Australia", "", ["Campion College, Australia"]),
        ("Eastern College Australia, Inc", "", ["Eastern College Australia, Inc"]),
        ("St Catherine's School, Waverley", "WAVERLEY", ["St Catherine's School, Waverley"]),
        ("A College (Perth); B College;", "", ["A College (Perth)", "B College"]),
        ("", "", []),
    ],
)
def test_trading_name_splitting(raw, city, expected) -> None:
    assert split_trading_names(raw, home_city=city) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Macquarie University (Macquarie)", ["Macquarie", "Macquarie University"]),
        ("The University of New South Wales (UNSW)", ["UNSW", "The University of New South Wales"]),
        (
            "Australian Child Care Career Options (ACCCO) Pty Ltd",
            ["ACCCO", "Australian Child Care Career Options Pty Ltd"],
        ),
        ("Colleges of Business and Technology (WA) Pty Ltd", []),
        ("Perth Bible College (Inc)", []),
        ("The Uniting Church in Australia Property Trust (Q.)", []),
    ],
)  # fmt: skip
def test_bracketed_abbreviations_become_aliases(name, expected) -> None:
    assert bracket_aliases(name) == expected


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder of register files; the database goes beside it, not in it."""
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


def cricos_export(path: Path, *, rows: list[list], generated: str) -> Path:
    """A workbook laid out like the CRICOS provider export: title, date line, header on row 3."""
    workbook = openpyxl.Workbook()
    purpose = workbook.active
    purpose.title = "Purpose Statement"
    purpose.append(["Commonwealth Register of Institutions and Courses for Overseas Students"])
    sheet = workbook.create_sheet("Institutions")
    sheet.append(["Institutions"])
    sheet.append([f"Report generated {generated}"])
    sheet.append(INSTITUTION_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_cricos_xlsx_export_dated_from_its_content(files: Path) -> None:
    cricos_export(files / "export.xlsx", rows=[RMIT], generated="Tuesday, 3 January 2023")
    db = open_work_db(files.parent / "work.db")
    assert load_registers(db, files, progress=False)["cricos"] == 1
    rmit = db["registry_entries"].get(("cricos", "00122A"))
    assert (rmit["snapshot_date"], rmit["source_file"]) == (
        "2023-01-03",
        "export.xlsx [Institutions]",
    )
    assert json.loads(rmit["trading_names"]) == ["RMIT University (RMIT)"]


def test_xlsx_and_csv_of_one_snapshot_load_once(files: Path) -> None:
    cricos_export(files / "export.xlsx", rows=[RMIT], generated="Tuesday, 3 January 2023")
    (files / "cricos_institutions_2023-01-03.csv").write_bytes(
        (SAMPLE / "cricos_institutions_2023-01-03.csv").read_bytes()
    )
    db = open_work_db(files.parent / "work.db")
    counts = load_registers(db, files, progress=False)
    assert counts == {"cricos": 9, "changes": 0}
    assert [row["source_file"] for row in db["registry_snapshots"].rows] == [
        "cricos_institutions_2023-01-03.csv"
    ]


def test_rto_report_xlsx_with_header_below_filters_and_merged_columns(files: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "RtoList"
    sheet.append(["RTO List "])
    sheet.append([])
    sheet.append([None, "Regulatory body:"])
    sheet.append([None, None, None, "ACT DET, ASQA, QLD DETE"])
    sheet.append(
        ["RCAB", None, "Code", None, "Name", None, None, "Start Date", "End Date", None, "Status"]
    )
    sheet.append(
        [
            "ASQA",
            None,
            "0029",
            None,
            "Australian Taxation Office",
            None,
            None,
            "01/Jan/1993",
            "30/Jun/2015",
            None,
            "Cancelled",
        ]
    )
    sheet.append(
        [
            "WA TAC",
            None,
            "0182",
            None,
            "3CM Pty Limited",
            None,
            None,
            "11/Sep/2014",
            "30/Nov/2018",
            None,
            "Current (Suspended)",
        ]
    )
    workbook.save(files / "RtoList_2016-02-19.xlsx")
    db = open_work_db(files.parent / "work.db")
    assert load_registers(db, files, progress=False)["rto"] == 2
    ato = db["registry_entries"].get(("rto", "0029"))
    assert (ato["start_date"], ato["end_date"], ato["status"]) == (
        "1993-01-01",
        "2015-06-30",
        "Cancelled",
    )
    suspended = db["registry_entries"].get(("rto", "0182"))
    assert (suspended["status"], suspended["is_current"]) == ("Current (Suspended)", 1)
    assert ato["snapshot_date"] == "2016-02-19"  # no date in the report: from the file name


def test_zip_of_data_gov_au_csvs_with_money_as_text(files: Path) -> None:
    archive = files / "cricos-csv.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("cricos_courses_2023-01-03.csv", "cricos_institutions_2023-01-03.csv"):
            out.write(SAMPLE / name, arcname=name.replace("_2023-01-03", "-as-at-2023-1-3"))
    db = open_work_db(files.parent / "work.db")
    counts = load_registers(db, files, progress=False)
    assert (counts["cricos"], counts["cricos_courses"]) == (9, 17)
    course = db["registry_courses"].get(("cricos", "001357G"))
    assert (course["tuition_fee"], course["non_tuition_fee"]) == (106800.0, 939.0)
    assert (course["estimated_total_cost"], course["duration_weeks"], course["expired"]) == (
        107739.0,
        156.0,
        0,
    )
    assert course["snapshot_date"] == "2023-01-03"


def test_latin1_ipeds_file_is_read_not_crashed(files: Path) -> None:
    rows = list(csv.reader(io.StringIO((SAMPLE / "ipeds_hd2024.csv").read_text(encoding="utf-8"))))
    rows[1][1] = "Universidad Politécnica de Puerto Rico"
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    (files / "hd2024.csv").write_bytes(text.getvalue().encode("latin-1"))
    db = open_work_db(files.parent / "work.db")
    load_registers(db, files, progress=False)
    names = {row["legal_name"] for row in db["registry_entries"].rows}
    assert "Universidad Politécnica de Puerto Rico" in names


def test_files_are_recognised_by_content_not_name(files: Path) -> None:
    misleading = files / "ipeds.json"
    misleading.write_bytes((SAMPLE / "tga_rto_list_2016-02-19.csv").read_bytes())
    [dataset] = detect(misleading)
    assert (dataset.format.kind, dataset.container) == ("rto", "csv")
    # No date in its content or name: unknown, never the file's modification time.
    assert (dataset.snapshot_date, dataset.date_from, dataset.shown_date) == (
        None,
        "unknown",
        "unknown",
    )


def test_real_rto_report_xlsx_matches_its_csv_conversion(registry_dir: Path) -> None:
    """The original training.gov.au report (header on row 18, merged cells, dd/Mon/yyyy)."""
    [dataset] = detect(registry_dir / "au" / "tga_rto_list_report_2016-02-19.xlsx")
    from_xlsx = dataset.format.build(dataset.read(), "x", dataset.snapshot_date)
    [csv_dataset] = detect(registry_dir / "au" / "tga_rto_list_2016-02-19.csv")
    from_csv = csv_dataset.format.build(csv_dataset.read(), "x", csv_dataset.snapshot_date)
    assert len(from_xlsx) == 11250
    assert from_xlsx == from_csv


@pytest.mark.parametrize(
    ("status", "current"),
    [
        ("Current", True),
        ("Current (Suspended)", True),
        ("Current (Re-registration pending)", True),
        ("Non-Current", False),
        ("Cancelled", False),
        ("withdrawn", False),
    ],
)
def test_rto_status_to_is_current(status: str, current: bool) -> None:
    assert is_current("rto", status) is current


@pytest.mark.parametrize(
    ("line", "domain"),
    [
        ("100due.com", "100due.com"),
        ("essaytypist.com/au", "essaytypist.com"),
        ("https://WWW.Example-Essays.com/order", "example-essays.com"),
        ("au.assignmenthelppro.com", "au.assignmenthelppro.com"),
    ],
)
def test_blocked_site_lines_normalise_to_a_host(line: str, domain: str) -> None:
    [row] = blocked_rows([line], "list.txt", "2026-05-19")
    assert (row["domain"], row["listed_as"]) == (domain, line)
