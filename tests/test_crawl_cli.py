"""`credwatch crawl`: providers files, one-line errors, and last-known-good data kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from helpers.crawl import fault_site, page, run_crawl_cli

from crawler.runner import ProviderSpec, load_providers
from credwatch.cli import cli
from credwatch.core.errors import CredwatchError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_providers_default_to_the_structured_data_spider(tmp_path: Path) -> None:
    path = write(
        tmp_path / "providers.csv",
        "name,url,spider\nRMIT Online,https://online.rmit.edu.au/,\n"
        "Coursera,https://www.coursera.org/,coursera\n",
    )
    assert load_providers(path) == [
        ProviderSpec("RMIT Online", "https://online.rmit.edu.au/", "structured_data",
                     f"{path}: row 1"),
        ProviderSpec("Coursera", "https://www.coursera.org/", "coursera", f"{path}: row 2"),
    ]  # fmt: skip


def test_yaml_providers_may_be_a_bare_list(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", "- {name: Alison, url: 'https://alison.com/'}\n")
    (spec,) = load_providers(path)
    assert (spec.name, spec.spider) == ("Alison", "structured_data")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.csv", "name,website\nTAFE NSW,https://www.tafensw.edu.au/\n", "row 1: missing url"),
        ("p.csv", "name,url\nTAFE NSW,www.tafensw.edu.au\n", "row 1: bad URL 'www.tafensw"),
        ("p.yml", "providers: {name: x}\n", "expected a list of providers"),
        ("p.yml", "- [TAFE NSW, https://www.tafensw.edu.au/]\n", "row 1: expected a mapping"),
        ("p.txt", "name,url\n", "must be .csv, .yml or .yaml"),
        ("p.csv", "name,url\n", "no providers listed"),
    ],
)
def test_bad_providers_files_name_file_and_row(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(CredwatchError, match=message) as error:
        load_providers(path)
    assert str(error.value).startswith(str(path))


def test_unknown_spider_is_one_line_error_before_crawling(tmp_path: Path) -> None:
    path = write(
        tmp_path / "providers.csv",
        "name,url,spider\nTAFE NSW,https://www.tafensw.edu.au/,fault_probe\n"
        "Udemy,https://www.udemy.com/,udemyy\n",
    )
    db_path = tmp_path / "work.db"
    result = CliRunner().invoke(
        cli,
        [
            "crawl",
            "--providers",
            str(path),
            "--db",
            str(db_path),
            "-s",
            "SPIDER_MODULES=helpers.crawl",
        ],
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"credwatch: error: {path}: row 2: unknown spider 'udemyy'")
    assert not db_path.exists()


def test_failed_recrawl_keeps_last_known_good_offerings(tmp_path: Path) -> None:
    course = "<h1>Licence to Operate a Forklift Truck</h1><footer>RTO 91608</footer>"
    routes = {"/": page('<a href="/forklift">Forklift</a>'), "/forklift": page(course)}
    with fault_site(routes) as site:
        provider = {"name": "Quaywater", "url": site.base_url, "spider": "fault_probe"}
        args = ("-s", "SPIDER_MODULES=helpers.crawl", "-s", "RETRY_TIMES=0")
        run_crawl_cli(tmp_path, [provider], *args, "--run-id", "first")
        site.routes["/"] = page("maintenance", status=500)
        second = run_crawl_cli(tmp_path, [provider], *args, "--run-id", "second")
    db = sqlite_utils.Database(tmp_path / "work.db")
    outcomes = {row["crawl_run_id"]: row["outcome"] for row in db["crawl_outcomes"].rows}
    assert outcomes == {"first": "ok", "second": "http_error"}
    (offering,) = db["offerings"].rows
    assert (offering["title"], offering["crawl_run_id"]) == (
        "Licence to Operate a Forklift Truck",
        "first",
    )
    assert [row["value"] for row in db["claims"].rows] == ["91608"]
    assert {row["id"]: row["items"] for row in db["crawl_runs"].rows} == {"first": 1, "second": 0}
    assert "0/1 providers ok" in second.stdout


def test_nightly_providers_file_lists_the_real_providers() -> None:
    providers = load_providers(Path(__file__).parent.parent / "crawler" / "providers.yml")
    spiders = {spec.name: spec.spider for spec in providers}
    assert {"RMIT Online", "TAFE NSW", "Open Universities Australia", "Alison"} <= set(spiders)
    assert (spiders["Coursera"], spiders["FutureLearn"], spiders["Udemy"]) == (
        "coursera",
        "futurelearn",
        "udemy",
    )
    assert spiders["edX"] == "openedx"
    assert all(spec.url.startswith("https://") for spec in providers)
