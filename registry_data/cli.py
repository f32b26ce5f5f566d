"""`credwatch registers load|fetch`: government register files in, normalised tables out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from credwatch.core.db import open_db
from credwatch.core.options import registers_option, work_db_option
from registry_data.fetch import BASE_URL_ENV, fetch_registers, how_fetched
from registry_data.gate import MAX_SHRINK
from registry_data.load import count_key, load_registers, skipped_key
from registry_data.registers import REGISTERS
from registry_data.schema import migrations as register_tables


@click.group()
def registers() -> None:
    """Load or fetch government register files (CRICOS, RTO List, IPEDS, UK, TEQSA)."""


@registers.command()
@registers_option(required=True)
@work_db_option("Created when missing.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--accept-shrink",
    is_flag=True,
    help=f"Load a snapshot even when it has over {MAX_SHRINK:.0%} fewer rows than the newest.",
)
def load(registers_dir: Path, db_path: Path, quiet: bool, accept_shrink: bool) -> None:
    """Load every new register snapshot under --from into --db, in one transaction.

    Every snapshot is kept; each register's current rows are its newest snapshot, and the
    changes between snapshots are recorded. A bad file (unknown format, missing column,
    truncated xlsx, wrong encoding, oversized line) or one the gate refuses (no data rows,
    or a register shrinking by over 20%) stops the load with a one-line error and leaves
    the database as it was.
    """
    console = Console(stderr=True)
    db = open_db(db_path, register_tables)
    try:
        counts = load_registers(
            db, registers_dir, progress=not quiet, console=console, accept_shrink=accept_shrink
        )
    finally:
        db.close()
    Console().print(summary_table(counts, db_path))


def summary_rows() -> dict[str, str]:
    """Count key -> label, in reading order: each register's tables as it declares them
    (and the records it skipped), then the changes between snapshots."""
    rows: dict[str, str] = {}
    for register in REGISTERS.values():
        for fmt in register.formats:
            if fmt.loads:
                rows.setdefault(count_key(register.id, fmt.table), fmt.rows_label)
            if fmt.skipped_label:
                rows.setdefault(skipped_key(register.id), fmt.skipped_label)
    rows["changes"] = "register changes between snapshots"
    return rows


def summary_table(counts: dict[str, int], db_path: Path) -> Table:
    table = Table(title=f"Registers loaded into {db_path}", title_justify="left")
    table.add_column("register / table")
    table.add_column("rows", justify="right")
    labels = summary_rows()
    for key, label in labels.items():
        if key in counts:
            table.add_row(label, f"{counts[key]:,}")
    for key in sorted(counts.keys() - labels.keys()):
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
    TEQSA's blocked-sites list, the IPEDS HD zip). Load them with `registers load`.

    Registers with no file to download are read by a spider instead: the TEQSA National
    Register is fetched with `credwatch crawl --register teqsa --to DIR` (into the same
    folder, to load it with the others). The output names the command for each such register.
    """
    console = Console()
    for register in REGISTERS.values():
        console.print(how_fetched(register), markup=False)
    for path in fetch_registers(to_dir, base_url):
        console.print(f"saved {path} ({path.stat().st_size:,} bytes)", markup=False)
