"""`credwatch score`: flags, claim checks and an explained score for every crawled provider."""

from __future__ import annotations

from pathlib import Path

import click
import sqlite_utils
from rich.console import Console
from rich.table import Table

from credwatch.core.db import open_db
from credwatch.core.options import work_db_option
from scoring.overrides import DEFAULT_OVERRIDES, load_overrides
from scoring.run import ScoreReport, score_database
from scoring.schema import migrations as scoring_tables
from scoring.score import GRADES, rule_totals

BAR_WIDTH = 40


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
    console = Console(stderr=True)
    console.print(grade_chart(report))
    console.print(lowest_table(report, db))
    console.print(
        f"Wrote {report.providers} scores, {report.flags} flags and {report.contributions} "
        f"score contributions to {db_path} (table provider_scores holds every score)"
    )


def grade_chart(report: ScoreReport) -> Table:
    """How many providers got each grade, as bars: the run's shape at a glance."""
    chart = Table(title=f"Grades ({report.providers} providers, {report.offerings} offerings)")
    for column in ("grade", "providers", ""):
        chart.add_column(column)
    largest = max(report.grades.values(), default=0) or 1
    for _, grade in GRADES:
        count = report.grades[grade]
        chart.add_row(grade, str(count), "█" * round(BAR_WIDTH * count / largest))
    return chart


def lowest_table(report: ScoreReport, db: sqlite_utils.Database) -> Table:
    """The lowest scores with their largest effects (every score is in `provider_scores`)."""
    lowest = report.lowest
    table = Table(title=f"Lowest {len(lowest)} scores")
    for column in ("provider", "score", "grade", "largest effects"):
        table.add_column(column)
    names = _names(db, [result.provider_id for result in lowest])
    for result in lowest:
        effects = [item for item in rule_totals(result.contributions) if item[1]][:3]
        table.add_row(
            names.get(result.provider_id, result.provider_id),
            f"{result.score:.0f}",
            result.grade,
            ", ".join(f"{rule_id} {points:+.0f}" for rule_id, points in effects),
        )
    return table


def _names(db: sqlite_utils.Database, provider_ids: list[str]) -> dict[str, str]:
    if not provider_ids:
        return {}
    marks = ", ".join("?" for _ in provider_ids)
    query = f"select id, name from providers where id in ({marks})"
    return {row["id"]: row["name"] for row in db.query(query, provider_ids)}
