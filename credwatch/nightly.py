"""`credwatch nightly`: the operator's unattended run, from registers to the published database.

Registers (fetched fresh or loaded from a folder), crawl, gates, score, publish. Gates:
the whole run is withheld when every provider failed, when offerings seen fell by
`--max-drop` or more against the last published run, or when scoring or validation of
the public file failed. Per provider, one whose offerings fell by `--provider-drop` or
more, or whose share of invalid items reached `--max-invalid`, is held back like a failed
one: its last good rows stay (marked stale, with the reason) and the run still publishes.
Each run writes `RUNS_DIR/<run_id>.json` and `RUNS_DIR/<run_id>/report.md` (the morning
report: gate decisions and what changed since the last published run, also published as
the `run_changes` table); `RUNS_DIR/latest.json` is written last and only when the run
published. Exit status: 0 published, 1 published with degraded providers, 2 nothing
published.

The crawl runs as a `credwatch crawl` subprocess in its own process group that dies with
nightly (`pipeline.crawl_in_subprocess`); a crawl that never finished is marked aborted by
the next run, and `--resume` continues it from its Scrapy JOBDIR.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import sqlite_utils
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler.validation import validation_counts as counts_from_stats
from credwatch import pipeline, published_history, run_changes, run_state
from credwatch.core.errors import CredwatchError
from credwatch.core.options import (
    providers_option,
    published_db_option,
    registers_option,
    runs_dir_option,
    scrapy_settings_option,
    work_db_option,
)
from credwatch.run_changes import Change

log = logging.getLogger(__name__)

LATEST = "latest.json"
LOCK = ".nightly.lock"
# Each provider's spider closes after its budget (CLOSESPIDER_TIMEOUT); they crawl side by
# side, so a crawl process still alive this long after the budget is stuck and is killed.
CRAWL_GRACE_SECONDS = 600
BUDGET_CLOSE_REASON = "closed: closespider_timeout"

EXIT_PUBLISHED, EXIT_DEGRADED, EXIT_WITHHELD = 0, 1, 2


@dataclass(frozen=True)
class Gates:
    """The thresholds this run is judged by (each inclusive: reaching one fails it)."""

    max_drop: float = 0.5
    provider_drop: float = 0.5
    max_invalid: float = 0.2
    provider_budget: float = 1800.0
    keep: int = published_history.DEFAULT_KEEP
    accept_shrink: bool = False  # a register may load with over a fifth fewer rows


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
    gates: Gates = field(default_factory=Gates)
    baseline: dict[str, Any] | None = None
    published: bool = False
    reasons: list[str] = field(default_factory=list)
    aborted: list[dict[str, Any]] = field(default_factory=list)
    resumed: bool = False
    registers: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def run_dir(self) -> Path:
        return self.runs_dir / self.run_id

    @property
    def report_path(self) -> Path:
        return self.runs_dir / f"{self.run_id}.json"

    @property
    def crawl_log(self) -> Path:
        return self.run_dir / "crawl.log"

    @property
    def morning_report(self) -> Path:
        return self.run_dir / "report.md"

    @property
    def job_dir(self) -> Path:
        return self.run_dir / "jobdir"

    def degraded(self) -> list[dict[str, Any]]:
        return [row for row in self.providers if row["decision"] != "published"]

    def exit_status(self) -> int:
        if not self.published:
            return EXIT_WITHHELD
        return EXIT_DEGRADED if self.degraded() else EXIT_PUBLISHED

    def counts(self) -> dict[str, int]:
        ok = [row for row in self.providers if row["outcome"] in {"ok", "degraded"}]
        return {
            "providers": len(self.providers),
            "providers_ok": len(ok),
            "providers_failed": len(self.providers) - len(ok),
            "providers_stale": sum(row["stale"] for row in self.providers),
            "providers_held": sum(row["decision"] == "held" for row in self.providers),
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


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def new_run(
    runs_dir: Path, work_db: Path, out: Path, run_id: str, resumed: bool = False
) -> NightlyRun:
    """A run with its own folder (two runs never share one), or, resuming an aborted
    crawl, that run again in its existing folder."""
    run = NightlyRun(
        run_id=run_id,
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        runs_dir=runs_dir,
        work_db=work_db,
        out=out,
        resumed=resumed,
    )
    try:
        run.run_dir.mkdir(parents=True, exist_ok=resumed)
    except FileExistsError as error:
        raise CredwatchError(f"{run.run_dir}: a run with this id already exists") from error
    return run


def find_aborted(work_db: Path, found_by: str, resume: bool) -> tuple[list[dict], str | None]:
    """Mark the crawls that never finished as aborted; with `resume`, the one to continue."""
    db = pipeline.open_work_db(work_db)
    try:
        aborted = run_state.mark_aborted(db, found_by=found_by)
        to_resume = run_state.last_aborted(db) if resume else None
    finally:
        db.close()
    if resume and to_resume is None:
        raise CredwatchError(f"{work_db}: --resume: no aborted crawl run to resume")
    return aborted, to_resume


@contextlib.contextmanager
def run_lock(runs_dir: Path) -> Iterator[int]:
    """One nightly run at a time per runs folder: an overlapping cron start must not crawl
    into, score or publish from the same working database concurrently. Yields the lock's
    file descriptor: the crawl child inherits it, so the lock stays held while any crawl
    of this run is alive, even one orphaned by a `kill -9`."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    with (runs_dir / LOCK).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise CredwatchError(f"{runs_dir}: another nightly run is in progress") from error
        yield handle.fileno()


def previous_published(runs_dir: Path) -> dict[str, Any] | None:
    """The run `latest.json` points at (the last one that published), with its counts and
    each provider's offerings seen."""
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
            "providers": {
                row["provider_id"]: row["offerings_seen"]
                for row in report["providers"]
                if row["decision"] == "published"
            },
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
    before = register_sizes(run.work_db)
    with step(run, "registers") as loaded:
        loaded.counts = pipeline.load_registers(
            run.work_db, source, accept_shrink=run.gates.accept_shrink
        )
        loaded.detail = f"from {source}"
    run.registers = register_decisions(before, register_sizes(run.work_db), run.steps["registers"])


def register_sizes(work_db: Path) -> dict[str, int]:
    """Entries per register in the working database, before and after a load."""
    db = pipeline.open_work_db(work_db)
    try:
        return {
            row["register"]: row["entries"]
            for row in db.query(
                "select register, count(*) as entries from registry_entries group by register"
            )
        }
    finally:
        db.close()


def register_decisions(
    before: dict[str, int], after: dict[str, int], loaded: Step
) -> list[dict[str, Any]]:
    """One decision per register for the report. Loads are all-or-nothing, and the load
    gate refuses with a CredwatchError: a refused load keeps every previous snapshot."""
    refused = loaded.status != "ok"
    return [
        {
            "register": register,
            "entries_before": before.get(register, 0),
            "entries_after": after.get(register, 0),
            "decision": "kept previous snapshot" if refused else "loaded",
            "reason": loaded.detail if refused else "",
        }
        for register in sorted(before.keys() | after.keys())
    ]


def crawl(
    run: NightlyRun, command: list[str], names: dict[str, str], lock_fd: int, shards: int = 1
) -> None:
    """Run the crawl subprocess (or `shards` of them, merged), logging to the run folder, then
    read each provider's outcome."""
    with step(run, "crawl") as crawled:
        log.info("crawling %d providers; crawl log: %s", len(names), run.crawl_log)
        timeout = run.gates.provider_budget + CRAWL_GRACE_SECONDS
        if shards > 1:
            status = crawl_shards(run, command, shards, timeout)
        else:
            with run.crawl_log.open("a" if run.resumed else "w", encoding="utf-8") as crawl_log:
                status = pipeline.crawl_in_subprocess(command, crawl_log, timeout, (lock_fd,))
        end_crawl_run(run, status)
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


def end_crawl_run(run: NightlyRun, status: int) -> None:
    """Record how this run's crawl ended (a resumed one says so)."""
    db = pipeline.open_work_db(run.work_db)
    try:
        if status == 0:
            ended = run_state.RESUMED if run.resumed else run_state.FINISHED
            run_state.mark_ended(db, run.run_id, ended)
        else:
            run_state.mark_ended(db, run.run_id, run_state.ABORTED, f"crawl exited {status}")
    finally:
        db.close()


def crawl_shards(run: NightlyRun, command: list[str], shards: int, timeout: float) -> int:
    """Crawl shard i of `shards` into RUN_DIR/shard-i-of-N.db, side by side, then merge the
    shards into the working database before scoring; a failed shard's status is returned."""
    databases = pipeline.shard_databases(run.run_dir, shards)
    commands = [
        [*_with_db(command, database), "--shard", f"{number}/{shards}"]
        for number, database in enumerate(databases, start=1)
    ]
    logs = [run.run_dir / f"{database.stem}.log" for database in databases]
    statuses = pipeline.crawl_shards_in_subprocesses(commands, logs, timeout)
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
    earlier runs, its validation counts; a failed provider whose earlier offerings stay
    published is stale."""
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
    detail = outcome["detail"] or ""
    ok = outcome["outcome"] == "ok"
    return {
        "provider_id": pid,
        "name": name,
        "outcome": outcome["outcome"],
        "items": outcome["items"] or 0,
        "detail": detail,
        "offerings_seen": offerings.get("seen") or 0,
        "offerings_total": total,
        "stale": not ok and total > 0,
        "last_seen": offerings.get("last_seen"),
        "cut_short": BUDGET_CLOSE_REASON in detail,
        "validation": validation_counts(outcome.get("stats")),
        "decision": "published" if ok else ("stale" if total else "failed"),
        "reason": "" if ok else _failure_reason(outcome["outcome"], detail),
    }


def _failure_reason(outcome: str, detail: str) -> str:
    return detail if detail.startswith(outcome) else f"{outcome}: {detail}".rstrip(": ")


def validation_counts(stats_json: str | None) -> dict[str, Any]:
    return counts_from_stats(json.loads(stats_json) if stats_json else {})


def provider_gate(row: dict[str, Any], before: int | None, gates: Gates) -> str:
    """Why a provider that crawled (ok or degraded) is held back (empty when not): offerings down
    by `provider_drop` or more since the last published run, or too many invalid items."""
    seen = row["offerings_seen"]
    if before and 1 - seen / before >= gates.provider_drop:
        return (
            f"offerings dropped {1 - seen / before:.0%} ({before} -> {seen}), "
            f"at least --provider-drop {gates.provider_drop:.0%}"
        )
    checked, invalid = row["validation"]["items"], row["validation"]["invalid"]
    if checked and invalid / checked >= gates.max_invalid:
        problems = ", ".join(f"{k}: {v}" for k, v in row["validation"]["problems"].items())
        return (
            f"validation: {invalid}/{checked} offerings invalid ({problems}), "
            f"at least --max-invalid {gates.max_invalid:.0%}"
        )
    return ""


def apply_provider_gates(run: NightlyRun) -> None:
    """Hold back each provider that fails its gate: its crawl outcome becomes `degraded`
    with the reason, so its last good offerings stay current (stale) instead of half a
    catalogue replacing them."""
    before = (run.baseline or {}).get("providers", {})
    held = {}
    for row in run.providers:
        if row["outcome"] not in ("ok", "degraded"):
            continue
        # the crawler marks a provider `degraded` itself (half its offerings gone, markup
        # that failed to parse); the gate's own reason says more when it has one
        crawler_said = row["detail"] if row["outcome"] == "degraded" else ""
        reason = provider_gate(row, before.get(row["provider_id"]), run.gates) or crawler_said
        if reason:
            row.update(outcome="degraded", decision="held", stale=True, reason=reason)
            held[row["provider_id"]] = reason
            log.warning("%s: held back: %s", row["name"], reason)
    if not held:
        return
    db = pipeline.open_work_db(run.work_db)
    try:
        with db.atomic():
            for pid, reason in held.items():
                db["crawl_outcomes"].update(
                    (run.run_id, pid), {"outcome": "degraded", "detail": f"held back: {reason}"}
                )
    finally:
        db.close()


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
    if drop >= max_drop:
        return [
            f"offerings seen dropped {drop:.0%} ({before} in run {baseline['run_id']} -> "
            f"{offerings_seen}), at least --max-drop {max_drop:.0%}"
        ]
    return []


def score(run: NightlyRun) -> None:
    with step(run, "score") as scored:
        report = pipeline.score(run.work_db)
        scored.counts = {
            "scores": report.providers,
            "flags": report.flags,
            "contributions": report.contributions,
        }
        scored.detail = f"{report.providers} providers scored, {report.flags} flags"


def publish(run: NightlyRun) -> None:
    """Atomic swap of the public database, with this run's `run_changes` computed against
    the still-live file; a failed validation leaves the live file as it was."""

    def add_run_changes(staging: Path) -> None:
        run.changes = run_changes.compare(run.out, staging)
        since = (run.baseline or {}).get("run_id")
        db = sqlite_utils.Database(staging)
        try:
            run_changes.write_run_changes(db, run.run_id, since, run.changes)
        finally:
            db.close()

    with step(run, "publish") as published:
        result = pipeline.publish(run.work_db, run.out, prepare=add_run_changes)
        dropped = published_history.archive(run.out, run.run_id, run.gates.keep)
        published.counts = result.counts
        published.detail = f"-> {result.path}, {len(run.changes)} changes" + (
            f"; dropped kept files of {', '.join(dropped)}" if dropped else ""
        )
    run.published = published.status == "ok"
    if not run.published:
        run.reasons.append(f"publish failed: {published.detail}")


def report(run: NightlyRun, providers_file: Path) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "started": run.started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "resumed": run.resumed,
        "providers_file": str(providers_file),
        "work_db": str(run.work_db),
        "crawl_log": str(run.crawl_log),
        "morning_report": str(run.morning_report),
        "gates": asdict(run.gates),
        "aborted_runs_found": run.aborted,
        "steps": {name: asdict(record) for name, record in run.steps.items()},
        "counts": run.counts(),
        "providers": run.providers,
        "registers": run.registers,
        "changes": [asdict(change) for change in run.changes],
        "publish": {
            "published": run.published,
            "exit_status": run.exit_status(),
            "reason": "; ".join(run.reasons) or "all gates passed",
            "out": str(run.out),
            "max_drop": run.gates.max_drop,
            "baseline": run.baseline,
        },
    }


def morning_report(run: NightlyRun) -> str:
    """The Markdown an operator reads first: the verdict, each gate decision, the changes."""
    verdicts = {
        EXIT_PUBLISHED: "published",
        EXIT_DEGRADED: "published with degraded providers",
        EXIT_WITHHELD: "nothing published: " + "; ".join(run.reasons),
    }
    lines = [
        f"# credwatch nightly {run.run_id}",
        "",
        f"**{verdicts[run.exit_status()]}** (exit status {run.exit_status()})",
        "",
    ]
    lines += [f"- aborted run found: {row['id']} ({row['status_reason']})" for row in run.aborted]
    if run.resumed:
        lines.append(f"- resumed the aborted crawl of run {run.run_id}")
    lines += [
        f"- per-provider time budget: {run.gates.provider_budget:g} s; gates: --max-drop "
        f"{run.gates.max_drop:.0%}, --provider-drop {run.gates.provider_drop:.0%}, "
        f"--max-invalid {run.gates.max_invalid:.0%} (each inclusive)",
        "",
        "## Providers",
        "",
        "| provider | decision | outcome | seen | stored | invalid items | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in run.providers:
        checked = row["validation"]["items"]
        invalid = f"{row['validation']['invalid']}/{checked}" if checked else "-"
        cut = " (cut short by the time budget)" if row["cut_short"] else ""
        lines.append(
            f"| {row['name']} | {row['decision']} | {row['outcome']}{cut} | "
            f"{row['offerings_seen']} | {row['offerings_total']} | {invalid} | "
            f"{row['reason'].replace('|', '/')} |"
        )
    if run.registers:
        lines += ["", "## Registers", "", "| register | decision | entries | reason |"]
        lines.append("|---|---|---|---|")
        for row in run.registers:
            lines.append(
                f"| {row['register']} | {row['decision']} | {row['entries_before']} -> "
                f"{row['entries_after']} | {row['reason'].replace('|', '/')} |"
            )
    if run.published:
        since = (run.baseline or {}).get("run_id")
        lines += ["", *run_changes.changes_section(run.changes, since)]
    return "\n".join(lines) + "\n"


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
    for column in ("provider", "decision", "outcome", "seen now", "stored", "reason"):
        providers.add_column(column)
    for row in run.providers:
        providers.add_row(
            escape(row["name"]),
            row["decision"],
            row["outcome"],
            str(row["offerings_seen"]),
            str(row["offerings_total"]),
            escape(row["reason"] or row["detail"]),
        )
    console.print(providers)


def print_outcome(run: NightlyRun, console: Console) -> None:
    if run.published:
        degraded = f" with {len(run.degraded())} degraded providers" if run.degraded() else ""
        where = escape(f"{run.out}; pointer {run.runs_dir / LATEST}")
        console.print(f"[green]published[/]{degraded} {where}")
    else:
        why = escape(f"{'; '.join(run.reasons)}; {run.out} left as it was")
        console.print(f"[red]withheld[/]: {why}")
    console.print(f"report: {run.report_path}; morning report: {run.morning_report}", markup=False)
    console.print(f"crawl log: {run.crawl_log}; working db: {run.work_db}", markup=False)


def execute(
    run: NightlyRun,
    source: Path | None,
    command: list[str],
    names: dict[str, str],
    lock_fd: int,
    shards: int = 1,
) -> None:
    """The stages in order, each gate checked before the next costs anything."""
    run.baseline = previous_published(run.runs_dir)
    refresh_registers(run, source)
    crawl(run, command, names, lock_fd, shards)
    apply_provider_gates(run)
    counts = run.counts()
    run.reasons = crawl_reasons(
        counts["providers_ok"], counts["offerings_seen"], run.baseline, run.gates.max_drop
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


def exit_on_sigterm() -> None:
    """systemd and CI stop a job with SIGTERM: unwind (killing the crawl's process group
    on the way out) instead of dying where we stand."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


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
@runs_dir_option()
@click.option(
    "--max-drop",
    type=click.FloatRange(0, 1, min_open=True),
    default=Gates.max_drop,
    show_default=True,
    help="Withhold publishing when offerings seen fall by this fraction or more (inclusive) "
    "versus the last published run.",
)
@click.option(
    "--provider-drop",
    type=click.FloatRange(0, 1, min_open=True),
    default=Gates.provider_drop,
    show_default=True,
    help="Hold back one provider (its last good rows stay, stale) whose offerings fall by "
    "this fraction or more (inclusive).",
)
@click.option(
    "--max-invalid",
    type=click.FloatRange(0, 1, min_open=True),
    default=Gates.max_invalid,
    show_default=True,
    help="Hold back one provider whose share of offerings failing validation reaches this.",
)
@click.option(
    "--provider-budget",
    type=click.FloatRange(min=1),
    default=Gates.provider_budget,
    show_default=True,
    help="Seconds each provider's spider may crawl (CLOSESPIDER_TIMEOUT); providers crawl "
    "side by side, so one slow site cannot use up the others' time.",
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    default=Gates.keep,
    show_default=True,
    help="Published files kept in <out dir>/published/ for `credwatch rollback`.",
)
@click.option(
    "--accept-shrink",
    is_flag=True,
    help="Load a register snapshot even when it has over a fifth fewer rows than the one "
    "before (as `registers load --accept-shrink`); otherwise such a load is refused.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the last aborted crawl run (from its Scrapy JOBDIR) instead of starting anew.",
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
@scrapy_settings_option("Passed to the crawl, e.g. -s DOWNLOAD_DELAY=2.")
def nightly(
    providers_file: Path,
    registers_dir: Path | None,
    fetch: bool,
    db_path: Path,
    published_db: Path,
    runs_dir: Path,
    max_drop: float,
    provider_drop: float,
    max_invalid: float,
    provider_budget: float,
    keep: int,
    accept_shrink: bool,
    resume: bool,
    shards: int,
    overrides: dict[str, str],
) -> None:
    """Unattended run: registers, crawl, gates, score, then publish what passes.

    The registers are named, never guessed: --registers DIR loads a folder, --fetch
    downloads the official files (one of the two is required).

    Nothing is published (exit 2, the published file untouched) when every provider
    failed, when offerings seen dropped by --max-drop or more versus the last published
    run, or when scoring or the public file's validation failed. A provider that failed,
    dropped by --provider-drop or more, or failed item validation keeps its earlier rows,
    marked stale, and the run publishes with exit 1. Exit 0: published, every provider ok.
    Writes RUNS_DIR/<run_id>.json and RUNS_DIR/<run_id>/report.md (the morning report),
    and RUNS_DIR/latest.json last when it published.
    """
    source = named_registers(registers_dir, fetch)
    names = pipeline.listed_providers(providers_file)
    script = pipeline.credwatch_script()
    gates = Gates(max_drop, provider_drop, max_invalid, provider_budget, keep, accept_shrink)
    console = Console()
    exit_on_sigterm()
    with run_lock(runs_dir) as lock_fd:
        fresh_id = new_run_id()
        aborted, to_resume = find_aborted(db_path, fresh_id, resume)
        run = new_run(runs_dir, db_path, published_db, to_resume or fresh_id, bool(to_resume))
        run.gates, run.aborted = gates, aborted
        log.info("nightly run %s: report will be %s", run.run_id, run.report_path)
        settings = {
            "CLOSESPIDER_TIMEOUT": str(provider_budget),
            "CREDWATCH_JOBDIR": str(run.job_dir),
            **overrides,
        }
        command = pipeline.crawl_command(script, providers_file, db_path, run.run_id, settings)
        execute(run, source, command, names, lock_fd, shards)
        write_json(run.report_path, report(run, providers_file))
        run.morning_report.write_text(morning_report(run), encoding="utf-8")
        if run.published:
            write_json(runs_dir / LATEST, {"run_id": run.run_id, "report": run.report_path.name})
    print_summary(run, console)
    print_outcome(run, console)
    if run.exit_status():
        raise click.exceptions.Exit(run.exit_status())
