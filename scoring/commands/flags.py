"""`credwatch flags`: flag offerings in a CSV (a stable contract used by held-out evaluation)."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from credwatch.core.errors import CredwatchError
from scoring.flags.free_certificate import RULE_ID as FREE_CERTIFICATE
from scoring.flags.model import OfferingFlags
from scoring.flags.over_niche import RULE_ID as OVER_NICHE
from scoring.flags.wording import quote
from scoring.rules import flag_offerings

OUTPUT_COLUMNS = ("id", "free_certificate", "over_niche", "niche_score", "reasons")


@click.command("flags")
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Offerings CSV: id,provider,title,description,price,currency,duration_hours,"
    "certificate_text (only id is required; extra columns are ignored).",
)
@click.option(
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write id,free_certificate,over_niche,niche_score,reasons.",
)
def flags(input_path: Path, output_path: Path) -> None:
    """Flag free-certificate and over-niche offerings in a CSV.

    All rows of the input together are the corpus for the subject-breadth signal of
    niche_score. Values that are not numbers (price, duration_hours) are read as text and
    reported as warnings on stderr.
    """
    rows = read_offerings(input_path)
    results = flag_offerings(rows)
    for number, result in enumerate(results, start=1):
        for warning in result.warnings:
            click.echo(f"credwatch: warning: {input_path} row {number}: {warning}", err=True)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    with output_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(csv_row(result) for result in results)
    raised = sum(1 for r in results if {FREE_CERTIFICATE, OVER_NICHE} & set(r.hits))
    click.echo(f"{len(results)} offerings, {raised} flagged -> {output_path}", err=True)


def csv_row(flags: OfferingFlags) -> tuple[str, int, int, str, str]:
    """One output row: the two contract flags as 0/1 (raised or not), niche_score, reasons."""
    return (
        flags.offering_id,
        int(FREE_CERTIFICATE in flags.hits),
        int(OVER_NICHE in flags.hits),
        f"{flags.niche_score:.3f}",
        reasons_line(flags),
    )


def reasons_line(flags: OfferingFlags) -> str:
    """The short `reasons` text: what raised each contract flag, quoted, then the ids of the
    other raised offering rules (the value flags, and any flag declared later)."""
    parts = []
    free = flags.hits.get(FREE_CERTIFICATE)
    if free:
        context = f" [{', '.join(flags.free_certificate_context)}]"
        parts.append(
            f"free_certificate: {quote(free.evidence_text)!r} ({free.reason})"
            + (context if flags.free_certificate_context else "")
        )
    niche = flags.hits.get(OVER_NICHE)
    if niche:
        parts.append(f"over_niche: {niche.reason}")
    others = [rule_id for rule_id in flags.hits if rule_id not in (FREE_CERTIFICATE, OVER_NICHE)]
    if others:
        parts.append("value: " + ", ".join(others))
    if flags.not_checked:
        parts.append("not checked (no course page text): " + ", ".join(flags.not_checked))
    return " ; ".join(parts)


def read_offerings(path: Path) -> list[dict[str, str]]:
    """The rows of an offerings CSV; CredwatchError if it is unreadable, empty or has no id."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            rows = list(reader)
    except FileNotFoundError as missing:
        raise CredwatchError(f"{path}: file not found") from missing
    except (OSError, UnicodeDecodeError, csv.Error) as unreadable:
        raise CredwatchError(f"{path}: cannot read as UTF-8 CSV ({unreadable})") from unreadable
    if not header:
        raise CredwatchError(f"{path}: empty file, expected a header row with an id column")
    if "id" not in (name.strip() for name in header):
        raise CredwatchError(f"{path}: no 'id' column (columns: {', '.join(header)})")
    if not rows:
        raise CredwatchError(f"{path}: no offerings below the header row")
    return [{(key or "").strip(): value for key, value in row.items()} for row in rows]
