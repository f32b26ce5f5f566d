"""`credwatch score`: flags, claim checks and an explained score for every crawled provider."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from credwatch.core.db import open_db
from credwatch.core.options import work_db_option
from scoring.overrides import DEFAULT_OVERRIDES, load_overrides
from scoring.run import score_database
from scoring.schema import migrations as scoring_tables
from scoring.score import rule_totals


@click.command()
@work_db_option("Filled by `registers load` and `crawl`; scores are written back to it.")
@click.option(
    "--overrides",
    "overrides_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_OVERRIDES,
    show_default="overrides/overrides.yml",
    help="Reviewed corrections applied on this run (validated first).",
)
def score(db_path: Path, overrides_path: Path) -> None:
    """Match providers, flag offerings, check claims against the registers and score them.

    Results replace the previous run's in provider_matches, flags, score_contributions and
    provider_scores; `credwatch check NAME` and the published report cards show them.
    """
    overrides = load_overrides(overrides_path)
    db = open_db(db_path, scoring_tables, create=False)
    report = score_database(db, db_path, overrides=overrides)
    names = {row["id"]: row["name"] for row in db.query("select id, name from providers")}
    table = Table(title=f"Scores ({report.providers} providers, {report.offerings} offerings)")
    for column in ("provider", "score", "grade", "largest effects"):
        table.add_column(column)
    for result in sorted(report.scores, key=lambda s: s.score):
        effects = [item for item in rule_totals(result.contributions) if item[1]][:3]
        table.add_row(
            names.get(result.provider_id, result.provider_id),
            f"{result.score:.0f}",
            result.grade,
            ", ".join(f"{rule_id} {points:+.0f}" for rule_id, points in effects),
        )
    console = Console(stderr=True)
    console.print(table)
    console.print(
        f"Wrote {report.flags} flags and {report.contributions} score contributions to {db_path}"
    )
