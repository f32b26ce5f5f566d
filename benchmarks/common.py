"""What several bench modules share: the loaded registers, a scratch folder, the row shape."""

from __future__ import annotations

import argparse
import atexit
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from credwatch.cli import cli


@cache
def scratch() -> Path:
    """One scratch folder per benchmark process, removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="credwatch-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def registers_db(shared: Path) -> Path:
    """The real registers (`shared/registry_data`) loaded once per process, for every scale."""
    path = scratch() / "registers.db"
    run_cli("registers", "load", "--from", str(shared / "registry_data"), "--db", str(path))
    return path


def run_cli(*args: str) -> None:
    cli.main(list(args), prog_name="credwatch", standalone_mode=False)


def row(
    benchmark: str,
    size: int,
    credwatch: float,
    floor: float | None,
    unit: str,
    bound_by: str,
) -> dict[str, Any]:
    """One table row; ratio is credwatch / floor (None where there is no floor)."""
    return {
        "benchmark": benchmark,
        "size": size,
        "credwatch": credwatch,
        "floor": floor,
        "ratio": credwatch / floor if floor else None,
        "unit": unit,
        "bound_by": bound_by,
    }


def run_alone(doc: str, measure: Callable[[Path, int], list[dict[str, Any]]]) -> None:
    """`python -m benchmarks.bench_x [--shared DIR] [--scale N]`: one module's rows."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--scale", type=int, default=1)
    arguments = parser.parse_args()
    for measured in measure(arguments.shared, arguments.scale):
        print(measured)
