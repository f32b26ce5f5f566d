"""Latency of the learner's pages under load, against Datasette's own `/-/versions.json`.

A synthetic published database (20,000 providers and 1,000,000 offerings per unit of scale,
with the real register snapshots) is served by a real `credwatch serve`; a second process
runs 10 concurrent clients on loopback, each sending a bounded number of requests drawn in
one shuffled stream from: lookups (names, misspellings, codes, web addresses), report cards
and `/-/versions.json`, the floor, measured in the same run. Also the wall time of one
`credwatch check` process after the first (whose cached index it loads), against the floor
of a `credwatch --help` process.

Run: `python -m benchmarks.bench_serve [--shared ../shared] [--scale 1]`.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from credwatch.publish import build_public_db

PROVIDERS = 20_000
OFFERINGS_PER_PROVIDER = 50
CLIENTS = 10
REQUESTS_PER_CLIENT = 120
SEED = 20261202
CREDWATCH = [sys.executable, "-c", "from credwatch.cli import main; main()"]
NAMES = ["RMIT University", "Charles Darwin University", "Survive First Aid Pty Ltd", "Coursera"]
MISSPELLINGS = ["RMIT Universty", "Charles Darwn University", "Univeristy of Sydney", "Monsh"]
CODES = ["RTO 0029", "CRICOS 00122A", "00122A", "RTO 40764", "ABN 49 781 030 034"]
ADDRESSES = ["rmit.edu.au", "https://www.monash.edu/study", "coursera.org"]


def build_database(shared: Path, scratch: Path, scale: int) -> Path:
    """The published `credwatch.db`: real registers, synthetic providers, offerings, scores."""
    work = scratch / "work.db"
    load = ["registers", "load", "--from", str(shared / "registry_data"), "--db", str(work)]
    cli.main(load, prog_name="credwatch", standalone_mode=False)
    open_work_db(work).close()
    with sqlite3.connect(work) as conn:
        _fill(conn, PROVIDERS * scale)
    out = scratch / "out" / "credwatch.db"
    build_public_db(work, out)
    work.unlink()
    return out


def _fill(conn: sqlite3.Connection, providers: int) -> None:
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    entries = conn.execute("select register, entry_id from registry_entries").fetchall()
    rng = random.Random(SEED)
    conn.executemany(
        "insert into providers (id, name, url, spider) values (?, ?, ?, 'structured_data')",
        ((f"p{n}.example", f"Provider {n}", f"https://p{n}.example/") for n in range(providers)),
    )
    conn.executemany(
        "insert into offerings (id, provider_id, provider_name, title, url, price, currency, "
        "duration_hours) values (?, ?, ?, ?, ?, ?, 'AUD', ?)",
        _offerings(providers),
    )
    conn.executemany(
        "insert into provider_scores (provider_id, provider_name, provider_url, score, grade, "
        "registration, summary, scored_at) values (?, ?, ?, 55, 'C', '', '', '2026-12-02')",
        ((f"p{n}.example", f"Provider {n}", f"https://p{n}.example/") for n in range(providers)),
    )
    conn.executemany(
        "insert into score_contributions (id, provider_id, rule_id, points, reason, "
        "evidence_url, evidence_text) values (?, ?, 'VAGUE_RECOGNITION', -1, "
        "'Recognition is claimed without saying by whom.', ?, 'internationally recognised')",
        (
            (f"c{n}-{k}", f"p{n}.example", f"https://p{n}.example/course/{k}")
            for n in range(providers)
            for k in range(10)
        ),
    )
    conn.executemany(
        "insert into provider_matches (provider_id, register, entry_id, decision, confidence, "
        "reason) values (?, ?, ?, 'matched', 0.95, 'synthetic')",
        ((f"p{n}.example", *rng.choice(entries)) for n in range(providers)),
    )


def _offerings(providers: int):
    for n in range(providers):
        for k in range(OFFERINGS_PER_PROVIDER):
            url = f"https://p{n}.example/course/{k}"
            yield (
                hashlib.sha1(url.encode()).hexdigest(),
                f"p{n}.example",
                f"Provider {n}",
                f"Course {k} in workplace skills",
                url,
                float(k * 10),
                float(k % 40 + 1),
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request_paths(providers: int, count: int) -> list[tuple[str, str]]:
    """One shuffled stream of (kind, path): every kind measured under the same load."""
    rng = random.Random(SEED)
    kinds = {
        "lookup: name": NAMES,
        "lookup: misspelling": MISSPELLINGS,
        "lookup: code": CODES,
        "lookup: address": ADDRESSES,
    }
    stream = []
    for number in range(count):
        pick = number % 6
        if pick < 4:
            kind = list(kinds)[pick]
            stream.append((kind, "/-/lookup?q=" + quote(rng.choice(kinds[kind]))))
        elif pick == 4:
            stream.append(("report card", f"/-/report/p{rng.randrange(providers)}.example"))
        else:
            stream.append(("/-/versions.json", "/-/versions.json"))
    rng.shuffle(stream)
    return stream


def load(url: str, stream: list[tuple[str, str]], clients: int) -> dict[str, list[float]]:
    """Run in the second process: `clients` threads, each with its own keep-alive connection."""
    parts = urlsplit(url)
    timings: dict[str, list[float]] = {}
    lock = threading.Lock()

    def client(share: list[tuple[str, str]]) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        for kind, path in share:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            with lock:
                timings.setdefault(kind, []).append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client, args=(stream[i::clients],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def serve_and_load(db: Path, providers: int) -> dict[str, list[float]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*CREDWATCH, "serve", "--out", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(url)
        stream = request_paths(providers, CLIENTS * REQUESTS_PER_CLIENT)
        loader = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_serve", "--load", url],
            input=json.dumps(stream),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(loader.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str) -> None:
    parts = urlsplit(url)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request("GET", "/-/lookup.json?q=RMIT")  # answers once the index is loaded
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: credwatch serve did not start")


def check_seconds(db: Path) -> tuple[float, float]:
    """Wall seconds of `credwatch check` after a first call, and of `credwatch --help`."""

    def timed(*args: str) -> float:
        started = time.perf_counter()
        subprocess.run([*CREDWATCH, *args], capture_output=True, check=True)
        return time.perf_counter() - started

    timed("check", "RMIT", "--db", str(db))  # the first call builds and caches the index
    check = min(timed("check", "RMIT Universty", "--db", str(db)) for _ in range(3))
    floor = min(timed("--help") for _ in range(3))
    return check, floor


def measure(shared: Path, scale: int) -> list[dict]:
    providers = PROVIDERS * scale
    size = f"{providers:,} providers, {providers * OFFERINGS_PER_PROVIDER:,} offerings"
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db = build_database(shared, Path(folder), scale)
        build = time.perf_counter() - started
        megabytes = db.stat().st_size / 1e6
        timings = serve_and_load(db, providers)
        check, check_floor = check_seconds(db)
    floor = {p: percentile(timings["/-/versions.json"], p) for p in (0.5, 0.95)}
    rows = [
        {
            "benchmark": f"serve {kind} p{round(share * 100)}",
            "size": size,
            "credwatch": round(percentile(values, share), 1),
            "floor": round(floor[share], 1),
            "ratio": round(percentile(values, share) / floor[share], 2),
            "unit": "ms",
            "bound_by": "/-/versions.json in the same run, 10 clients on loopback",
        }
        for kind, values in sorted(timings.items())
        if kind != "/-/versions.json"
        for share in (0.5, 0.95)
    ]
    rows.append(
        {
            "benchmark": "credwatch check after the first",
            "size": "full registers",
            "credwatch": round(check, 2),
            "floor": round(check_floor, 2),
            "ratio": round(check / check_floor, 2),
            "unit": "s",
            "bound_by": "a `credwatch --help` process (interpreter start and imports)",
        }
    )
    rows.append(
        {
            "benchmark": "build published database",
            "size": f"{size}, {megabytes:,.0f} MB",
            "credwatch": round(build, 1),
            "floor": None,
            "ratio": None,
            "unit": "s",
            "bound_by": "registers load + inserts + publish (FTS, validation)",
        }
    )
    return rows


def main(shared: Path, scale: int = 1) -> None:
    for row in measure(shared, scale):
        ratio = f"x{row['ratio']}" if row["ratio"] is not None else ""
        floor = f"floor {row['floor']} {row['unit']}" if row["floor"] is not None else ""
        print(
            f"{row['benchmark']:<36} {row['credwatch']:>8} {row['unit']:<2} {floor:<18} "
            f"{ratio:<7} ({row['size']})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--load", metavar="URL", help="(internal) run the clients against URL")
    args = parser.parse_args()
    if args.load:
        json.dump(load(args.load, json.load(sys.stdin), CLIENTS), sys.stdout)
    else:
        main(args.shared, args.scale)
