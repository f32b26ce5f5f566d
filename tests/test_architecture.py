"""The import rules, read from the source with `ast` (nothing is imported to check them).

`crawler` and `registry_data` never import each other (the TEQSA register reaches
`registry_data` as a file the crawler writes), scoring never imports the crawler, and
`credwatch/core` imports no stage nor the roof built on the stages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STAGES = ("crawler", "registry_data", "scoring")
ROOF = ("credwatch.cli", "credwatch.demo", "credwatch.nightly", "credwatch.pipeline",
        "credwatch.publish", "credwatch.serve", "credwatch.site")  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from ... import` names in the file, wherever it stands."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names.add(node.module or "")
    return names


def imports_of(folder: str) -> dict[str, set[str]]:
    files = sorted((REPO / folder).rglob("*.py"))
    assert files, f"no Python files under {folder}"
    return {str(path.relative_to(REPO)): imported_modules(path) for path in files}


def within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("crawler", ("registry_data",)),
        ("registry_data", ("crawler",)),
        ("scoring", ("crawler",)),
        ("credwatch/core", STAGES + ROOF),
    ],
)
def test_import_rules(folder: str, forbidden: tuple[str, ...]) -> None:
    broken = {
        path: sorted(module for module in modules if within(module, forbidden))
        for path, modules in imports_of(folder).items()
    }
    assert {path: modules for path, modules in broken.items() if modules} == {}


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text("def f():\n    from registry_data.load import load_registers\n")
    assert within("registry_data.load", ("registry_data",))
    assert imported_modules(source) == {"registry_data.load"}
