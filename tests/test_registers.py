"""The registers stage on the real shared snapshots: counts, key rows, snapshots and changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from registry_data.load import load_registers

SAMPLE = Path(__file__).resolve().parent.parent / "registry_data" / "sample"


@pytest.fixture(scope="module")
def shared_load(registry_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """One load of the whole shared folder, shared by the tests of this module."""
    db = open_work_db(tmp_path_factory.mktemp("registers") / "work.db")
    counts = load_registers(db, registry_dir, progress=False)
    yield db, counts
    db.close()


def test_shared_load_counts(shared_load) -> None:
    db, counts = shared_load
    assert counts["cricos"] == 1394
    assert counts["cricos_courses"] == 25687
    assert counts["rto"] == 11250
    assert counts["ipeds"] == 6072
    assert counts["ukprn"] == 307
    assert counts["ukprn_skipped"] == 7  # 314 objects, 307 with a UKPRN
    # PROVENANCE.md says 611 "lines" (wc -l): the last line has no newline; 612 distinct domains.
    assert counts["blocked_sites"] == 612
    by_register = dict(db.execute("select register, count(*) from registry_entries group by 1"))
    assert by_register == {"cricos": 1394, "rto": 11250, "ipeds": 6072, "ukprn": 307}
    assert db["registry_courses"].count == 25687
    assert db["blocked_sites"].count == 612


def test_latest_cricos_snapshot_is_the_one_in_registry_entries(shared_load) -> None:
    db, _ = shared_load
    dates = {
        row[0]
        for row in db.execute(
            "select distinct snapshot_date from registry_entries where register = 'cricos'"
        )
    }
    assert dates == {"2023-01-03"}
    assert db["registry_entries"].count_where("register = 'cricos' and entry_id = '01784K'") == 0


def test_rmit_cricos_row(shared_load) -> None:
    db, _ = shared_load
    rmit = db["registry_entries"].get(("cricos", "00122A"))
    assert rmit["legal_name"] == "Royal Melbourne Institute of Technology"
    assert any("RMIT University" in name for name in json.loads(rmit["trading_names"]))
    assert "RMIT" in json.loads(rmit["aliases"])
    assert rmit["website_domain"] == "rmit.edu.au"
    assert (rmit["state"], rmit["country"], rmit["is_current"]) == ("VIC", "AU", 1)
    assert json.loads(rmit["extra"])["institution_capacity"] == 23000


def test_cricos_look_alikes_stay_apart(shared_load) -> None:
    db, _ = shared_load
    curtin_college = db["registry_entries"].get(("cricos", "02042G"))
    assert json.loads(curtin_college["trading_names"]) == ["Curtin College"]
    assert curtin_college["website_domain"] == "curtincollege.edu.au"
    assert db["registry_entries"].get(("cricos", "00301J"))["website_domain"] == "curtin.edu.au"
    monash_college = db["registry_entries"].get(("cricos", "01857J"))
    assert json.loads(monash_college["trading_names"]) == [
        "Monash University English Language Centre",
        "Monash College",
    ]


def test_trading_names_split_on_commas_and_semicolons_but_keep_qualifiers(shared_load) -> None:
    db, _ = shared_load

    def names(code: str) -> list[str]:
        return json.loads(db["registry_entries"].get(("cricos", code))["trading_names"])

    assert names("00012G") == ["Holmesglen", "Holmesglen Institute"]
    waverley = db.execute(
        "select entry_id from registry_entries where legal_name like 'The Council of St Catherine%'"
    ).fetchone()[0]
    assert names(waverley) == ["St Catherine's School, Waverley"]


def test_rto_codes_keep_leading_zeros_and_status_verbatim(shared_load) -> None:
    db, _ = shared_load
    ato = db["registry_entries"].get(("rto", "0029"))
    assert ato["legal_name"] == "Australian Taxation Office"
    assert (ato["status"], ato["is_current"]) == ("Cancelled", 0)
    assert (ato["start_date"], ato["end_date"], ato["category"]) == (
        "1993-01-01",
        "2015-06-30",
        "ASQA",
    )
    statuses = dict(
        db.execute(
            "select status, sum(is_current) from registry_entries where register = 'rto' group by 1"
        )
    )
    assert statuses == {"Cancelled": 0, "Current": 4621, "Current (Suspended)": 9, "Non-Current": 0}


def test_ipeds_aliases_domains_and_activity(shared_load) -> None:
    db, _ = shared_load
    mit = db["registry_entries"].get(("ipeds", "166683"))
    assert mit["legal_name"] == "Massachusetts Institute of Technology"
    assert json.loads(mit["aliases"]) == ["MIT", "M.I.T."]
    assert (mit["website_domain"], mit["country"], mit["is_current"]) == ("mit.edu", "US", 1)
    assert json.loads(mit["extra"])["title_iv"] is True
    assert db["registry_entries"].count_where("register = 'ipeds' and is_current = 0") == 78
    closed = db.execute(
        "select count(*) from registry_entries where register = 'ipeds' and end_date is not null"
    ).fetchone()[0]
    assert 0 < closed <= 78


def test_uk_entries_use_synonyms_as_aliases(shared_load) -> None:
    db, _ = shared_load
    bucks = db["registry_entries"].get(("ukprn", "10000975"))
    assert json.loads(bucks["aliases"]) == [
        "Buckinghamshire Chilterns University College",
        "Bucks",
        "BNU",
    ]
    assert db["registry_entries"].count_where("register = 'ukprn' and is_current = 0") > 0


def test_blocked_domains_are_normalised_and_keep_the_listed_text(shared_load) -> None:
    db, _ = shared_load
    essay = db["blocked_sites"].get("essaytypist.com")
    assert essay["listed_as"] == "essaytypist.com/au"
    sub = db["blocked_sites"].get("au.assignmenthelppro.com")
    assert sub["registrable_domain"] == "assignmenthelppro.com"


def test_cricos_changes_between_the_two_snapshots(shared_load) -> None:
    db, counts = shared_load
    changes = list(db["registry_changes"].rows)
    assert counts["changes"] == len(changes) == 214
    assert sum(row["change"] == "disappeared" for row in changes) == 6
    assert sum(row["change"] == "appeared" for row in changes) == 27
    changed = [row for row in changes if row["change"] == "changed"]
    assert len({row["entry_id"] for row in changed}) == 116
    assert sum(row["field"] == "trading_names" for row in changed) == 15
    kaplan = [row for row in changes if row["entry_id"] == "01784K"]
    assert kaplan == [
        {
            "register": "cricos",
            "entry_id": "01784K",
            "legal_name": "Kaplan International (Perth) Pty Limited",
            "change": "disappeared",
            "field": "",
            "old_value": None,
            "new_value": None,
            "old_snapshot": "2022-10-04",
            "new_snapshot": "2023-01-03",
        }
    ]


def test_a_disappeared_entry_stays_in_the_history_with_its_last_snapshot(shared_load) -> None:
    db, _ = shared_load
    kaplan = list(db.query("select * from registry_entry_history where entry_id = '01784K'"))
    assert [(row["snapshot_date"], row["legal_name"]) for row in kaplan] == [
        ("2022-10-04", "Kaplan International (Perth) Pty Limited")
    ]
    rmit = db["registry_entries"].get(("cricos", "00122A"))
    assert (rmit["first_seen"], rmit["last_seen"]) == ("2022-10-04", "2023-01-03")


def test_every_register_row_links_to_its_page_on_the_register(shared_load) -> None:
    db, _ = shared_load
    assert db["registry_entries"].count_where("source_url is null or source_url = ''") == 0
    links = {
        row["register"]: row["source_url"]
        for row in db.query(
            "select register, source_url from registry_entries "
            "where entry_id in ('0029', '00122A', '166683', '10000975')"
        )
    }
    assert links["rto"] == "https://training.gov.au/Organisation/Details/0029"
    assert links["cricos"].endswith("InstitutionDetails.aspx?ProviderCode=00122A")
    assert links["ipeds"] == "https://nces.ed.gov/collegenavigator/?id=166683"
    assert "pn_p_id=10000975" in links["ukprn"]


def test_the_ipeds_snapshot_is_dated_by_its_release_not_today(shared_load) -> None:
    db, _ = shared_load
    (snapshot,) = db["registry_snapshots"].rows_where("register = 'ipeds'")
    assert snapshot["snapshot_date"] == "2024"  # HD2024; never the copy's modification time
    assert len(snapshot["sha256"]) == 64
    assert {
        row[0]
        for row in db.execute(
            "select distinct snapshot_date from registry_entries where register = 'ipeds'"
        )
    } == {"2024"}


def test_every_loaded_snapshot_is_recorded_once(shared_load) -> None:
    db, _ = shared_load
    snapshots = {
        (row["register"], row["snapshot_date"], row["source_file"]): row["rows"]
        for row in db["registry_snapshots"].rows
    }
    assert snapshots[("cricos", "2022-10-04", "cricos_institutions_2022-10-04.csv")] == 1373
    assert snapshots[("cricos", "2023-01-03", "cricos_institutions_2023-01-03.csv")] == 1394
    # The xlsx export of the same day is the same snapshot: loaded once, from the CSVs.
    assert not [key for key in snapshots if key[2].endswith("]")]
    assert snapshots[("rto", "2016-02-19", "tga_rto_list_2016-02-19.csv")] == 11250


def test_cli_load_shows_progress_and_counts(tmp_path: Path) -> None:
    db_path = tmp_path / "work.db"
    result = CliRunner().invoke(
        cli, ["registers", "load", "--from", str(SAMPLE), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert "loading CRICOS institutions of 2023-01-03 (date from file name)" in result.output
    assert "reading registers" in result.output  # the progress bar's final frame
    assert "not loaded: README.md" in result.output
    table = summary_rows(result.output)
    assert table["CRICOS institutions"] == 9
    assert table["CRICOS courses"] == 17
    assert table["training.gov.au RTOs"] == 13
    assert table["UK entries skipped (no UKPRN)"] == 1
    assert table["register changes between snapshots"] == 1
    assert str(db_path.name) in result.output
    db = open_work_db(db_path)
    assert db["registry_entries"].count_where("register = 'rto'") == 13
    assert db["registry_changes"].get(
        ("cricos", "01784K", "disappeared", "", "2022-10-04", "2023-01-03")
    )


def summary_rows(output: str) -> dict[str, int]:
    """The label -> count rows of the summary table printed by `registers load`."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 2 and cells[1].replace(",", "").isdigit():
            rows[cells[0]] = int(cells[1].replace(",", ""))
    return rows


def test_reloading_diffs_against_the_stored_older_snapshot(tmp_path: Path) -> None:
    """Last month's load is in the database; this month's file alone still yields changes."""
    db = open_work_db(tmp_path / "work.db")
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "cricos_institutions_2022-10-04.csv").write_bytes(
        (SAMPLE / "cricos_institutions_2022-10-04.csv").read_bytes()
    )
    (new / "cricos_institutions_2023-01-03.csv").write_bytes(
        (SAMPLE / "cricos_institutions_2023-01-03.csv").read_bytes()
    )
    load_registers(db, old, progress=False)
    counts = load_registers(db, new, progress=False)
    assert counts == {"cricos": 9, "changes": 1}
    assert [row["entry_id"] for row in db["registry_changes"].rows] == ["01784K"]


# Two records as the TEQSA register spider's feed writes them (tests/fixtures/sites/teqsa_register).
CURTIN = {
    "register": "teqsa",
    "entry_id": "PRV12158",
    "legal_name": "Curtin University",
    "trading_names": ["Curtin University of Technology", "Curtin"],
    "status": "registration ongoing pending renewal",
    "category": "Australian University",
    "start_date": "2012-01-29",
    "end_date": "2024-12-01",
    "website": "https://www.curtin.edu.au",
    "abn": "99143842569",
    "state": "WA",
    "source_url": "https://www.teqsa.gov.au/national-register/provider/curtin-university",
    "extra": {"self_accrediting_authority": "Yes"},
}
SOUTHERN_LIGHTS = {
    "register": "teqsa",
    "entry_id": "PRV14417",
    "legal_name": "Southern Lights College of Theology Ltd",
    "trading_names": [],
    "status": "withdrawn",
    "category": "Institute of Higher Education",
    "start_date": None,
    "end_date": None,
    "website": None,
    "abn": None,
    "state": None,
    "source_url": (
        "https://www.teqsa.gov.au/national-register/provider/southern-lights-college-theology"
    ),
    "extra": {},
}


def test_crawled_teqsa_json_lines_load_like_any_register_file(tmp_path: Path) -> None:
    folder = tmp_path / "registers"
    folder.mkdir()
    lines = [json.dumps(record) for record in (CURTIN, SOUTHERN_LIGHTS)]
    (folder / "register-feed_2026-06-01.jsonl").write_text("\n".join(lines) + "\n")
    shutil.copy(SAMPLE / "tga_rto_list_2016-02-19.csv", folder)
    db = open_work_db(tmp_path / "work.db")
    counts = load_registers(db, folder, progress=False)
    assert (counts["teqsa"], counts["rto"]) == (2, 13)
    curtin = db["registry_entries"].get(("teqsa", "PRV12158"))
    assert (curtin["website_domain"], curtin["is_current"], curtin["country"]) == (
        "curtin.edu.au",
        1,
        "AU",
    )
    assert json.loads(curtin["trading_names"]) == ["Curtin University of Technology", "Curtin"]
    assert (curtin["source_file"], curtin["snapshot_date"]) == (
        "register-feed_2026-06-01.jsonl",
        "2026-06-01",
    )
    assert curtin["source_url"] == CURTIN["source_url"]
    withdrawn = db["registry_entries"].get(("teqsa", "PRV14417"))
    assert (withdrawn["status"], withdrawn["is_current"], withdrawn["website"]) == (
        "withdrawn",
        0,
        None,
    )


def test_progress_output_goes_to_the_given_console(tmp_path: Path) -> None:
    console = Console(record=True, width=200)
    load_registers(open_work_db(tmp_path / "w.db"), SAMPLE, progress=True, console=console)
    text = console.export_text()
    assert "loading training.gov.au RTO List of 2016-02-19" in text
