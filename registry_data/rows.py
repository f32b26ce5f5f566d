"""Build complete `registry_entries` rows, so every loader fills the same columns the same way."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from credwatch.core.identity import registrable_domain
from registry_data.values import as_json, unique

EMPTY = (None, "")
ENTRY_COLUMNS = (
    "register",
    "entry_id",
    "legal_name",
    "trading_names",
    "aliases",
    "status",
    "is_current",
    "category",
    "start_date",
    "end_date",
    "website",
    "website_domain",
    "abn",
    "state",
    "country",
    "source_file",
    "source_url",
    "snapshot_date",
    "extra",
)


def entry_row(
    register: str,
    entry_id: str,
    legal_name: str,
    *,
    trading_names: list[str] | tuple[str, ...] = (),
    aliases: list[str] | tuple[str, ...] = (),
    website: str | None = None,
    is_current: bool | None = None,
    extra: dict[str, Any] | None = None,
    **columns: Any,
) -> dict[str, Any]:
    """A `registry_entries` row: lists and `extra` as JSON, the website's registrable domain.

    Aliases repeating the legal name or a trading name are dropped: they add nothing to matching.
    """
    unknown = set(columns) - set(ENTRY_COLUMNS)
    if unknown:
        raise TypeError(f"not registry_entries columns: {sorted(unknown)}")
    names = unique(trading_names)
    known = {name.casefold() for name in [legal_name, *names]}
    row = dict.fromkeys(ENTRY_COLUMNS)
    row.update(columns)
    row.update(
        register=register,
        entry_id=entry_id,
        legal_name=" ".join(legal_name.split()),
        trading_names=as_json(names),
        aliases=as_json([alias for alias in unique(aliases) if alias.casefold() not in known]),
        website=website or None,
        website_domain=registrable_domain(website) if website else None,
        is_current=None if is_current is None else int(is_current),
        extra=as_json({key: value for key, value in (extra or {}).items() if value not in EMPTY}),
    )
    return row


def insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Plain `executemany`: several times faster than `insert_all` for 25,000-row registers,
    and the rows of one builder all have the same keys."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{column}]" for column in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(
        f"insert into [{table}] ({names}) values ({marks})",
        (tuple(row[column] for column in columns) for row in rows),
    )
