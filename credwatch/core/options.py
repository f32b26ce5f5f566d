"""The click options several commands share, declared once so a flag means the same everywhere.

Each factory fixes an option's names, type, default and meaning; a command may add a
sentence (`detail`) saying what it does with the value. `--db` is always the working
database and `--out` always the published one, whichever command is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from credwatch.core.errors import CredwatchError

WORK_DB = Path("output/work.db")
PUBLISHED_DB = Path("output/credwatch.db")
SHARED_DIR = Path("../shared")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001

Command = TypeVar("Command", bound=Callable[..., Any])
Decorator = Callable[[Command], Command]

_FILE = click.Path(dir_okay=False, path_type=Path)
_FOLDER = click.Path(file_okay=False, path_type=Path)


def _help(meaning: str, detail: str) -> str:
    return f"{meaning} {detail}".strip()


def work_db_option(detail: str = "") -> Decorator:
    """`--db PATH` -> `db_path`: the working database the stages fill and read."""
    return _database_option(
        "--db", "db_path", WORK_DB, "Working SQLite database the stages share.", detail
    )


def published_db_option(detail: str = "") -> Decorator:
    """`--out PATH` -> `published_db`: the public database Datasette serves."""
    return _database_option(
        "--out",
        "published_db",
        PUBLISHED_DB,
        "Published database (the file Datasette serves).",
        detail,
    )


def _database_option(flag: str, name: str, default: Path, meaning: str, detail: str) -> Decorator:
    return click.option(
        flag, name, type=_FILE, default=default, show_default=True, help=_help(meaning, detail)
    )


def providers_option(default: Path | None = None, *, required: bool = True) -> Decorator:
    """`--providers FILE` -> `providers_file`; required unless the command has a default
    (or another way to say what to crawl)."""
    return click.option(
        "--providers",
        "providers_file",
        type=_FILE,
        default=default,
        required=required and default is None,
        show_default=default is not None,
        help="CSV or YAML providers file: name, url, optional spider (default structured_data).",
    )


def registers_option(*, required: bool, detail: str = "") -> Decorator:
    """`--registers DIR` (or `--from DIR`) -> `registers_dir`: a folder of register files."""
    return click.option(
        "--registers",
        "--from",
        "registers_dir",
        type=click.Path(path_type=Path),  # the loader names a missing or wrong folder itself
        required=required,
        help=_help(
            "Folder of register files (searched recursively; recognised by content).", detail
        ),
    )


def shared_option(detail: str = "") -> Decorator:
    """`--shared DIR` -> `shared`: the read-only shared data folder beside the checkout."""
    return click.option(
        "--shared",
        type=_FOLDER,
        default=SHARED_DIR,
        show_default=True,
        help=_help("The shared data folder.", detail),
    )


def host_option() -> Decorator:
    """`--host ADDRESS` -> `host`: where Datasette listens."""
    return click.option(
        "--host", default=DEFAULT_HOST, show_default=True, help="Address Datasette listens on."
    )


def port_option() -> Decorator:
    """`--port N` -> `port`: Datasette's port."""
    return click.option(
        "--port", type=int, default=DEFAULT_PORT, show_default=True, help="Datasette port."
    )


def runs_dir_option(detail: str = "") -> Decorator:
    """`--runs-dir DIR` -> `runs_dir`: nightly's run reports, latest.json and run folders."""
    return click.option(
        "--runs-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("output/runs"),
        show_default=True,
        help=_help("Nightly's run reports (<run_id>.json, latest.json) and run folders.", detail),
    )


def scrapy_settings_option(detail: str = "") -> Decorator:
    """`-s/--set NAME=VALUE` (repeatable) -> `overrides`, a dict of Scrapy settings."""
    return click.option(
        "-s",
        "--set",
        "overrides",
        multiple=True,
        metavar="NAME=VALUE",
        callback=_settings,
        help=_help("Override a Scrapy setting, e.g. -s DOWNLOAD_DELAY=0 (repeatable).", detail),
    )


def _settings(ctx: click.Context, param: click.Parameter, texts: tuple[str, ...]) -> dict:
    """NAME=VALUE pairs in order (a later one wins); a malformed one is a one-line error."""
    settings: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise CredwatchError(f"-s {text}: expected NAME=VALUE")
        settings[name.strip()] = value
    return settings
