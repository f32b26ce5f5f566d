"""`credwatch crawl`: crawl every provider in a providers file into the working database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from crawler.pipelines import provider_id
from crawler.runner import CrawlProgress, CrawlReport, ProviderSpec, load_providers, run_crawl
from credwatch.core.options import providers_option, scrapy_settings_option, work_db_option


class RichCrawlProgress(CrawlProgress):
    """One bar: providers done out of all, with the running item count (on stderr)."""

    def __init__(self, console: Console):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        self.progress = Progress(*columns, TimeElapsedColumn(), console=console)
        self.items = 0
        self.task: TaskID | None = None

    def _label(self) -> str:
        return f"crawling · {self.items} items"

    def crawl_started(self, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task(self._label(), total=total)

    def item_found(self, spec: ProviderSpec) -> None:
        self.items += 1
        if self.task is not None:
            self.progress.update(self.task, description=self._label())

    def provider_done(self, spec: ProviderSpec, items: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task)
        self.progress.console.log(f"{spec.name}: {items} items")

    def close(self) -> None:
        self.progress.stop()


def summary_table(report: CrawlReport, providers: list[ProviderSpec]) -> Table:
    names = {provider_id(spec.url): spec.name for spec in providers}
    table = Table(title=f"crawl {report.run_id}")
    for column in ("provider", "outcome", "items", "pages", "detail"):
        table.add_column(column, justify="right" if column in {"items", "pages"} else "left")
    for row in report.outcomes:
        style = "green" if row["outcome"] == "ok" else "red"
        table.add_row(
            names.get(row["provider_id"], row["provider_url"]),
            f"[{style}]{row['outcome']}[/]",
            str(row["items"]),
            str(row["pages"]),
            row["detail"] or "",
        )
    return table


@click.command(name="crawl")
@providers_option()
@work_db_option("Providers, offerings, claims and outcomes are upserted into it.")
@click.option(
    "--jsonl",
    "jsonl_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write one JSON object per offering to this file.",
)
@click.option("--run-id", help="Identifier of this crawl run (default: UTC timestamp).")
@scrapy_settings_option()
@click.option(
    "--log-level",
    default="WARNING",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    help="Scrapy log level on stderr.",
)
def crawl(
    providers_file: Path,
    db_path: Path,
    jsonl_path: Path | None,
    run_id: str | None,
    overrides: dict[str, str],
    log_level: str,
) -> None:
    """Crawl provider websites for course offerings and claims.

    Every provider is crawled in one process, politely (robots.txt, one request at a time
    per site). Each ends with an outcome (ok, timeout, dns_error, http_error, too_large,
    robots_forbidden, no_result) in the crawl_outcomes table; a failing provider never
    stops the others, and its earlier data is kept.
    """
    providers = load_providers(providers_file)
    settings: dict[str, Any] = {"LOG_LEVEL": log_level}
    settings.update(overrides)
    progress = RichCrawlProgress(Console(stderr=True))
    try:
        report = run_crawl(
            providers,
            db_path,
            jsonl_path,
            settings_overrides=settings,
            run_id=run_id,
            progress=progress,
        )
    finally:
        progress.close()
    output = Console()
    output.print(summary_table(report, providers))
    output.print(
        f"{len(report.outcomes) - len(report.failed)}/{len(report.outcomes)} providers ok, "
        f"{report.items} items -> {db_path}" + (f" and {jsonl_path}" if jsonl_path else "")
    )
