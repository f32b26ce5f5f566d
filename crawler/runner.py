"""Run one crawl: every provider in one Scrapy process, one crawler each, concurrently;
or one register spider into a JSON lines feed (`run_register_crawl`).

Twisted's reactor runs once per process, so one of these can be called once per process;
the `credwatch crawl` command, the demo and the nightly job each call one once, and tests
run the command in a subprocess.
"""

from __future__ import annotations

import csv
import io
import logging
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from crawler.extensions import CrawlOutcome, classify, record_outcome
from crawler.pipelines import provider_id, utc_now
from crawler.schema import migrations as crawl_tables
from crawler.spiders.base import RegisterSpider
from credwatch.core.db import open_db
from credwatch.core.errors import CredwatchError

logger = logging.getLogger(__name__)

DEFAULT_SPIDER = "structured_data"

# Loopback sites (tests, demo, benchmarks) answer in microseconds: no delay is needed there.
LOOPBACK_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.5,
}


@dataclass(frozen=True)
class ProviderSpec:
    """One provider to crawl; `source` names where it was read from, for error messages."""

    name: str
    url: str
    spider: str = DEFAULT_SPIDER
    source: str = ""
    start_url: str | None = None  # where the spider begins, when not the home page (an API)


@dataclass
class CrawlReport:
    """What a crawl did: one outcome row per provider, and where the data went."""

    run_id: str
    db_path: Path
    jsonl_path: Path | None
    outcomes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(row["items"] or 0 for row in self.outcomes)

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [row for row in self.outcomes if row["outcome"] != "ok"]


class CrawlProgress:
    """Callbacks the runner fires from Scrapy signals (the CLI draws them with rich)."""

    def crawl_started(self, total: int) -> None:
        """Called once the providers are checked, just before crawling begins."""

    def provider_done(self, spec: ProviderSpec, items: int) -> None:
        """Called once per provider when its crawl closes."""

    def item_found(self, spec: ProviderSpec) -> None:
        """Called for every stored item."""


def load_providers(path: str | Path) -> list[ProviderSpec]:
    """Read a providers file: CSV or YAML (a list, or a `providers:` list) with `name`, `url`
    and optionally `spider` (default structured_data) and `start_url`."""
    path = Path(path)
    if not path.is_file():
        raise CredwatchError(f"{path}: providers file not found")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in {".yml", ".yaml"}:
        rows = _yaml_rows(path, text)
    elif path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        raise CredwatchError(f"{path}: providers file must be .csv, .yml or .yaml")
    if not rows:
        raise CredwatchError(f"{path}: no providers listed")
    return [_provider_spec(path, number, row) for number, row in enumerate(rows, start=1)]


def _yaml_rows(path: Path, text: str) -> list[Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CredwatchError(f"{path}: not valid YAML ({error})".replace("\n", " ")) from error
    if isinstance(data, dict):
        data = data.get("providers")
    if not isinstance(data, list):
        raise CredwatchError(f"{path}: expected a list of providers (or a `providers:` list)")
    return data


def _provider_spec(path: Path, number: int, row: Any) -> ProviderSpec:
    where = f"{path}: row {number}"
    if not isinstance(row, dict):
        raise CredwatchError(f"{where}: expected a mapping with name and url, got {row!r}")
    name = str(row.get("name") or "").strip()
    url = str(row.get("url") or "").strip()
    missing = [column for column, value in (("name", name), ("url", url)) if not value]
    if missing:
        raise CredwatchError(f"{where}: missing {' and '.join(missing)}")
    start_url = str(row.get("start_url") or "").strip() or None
    for value in filter(None, (url, start_url)):
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise CredwatchError(f"{where}: bad URL {value!r} (need http(s):// and a host)")
    spider = str(row.get("spider") or "").strip() or DEFAULT_SPIDER
    return ProviderSpec(name=name, url=url, spider=spider, source=where, start_url=start_url)


def crawl_settings(
    db_path: Path, jsonl_path: Path | None, run_id: str, overrides: dict[str, Any] | None
) -> Settings:
    """Project settings, plus where this run writes, plus the caller's overrides."""
    return _settings(
        {
            "CREDWATCH_DB": str(db_path),
            "CREDWATCH_JSONL": str(jsonl_path) if jsonl_path else None,
            "CREDWATCH_RUN_ID": run_id,
        },
        overrides,
    )


def _settings(run: dict[str, Any], overrides: dict[str, Any] | None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update({"LOG_INSTALL_ROOT_HANDLER": False, **run}, priority="cmdline")
    settings.update(overrides or {}, priority="cmdline")
    return settings


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def run_crawl(
    providers: list[ProviderSpec],
    db_path: str | Path,
    jsonl_path: str | Path | None = None,
    settings_overrides: dict[str, Any] | None = None,
    run_id: str | None = None,
    progress: CrawlProgress | None = None,
) -> CrawlReport:
    """Crawl every provider in one process; return each provider's outcome.

    A provider's failure (timeout, DNS, robots, a spider bug) becomes its outcome row and
    never stops the others. Rows are upserted: data from earlier runs is kept.
    """
    _refuse_second_reactor("run_crawl")
    db_path = Path(db_path)
    jsonl_path = Path(jsonl_path) if jsonl_path else None
    run_id = run_id or new_run_id()
    settings = crawl_settings(db_path, jsonl_path, run_id, settings_overrides)
    spider_classes = spider_classes_for(providers, settings)
    process = _process(settings)
    _start_run(db_path, jsonl_path, run_id, len(providers))
    progress = progress or CrawlProgress()
    progress.crawl_started(len(providers))
    for spec, spider_class in spider_classes:
        crawler = process.create_crawler(spider_class)
        _use_own_job_dir(crawler, spec)
        _connect_progress(crawler, spec, progress)
        task = process.crawl(
            crawler,
            provider_name=spec.name,
            provider_url=spec.url,
            start_url=spec.start_url or spec.url,
        )
        task.add_done_callback(
            lambda task, spec=spec: _record_start_failure(task, spec, db_path, run_id)
        )
    process.start()
    return _finish_run(db_path, jsonl_path, run_id)


def _use_own_job_dir(crawler: Crawler, spec: ProviderSpec) -> None:
    """With CREDWATCH_JOBDIR set, each provider's crawler keeps its request queue and
    seen-requests in its own subfolder (Scrapy's JOBDIR is one per spider), so a crawl
    killed half-way can be resumed by running it again with the same setting."""
    root = crawler.settings.get("CREDWATCH_JOBDIR")
    if root:
        folder = Path(root) / provider_id(spec.url).replace(":", "_")
        crawler.settings.set("JOBDIR", str(folder), priority="cmdline")


def _refuse_second_reactor(caller: str) -> None:
    if _reactor_has_run():
        raise CredwatchError(
            f"{caller}: Twisted's reactor already ran in this process and cannot restart; "
            "run each crawl in its own process (e.g. the `credwatch crawl` command)"
        )


def _process(settings: Settings) -> AsyncCrawlerProcess:
    process = AsyncCrawlerProcess(settings)
    # Handlers are the caller's (the credwatch CLI configures them); LOG_LEVEL filters Scrapy.
    logging.getLogger("scrapy").setLevel(settings["LOG_LEVEL"])
    return process


def _reactor_has_run() -> bool:
    if "twisted.internet.reactor" not in sys.modules:
        return False
    from twisted.internet import reactor

    return bool(getattr(reactor, "_startedBefore", False))


def spider_classes_for(
    providers: list[ProviderSpec], settings: Settings
) -> list[tuple[ProviderSpec, type]]:
    """Each provider with its spider class; an unknown spider name, or a register spider,
    fails before any crawling."""
    classes, registers = _spider_classes(settings)
    for spec in providers:
        where = spec.source or spec.name
        if spec.spider in registers:
            raise CredwatchError(
                f"{where}: {spec.spider!r} reads a register, not a provider: run "
                f"`credwatch crawl --register {spec.spider} --to DIR` and `registers load` it"
            )
        if spec.spider not in classes:
            known = ", ".join(sorted(classes.keys() - registers))
            raise CredwatchError(f"{where}: unknown spider {spec.spider!r} (known: {known})")
    return [(spec, classes[spec.spider]) for spec in providers]


def register_spider_class(name: str, settings: Settings) -> type[RegisterSpider]:
    """The register spider called `name`; any other name fails, listing the register spiders."""
    classes, registers = _spider_classes(settings)
    if name not in registers:
        known = ", ".join(sorted(registers))
        raise CredwatchError(f"--register {name}: not a register spider (known: {known})")
    return classes[name]


def _spider_classes(settings: Settings) -> tuple[dict[str, type], set[str]]:
    """Every spider class by name, and the names of the register spiders among them."""
    loader = get_spider_loader(settings)
    classes = {name: loader.load(name) for name in loader.list()}
    return classes, {name for name, spider in classes.items() if issubclass(spider, RegisterSpider)}


def _connect_progress(crawler: Crawler, spec: ProviderSpec, progress: CrawlProgress) -> None:
    def item_scraped(item: Any) -> None:
        progress.item_found(spec)

    def spider_closed(spider: Any) -> None:
        progress.provider_done(spec, crawler.stats.get_value("item_scraped_count", 0))

    # Scrapy holds signal receivers weakly; keep them alive as long as the crawler.
    crawler.credwatch_receivers = (item_scraped, spider_closed)
    crawler.signals.connect(item_scraped, signal=signals.item_scraped)
    crawler.signals.connect(spider_closed, signal=signals.spider_closed)


def _record_start_failure(task: Any, spec: ProviderSpec, db_path: Path, run_id: str) -> None:
    """A spider that fails before opening (bad arguments, a bug in `__init__`) still gets a row."""
    if task.cancelled() or task.exception() is None:
        return
    error = task.exception()
    logger.error("%s: crawl did not start: %r", spec.name, error)
    now = utc_now()
    row = {
        "crawl_run_id": run_id,
        "provider_id": provider_id(spec.url),
        "provider_url": spec.url,
        "spider": spec.spider,
        "outcome": "no_result",
        "items": 0,
        "pages": 0,
        "errors": 1,
        "detail": f"crawl did not start: {error!r}",
        "started": now,
        "finished": now,
    }
    record_outcome(str(db_path), row)


def _start_run(db_path: Path, jsonl_path: Path | None, run_id: str, providers: int) -> None:
    if jsonl_path:
        jsonl_path.parent.mkdir(parents=True, exist_ok=True)
        jsonl_path.write_text("", encoding="utf-8")
    db = open_db(db_path, crawl_tables)
    try:
        with db.atomic():
            db["crawl_runs"].upsert(
                {"id": run_id, "started": utc_now(), "providers": providers, "items": 0},
                pk="id",
            )
    finally:
        db.close()


def _finish_run(db_path: Path, jsonl_path: Path | None, run_id: str) -> CrawlReport:
    db = open_db(db_path, crawl_tables)
    try:
        outcomes = list(
            db.query(
                "select * from crawl_outcomes where crawl_run_id = ? order by provider_id",
                [run_id],
            )
        )
        report = CrawlReport(run_id, db_path, jsonl_path, outcomes)
        with db.atomic():
            db["crawl_runs"].update(run_id, {"finished": utc_now(), "items": report.items})
    finally:
        db.close()
    return report


@dataclass
class RegisterFeed:
    """What a register crawl wrote: its JSON lines file and how the crawl went."""

    path: Path
    outcome: CrawlOutcome


def run_register_crawl(
    spider: str,
    to_dir: str | Path,
    start_url: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
) -> RegisterFeed:
    """Crawl one register spider into `to_dir/{feed_name}-{date}.jsonl` (a Scrapy feed).

    The feed is written under a hidden `.part` name and renamed only when the crawl is
    complete (finished, at least one entry, no failure or error noted): a half register
    loaded as a snapshot would read as every missing provider having disappeared. An
    incomplete crawl raises, keeping the `.part` file (which `registers load` skips).
    """
    _refuse_second_reactor("run_register_crawl")
    to_dir = Path(to_dir)
    to_dir.mkdir(parents=True, exist_ok=True)
    spider_class = register_spider_class(spider, _settings({}, settings_overrides))
    day = datetime.now(UTC).date().isoformat()
    target = to_dir / f"{spider_class.feed_name}-{day}.jsonl"
    partial = to_dir / f".{target.name}.part"
    feed = {partial.resolve().as_uri(): {"format": "jsonlines", "overwrite": True}}
    # No provider and no database: the feed and the outcome returned are the whole record.
    run = {
        "FEEDS": feed,
        "EXTENSIONS": {"crawler.extensions.CrawlOutcomeLedger": None},
        "ITEM_PIPELINES": {"crawler.pipelines.sqlite_store.SqliteStorePipeline": None},
    }
    process = _process(_settings(run, settings_overrides))
    crawler = process.create_crawler(spider_class)
    outcomes: list[CrawlOutcome] = []

    def spider_closed(spider: Any, reason: str) -> None:
        outcomes.append(classify(crawler.stats.get_stats(), reason))

    crawler.credwatch_receivers = (spider_closed,)  # signals hold receivers weakly
    crawler.signals.connect(spider_closed, signal=signals.spider_closed)
    process.crawl(crawler, start_url=start_url)
    process.start()
    if not outcomes:
        raise CredwatchError(f"{spider}: register crawl did not start (see the log above)")
    outcome = outcomes[0]
    if outcome.outcome != "ok" or outcome.errors or outcome.detail:
        how = f"{outcome.outcome}, {outcome.items} entries, {outcome.errors} errors"
        details = "; ".join(filter(None, [how, outcome.detail]))
        raise CredwatchError(
            f"{spider}: register crawl incomplete ({details}), not saved as a snapshot "
            f"(partial feed kept as {partial})"
        )
    partial.replace(target)
    return RegisterFeed(target, outcome)
