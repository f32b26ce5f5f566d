"""`credwatch serve`: run Datasette on the published database, read-only and public-safe.

The database is opened immutable (`-i`: write APIs refused, counts computed once), arbitrary
SQL is denied by `allow_sql: false` in the metadata (canned queries still run), facet
suggestions are off and queries are time-limited, so a public instance stays cheap to run.
A publish or rollback renames a new file over the served one; the `reload_on_swap` plugin
notices on the next request and serves the new file, so no restart is needed.
The configuration lives in `credwatch/site/` inside the package, never in a top-level
`datasette/` folder (which would shadow the installed package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from credwatch.core.errors import CredwatchError
from credwatch.core.options import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    host_option,
    port_option,
    published_db_option,
)

SITE_DIR = Path(__file__).resolve().parent / "site"
DATABASE_NAME = "credwatch"  # metadata.yml, canned queries and the report card use this name

SETTINGS: dict[str, int | bool] = {
    "sql_time_limit_ms": 1500,
    "facet_time_limit_ms": 300,
    "max_returned_rows": 1000,
    "num_sql_threads": 3,
    "suggest_facets": False,
    "default_allow_sql": False,
}


def _cli_value(value: int | bool) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_command(db: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The `datasette serve` command line for the published database `db`."""
    if not db.is_file():
        raise CredwatchError(f"{db}: published database not found (run `credwatch publish`)")
    if db.stem != DATABASE_NAME:
        raise CredwatchError(
            f"{db}: the served file must be named {DATABASE_NAME}.db "
            "(the metadata, canned queries and report card refer to that database name)"
        )
    settings = [
        arg for name, value in SETTINGS.items() for arg in ("--setting", name, _cli_value(value))
    ]
    return [
        sys.executable,
        "-m",
        "credwatch.datasette_launcher",  # Datasette's CLI without rich's traceback handler
        "serve",
        "--immutable",
        str(db),
        "--metadata",
        str(SITE_DIR / "metadata.yml"),
        "--template-dir",
        str(SITE_DIR / "templates"),
        "--plugins-dir",
        str(SITE_DIR / "plugins"),
        "--static",
        f"assets:{SITE_DIR / 'static'}",
        "--host",
        host,
        "--port",
        str(port),
        *settings,
    ]


def server_url(host: str, port: int) -> str:
    return f"http://{host}:{port}/"


@click.command()
@published_db_option("Served read-only (built by `credwatch publish`).")
@host_option()
@port_option()
def serve(published_db: Path, host: str, port: int) -> None:
    """Serve the published database with Datasette, read-only (Ctrl-C stops it)."""
    command = datasette_command(published_db, host, port)
    click.echo(f"credwatch: serving {published_db} at {server_url(host, port)}", err=True)
    sys.stderr.flush()
    sys.stdout.flush()
    os.execv(command[0], command)
