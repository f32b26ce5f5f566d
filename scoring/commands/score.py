"""`credwatch score`: flags, claim checks and an explained score for every crawled provider."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from credwatch.db import open_db
from scoring.run import score_database


@click.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("output/work.db"),
    show_default=True,
    help="Working database filled by `registers load` and `crawl`.",
)
def score(db_path: Path) -> None:
    """Match providers, flag offerings, check claims against the registers and score them.

    Results replace the previous run's in provider_matches, flags, score_contributions and
    provider_scores; `credwatch check NAME` and the published report cards show them.
    """
    db = open_db(db_path, create=False)
    report = score_database(db, db_path)
    table = Table(title=f"Scores ({report.providers} providers, {report.offerings} offerings)")
    for column in ("provider", "score", "grade", "biggest reasons"):
        table.add_column(column)
    for result in sorted(report.scores, key=lambda s: s.score):
        worst = sorted(result.contributions, key=lambda c: c.points)[:2]
        table.add_row(
            result.provider_id,
            f"{result.score:.0f}",
            result.grade,
            "; ".join(f"{c.points:+.0f} {c.rule_id}" for c in worst if c.points),
        )
    console = Console(stderr=True)
    console.print(table)
    console.print(
        f"Wrote {report.flags} flags and {report.contributions} score contributions to {db_path}"
    )
