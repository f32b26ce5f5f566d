"""Names/s of the whole `credwatch match` command on 5,000 x scale noisy names against the full
registers, and the ratio to one plain `rapidfuzz.process.cdist(workers=-1)` pass over the same
normalised strings measured in the same run (the machine is shared: compare ratios, not absolutes).

Run: `python -m benchmarks.bench_match [--shared ../shared]`. Names are drawn from the register
(legal, trading and alias names) with noise: case, legal suffix removed, one typo, words
reordered, a campus added; 15% are invented names on no register.

Also the time of one lookup (`match_query`, what `credwatch check` and the site's lookup page
run) per kind of input, p50 and p95 in microseconds beside one `rapidfuzz.process.extractOne`
of the same input over every register form (lower is better for both).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import time
from pathlib import Path

import numpy as np
import sqlite_utils
from rapidfuzz import fuzz, process

from benchmarks.common import registers_db, row, scratch
from credwatch.cli import cli
from scoring.matching import load_index
from scoring.matching.decide import blocked_candidates
from scoring.matching.index import RegisterIndex, clear_index_cache
from scoring.matching.query import match_query
from scoring.normalise import normalise

NAMES = 5_000  # at 1x; 4x is the 20,000 of the notes' figures
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
    """Seconds for `credwatch match` on the names, loading the index included (a fresh
    process's cost)."""
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


def measure(shared: Path, scale: int) -> list[dict]:
    """names/s of `credwatch match` on NAMES * scale names vs one cdist pass over them."""
    db_path = registers_db(shared)
    index = load_index(sqlite_utils.Database(db_path), db_path)
    names = sample_names(index, NAMES * scale)
    folder = scratch() / f"match-{scale}"
    folder.mkdir(exist_ok=True)
    clear_index_cache()  # the command loads the index from its disk cache, as a new process does
    command_seconds = run_match_command(db_path, names, folder)
    cdist_seconds = run_cdist(index, names)
    bound = (
        f"rapidfuzz on ~{candidates_per_name(index, names[:2000]):.0f} blocked candidates "
        f"per name (cdist: all {len(index.forms):,} forms) in {os.cpu_count()} forked worker "
        "processes, as cdist's workers=-1 uses every core; plus loading the cached index"
    )
    latency = (
        lookup_latency(load_index(sqlite_utils.Database(db_path), db_path)) if scale == 1 else []
    )
    return [
        row(
            "match: credwatch match vs cdist(workers=-1)",
            len(names),
            len(names) / command_seconds,
            len(names) / cdist_seconds,
            "names/s",
            bound,
        ),
        *latency,
    ]


LOOKUPS = 400  # inputs per kind, measured after a warm-up pass on other inputs
REGISTER_PREFIXES = {"rto": "RTO", "cricos": "CRICOS", "ukprn": "UKPRN", "ipeds": "UNITID"}


def lookup_inputs(index: RegisterIndex, count: int, seed: int) -> dict[str, list[str]]:
    """Learner inputs of each kind, drawn from the registers: exact names, misspellings (one
    pair of letters swapped), register codes with or without their prefix, web addresses."""
    rng = random.Random(seed)
    entries = [index.entries[rng.randrange(len(index.entries))] for _ in range(count * 3)]
    with_site = [e for e in entries if e.website_domain]
    return {
        "names": [entry.legal_name for entry in entries[:count]],
        "misspellings": [_swapped(entry.legal_name, rng) for entry in entries[:count]],
        "codes": [
            f"{REGISTER_PREFIXES[e.register]} {e.entry_id}" if rng.random() < 0.5 else e.entry_id
            for e in entries[:count]
        ],
        "addresses": [f"https://www.{e.website_domain}/courses" for e in with_site[:count]],
    }


def _swapped(name: str, rng: random.Random) -> str:
    if len(name) < 8:
        return name
    at = rng.randrange(1, len(name) - 2)
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def lookup_latency(index: RegisterIndex) -> list[dict]:
    """p50/p95 microseconds of one `match_query` per kind of input, beside one extractOne."""
    for inputs in lookup_inputs(index, LOOKUPS, SEED + 1).values():
        for text in inputs:  # warm-up: lazy tables built, as in a server after its first queries
            match_query(text, index)
    rows = []
    choices = index.forms.tolist()
    for kind, inputs in lookup_inputs(index, LOOKUPS, SEED).items():
        ours = _microseconds(lambda text: match_query(text, index), inputs)
        floor = _microseconds(
            lambda text: process.extractOne(
                normalise(text), choices, scorer=fuzz.ratio, processor=None
            ),
            inputs,
        )
        for label, at in (("p50", 50), ("p95", 95)):
            rows.append(
                row(
                    f"lookup: match_query {label}, {kind} vs extractOne over all forms",
                    len(inputs),
                    round(float(np.percentile(ours, at))),
                    round(float(np.percentile(floor, at))),
                    "us/query",
                    "lower is better; exact dictionaries for names and codes, blocking + "
                    "rapidfuzz on a few hundred forms for misspellings",
                )
            )
    return rows


def _microseconds(run, inputs: list[str]) -> list[float]:
    out = []
    for text in inputs:
        started = time.perf_counter_ns()
        run(text)
        out.append((time.perf_counter_ns() - started) / 1000)
    return out


def candidates_per_name(index: RegisterIndex, names: list[str]) -> float:
    """Mean number of register forms the blocking step hands to rapidfuzz per name."""
    sizes = [len(blocked_candidates(index, normalise(name))) for name in names]
    return sum(sizes) / max(len(sizes), 1)


def main(shared: Path) -> None:
    for measured in measure(shared, 4):
        print(measured)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    main(parser.parse_args().shared)
