"""Run every benchmark at 1x, 4x and 16x: `python -m benchmarks --shared ../shared [--only match]`.

Each bench module exposes `measure(shared, scale) -> list[dict]`: rows with the keys of
`COLUMNS` (benchmark, size, credwatch, floor, ratio, unit, bound_by), each credwatch figure
beside the raw library limit measured in the same run on the same data. This prints one table
and writes it to benchmarks/RESULTS.md with the machine, the library versions and the date.
The machine is shared: compare ratios, not absolute figures.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

BENCHMARKS = ("bench_match", "bench_score", "bench_publish", "bench_parse", "bench_crawl",
              "bench_serve")  # fmt: skip
SCALES = (1, 4, 16)
COLUMNS = ("benchmark", "size", "credwatch", "floor", "ratio", "unit", "bound_by")
LIBRARIES = ("scrapy", "rapidfuzz", "sqlite-utils", "datasette", "lxml", "parsel", "numpy")
RESULTS = Path(__file__).with_name("RESULTS.md")

Row = dict[str, Any]


def run(
    names: list[str], shared: Path, scales: tuple[int, ...], console: Console, results: Path
) -> list[Row]:
    """Every module at every scale; RESULTS.md is rewritten after each, so a long run that
    fails late keeps what it measured."""
    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        for scale in scales:
            console.log(f"{name} at {scale}x")
            measured = module.measure(shared, scale)
            for row in measured:
                missing = set(COLUMNS) - row.keys()
                if missing:
                    raise ValueError(f"{name}: row without {', '.join(sorted(missing))}: {row}")
                console.log(" | ".join(cells(row)))
            rows.extend(measured)
            results.write_text(markdown(rows), encoding="utf-8")
    return rows


def figure(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def cells(row: Row) -> list[str]:
    ratio = row["ratio"]
    return [
        row["benchmark"],
        figure(row["size"]),
        figure(row["credwatch"]),
        figure(row["floor"]),
        "-" if ratio is None else f"{ratio:.2f}x",
        row["unit"],
        row["bound_by"],
    ]


def table(rows: list[Row]) -> Table:
    shown = Table(title="credwatch beside the raw library limits (same run, same data)")
    for column in COLUMNS:
        shown.add_column(column, justify="right" if column in {"size", "credwatch", "floor",
                                                               "ratio"} else "left")  # fmt: skip
    for row in rows:
        shown.add_row(*cells(row))
    return shown


def machine() -> list[str]:
    versions = []
    for library in LIBRARIES:
        try:
            versions.append(f"{library} {importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- versions: {', '.join(versions)}",
    ]


def markdown(rows: list[Row]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks`); each credwatch figure is measured "
        "beside its raw library floor in the same run, on the same data. The machine is "
        "shared by other work: compare ratios, not absolute figures.",
        "",
        *machine(),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *("| " + " | ".join(cell.replace("|", "/") for cell in cells(row)) + " |" for row in rows),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--only", choices=[name.removeprefix("bench_") for name in BENCHMARKS])
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file written.")
    args = parser.parse_args()
    names = list(BENCHMARKS)
    if args.only:
        names = [name for name in names if name == f"bench_{args.only}"]
    console = Console()
    rows = run(names, args.shared, tuple(args.scales), console, args.results)
    console.print(table(rows))
    console.print(f"written: {args.results}")


if __name__ == "__main__":
    main()
