"""`registers fetch` against a local stand-in for data.gov.au, the TEQSA list and NCES; and
the orchestrator fetching those plus the TEQSA National Register a spider reads."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner
from helpers.paths import FIXTURES
from helpers.spiders import serve_fixture_site

from crawler.runner import LOOPBACK_SETTINGS
from credwatch.cli import cli
from credwatch.pipeline import fetch_register_sources, open_work_db
from registry_data.detect import detect
from registry_data.load import load_registers

SAMPLE = Path(__file__).resolve().parent.parent / "registry_data" / "sample"
CRICOS_XLSX = "cricos-providers-courses-and-locations-as-at-2023-1-3-7-59-17.xlsx"
OLDER_XLSX = "cricos-providers-courses-and-locations-as-at-2022-10-4-11-02-16.xlsx"


def official_site(root: Path, registry_dir: Path) -> Path:
    """The official paths under one local root: CKAN package_show listing two monthly exports
    (the newer is the real 2023-01-03 export), the TEQSA list and the IPEDS HD zip."""
    api = root / "api" / "3" / "action"
    api.mkdir(parents=True)
    resources = [
        {"format": "XLSX", "url": f"__BASE_URL__/download/{OLDER_XLSX}", "created": "2022-10-04"},
        {"format": "XLSX", "url": f"__BASE_URL__/download/{CRICOS_XLSX}", "created": "2023-01-03"},
        {"format": "CSV", "url": "__BASE_URL__/download/cricos-institutions.csv"},
    ]
    (api / "package_show").write_text(
        json.dumps({"success": True, "result": {"resources": resources}})
    )
    (root / "download").mkdir()
    (root / "download" / CRICOS_XLSX).symlink_to(registry_dir / "au" / CRICOS_XLSX)
    teqsa = root / "elliotwutingfeng" / "TEQSA-illegal-cheating-websites" / "HEAD"
    teqsa.mkdir(parents=True)
    (teqsa / "urls.txt").write_bytes(
        (
            registry_dir / "au" / "teqsa_blocked_illegal_cheating_websites_2026-05-19.txt"
        ).read_bytes()
    )
    nces = root / "ipeds" / "complete-data-files"
    nces.mkdir(parents=True)
    with zipfile.ZipFile(nces / "HD2024.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SAMPLE / "ipeds_hd2024.csv", arcname="hd2024.csv")
    return root


def test_fetch_resolves_the_latest_export_and_loads(
    tmp_path: Path, registry_dir: Path, serve_dir
) -> None:
    site_root = official_site(tmp_path / "site", registry_dir)
    out = tmp_path / "fetched"
    with serve_dir(site_root) as site:
        result = CliRunner().invoke(
            cli, ["registers", "fetch", "--to", str(out), "--base-url", site.base_url]
        )
    assert result.exit_code == 0, result.output
    assert "/api/3/action/package_show?id=cricos" in site.requested
    assert f"/download/{OLDER_XLSX}" not in site.requested
    assert "CC BY 2.5 AU" in result.output
    assert (
        "teqsa: read by a spider, not downloaded here: run `credwatch crawl --register teqsa"
        in (" ".join(result.output.split()))
    )
    saved = sorted(path.name for path in out.iterdir())
    assert CRICOS_XLSX in saved
    assert next(name for name in saved if name.startswith("ipeds_hd2024_")).endswith(".zip")
    assert next(name for name in saved if name.startswith("teqsa_blocked_")).endswith(".txt")
    assert not [name for name in saved if name.endswith(".part")]
    assert (out / CRICOS_XLSX).read_bytes() == (registry_dir / "au" / CRICOS_XLSX).read_bytes()

    db = open_work_db(tmp_path / "work.db")
    counts = load_registers(db, out, progress=False)
    assert counts["cricos"] == 1394  # read from the xlsx export itself this time
    assert counts["cricos_courses"] == 25687
    assert counts["blocked_sites"] == 612
    assert counts["ipeds"] == 4
    rmit = db["registry_entries"].get(("cricos", "00122A"))
    assert (rmit["snapshot_date"], rmit["source_file"]) == (
        "2023-01-03",
        f"{CRICOS_XLSX} [Institutions]",
    )


def test_fetch_http_failure_is_one_line_naming_the_url(tmp_path: Path, serve_dir) -> None:
    empty = tmp_path / "site"
    empty.mkdir()
    out = tmp_path / "fetched"
    with serve_dir(empty) as site:
        result = CliRunner().invoke(
            cli, ["registers", "fetch", "--to", str(out), "--base-url", site.base_url]
        )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"credwatch: error: {site.base_url}/api/3/action/package_show?id=cricos: "
        "download failed (HTTP 404 File not found)"
    )
    assert not list(out.glob("*.part"))


def test_register_sources_are_the_downloads_and_the_spider_read_registers(
    tmp_path: Path, registry_dir: Path
) -> None:
    site_root = official_site(tmp_path / "site", registry_dir)
    (site_root / "national-register").symlink_to(
        FIXTURES / "sites" / "teqsa_register" / "national-register"
    )
    (site_root / "decisions").symlink_to(FIXTURES / "sites" / "asqa_decisions" / "decisions")
    out = tmp_path / "fetched"
    with serve_fixture_site(site_root) as site:
        written = fetch_register_sources(out, site.base_url, LOOPBACK_SETTINGS)
    names = [path.name for path in written]
    assert names[0] == CRICOS_XLSX
    assert names[-1].startswith("teqsa-national-register-") and names[-1].endswith(".jsonl")
    assert "/national-register?page=1" in site.requested
    (dataset,) = detect(written[-1])
    assert (dataset.register, dataset.format.kind, len(dataset.read())) == ("teqsa", "teqsa", 6)
    (decisions,) = [path for path in written if path.name.startswith("asqa-decisions-")]
    assert len(detect(decisions)[0].read()) == 7
