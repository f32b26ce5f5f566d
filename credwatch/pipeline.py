"""The orchestrator: registers -> crawl -> score -> publish, the one place that knows every stage.

`credwatch demo`, `credwatch nightly` and the CLI run the stages through here; the stages
themselves never import each other backwards.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

import crawler.schema
import registry_data.schema
import scoring.schema
from credwatch.core.db import open_db

# Every stage's tables, in data-flow order.
STAGE_MIGRATIONS = (
    registry_data.schema.migrations,
    crawler.schema.migrations,
    scoring.schema.migrations,
)


def open_work_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """The working database with every stage's tables in place."""
    return open_db(path, *STAGE_MIGRATIONS, create=create)
