"""Datasette one-off plugin: each register table's sources and licences, from the declarations.

Every register declares its label, licence, source page, status words and the tables it
fills (`registry_data.registers`). The page metadata of those tables is built from them, so
a new register is described on the site without an edit to `metadata.yml`, which holds
everything else (Datasette lets that file win over plugin metadata, so it leaves these keys
alone).
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import Any

from datasette import hookimpl

from registry_data.declaration import Register
from registry_data.registers import REGISTERS

DATABASE = "credwatch"
ENTRIES = "registry_entries"


@hookimpl
def get_metadata(datasette, key, database, table) -> dict[str, Any]:
    return register_metadata()


@cache
def register_metadata() -> dict[str, Any]:
    """`databases.credwatch.tables` metadata of every table a register fills."""
    tables = {ENTRIES: _entries_metadata([r for r in REGISTERS.values() if r.lists_providers])}
    for register in REGISTERS.values():
        for table in sorted(register.tables - {ENTRIES}):
            tables[table] = _source(register)
    return {"databases": {DATABASE: {"tables": tables}}}


def _source(register: Register) -> dict[str, str]:
    source = {
        "source": register.label,
        "source_url": register.source_page,
        "license": register.licence,
    }
    if register.licence_url:
        source["license_url"] = register.licence_url
    return source


def _entries_metadata(registers: list[Register]) -> dict[str, Any]:
    labels = ", ".join(register.label for register in registers)
    return {
        "description": f"Every register entry loaded, one normalised row per register and id: "
        f"{labels}.",
        "description_html": "".join(
            [
                "<p>Every register entry loaded, one normalised row per register and id. "
                "Sources and licences:</p>\n<ul>\n",
                *(_register_item(register) for register in registers),
                "</ul>\n",
                _status_note(registers),
            ]
        ),
        "source": labels,
        "license": "Mixed: see the table description",
        "columns": {"register": "Which register: " + ", ".join(r.id for r in registers)},
    }


def _register_item(register: Register) -> str:
    return (
        f"<li><strong>{escape(register.id)}</strong>: {escape(register.label)}. "
        f"{escape(register.about)} Licence: {escape(register.licence)}. "
        f'<a href="{escape(register.source_page)}">Source</a>.</li>\n'
    )


def _status_note(registers: list[Register]) -> str:
    """What the status words mean, from each register's own vocabulary."""
    ended = [f"{word} ({r.id})" for r in registers for word in r.statuses.ended]
    sanctions = [f"{word} ({r.id})" for r in registers for word in r.statuses.sanctions]
    return (
        "<p>The status is the register's own wording on the snapshot date. Statuses that "
        "record an ending, often a voluntary withdrawal and never by themselves a sanction: "
        f"{escape(', '.join(ended))}. Sanctions: {escape(', '.join(sanctions))}.</p>"
    )
