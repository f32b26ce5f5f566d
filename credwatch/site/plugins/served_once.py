"""Datasette one-off plugin: what is constant for a served file is worked out once, not per
request.

The published file is served immutable, and a publish swaps in a new `Database` for a new
file (`reload_on_swap`). Yet Datasette 0.65 merges every metadata source (metadata.yml and
the plugins' metadata) on each `metadata()` call, deep-copies them all on each table
permission check, and asks SQLite for each table's columns, primary keys and full-text
table on every page: the home page made one permission check and three schema queries per
table, view and canned query (the check itself asks `sqlite_master` how the table is
spelled): on the benchmark's file (`benchmarks/bench_serve.py`) about 0.1 s of CPU per home
page and over a second per request under 10 clients, each query waiting its turn in the
SQL thread pool behind other clients'. So:

- metadata answers are kept while the same `Database` objects are served, and start over
  when a swap brings a new one;
- an immutable database answers each schema question once, on the `Database` object itself
  (its column, key and full-text lookups, and any query that reads only `sqlite_master` or
  the schema version); a mutable one, like `_internal`, still asks SQLite every time;
- an immutable file's rows are counted once, in full, when the server starts;
- templates are read once: Jinja would otherwise stat every template file a page uses, on
  every page (`credwatch serve` ships its templates in the package; restart to change them).

Answers are shared the way Datasette's own are (its `metadata()` returns pieces of the
sources themselves); a remembered list is handed out as a copy, so no caller can change it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from datasette import hookimpl
from datasette.database import Database

SCHEMA_QUESTIONS = ("table_exists", "table_names", "view_names", "hidden_table_names",
                    "table_columns", "table_column_details", "primary_keys", "fts_table",
                    "label_column_for_table")  # fmt: skip
ANSWERS = "_credwatch_schema_answers"
# A statement whose answer is fixed by the schema: it reads `sqlite_master` and nothing else.
SCHEMA_ONLY = re.compile(
    r"\s*(pragma\s+schema_version|select\s(?:(?!\b(?:from|join)\b).)*\bfrom\s+sqlite_master\b"
    r"(?:(?!\b(?:from|join)\b).)*)\s*;?\s*",
    re.IGNORECASE | re.DOTALL,
)


def _handed_out(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


class PerServedFiles:
    """Answers of metadata functions, kept while the same `Database` objects are served
    (a `Database` has no `__eq__`, so comparing the tuples compares identities)."""

    def __init__(self, datasette) -> None:
        self.datasette = datasette
        self.served: tuple = ()
        self.answers: dict[tuple, Any] = {}

    def remembered(self, function: Callable) -> Callable:
        @wraps(function)
        def answer(*args: Any, **kwargs: Any) -> Any:
            served = tuple(self.datasette.databases.values())
            if served != self.served:
                self.served, self.answers = served, {}
            key = (function.__name__, args, tuple(sorted(kwargs.items())))
            if key not in self.answers:
                self.answers[key] = function(*args, **kwargs)
            return _handed_out(self.answers[key])

        return answer


async def _once(database: Database, key: tuple, ask: Callable[[], Awaitable]) -> Any:
    """The remembered answer to `key` on this immutable database, asked the first time."""
    answers = database.__dict__.setdefault(ANSWERS, {})
    if key not in answers:
        answers[key] = await ask()
    return _handed_out(answers[key])


def answered_once(question: Callable) -> Callable:
    """A `Database` schema method that asks SQLite once per immutable database."""

    @wraps(question)
    async def answer(self: Database, *args: Any) -> Any:
        if self.is_mutable:
            return await question(self, *args)
        return await _once(self, (question.__name__, args), lambda: question(self, *args))

    answer.answered_once = True
    return answer


def schema_queries_answered_once(execute: Callable) -> Callable:
    """`Database.execute`, answering a query on the schema alone once per immutable database."""

    @wraps(execute)
    async def answer(self: Database, sql: str, params: Any = None, *args: Any, **kwargs: Any):
        def ask() -> Awaitable:
            return execute(self, sql, params, *args, **kwargs)

        if self.is_mutable or not SCHEMA_ONLY.fullmatch(sql):
            return await ask()
        given = sorted(params.items()) if isinstance(params, dict) else list(params or ())
        return await _once(self, (sql, tuple(given), args, tuple(sorted(kwargs.items()))), ask)

    answer.answered_once = True
    return answer


def counted_once(table_counts: Callable) -> Callable:
    """`Database.table_counts`, counting an immutable file's tables once, within the query
    time limit: the home page asks with a 10 ms limit per table, which a million rows
    overrun, and Datasette kept that failure, so the page showed no counts."""

    @wraps(table_counts)
    async def count(self: Database, limit: int = 10) -> dict:
        if self.is_mutable:
            return await table_counts(self, limit)
        full = self.ds.setting("sql_time_limit_ms")
        return await _once(self, ("table_counts",), lambda: table_counts(self, full))

    return count


def _answer_schema_questions_once() -> None:
    if getattr(Database.execute, "answered_once", False):
        return  # another Datasette in this process patched the class already
    Database.execute = schema_queries_answered_once(Database.execute)
    Database.table_counts = counted_once(Database.table_counts)
    for name in SCHEMA_QUESTIONS:
        setattr(Database, name, answered_once(getattr(Database, name)))


@hookimpl
def startup(datasette):
    datasette.jinja_env.auto_reload = False
    cache = PerServedFiles(datasette)
    datasette.metadata = cache.remembered(datasette.metadata)
    datasette._table_permission_allows = cache.remembered(datasette._table_permission_allows)
    _answer_schema_questions_once()

    async def count_rows() -> None:
        """Each immutable file's table counts, before the first visitor (a file a publish
        swaps in later is counted on its first home page)."""
        for database in list(datasette.databases.values()):
            if not database.is_mutable:
                await database.table_counts()

    return count_rows
