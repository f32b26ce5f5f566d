"""`credwatch match`: match provider names/URLs in a CSV to register entries (a stable contract)."""

from __future__ import annotations

import csv
from pathlib import Path

import click
from rich.progress import Progress

from credwatch.core.errors import CredwatchError
from credwatch.core.options import work_db_option
from scoring.match import OUTPUT_COLUMNS, csv_rows
from scoring.matching import load_index, match_provider, open_registers

# Inputs at least this long get a progress bar; small files finish before one would draw.
PROGRESS_FROM_ROWS = 500


@click.command("match")
@work_db_option("Its registers are matched against (a db from `registers load` works too).")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV with a `name` column, an optional `url` column and an optional `ids` column "
    "(register ids seen for the provider, space-separated: RTO code, CRICOS code, ABN).",
)
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write " + ",".join(OUTPUT_COLUMNS) + ".",
)
def match(db_path: Path, input_path: Path, output_path: Path) -> None:
    """Match provider names (and websites) to CRICOS, RTO, TEQSA, IPEDS and UKPRN entries.

    Writes one row per accepted register entry (decision matched or probable), or one
    not_found row naming the best candidate that was rejected and why.
    """
    rows = read_names(input_path)
    index = load_index(open_registers(db_path), db_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    written = found = 0
    with (
        output_path.open("w", newline="", encoding="utf-8") as handle,
        Progress(disable=len(rows) < PROGRESS_FROM_ROWS, transient=True) as progress,
    ):
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        task = progress.add_task("matching", total=len(rows))
        for row in rows:
            ids = (row.get("ids") or "").split()
            name = row["name"] or ""
            result = match_provider(name, row.get("url") or None, ids, index=index)
            found += bool(result.accepted)
            for out in csv_rows(result):
                writer.writerow(out)
                written += 1
            progress.advance(task)
    click.echo(
        f"{len(rows)} names, {found} matched or probable, {written} rows -> {output_path}",
        err=True,
    )


def read_names(path: Path) -> list[dict[str, str]]:
    """Rows of the input CSV; one-line errors for a missing file, no rows or no `name` column.

    A row with an empty name stays: it gets its own not_found row, so output follows input.
    """
    if not path.is_file():
        raise CredwatchError(f"{path}: input file does not exist")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise CredwatchError(f"{path}: empty file (expected a header with a `name` column)")
        if "name" not in reader.fieldnames:
            raise CredwatchError(
                f"{path}: no `name` column (columns: {', '.join(reader.fieldnames)})"
            )
        rows = list(reader)
    if not rows:
        raise CredwatchError(f"{path}: no data rows below the header")
    return rows
