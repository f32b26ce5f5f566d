"""The orchestrator: registers -> crawl -> score -> publish, the one place that knows every stage.

`credwatch demo` and `credwatch nightly` run the stages through these steps, each taking
the working database and returning a small result; the stages never import each other
backwards. A crawl starts Twisted's reactor, which runs once per process: `crawl_providers`
runs it in this process (the demo crawls once), `crawl_in_subprocess` in a `credwatch crawl`
child (nightly: a crashed or stuck crawl cannot take the run and its report with it).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils

import crawler.schema
import registry_data.schema
import scoring.schema
from crawler.runner import (
    CrawlReport,
    ProviderSpec,
    RegisterFeed,
    load_providers,
    run_crawl,
    run_register_crawl,
)
from credwatch import run_state
from credwatch.core.db import open_db
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id
from credwatch.publish import PublishResult, build_public_db
from registry_data.declaration import Crawled
from registry_data.fetch import fetch_registers
from registry_data.load import load_registers as load_register_files
from registry_data.registers import REGISTERS
from scoring.run import ScoreReport, score_database

log = logging.getLogger(__name__)

# Every stage's tables, in data-flow order.
STAGE_MIGRATIONS = (
    registry_data.schema.migrations,
    crawler.schema.migrations,
    scoring.schema.migrations,
    run_state.migrations,
)


def open_work_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """The working database with every stage's tables in place."""
    return open_db(path, *STAGE_MIGRATIONS, create=create)


# --- Register sources: every register's current files into one folder, for `registers load`.


def fetch_register_sources(
    to_dir: Path, base_url: str | None = None, crawl_overrides: dict[str, Any] | None = None
) -> list[Path]:
    """Download the registers that publish files (`registers fetch`), then crawl each one
    read by a spider (`crawl --register`) into the same folder; returns the files written.

    `base_url` (a bare origin) replaces every official host, for tests and mirrors.
    """
    written = fetch_registers(to_dir, base_url)
    for register in REGISTERS.values():
        if isinstance(register.fetch, Crawled):
            feed = _crawl_in_own_process(register.fetch.spider, to_dir, base_url, crawl_overrides)
            written.append(feed.path)
    return written


def _crawl_in_own_process(
    spider: str, to_dir: Path, start_url: str | None, overrides: dict[str, Any] | None
) -> RegisterFeed:
    """Twisted's reactor runs once per process, so each register crawl gets a fresh one;
    its result, or its CredwatchError, comes back here."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_register_crawl, spider, to_dir, start_url, overrides).result()


def load_registers(work: Path, source: Path, *, accept_shrink: bool = False) -> dict[str, int]:
    """Load every register file under `source` into `work` (all or nothing); the counts.

    `accept_shrink` lets a snapshot through the load gate that has over a fifth fewer rows
    than its register's newest (an operator who checked the shrink is real)."""
    log.info("loading registers from %s", source)
    db = open_work_db(work)
    try:
        return load_register_files(db, source, progress=True, accept_shrink=accept_shrink)
    finally:
        db.close()


def listed_providers(providers_file: Path) -> dict[str, str]:
    """Provider id -> name for every provider in the file; a bad file fails here, first."""
    return {provider_id(spec.url): spec.name for spec in load_providers(providers_file)}


def crawl_providers(
    providers: list[ProviderSpec], work: Path, overrides: dict[str, str | int]
) -> CrawlReport:
    """Crawl in this process (once per process: Twisted's reactor cannot restart)."""
    log.info("crawling %d providers into %s", len(providers), work)
    return run_crawl(providers, work, settings_overrides=overrides)


def crawl_command(
    script: Path, providers_file: Path, work: Path, run_id: str, overrides: dict[str, str]
) -> list[str]:
    """The `credwatch crawl` command line (`script` from `credwatch_script`) that crawls
    `providers_file` into `work` as run `run_id`."""
    command = [str(script), "crawl", "--providers", str(providers_file)]
    command += ["--db", str(work), "--run-id", run_id]
    for name, value in overrides.items():
        command += ["-s", f"{name}={value}"]
    return command


def credwatch_script() -> Path:
    """The console script installed beside this Python, which runs the crawl stage."""
    script = Path(sys.executable).with_name("credwatch")
    if not script.is_file():
        raise CredwatchError(f"{script}: credwatch console script not found beside Python")
    return script


def crawl_in_subprocess(
    command: list[str], crawl_log: TextIO, timeout: float, inherit_fds: tuple[int, ...] = ()
) -> int:
    """Run a `crawl_command` child, its output into `crawl_log`; its exit status (-9 when
    it was still running after `timeout` seconds and was killed).

    The child gets its own process group, is killed with that whole group whenever this
    function leaves (an exception, a signal turned into SystemExit), and dies by
    SIGKILL if this process dies first (Linux parent-death signal), so a `kill -9` of
    nightly never leaves a crawl writing the working database. `inherit_fds` (nightly's
    lock file) stay open in the child: while any orphan lived, the lock would stay held.
    """
    child = subprocess.Popen(
        command,
        stdout=crawl_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        pass_fds=inherit_fds,
        preexec_fn=die_with_parent(os.getpid()),
    )
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.error("crawl still running after %d s: killed", timeout)
        return -9
    finally:
        kill_process_group(child)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A `preexec_fn` asking the kernel to SIGKILL the child when `parent_pid` dies
    (None where there is no prctl); it also exits at once if the parent already died
    between fork and prctl."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: nothing to import after

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec


def kill_process_group(child: subprocess.Popen) -> None:
    """SIGKILL every process of the child's group (the child leads it), then reap it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        log.debug("crawl process group %d already gone", child.pid)
    child.wait()


# Tables a provider crawl writes, merged from shard databases (crawl_runs is summed apart).
CRAWL_TABLES = ("providers", "offerings", "claims", "outbound_links", "crawl_outcomes")


def shard_databases(run_dir: Path, shards: int) -> list[Path]:
    """Where `nightly --shards N` has shard i of N crawl: RUN_DIR/shard-i-of-N.db."""
    return [run_dir / f"shard-{number}-of-{shards}.db" for number in range(1, shards + 1)]


def crawl_shards_in_subprocesses(
    commands: list[list[str]], logs: list[Path], timeout: float
) -> list[int]:
    """Run the shard crawl children side by side (each its own reactor); their exit statuses."""
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(_crawl_logged, commands, logs, [timeout] * len(commands)))


def _crawl_logged(command: list[str], log_path: Path, timeout: float) -> int:
    with log_path.open("w", encoding="utf-8") as crawl_log:
        return crawl_in_subprocess(command, crawl_log, timeout)


def merge_shard_databases(work: Path, shards: list[Path]) -> int:
    """Upsert every shard's crawl rows into `work`, one transaction per shard (providers never
    span shards, so rows never conflict); the `crawl_runs` row of a run sums its shards.
    Returns the number of crawl outcome rows merged."""
    db = open_work_db(work)
    merged = 0
    try:
        for shard in (path for path in shards if path.is_file()):
            db.execute("ATTACH DATABASE ? AS shard", [str(shard)])
            try:
                with db.atomic():
                    merged += _merge_attached(db)
            finally:
                db.execute("DETACH DATABASE shard")
    finally:
        db.close()
    return merged


def _merge_attached(db: sqlite_utils.Database) -> int:
    for table in CRAWL_TABLES:
        columns = ", ".join(f"[{name}]" for name in db[table].columns_dict)
        db.execute(
            f"INSERT OR REPLACE INTO main.[{table}] ({columns}) "
            f"SELECT {columns} FROM shard.[{table}]"
        )
    for run in db.execute("SELECT id, started, finished, providers, items FROM shard.crawl_runs"):
        run_id, started, finished, providers, items = run
        earlier = (
            db["crawl_runs"].get(run_id)
            if db["crawl_runs"].count_where("id = ?", [run_id])
            else None
        )
        if earlier:
            started = min(started or "", earlier["started"] or "") or started
            finished = max(finished or "", earlier["finished"] or "")
            providers = (providers or 0) + (earlier["providers"] or 0)
            items = (items or 0) + (earlier["items"] or 0)
        db["crawl_runs"].upsert(
            {"id": run_id, "started": started, "finished": finished, "providers": providers,
             "items": items},
            pk="id",
        )  # fmt: skip
    return db.execute("SELECT count(*) FROM shard.crawl_outcomes").fetchone()[0]


def score(work: Path) -> ScoreReport:
    """Match, flag, check claims and score every crawled provider in `work`."""
    db = open_work_db(work, create=False)
    try:
        return score_database(db, work)
    finally:
        db.close()


def publish(work: Path, out: Path, prepare: Callable[[Path], None] | None = None) -> PublishResult:
    """Build, validate and atomically swap in the published database (`prepare` adds to
    the staging file before validation)."""
    return build_public_db(work, out, prepare)
