"""Precision, recall and F1 of provider matching on the labelled dev set (`make eval`).

    python -m scoring.evaluation.matching --shared ../shared [--db REGISTERS_DB] [--errors]
        [--split design|held-out|all]

Runs the real `credwatch match` command on SHARED/eval/matching-dev.csv (building a registers
database from SHARED/registry_data in a temporary folder unless `--db` is given). A row is
predicted when it has at least one matched/probable entry, and correct when ALL its predicted
entries are in `gold`; recall counts rows with a non-empty gold that got at least one gold entry.

The split is fixed by each row's name: `held-out` is the rows whose CRC-32 of the name is
divisible by 3 (about a third), `design` the rest. Matching rules are tuned on `design`
only, so `held-out` measures them on names they were not shaped by.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from credwatch.cli import cli

# Met on the held-out rows (the figure rules were not tuned on), as the learner issue asks.
TARGETS = {"precision": 0.98, "recall": 0.97}
SPLITS = ("design", "held-out")
ACCEPTED = {"matched", "probable"}


@dataclass
class Tally:
    """Counts for one kind of row (or all rows) and the rows that went wrong."""

    predicted: int = 0
    correct: int = 0
    with_gold: int = 0
    found_gold: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.with_gold if self.with_gold else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def in_split(row: dict[str, str], split: str) -> bool:
    held_out = zlib.crc32(row["name"].encode("utf-8")) % 3 == 0
    return split == "all" or held_out == (split == "held-out")


def run_match(
    db_path: Path, input_path: Path, output_path: Path
) -> dict[tuple[str, str], set[str]]:
    """Run `credwatch match` in-process as a user would; accepted `register:id` per (name, url)."""
    arguments = ["match", "--db", str(db_path), "--input", str(input_path)]
    cli.main(
        [*arguments, "--output", str(output_path)], prog_name="credwatch", standalone_mode=False
    )
    accepted: dict[tuple[str, str], set[str]] = defaultdict(set)
    with output_path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["name"], row["url"])
            accepted.setdefault(key, set())
            if row["decision"] in ACCEPTED:
                accepted[key].add(f"{row['register']}:{row['entry_id']}")
    return accepted


def score(
    labels: list[dict[str, str]], accepted: dict[tuple[str, str], set[str]]
) -> dict[str, Tally]:
    """Tallies per kind and overall ("all")."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in labels:
        gold = set(row["gold"].split())
        predicted = accepted.get((row["name"], row["url"]), set())
        split = "held-out" if in_split(row, "held-out") else "design"
        for tally in (tallies["all"], tallies[split], tallies[row["kind"]]):
            _count(tally, gold, predicted, row)
    return tallies


def _count(tally: Tally, gold: set[str], predicted: set[str], row: dict[str, str]) -> None:
    if predicted:
        tally.predicted += 1
        tally.correct += predicted <= gold
    if gold:
        tally.with_gold += 1
        tally.found_gold += bool(predicted & gold)
    if (predicted and not predicted <= gold) or (gold and not predicted & gold):
        wrong = " ".join(sorted(predicted - gold)) or "-"
        missed = " ".join(sorted(gold - predicted)) or "-"
        tally.errors.append(f"{row['name']!r} predicted-not-gold={wrong} gold-missed={missed}")


def report(tallies: dict[str, Tally], *, show_errors: bool) -> list[str]:
    lines = []
    first = ["all", *(split for split in SPLITS if split in tallies)]
    for kind in [*first, *sorted(k for k in tallies if k not in first)]:
        tally = tallies[kind]
        lines.append(
            f"{kind:<18} precision {tally.precision:.3f} ({tally.correct}/{tally.predicted})  "
            f"recall {tally.recall:.3f} ({tally.found_gold}/{tally.with_gold})  F1 {tally.f1:.3f}"
        )
    overall = tallies["all"]
    judged = "held-out" if "held-out" in tallies else "all"
    for metric, target in TARGETS.items():
        met = getattr(tallies[judged], metric) >= target
        lines.append(f"{metric} on {judged} {'met' if met else 'MISSED'} (>= {target})")
    if show_errors:
        lines.extend(f"  {error}" for error in overall.errors)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--db", type=Path, help="registers database (default: build one)")
    parser.add_argument("--errors", action="store_true", help="list the rows that went wrong")
    parser.add_argument("--split", choices=("design", "held-out", "all"), default="all")
    args = parser.parse_args()
    dev = args.shared / "eval" / "matching-dev.csv"
    with dev.open(newline="", encoding="utf-8") as handle:
        labels = [row for row in csv.DictReader(handle) if in_split(row, args.split)]
    with tempfile.TemporaryDirectory() as scratch:
        db_path = args.db or Path(scratch) / "registers.db"
        if not args.db:
            load = ["registers", "load", "--from", str(args.shared / "registry_data")]
            cli.main([*load, "--db", str(db_path)], prog_name="credwatch", standalone_mode=False)
        accepted = run_match(db_path, dev, Path(scratch) / "matches.csv")
    print("\n".join(report(score(labels, accepted), show_errors=args.errors)))


if __name__ == "__main__":
    main()
