"""`credwatch registers load|fetch`: government register files in, normalised tables out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from credwatch.core.db import open_db
from credwatch.core.options import registers_option, work_db_option
from registry_data.fetch import BASE_URL_ENV, SOURCES, fetch_registers
from registry_data.load import load_registers
from registry_data.schema import migrations as register_tables

# Rows of the summary table, in reading order: (count key, label).
SUMMARY_ROWS = (
    ("cricos", "CRICOS institutions"),
    ("cricos_courses", "CRICOS courses"),
    ("rto", "training.gov.au RTOs"),
    ("ipeds", "IPEDS institutions (US)"),
    ("ukprn", "UK institutions with a UKPRN"),
    ("ukprn_skipped", "UK entries skipped (no UKPRN)"),
    ("blocked_sites", "TEQSA blocked domains"),
    ("changes", "register changes between snapshots"),
)


@click.group()
def registers() -> None:
    """Load or fetch government register files (CRICOS, RTO List, IPEDS, UK, TEQSA)."""


@registers.command()
@registers_option(required=True)
@work_db_option("Created when missing.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def load(registers_dir: Path, db_path: Path, quiet: bool) -> None:
    """Load every register file under --from into --db, in one transaction.

    A bad file (unknown format, missing column, truncated xlsx, wrong encoding) stops the load
    with a one-line error and leaves the database as it was.
    """
    console = Console(stderr=True)
    db = open_db(db_path, register_tables)
    try:
        counts = load_registers(db, registers_dir, progress=not quiet, console=console)
    finally:
        db.close()
    Console().print(summary_table(counts, db_path))


def summary_table(counts: dict[str, int], db_path: Path) -> Table:
    table = Table(title=f"Registers loaded into {db_path}", title_justify="left")
    table.add_column("register / table")
    table.add_column("rows", justify="right")
    for key, label in SUMMARY_ROWS:
        if key in counts:
            table.add_row(label, f"{counts[key]:,}")
    for key in sorted(counts.keys() - {key for key, _ in SUMMARY_ROWS}):
        table.add_row(key, f"{counts[key]:,}")
    return table


@registers.command()
@click.option(
    "--to",
    "to_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to save the downloaded files in (created when missing).",
)
@click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    help=f"Fetch from this host instead of the official ones (tests, mirrors); env {BASE_URL_ENV}.",
)
def fetch(to_dir: Path, base_url: str | None) -> None:
    """Download the current official register files (CRICOS via the data.gov.au CKAN API,
    TEQSA's blocked-sites list, the IPEDS HD zip). Load them with `registers load`."""
    console = Console()
    for source in SOURCES.values():
        console.print(f"{source.register}: {source.url} ({source.licence})", markup=False)
    for path in fetch_registers(to_dir, base_url):
        console.print(f"saved {path} ({path.stat().st_size:,} bytes)", markup=False)
