"""The orchestrator: registers -> crawl -> score -> publish, the one place that knows every stage.

`credwatch demo`, `credwatch nightly` and the CLI run the stages through here; the stages
themselves never import each other backwards.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import sqlite_utils

import crawler.schema
import registry_data.schema
import scoring.schema
from crawler.runner import RegisterFeed, run_register_crawl
from credwatch.core.db import open_db
from registry_data.declaration import Crawled
from registry_data.fetch import fetch_registers
from registry_data.registers import REGISTERS

# Every stage's tables, in data-flow order.
STAGE_MIGRATIONS = (
    registry_data.schema.migrations,
    crawler.schema.migrations,
    scoring.schema.migrations,
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
