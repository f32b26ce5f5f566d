"""Providers/s and peak memory of `credwatch score` at 1,000 x scale providers (1k, 4k, 16k).

A working database is built from the real registers plus generated crawl rows: providers
named after register entries (some misspelt, some invented), five offerings each with claims
(RTO codes, ABNs, "nationally recognised") and outbound links, as a crawl writes them. The
score command then runs in its own process, which reports its own peak resident memory
(VmHWM). The floor is the bare per-provider SQL read of the same rows (the grouped
queries scoring issues, nothing else): how far scoring is above reading its input.

Run: `python -m benchmarks --only score` (or `python -m benchmarks.bench_score`).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import sqlite_utils

from benchmarks.common import registers_db, row, run_alone, scratch
from credwatch.pipeline import open_work_db

PROVIDERS = 1_000  # at 1x
OFFERINGS_PER_PROVIDER = 5
SEED = 20261202
TITLES = (
    "Certificate IV in Work Health and Safety",
    "Diploma of Leadership and Management",
    "Provide First Aid",
    "Certificate III in Individual Support",
    "Responsible Service of Alcohol",
    "Advanced Excel for Data Analysts",
    "Certified Blockchain Expert",
    "Diploma of Early Childhood Education and Care",
    "White Card: Prepare to Work Safely in Construction",
    "Certificate II in Security Operations",
)
STAMP = "2026-12-01T02:00:00+00:00"


def _sha(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _crawl_rows(
    number: int, entry: dict, rng: random.Random
) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """One provider as a crawl stores it: the provider, offerings, claims, outbound links."""
    name = entry["legal_name"] if rng.random() < 0.85 else f"Zenith Skills Academy {number}"
    if rng.random() < 0.2:
        name = name.upper()
    host = f"provider-{number}.example.com.au"
    url = f"https://{host}/"
    provider = {"id": host, "name": name, "url": url, "spider": "structured_data",
                "first_seen": STAMP, "last_seen": STAMP}  # fmt: skip
    offerings, claims = [], []
    for course in range(OFFERINGS_PER_PROVIDER):
        page = f"{url}courses/{course}/"
        title = rng.choice(TITLES)
        offerings.append({
            "id": _sha(page), "provider_id": host, "provider_name": name, "provider_url": url,
            "title": title, "url": page, "description": f"{title}: practical, online, assessed.",
            "price": float(rng.choice((0, 49, 199, 450, 1290, 3900))), "currency": "AUD",
            "duration_hours": float(rng.choice((2, 8, 40, 120, 600))),
            "certificate_text": rng.choice(("Nationally recognised certificate",
                                            "Certificate of completion", "")),
            "spider": "structured_data", "first_seen": STAMP, "last_seen": STAMP,
            "crawl_run_id": "bench",
        })  # fmt: skip
        claims.append({
            "id": _sha(host, page, "nationally_recognised"), "provider_id": host,
            "offering_id": _sha(page), "kind": "nationally_recognised",
            "value": "nationally recognised", "text": "Nationally Recognised Training",
            "url": page, "first_seen": STAMP, "last_seen": STAMP,
        })  # fmt: skip
    if entry.get("register") == "rto" and rng.random() < 0.7:
        claims.append({
            "id": _sha(host, url, "rto_code"), "provider_id": host, "offering_id": None,
            "kind": "rto_code", "value": entry["entry_id"], "text": f"RTO {entry['entry_id']}",
            "url": url, "first_seen": STAMP, "last_seen": STAMP,
        })  # fmt: skip
    links = [{
        "id": _sha(host, link), "provider_id": host, "host": link, "url": f"https://{link}/",
        "page_url": url, "first_seen": STAMP, "last_seen": STAMP,
    } for link in ("www.facebook.com", f"partner-{number % 97}.example.net")]  # fmt: skip
    return provider, offerings, claims, links


def build_work_db(shared: Path, providers: int) -> Path:
    """Registers plus `providers` generated providers' crawl rows, in a fresh working db."""
    path = scratch() / f"score-{providers}.db"
    shutil.copyfile(registers_db(shared), path)
    db = open_work_db(path)
    entries = list(db.query("select register, entry_id, legal_name from registry_entries"))
    rng = random.Random(SEED)
    tables: dict[str, list[dict]] = {"providers": [], "offerings": [], "claims": [],
                                     "outbound_links": []}  # fmt: skip
    for number in range(providers):
        rows = _crawl_rows(number, rng.choice(entries), rng)
        for table, new in zip(tables, rows, strict=True):
            tables[table].extend(new if isinstance(new, list) else [new])
    with db.atomic():
        for table, rows in tables.items():
            db[table].insert_all(rows, pk="id", replace=True)
    db.close()
    return path


# The child reports its own high-water RSS (VmHWM is per process image, reset at exec);
# wait4's ru_maxrss would count the forked copy of this large benchmark process.
SCORE_AND_REPORT_MEMORY = """
import sys
from pathlib import Path
from credwatch.cli import cli
try:
    cli.main(["score", "--db", sys.argv[1]], prog_name="credwatch")
except SystemExit as done:
    if done.code:
        raise
finally:
    status = Path("/proc/self/status").read_text()
    Path(sys.argv[2]).write_text(status.split("VmHWM:")[1].split()[0])
"""


def run_score(path: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of `credwatch score` in its own process."""
    log, memory = path.with_suffix(".log"), path.with_suffix(".hwm")
    command = [sys.executable, "-c", SCORE_AND_REPORT_MEMORY, str(path), str(memory)]
    started = time.perf_counter()
    with log.open("w") as output:
        done = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"credwatch score failed: {log.read_text()[-2000:]}")
    return seconds, int(memory.read_text()) / 1024


def bare_read_seconds(path: Path) -> float:
    """Seconds to read every provider's offerings, claims and links with the same queries."""
    db = sqlite_utils.Database(path)
    started = time.perf_counter()
    for provider in db.query("select id from providers order by id"):
        for table in ("offerings", "claims", "outbound_links"):
            list(db.query(f"select * from {table} where provider_id = ?", [provider["id"]]))
    seconds = time.perf_counter() - started
    db.close()
    return seconds


@cache
def scored_work_db(shared: Path, providers: int) -> tuple[Path, float, float]:
    """The generated working db of `providers` providers, scored once: path, seconds, MB."""
    path = build_work_db(shared, providers)
    return path, *run_score(path)


def measure(shared: Path, scale: int) -> list[dict]:
    providers = PROVIDERS * scale
    path, seconds, peak_mb = scored_work_db(shared, providers)
    floor = bare_read_seconds(path)
    return [
        row(
            "score: credwatch score vs bare per-provider SQL read",
            providers,
            providers / seconds,
            providers / floor,
            "providers/s",
            "matching and the rules in Python, one provider at a time (the SQL read is "
            "a small share); the register index build is a fixed cost",
        ),
        row(
            "score: peak memory (RSS of the score process)",
            providers,
            peak_mb,
            None,
            "MB",
            "the register index (fixed); per-provider rows are read and written one "
            "provider at a time, so it should stay flat as providers grow",
        ),
    ]


if __name__ == "__main__":
    run_alone(__doc__, measure)
