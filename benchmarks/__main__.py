"""Run every benchmark at 1x, 4x and 16x: `python -m benchmarks [--only match crawl]`.

Each bench module exposes `measure(shared, scale) -> list[dict]`: rows with the keys of
`COLUMNS` (benchmark, size, credwatch, floor, ratio, unit, bound_by), each credwatch figure
beside the raw library limit measured in the same run on the same data. This prints one table
and writes benchmarks/RESULTS.md, a section per module with the date it was measured, under
the machine and the library versions.
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
SECTION = "## "  # one section per benchmark module, e.g. "## bench_crawl (measured ...)"

Row = dict[str, Any]


def run(
    names: list[str], shared: Path, scales: tuple[int, ...], console: Console, results: Path
) -> list[Row]:
    """Every module at every scale; RESULTS.md is rewritten after each, so a long run that
    fails late keeps what it measured. Sections of modules not run now are kept as they were
    (each says when it was measured), so one benchmark can be re-run alone."""
    kept = kept_sections(results, names)
    sections: dict[str, str] = {}
    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        measured_rows: list[Row] = []
        for scale in scales:
            console.log(f"{name} at {scale}x")
            measured = module.measure(shared, scale)
            for row in measured:
                missing = set(COLUMNS) - row.keys()
                if missing:
                    raise ValueError(f"{name}: row without {', '.join(sorted(missing))}: {row}")
                console.log(" | ".join(cells(row)))
            measured_rows.extend(measured)
            sections[name] = section(name, measured_rows)
            results.write_text(markdown({**kept, **sections}), encoding="utf-8")
        rows.extend(measured_rows)
    return rows


def kept_sections(results: Path, running: list[str]) -> dict[str, str]:
    """The sections of an earlier RESULTS.md for benchmarks this run does not measure."""
    if not results.exists():
        return {}
    found = {}
    for part in results.read_text(encoding="utf-8").split(SECTION)[1:]:
        name = part.split(" ", 1)[0]
        if name in BENCHMARKS and name not in running:
            found[name] = SECTION + part.rstrip("\n") + "\n"
    return found


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


def section(name: str, rows: list[Row]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{SECTION}{name} (measured {when})",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *("| " + " | ".join(cell.replace("|", "/") for cell in cells(row)) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def markdown(sections: dict[str, str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks`); each credwatch figure is measured "
        "beside its raw library floor in the same run, on the same data. The machine is "
        "shared by other work: compare ratios, not absolute figures. Each section says when "
        "it was measured: `--only NAME` re-measures one and keeps the others.",
        "",
        *machine(),
        "",
    ]
    ordered = [sections[name] for name in BENCHMARKS if name in sections]
    return "\n".join(lines) + "\n" + "\n".join(ordered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[name.removeprefix("bench_") for name in BENCHMARKS],
        help="Run these benchmarks only; the other sections of the results file are kept.",
    )
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file written.")
    args = parser.parse_args()
    names = list(BENCHMARKS)
    if args.only:
        names = [name for name in names if name.removeprefix("bench_") in args.only]
    console = Console()
    rows = run(names, args.shared, tuple(args.scales), console, args.results)
    console.print(table(rows))
    console.print(f"written: {args.results}")


if __name__ == "__main__":
    main()
