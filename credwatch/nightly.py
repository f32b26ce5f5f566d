"""`credwatch nightly`: the operator's unattended run, from registers to the published database.

Registers (fetched fresh or loaded from a folder), crawl, score, then a publish gate: the
published database is replaced only when the crawl reached at least one provider, the
offerings seen did not drop by more than `--max-drop` against the last published run, and
scoring worked. A provider that fails keeps its last-known-good rows (nothing is deleted)
and is marked stale in the report. Each run writes `RUNS_DIR/<run_id>.json` and its own
`RUNS_DIR/<run_id>/` folder (crawl log, fetched registers); `RUNS_DIR/latest.json` is
written last and only when the run published, so it always names the live data's run.

The crawl runs as a `credwatch crawl` subprocess: Twisted's reactor runs once per process,
and a crashed or killed crawl cannot take the run, its report or the live file with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from credwatch import pipeline
from credwatch.core.errors import CredwatchError
from credwatch.core.options import (
    providers_option,
    published_db_option,
    registers_option,
    scrapy_settings_option,
    work_db_option,
)

log = logging.getLogger(__name__)

LATEST = "latest.json"
LOCK = ".nightly.lock"
# Spiders close after CLOSESPIDER_TIMEOUT (1 h); a crawl process still alive long after that
# is stuck, and is killed so the run can still report.
CRAWL_TIMEOUT_SECONDS = 3 * 3600


@dataclass
class Step:
    """One stage of the run as the report shows it: ok, failed or skipped, and why."""

    status: str = "skipped"
    seconds: float = 0.0
    detail: str = ""
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class NightlyRun:
    """Everything the report records about one run."""

    run_id: str
    started: str
    runs_dir: Path
    work_db: Path
    out: Path
    steps: dict[str, Step] = field(default_factory=dict)
    providers: list[dict[str, Any]] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    published: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        return self.runs_dir / self.run_id

    @property
    def report_path(self) -> Path:
        return self.runs_dir / f"{self.run_id}.json"

    @property
    def crawl_log(self) -> Path:
        return self.run_dir / "crawl.log"

    def counts(self) -> dict[str, int]:
        ok = [row for row in self.providers if row["outcome"] == "ok"]
        return {
            "providers": len(self.providers),
            "providers_ok": len(ok),
            "providers_failed": len(self.providers) - len(ok),
            "providers_stale": sum(row["stale"] for row in self.providers),
            "offerings_seen": sum(row["offerings_seen"] for row in self.providers),
            "offerings_total": sum(row["offerings_total"] for row in self.providers),
            "scores_computed": self.steps.get("score", Step()).counts.get("scores", 0),
        }


@contextlib.contextmanager
def step(run: NightlyRun, name: str) -> Iterator[Step]:
    """Time a stage and record its failure instead of raising: an unattended run must
    still decide, report and leave the live file alone whatever one stage does."""
    record = run.steps[name] = Step(status="running")
    log.info("%s: started", name)
    started = time.monotonic()
    try:
        yield record
    except Exception as error:  # any failure is this step's outcome, logged and reported
        record.status, record.detail = "failed", " ".join(str(error).split()) or repr(error)
        log.error("%s: failed: %s", name, record.detail, exc_info=not _expected(error))
    else:
        record.status = "ok"
        log.info("%s: ok %s", name, record.detail)
    finally:
        record.seconds = round(time.monotonic() - started, 3)


def _expected(error: Exception) -> bool:
    """Bad input and unreachable hosts need one line; anything else needs its traceback."""
    return isinstance(error, CredwatchError | OSError | subprocess.SubprocessError)


def skip(run: NightlyRun, name: str, why: str) -> None:
    run.steps[name] = Step(status="skipped", detail=why)
    log.warning("%s: skipped: %s", name, why)


def new_run(runs_dir: Path, work_db: Path, out: Path) -> NightlyRun:
    """A run with a UTC-timestamp id and its own folder (two runs never share one)."""
    now = datetime.now(UTC)
    run = NightlyRun(
        run_id=now.strftime("%Y%m%dT%H%M%SZ"),
        started=now.isoformat(timespec="seconds"),
        runs_dir=runs_dir,
        work_db=work_db,
        out=out,
    )
    try:
        run.run_dir.mkdir(parents=True)
    except FileExistsError as error:
        raise CredwatchError(f"{run.run_dir}: a run with this id already exists") from error
    return run


@contextlib.contextmanager
def run_lock(runs_dir: Path) -> Iterator[None]:
    """One nightly run at a time per runs folder: an overlapping cron start must not crawl
    into, score or publish from the same working database concurrently."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    with (runs_dir / LOCK).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise CredwatchError(f"{runs_dir}: another nightly run is in progress") from error
        yield


def previous_published(runs_dir: Path) -> dict[str, Any] | None:
    """The run `latest.json` points at (the last one that published), with its counts."""
    pointer = runs_dir / LATEST
    if not pointer.exists():
        log.info("no %s yet: no previous run to compare offerings with", pointer)
        return None
    try:
        latest = json.loads(pointer.read_text(encoding="utf-8"))
        report = json.loads((runs_dir / latest["report"]).read_text(encoding="utf-8"))
        baseline = {
            "run_id": report["run_id"],
            "offerings_seen": report["counts"]["offerings_seen"],
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s: unreadable, so no drop check this run (%r)", pointer, error)
        return None
    log.info("last published run %(run_id)s saw %(offerings_seen)d offerings", baseline)
    return baseline


def refresh_registers(run: NightlyRun, source: Path | None) -> None:
    """Fetch (when `source` is None) and load registers; on failure the working database
    keeps its previous registers (loads are all-or-nothing) and the run goes on."""
    if source is None:
        source = run.run_dir / "registers"
        with step(run, "fetch") as fetched:
            files = pipeline.fetch_register_sources(source)
            fetched.counts = {"files": len(files)}
            fetched.detail = f"{len(files)} files -> {source}"
        if fetched.status != "ok":
            skip(run, "registers", "fetch failed: the previous registers stay")
            return
    with step(run, "registers") as loaded:
        loaded.counts = pipeline.load_registers(run.work_db, source)
        loaded.detail = f"from {source}"


def crawl(run: NightlyRun, command: list[str], names: dict[str, str], shards: int = 1) -> None:
    """Run the crawl subprocess (or `shards` of them, merged), logging to the run folder, then
    read each provider's outcome."""
    with step(run, "crawl") as crawled:
        log.info("crawling %d providers; crawl log: %s", len(names), run.crawl_log)
        if shards > 1:
            status = crawl_shards(run, command, shards)
        else:
            with run.crawl_log.open("w", encoding="utf-8") as crawl_log:
                status = pipeline.crawl_in_subprocess(command, crawl_log, CRAWL_TIMEOUT_SECONDS)
        run.providers = provider_rows(run, names)
        counts = run.counts()
        crawled.counts = {
            key: counts[key] for key in ("providers_ok", "providers_failed", "offerings_seen")
        }
        crawled.detail = (
            f"{counts['providers_ok']}/{counts['providers']} providers ok, "
            f"{counts['offerings_seen']} offerings seen"
        )
        if status != 0:
            raise CredwatchError(f"{crawled.detail}; crawl exited with status {status}")
        if not counts["providers_ok"]:
            raise CredwatchError(f"{crawled.detail}: every provider failed")


def crawl_shards(run: NightlyRun, command: list[str], shards: int) -> int:
    """Crawl shard i of `shards` into RUN_DIR/shard-i-of-N.db, side by side, then merge the
    shards into the working database before scoring; a failed shard's status is returned."""
    databases = pipeline.shard_databases(run.run_dir, shards)
    commands = [
        [*_with_db(command, database), "--shard", f"{number}/{shards}"]
        for number, database in enumerate(databases, start=1)
    ]
    logs = [run.run_dir / f"{database.stem}.log" for database in databases]
    statuses = pipeline.crawl_shards_in_subprocesses(commands, logs, CRAWL_TIMEOUT_SECONDS)
    merged = pipeline.merge_shard_databases(run.work_db, databases)
    run.crawl_log.write_text(
        "".join(f"{path.name}: exit {code}\n" for path, code in zip(logs, statuses, strict=True))
        + f"merged {merged} provider outcomes from {shards} shards\n",
        encoding="utf-8",
    )
    return next((code for code in statuses if code != 0), 0)


def _with_db(command: list[str], database: Path) -> list[str]:
    at = command.index("--db")
    return [*command[: at + 1], str(database), *command[at + 2 :]]


def provider_rows(run: NightlyRun, names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per listed provider: this run's outcome, offerings seen now and kept from
    earlier runs; a failed provider whose earlier offerings stay published is stale."""
    db = pipeline.open_work_db(run.work_db)
    try:
        outcomes = {
            row["provider_id"]: row
            for row in db.query("select * from crawl_outcomes where crawl_run_id = ?", [run.run_id])
        }
        offerings = {
            row["provider_id"]: row
            for row in db.query(
                "select provider_id, count(*) as total, sum(crawl_run_id = ?) as seen, "
                "max(last_seen) as last_seen from offerings group by provider_id",
                [run.run_id],
            )
        }
    finally:
        db.close()
    return [
        _provider_row(pid, name, outcomes.get(pid), offerings.get(pid, {}))
        for pid, name in names.items()
    ]


def _provider_row(
    pid: str, name: str, outcome: dict[str, Any] | None, offerings: dict[str, Any]
) -> dict[str, Any]:
    outcome = outcome or {"outcome": "missing", "items": 0, "detail": "no outcome recorded"}
    total = offerings.get("total", 0)
    return {
        "provider_id": pid,
        "name": name,
        "outcome": outcome["outcome"],
        "items": outcome["items"] or 0,
        "detail": outcome["detail"] or "",
        "offerings_seen": offerings.get("seen") or 0,
        "offerings_total": total,
        "stale": outcome["outcome"] != "ok" and total > 0,
        "last_seen": offerings.get("last_seen"),
    }


def crawl_reasons(
    providers_ok: int, offerings_seen: int, baseline: dict[str, Any] | None, max_drop: float
) -> list[str]:
    """Why this crawl must not be published (empty when it may be)."""
    if providers_ok == 0:
        return ["the crawl failed for every provider"]
    if not baseline or not baseline["offerings_seen"]:
        return []
    before = baseline["offerings_seen"]
    drop = 1 - offerings_seen / before
    if drop > max_drop:
        return [
            f"offerings seen dropped {drop:.0%} ({before} in run {baseline['run_id']} -> "
            f"{offerings_seen}), more than --max-drop {max_drop:.0%}"
        ]
    return []


def score(run: NightlyRun) -> None:
    with step(run, "score") as scored:
        report = pipeline.score(run.work_db)
        scored.counts = {
            "scores": len(report.scores),
            "flags": report.flags,
            "contributions": report.contributions,
        }
        scored.detail = f"{len(report.scores)} providers scored, {report.flags} flags"


def publish(run: NightlyRun) -> None:
    """Atomic swap of the public database; a failed validation leaves the live file as it was."""
    with step(run, "publish") as published:
        result = pipeline.publish(run.work_db, run.out)
        published.counts = result.counts
        published.detail = f"-> {result.path}" + (
            f" (previous kept as {result.previous})" if result.previous else ""
        )
    run.published = published.status == "ok"
    if not run.published:
        run.reasons.append(f"publish failed: {published.detail}")


def report(run: NightlyRun, providers_file: Path, max_drop: float) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "started": run.started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "providers_file": str(providers_file),
        "work_db": str(run.work_db),
        "crawl_log": str(run.crawl_log),
        "steps": {name: asdict(record) for name, record in run.steps.items()},
        "counts": run.counts(),
        "providers": run.providers,
        "publish": {
            "published": run.published,
            "reason": "; ".join(run.reasons) or "all gates passed",
            "out": str(run.out),
            "max_drop": max_drop,
            "baseline": run.baseline,
        },
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write beside, then rename: a reader never sees half a report or pointer."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def print_summary(run: NightlyRun, console: Console) -> None:
    steps = Table(title=f"credwatch nightly {run.run_id}", title_justify="left")
    for column in ("step", "status", "seconds", "detail"):
        steps.add_column(column, justify="right" if column == "seconds" else "left")
    colours = {"ok": "green", "failed": "red", "skipped": "yellow"}
    for name, record in run.steps.items():
        status = f"[{colours.get(record.status, 'white')}]{record.status}[/]"
        steps.add_row(name, status, f"{record.seconds:.1f}", escape(record.detail))
    console.print(steps)
    providers = Table(title="providers", title_justify="left")
    for column in ("provider", "outcome", "seen now", "stored", "detail"):
        providers.add_column(column)
    for row in run.providers:
        outcome = row["outcome"] + (" (stale)" if row["stale"] else "")
        providers.add_row(
            escape(row["name"]),
            outcome,
            str(row["offerings_seen"]),
            str(row["offerings_total"]),
            escape(row["detail"]),
        )
    console.print(providers)


def print_outcome(run: NightlyRun, console: Console) -> None:
    if run.published:
        console.print(
            f"[green]published[/] {escape(f'{run.out}; pointer {run.runs_dir / LATEST}')}"
        )
    else:
        why = escape(f"{'; '.join(run.reasons)}; {run.out} left as it was")
        console.print(f"[red]withheld[/]: {why}")
    console.print(f"report: {run.report_path}", markup=False)
    console.print(f"crawl log: {run.crawl_log}; working db: {run.work_db}", markup=False)


def execute(
    run: NightlyRun,
    source: Path | None,
    command: list[str],
    names: dict[str, str],
    max_drop: float,
    shards: int = 1,
) -> None:
    """The stages in order, each gate checked before the next costs anything."""
    run.baseline = previous_published(run.runs_dir)
    refresh_registers(run, source)
    crawl(run, command, names, shards)
    counts = run.counts()
    run.reasons = crawl_reasons(
        counts["providers_ok"], counts["offerings_seen"], run.baseline, max_drop
    )
    if run.reasons:
        skip(run, "score", "withheld: " + "; ".join(run.reasons))
    else:
        score(run)
        if run.steps["score"].status != "ok":
            run.reasons.append(f"scoring failed: {run.steps['score'].detail}")
    if run.reasons:
        skip(run, "publish", "withheld: " + "; ".join(run.reasons))
    else:
        publish(run)


def named_registers(registers_dir: Path | None, fetch: bool) -> Path | None:
    """The folder to load registers from, or None to fetch them: an unattended run must say
    which registers it publishes against, never fall back to a demo sample."""
    if fetch and registers_dir:
        raise CredwatchError("--registers and --fetch: give one or the other")
    if not fetch and not registers_dir:
        raise CredwatchError(
            "nightly needs its registers named: --registers DIR to load a folder, "
            "or --fetch to download the official files"
        )
    return registers_dir


@click.command()
@providers_option(default=Path("crawler/providers.yml"))
@registers_option(required=False, detail="Loaded into the working database (or use --fetch).")
@click.option(
    "--fetch",
    is_flag=True,
    help="Download fresh official register files into RUNS_DIR/<run_id>/registers instead.",
)
@work_db_option("Kept between runs (rows are never deleted).")
@published_db_option("Replaced only when the run passes the publish gate.")
@click.option(
    "--runs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output/runs"),
    show_default=True,
    help="Run reports (<run_id>.json, latest.json) and per-run folders.",
)
@click.option(
    "--max-drop",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Withhold publishing when offerings seen fall by more than this fraction "
    "versus the last published run.",
)
@click.option(
    "--shard",
    "shards",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Crawl in N processes side by side (`crawl --shard i/N`, a stable hash of each "
    "provider's id), each into its own database, merged into --db before scoring.",
)
@scrapy_settings_option("Passed to the crawl, e.g. -s CLOSESPIDER_TIMEOUT=1800.")
def nightly(
    providers_file: Path,
    registers_dir: Path | None,
    fetch: bool,
    db_path: Path,
    published_db: Path,
    runs_dir: Path,
    max_drop: float,
    shards: int,
    overrides: dict[str, str],
) -> None:
    """Unattended run: registers, crawl, score, then publish only what passes the gate.

    The registers are named, never guessed: --registers DIR loads a folder, --fetch
    downloads the official files (one of the two is required).

    Publishing is withheld (exit 1, the published file untouched) when every provider
    failed, when offerings seen dropped by more than --max-drop versus the last published
    run, or when scoring failed. One failing provider keeps its earlier rows, marked stale.
    Writes RUNS_DIR/<run_id>.json, and RUNS_DIR/latest.json last when it published.
    """
    source = named_registers(registers_dir, fetch)
    names = pipeline.listed_providers(providers_file)
    script = pipeline.credwatch_script()
    console = Console()
    with run_lock(runs_dir):
        run = new_run(runs_dir, db_path, published_db)
        log.info("nightly run %s: report will be %s", run.run_id, run.report_path)
        command = pipeline.crawl_command(script, providers_file, db_path, run.run_id, overrides)
        execute(run, source, command, names, max_drop, shards)
        write_json(run.report_path, report(run, providers_file, max_drop))
        if run.published:
            write_json(runs_dir / LATEST, {"run_id": run.run_id, "report": run.report_path.name})
    print_summary(run, console)
    print_outcome(run, console)
    if not run.published:
        raise click.exceptions.Exit(1)
