"""Every register credwatch knows: one module here per register, each declaring `REGISTER`.

The package is walked like Scrapy's spider loader walks `SPIDER_MODULES`, so adding a
register is adding a module (plus its fixture and test); nothing else lists them. A module
without `REGISTER`, or two modules declaring one id, fail on import.

The small API the other stages use: `REGISTERS` (id -> `Register`), `register_label`,
`entry_reference`, `is_current`, `is_sanction` and `provider_registers`.
"""

from __future__ import annotations

import importlib
import pkgutil

from credwatch.core.errors import CredwatchError
from registry_data.declaration import FileFormat, Register


def discover() -> dict[str, Register]:
    """The `REGISTER` of every module of this package, by id, in module-name order."""
    found: dict[str, Register] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "REGISTER", None)
        if not isinstance(register, Register):
            raise TypeError(f"{module.__name__}: a register module must declare REGISTER")
        if register.id in found:
            raise TypeError(f"{module.__name__}: register id {register.id!r} declared twice")
        found[register.id] = register
    return found


REGISTERS: dict[str, Register] = discover()


def register(register_id: str) -> Register:
    try:
        return REGISTERS[register_id]
    except KeyError:
        known = ", ".join(REGISTERS)
        raise CredwatchError(f"{register_id}: not a known register (known: {known})") from None


def register_label(register_id: str) -> str:
    """ "training.gov.au (RTO)": the register as a person names it."""
    return register(register_id).label


def entry_reference(register_id: str, entry_id: str) -> str:
    """ "CRICOS 00122A": one entry as a person names it."""
    return f"{register(register_id).abbreviation} {entry_id}"


def is_current(register_id: str, status: str | None) -> bool | None:
    """Whether the register's status word means registered now (None: a word it never uses)."""
    return register(register_id).statuses.is_current(status)


def is_sanction(register_id: str, status: str | None) -> bool:
    """Whether the status word records a regulator's sanction ("Current (Suspended)")."""
    return register(register_id).statuses.is_sanction(status)


def provider_registers(jurisdiction: str) -> frozenset[str]:
    """Ids of the registers listing providers of one country (AU: CRICOS, RTO, TEQSA)."""
    return frozenset(
        r.id for r in REGISTERS.values() if r.jurisdiction == jurisdiction and r.lists_providers
    )


def file_formats() -> list[tuple[Register, FileFormat]]:
    """Every declared file format with its register, in register order."""
    return [(r, fmt) for r in REGISTERS.values() for fmt in r.formats]
