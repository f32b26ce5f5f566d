"""The working database every stage shares (`--db PATH`).

Each stage owns the tables it writes and declares them as a sqlite-utils `Migrations` set
in its own `schema.py`. A stage opens the database with its own set (and creates only its
own tables); the tables it reads belong to an earlier stage and must already be filled,
which `require_tables` checks with one clear line. The orchestrator opens it with all sets.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from credwatch.core.errors import CredwatchError


def open_db(
    path: str | Path, *migrations: Migrations, create: bool = True
) -> sqlite_utils.Database:
    """Open (and if needed create) the working database with the given stages' tables in place."""
    path = Path(path)
    if not create and not path.exists():
        raise CredwatchError(f"{path}: database does not exist")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    for stage_migrations in migrations:
        stage_migrations.apply(db)
    return db


def require_tables(db: sqlite_utils.Database, tables: list[str], path: str | Path) -> None:
    """Fail with one line when a stage's input tables are missing or empty."""
    for table in tables:
        if not db[table].exists() or db[table].count == 0:
            raise CredwatchError(
                f"{path}: table {table!r} is missing or empty (run the stage that fills it first)"
            )
