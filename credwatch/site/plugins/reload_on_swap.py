"""Serve the new published file after a publish or rollback, with no restart.

Publishing renames a new file over the served one, so the path names a new inode while the
open immutable database still reads the old one. Before each request this checks (one
`stat`) whether a served file's path now names another inode, and if so swaps in a fresh
immutable `Database` for it: requests already running finish on the old file, every later
one reads the new file. The old file's connections close a little later, once the
requests using them are done.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from datasette import hookimpl
from datasette.database import Database

log = logging.getLogger(__name__)

SERVED_INODES = "_credwatch_served_inodes"
OLD_FILE_CLOSE_DELAY_SECONDS = 30


class SwappedInDatabase(Database):
    """An immutable database with per-thread connections of its own: Datasette keys
    them by database name, so the replaced file's connections would be reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._thread_connections = threading.local()

    async def execute_fn(self, fn):
        if self.ds.executor is None:
            return await super().execute_fn(fn)

        def in_thread():
            conn = getattr(self._thread_connections, "conn", None)
            if conn is None:
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                self._thread_connections.conn = conn
            return fn(conn)

        return await asyncio.get_running_loop().run_in_executor(self.ds.executor, in_thread)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:  # between two renames, or removed: keep serving what is open
        return None
    return (stat.st_dev, stat.st_ino)


def _served(datasette) -> dict[str, tuple[int, int] | None]:
    if not hasattr(datasette, SERVED_INODES):
        setattr(datasette, SERVED_INODES, {})
    return getattr(datasette, SERVED_INODES)


@hookimpl
def startup(datasette) -> None:
    served = _served(datasette)
    for name, database in datasette.databases.items():
        if database.path and not database.is_mutable:
            served[name] = _identity(database.path)


def reload_swapped_files(datasette) -> list[str]:
    """Reopen every immutable database whose file was replaced; the names reopened."""
    served = _served(datasette)
    reopened = []
    for name, identity in list(served.items()):
        database = datasette.databases.get(name)
        current = _identity(database.path) if database else None
        if current is None or current == identity:
            continue
        datasette.remove_database(name)
        fresh = SwappedInDatabase(datasette, path=database.path, is_mutable=False)
        datasette.add_database(fresh, name)
        asyncio.get_running_loop().call_later(OLD_FILE_CLOSE_DELAY_SECONDS, database.close)
        served[name] = current
        reopened.append(name)
        log.warning("credwatch: %s was replaced on disk; now serving the new file", name)
    return reopened


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def reload_then_serve(scope, receive, send):
            if scope["type"] == "http":
                reload_swapped_files(datasette)
            await app(scope, receive, send)

        return reload_then_serve

    return wrap
