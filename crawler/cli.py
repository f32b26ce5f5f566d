"""`credwatch crawl`: crawl every provider in a providers file into the working database,
or one register spider (`--register teqsa`) into a JSON lines file for `registers load`."""

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

from crawler import sharding, shared_queue
from crawler.pipelines import provider_id
from crawler.runner import (
    CrawlProgress,
    CrawlReport,
    ProviderSpec,
    load_providers,
    run_crawl,
    run_register_crawl,
)
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
        style = {"ok": "green", "degraded": "yellow"}.get(row["outcome"], "red")
        table.add_row(
            names.get(row["provider_id"], row["provider_url"]),
            f"[{style}]{row['outcome']}[/]",
            str(row["items"]),
            str(row["pages"]),
            row["detail"] or "",
        )
    return table


@click.command(name="crawl")
@providers_option(required=False)
@work_db_option("Providers, offerings, claims and outcomes are upserted into it.")
@click.option(
    "--jsonl",
    "jsonl_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write one JSON object per offering to this file.",
)
@click.option("--run-id", help="Identifier of this crawl run (default: UTC timestamp).")
@click.option(
    "--register",
    "register_spider",
    metavar="SPIDER",
    help="Instead of providers: read this register's website (teqsa) into a file in --to.",
)
@click.option(
    "--to",
    "to_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="With --register: folder for SPIDER's JSON lines file (load it with `registers load`).",
)
@click.option(
    "--start-url",
    help="With --register: start here, not at the official register (a mirror, a local copy).",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Crawl only shard I of N (a stable hash of each provider's id): N scheduled "
    "processes given 1/N .. N/N cover every provider exactly once.",
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Share one request queue with the other workers of this --run-id through Redis "
    "(scrapy-redis), e.g. redis://:PASSWORD@127.0.0.1:6379/0.",
)
@click.option(
    "--clear-redis",
    is_flag=True,
    help="With --redis and nothing else: delete every credwatch queue in Redis (before a "
    "new nightly's workers start), then exit.",
)
@click.option(
    "--page-workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Read pages in N worker processes beside the crawl (crawler/page_workers.py): for "
    "fast crawls on a machine with spare cores; a polite crawl waits on delays instead.",
)
@scrapy_settings_option()
@click.option(
    "--log-level",
    default="WARNING",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    help="Scrapy log level on stderr.",
)
def crawl(
    providers_file: Path | None,
    db_path: Path,
    jsonl_path: Path | None,
    run_id: str | None,
    register_spider: str | None,
    to_dir: Path | None,
    start_url: str | None,
    shard: str | None,
    redis_url: str | None,
    clear_redis: bool,
    page_workers: int,
    overrides: dict[str, str],
    log_level: str,
) -> None:
    """Crawl provider websites for course offerings and claims (--providers, --db).

    Every provider is crawled in one process, politely (robots.txt, one request at a time
    per site). Each ends with an outcome (ok, timeout, dns_error, http_error, too_large,
    robots_forbidden, no_result) in the crawl_outcomes table; a failing provider never
    stops the others, and its earlier data is kept.

    With --register SPIDER --to DIR, a register that publishes no file (the TEQSA National
    Register) is read from its website instead, into DIR/<register>-<date>.jsonl: a register
    source like the downloaded files, loaded with `credwatch registers load --from DIR`.
    """
    if clear_redis:
        _clear_redis(redis_url, providers=providers_file, register=register_spider)
        return
    settings: dict[str, Any] = {"LOG_LEVEL": log_level, "CREDWATCH_PAGE_WORKERS": page_workers}
    if redis_url:
        if not run_id or register_spider:
            raise click.UsageError("--redis needs --providers and the --run-id every worker shares")
        settings.update(shared_queue.redis_settings(redis_url, run_id))
    settings.update(overrides)
    if register_spider:
        _refuse_with_register(
            providers=providers_file, jsonl=jsonl_path, run_id=run_id, shard=shard
        )
        if to_dir is None:
            raise click.UsageError("--register needs --to DIR (where its file is written)")
        feed = run_register_crawl(register_spider, to_dir, start_url, settings)
        Console().print(
            f"{register_spider}: {feed.outcome.items} entries from {feed.outcome.pages} pages "
            f"-> {feed.path}",
            markup=False,
            soft_wrap=True,
        )
        return
    if providers_file is None:
        raise click.UsageError("give --providers FILE (or --register SPIDER --to DIR)")
    if to_dir or start_url:
        raise click.UsageError("--to and --start-url go with --register")
    crawl_providers(providers_file, db_path, jsonl_path, run_id, settings, shard)


def _clear_redis(redis_url: str | None, **others: object) -> None:
    if not redis_url or any(others.values()):
        raise click.UsageError("--clear-redis goes with --redis URL alone")
    removed = shared_queue.clear_queues(redis_url)
    Console().print(f"removed {removed} credwatch keys from Redis", markup=False)


def _refuse_with_register(**options: object) -> None:
    given = [f"--{name.replace('_', '-')}" for name, value in options.items() if value]
    if given:
        raise click.UsageError(
            f"--register writes a file, not the database: drop {', '.join(given)}"
        )


def crawl_providers(
    providers_file: Path,
    db_path: Path,
    jsonl_path: Path | None,
    run_id: str | None,
    settings: dict[str, Any],
    shard: str | None = None,
) -> None:
    """Crawl every provider of the file (or of its `shard`, "i/N") into the database and print
    the outcome table."""
    part = sharding.parse_shard(shard) if shard else None
    providers = load_providers(providers_file)
    if part:
        providers = sharding.select(providers, part)
        Console(stderr=True).print(f"shard {shard}: {len(providers)} providers", markup=False)
        if not providers:
            return
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
