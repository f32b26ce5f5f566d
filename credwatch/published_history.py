"""The last N published files, and `credwatch rollback` to put one of them back live.

Each publish by nightly hard-links the new live file into `<out dir>/published/` under its
run id (no copy: Datasette opens the file immutable and nothing writes a published file
again). A rollback links the chosen file beside the live one and renames it into place,
the same atomic swap as a publish, so a running `credwatch serve` notices it the same way.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import click

from credwatch.core.errors import CredwatchError
from credwatch.core.options import published_db_option, runs_dir_option

log = logging.getLogger(__name__)

DEFAULT_KEEP = 7
HISTORY_DIR = "published"


def history_dir(out: Path) -> Path:
    return out.parent / HISTORY_DIR


def archived_path(out: Path, run_id: str) -> Path:
    return history_dir(out) / f"{out.stem}-{run_id}{out.suffix}"


def archived(out: Path) -> dict[str, Path]:
    """Run id -> kept file, oldest first (run ids are UTC timestamps, so they sort)."""
    prefix = f"{out.stem}-"
    files = sorted(history_dir(out).glob(f"{prefix}*{out.suffix}"))
    return {path.name[len(prefix) : -len(out.suffix)]: path for path in files}


def archive(out: Path, run_id: str, keep: int = DEFAULT_KEEP) -> list[str]:
    """Keep the live file as run `run_id`'s and drop all but the newest `keep`; the run
    ids dropped."""
    target = archived_path(out, run_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.link(out, target)
    kept = archived(out)
    dropped = list(kept)[: max(len(kept) - keep, 0)]
    for run in dropped:
        kept[run].unlink()
        log.info("published file of run %s dropped (keeping %d)", run, keep)
    return dropped


def live_run(out: Path) -> str | None:
    """The run whose kept file is the live file (the same inode), if any."""
    if not out.exists():
        return None
    live = out.stat()
    for run, path in archived(out).items():
        if os.path.samestat(path.stat(), live):
            return run
    return None


def rollback(out: Path, to: str | None = None) -> str:
    """Make run `to`'s kept file live (default: the one published before the live one);
    returns the run id now live."""
    kept = archived(out)
    if not kept:
        raise CredwatchError(f"{history_dir(out)}: no published files kept to roll back to")
    if to is None:
        to = _previous_run(list(kept), live_run(out))
    if to not in kept:
        raise CredwatchError(f"--to {to}: no kept published file (kept: {', '.join(kept)})")
    partial = out.with_name(f".{out.name}.rollback-{os.getpid()}")
    partial.unlink(missing_ok=True)
    os.link(kept[to], partial)
    os.replace(partial, out)
    log.info("rolled back %s to run %s", out, to)
    return to


def _previous_run(runs: list[str], live: str | None) -> str:
    if live is None:
        return runs[-1]
    earlier = runs[: runs.index(live)]
    if not earlier:
        raise CredwatchError(f"run {live} is live and no earlier published file is kept")
    return earlier[-1]


def point_latest_at(runs_dir: Path, run_id: str) -> None:
    """After a rollback, nightly's next drop gate compares with the run now live."""
    report = runs_dir / f"{run_id}.json"
    if not report.is_file():
        log.warning("%s: no run report, latest.json left as it was", report)
        return
    pointer = runs_dir / "latest.json"
    partial = pointer.with_name(f".{pointer.name}.partial")
    partial.write_text(json.dumps({"run_id": run_id, "report": report.name}, indent=2) + "\n")
    os.replace(partial, pointer)


@click.command(name="rollback")
@published_db_option("The live file, replaced atomically by a kept one.")
@click.option("--to", "to", metavar="RUN", help="Run id to restore (default: the one before).")
@runs_dir_option("latest.json is pointed at the restored run.")
@click.option("--list", "list_only", is_flag=True, help="List the kept files and exit.")
def rollback_command(published_db: Path, to: str | None, runs_dir: Path, list_only: bool) -> None:
    """Put a previously published database back live, atomically.

    Nightly keeps the last N published files (--keep, default 7) in
    <out dir>/published/; a running `credwatch serve` picks up the restored file by itself.
    """
    if list_only:
        live = live_run(published_db)
        for run, path in archived(published_db).items():
            click.echo(f"{run}  {path}{'  (live)' if run == live else ''}")
        return
    restored = rollback(published_db, to)
    point_latest_at(runs_dir, restored)
    click.echo(f"{published_db} is now run {restored}'s published file")
