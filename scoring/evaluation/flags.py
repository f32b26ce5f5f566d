"""Precision, recall and F1 of each offering flag on the labelled dev set (`make eval`).

    python -m scoring.evaluation.flags --shared ../shared [--errors]

Runs the real `credwatch flags` command on SHARED/eval/offerings-dev.csv, then compares its
output with the file's `free_certificate` / `over_niche` labels; empty labels (ambiguous) are
not scored.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

from credwatch.cli import cli

FLAGS = ("free_certificate", "over_niche")
# Targets from the flags issue: F1 for free_certificate, precision/recall for over_niche.
TARGETS = {"free_certificate": {"f1": 0.95}, "over_niche": {"precision": 0.90, "recall": 0.85}}


@dataclass(frozen=True)
class Score:
    """Confusion counts of one flag and the misclassified ids."""

    true_positives: int
    false_positives: int
    false_negatives: int
    scored: int
    errors: tuple[str, ...]

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def run_flags(input_path: Path, output_path: Path) -> dict[str, dict[str, str]]:
    """Run `credwatch flags` in-process exactly as a user would; its output rows by id."""
    arguments = ["flags", "--input", str(input_path), "--output", str(output_path)]
    cli.main(arguments, prog_name="credwatch", standalone_mode=False)
    with output_path.open(newline="", encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def score_flag(flag: str, labels: list[dict[str, str]], predicted: dict[str, dict]) -> Score:
    """Compare one flag's predictions with the labels, skipping empty (ambiguous) labels."""
    tp = fp = fn = 0
    errors = []
    scored = [row for row in labels if row[flag].strip()]
    for row in scored:
        truth = row[flag].strip() == "1"
        guess = predicted[row["id"]][flag] == "1"
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
        if truth != guess:
            errors.append(f"{row['id']} label={int(truth)} {row['title']!r}")
    return Score(tp, fp, fn, len(scored), tuple(errors))


def report(flag: str, score: Score) -> str:
    """One line per flag: the figures and whether each target is met."""
    checks = [
        f"{metric} {'met' if getattr(score, metric) >= target else 'MISSED'} (>= {target})"
        for metric, target in TARGETS[flag].items()
    ]
    return (
        f"{flag:<17} precision {score.precision:.3f}  recall {score.recall:.3f}  "
        f"F1 {score.f1:.3f}  (tp {score.true_positives}, fp {score.false_positives}, "
        f"fn {score.false_negatives}, scored {score.scored}); " + "; ".join(checks)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--errors", action="store_true", help="list every misclassified row")
    args = parser.parse_args()
    dev_set = args.shared / "eval" / "offerings-dev.csv"
    with dev_set.open(newline="", encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    with tempfile.TemporaryDirectory() as scratch:
        predicted = run_flags(dev_set, Path(scratch) / "flags.csv")
    print(f"== offering flags on {dev_set.name} ({len(labels)} rows) ==")
    for flag in FLAGS:
        score = score_flag(flag, labels, predicted)
        print(report(flag, score))
        if args.errors:
            for error in score.errors:
                print(f"    {error}")


if __name__ == "__main__":
    main()
