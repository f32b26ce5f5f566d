"""Each register is declared once (registry_data/registers/<id>.py) and everything reads it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.core.errors import CredwatchError
from credwatch.pipeline import open_work_db
from registry_data import registers
from registry_data.registers import (
    REGISTERS,
    entry_reference,
    is_current,
    is_sanction,
    provider_registers,
    register_label,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MODULES = Path(registers.__file__).parent


def test_every_register_module_declares_the_register_named_after_it() -> None:
    modules = sorted(path.stem for path in MODULES.glob("*.py") if path.stem != "__init__")
    assert (
        list(REGISTERS)
        == modules
        == [
            "asqa_decisions",
            "cricos",
            "ipeds",
            "rto",
            "teqsa",
            "teqsa_blocked",
            "tga_scope",
            "ukprn",
        ]
    )
    kinds = [fmt.kind for register in REGISTERS.values() for fmt in register.formats]
    assert len(kinds) == len(set(kinds))  # one snapshot per (kind, date) is loaded
    assert all(any(fmt.loads for fmt in r.formats) for r in REGISTERS.values())


def test_labels_references_and_entry_pages() -> None:
    assert register_label("rto") == "training.gov.au (RTO)"
    assert entry_reference("cricos", "00122A") == "CRICOS 00122A"
    assert REGISTERS["rto"].entry_url("0029") == "https://training.gov.au/Organisation/Details/0029"
    assert (
        REGISTERS["ipeds"].entry_url("166683") == "https://nces.ed.gov/collegenavigator/?id=166683"
    )
    assert REGISTERS["teqsa_blocked"].entry_url("100due.com") is None
    with pytest.raises(CredwatchError, match="asqa: not a known register"):
        register_label("asqa")


@pytest.mark.parametrize(
    ("register", "status", "current", "sanction"),
    [
        ("rto", "Current", True, False),
        ("rto", "Current (Suspended)", True, True),
        ("rto", "current  (suspended)", True, True),  # case and spacing do not matter
        ("rto", "Cancelled", False, False),  # often voluntary: the ATO gave up code 0029
        ("rto", "Non-Current", False, False),
        ("rto", "withdrawn", False, False),
        ("rto", "Under review", None, False),
        ("teqsa", "suspended", False, True),
        ("cricos", "registered", True, False),
        ("ipeds", "closed or inactive", False, False),
    ],
)
def test_status_vocabulary(register: str, status: str, current: bool | None, sanction: bool):
    assert is_current(register, status) is current
    assert is_sanction(register, status) is sanction


def test_australian_provider_registers_come_from_jurisdiction() -> None:
    assert provider_registers("AU") == {"cricos", "rto", "teqsa"}  # not the blocked-sites list
    assert provider_registers("US") == {"ipeds"}


@pytest.fixture
def registers_also_in(monkeypatch: pytest.MonkeyPatch):
    """Walk one more folder as part of `registry_data.registers`, as if its modules were there."""

    def extend(folder: Path) -> None:
        monkeypatch.setattr(registers, "__path__", [*registers.__path__, str(folder)])
        for module in folder.glob("*.py"):
            monkeypatch.delitem(sys.modules, f"{registers.__name__}.{module.stem}", raising=False)
        for register_id, register in registers.discover().items():
            monkeypatch.setitem(REGISTERS, register_id, register)

    return extend


def test_adding_a_register_is_one_module(registers_also_in, tmp_path: Path) -> None:
    registers_also_in(FIXTURES / "extra_registers")  # deqar.py, nothing else
    db_path = tmp_path / "work.db"
    result = CliRunner().invoke(
        cli,
        [
            "registers",
            "load",
            "--from",
            str(FIXTURES / "extra_register_files"),
            "--db",
            str(db_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "loading DEQAR institutions CSV of 2025-01-15 (date from file name)" in result.output
    assert "│ DEQAR institutions" in result.output
    row = open_work_db(db_path)["registry_entries"].get(("deqar", "DEQARINST0382"))
    assert (row["legal_name"], row["website_domain"], row["is_current"]) == (
        "Aachen University",
        "rwth-aachen.de",
        1,
    )
    assert row["aliases"] == '["RWTH Aachen"]'
    assert entry_reference("deqar", "DEQARINST0382") == "DEQAR DEQARINST0382"


def test_a_register_module_without_a_declaration_fails_loudly(registers_also_in, tmp_path):
    (tmp_path / "halfway.py").write_text('"""A register someone forgot to declare."""\n')
    with pytest.raises(
        TypeError, match=r"registry_data\.registers\.halfway: a register module must"
    ):
        registers_also_in(tmp_path)
