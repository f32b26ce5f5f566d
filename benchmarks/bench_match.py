"""Names/s of the whole `credwatch match` command on 20,000 noisy names against the full registers,
and the ratio to one plain `rapidfuzz.process.cdist(workers=-1)` pass over the same normalised
strings measured in the same run (the machine is shared: compare ratios, not absolutes).

Run: `python -m benchmarks.bench_match [--shared ../shared]`. Names are drawn from the register
(legal, trading and alias names) with noise: case, legal suffix removed, one typo, words
reordered, a campus added; 15% are invented names on no register.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlite_utils
from rapidfuzz import fuzz, process

from credwatch.cli import cli
from scoring.matching import load_index
from scoring.matching.index import RegisterIndex, clear_index_cache
from scoring.normalise import normalise

NAMES = 20_000
INVENTED_SHARE = 0.15
SEED = 20261129
GENERIC_WORDS = ("global", "academy", "institute", "college", "skills", "online", "training")
INVENTED_WORDS = ("zenith", "orchid", "lumen", "harbour", "kestrel", "brightpath", "novum")
LEGAL_SUFFIX = re.compile(r"\s+(?:Pty\.? Ltd\.?|Limited|Inc\.?|Incorporated)\b", re.IGNORECASE)
CAMPUSES = (" Melbourne", " - Sydney CBD", " Online", " Perth", " Brisbane Campus")


def noisy(name: str, rng: random.Random) -> str:
    """One realistic misspelling of a register name."""
    noise = rng.choice(("case", "suffix", "typo", "reorder", "campus", "none"))
    if noise == "case":
        return name.upper() if rng.random() < 0.5 else name.lower()
    if noise == "suffix":
        return LEGAL_SUFFIX.sub("", name)
    if noise == "typo" and len(name) > 6:
        at = rng.randrange(1, len(name) - 2)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if noise == "reorder":
        words = name.split()
        rng.shuffle(words)
        return " ".join(words)
    if noise == "campus":
        return name + rng.choice(CAMPUSES)
    return name


def invented(rng: random.Random) -> str:
    words = [rng.choice(INVENTED_WORDS).title(), *rng.sample(GENERIC_WORDS, 2)]
    return " ".join(word.title() for word in words)


def sample_names(index: RegisterIndex, count: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        if rng.random() < INVENTED_SHARE:
            names.append(invented(rng))
            continue
        entry = rng.choice(index.entries)
        name = rng.choice([entry.legal_name, *entry.trading_names, *entry.aliases])
        names.append(noisy(name, rng))
    return names


def run_match_command(db_path: Path, names: list[str], scratch: Path) -> float:
    """Seconds for `credwatch match` on the names, index build included (a fresh process's cost)."""
    input_path, output_path = scratch / "names.csv", scratch / "matches.csv"
    with input_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url"])
        writer.writerows([name, ""] for name in names)
    args = ["match", "--db", str(db_path), "--input", str(input_path), "--output", str(output_path)]
    started = time.perf_counter()
    cli.main(args, prog_name="credwatch", standalone_mode=False)
    return time.perf_counter() - started


def run_cdist(index: RegisterIndex, names: list[str]) -> float:
    """Seconds for one all-pairs token_sort_ratio pass over the same normalised strings."""
    queries = [normalise(name) for name in names]
    choices = index.forms.tolist()
    started = time.perf_counter()
    scores = process.cdist(
        queries, choices, scorer=fuzz.token_sort_ratio, processor=None, workers=-1, dtype=np.uint8
    )
    best = scores.argmax(axis=1)
    elapsed = time.perf_counter() - started
    assert len(best) == len(queries)
    return elapsed


def main(shared: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        db_path = scratch / "registers.db"
        load = ["registers", "load", "--from", str(shared / "registry_data"), "--db", str(db_path)]
        cli.main(load, prog_name="credwatch", standalone_mode=False)
        index = load_index(sqlite_utils.Database(db_path), db_path)
        names = sample_names(index, NAMES)
        clear_index_cache()  # the command builds its own index, as a new process would
        command_seconds = run_match_command(db_path, names, scratch)
        cdist_seconds = run_cdist(index, names)
    match_rate = len(names) / command_seconds
    cdist_rate = len(names) / cdist_seconds
    print(f"registers: {len(index.entries):,} entries, {len(index.forms):,} name forms")
    print(f"credwatch match (index build included): {match_rate:,.0f} names/s")
    print(f"plain process.cdist(workers=-1), token_sort_ratio: {cdist_rate:,.0f} names/s")
    print(f"ratio match / cdist: {match_rate / cdist_rate:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    main(parser.parse_args().shared)
