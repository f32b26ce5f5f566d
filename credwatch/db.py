"""The working database every stage shares (`--db PATH`).

Each stage owns the tables it writes and declares them as a sqlite-utils `Migrations` set
in its own `schema.py`; opening the database applies every set, idempotently.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import sqlite_utils

from credwatch.errors import CredwatchError

# Stage modules whose `migrations` attribute declares that stage's tables, in data-flow order.
SCHEMA_MODULES = ("registry_data.schema", "crawler.schema", "scoring.schema")


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create) the working database with every stage's tables in place."""
    path = Path(path)
    if not create and not path.exists():
        raise CredwatchError(f"{path}: database does not exist")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    for module_name in SCHEMA_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                raise
            continue
        module.migrations.apply(db)
    return db


def require_tables(db: sqlite_utils.Database, tables: list[str], path: str | Path) -> None:
    """Fail with one line when a stage's input tables are missing or empty."""
    for table in tables:
        if not db[table].exists() or db[table].count == 0:
            raise CredwatchError(
                f"{path}: table {table!r} is missing or empty (run the stage that fills it first)"
            )
