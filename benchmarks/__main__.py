"""Run every benchmark: `python -m benchmarks --shared ../shared [--only match]`."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

BENCHMARKS = ("bench_match", "bench_crawl", "bench_serve")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--only", choices=[name.removeprefix("bench_") for name in BENCHMARKS])
    args = parser.parse_args()
    for name in BENCHMARKS:
        if args.only and name != f"bench_{args.only}":
            continue
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.{name}").main(args.shared)


if __name__ == "__main__":
    main()
