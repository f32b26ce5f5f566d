"""Latency of the learner's pages under load, against Datasette's own `/-/versions.json`.

A synthetic published database (1,250 providers and 62,500 offerings per unit of scale, so
that `make bench`'s largest size, 16x, is the learner issue's 20,000 providers and 1,000,000
offerings; with the real register snapshots) is served by a real `credwatch serve`; a second process
runs 10 concurrent clients on loopback, each sending a bounded number of requests drawn in
one shuffled stream from: lookups (names, misspellings, codes, web addresses, drawn from
the registers so that nearly every query is a new one), report cards, the home page (the
learner's search box) and `/-/versions.json`, the floor, measured in the same run.

Latency depends on what else the machine runs, so each page's server CPU time per request
is measured too (one client, the server process's CPU clock; Linux `/proc`), beside the
floor's, and so is the matcher's own share of a lookup: `match_query` alone, then the
whole `lookup_report` around it, in this process on the same queries. Also the wall time
of one `credwatch check` process after the first (whose cached index it loads), against the
floor of a `credwatch --help` process.

Run: `python -m benchmarks.bench_serve [--shared ../shared] [--scale 16]`.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
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

import sqlite_utils

from credwatch.cli import cli
from credwatch.pipeline import open_work_db
from credwatch.publish import build_public_db
from scoring.commands.check import lookup_report
from scoring.matching import load_index
from scoring.matching.query import match_query

PROVIDERS = 1_250  # per unit of scale: 16x is 20,000 providers, 1,000,000 offerings
OFFERINGS_PER_PROVIDER = 50
CLIENTS = 10
REQUESTS_PER_CLIENT = 140
CPU_REQUESTS = 100  # per kind, one at a time, for the server CPU time per request
SEED = 20261202
CREDWATCH = [sys.executable, "-c", "from credwatch.cli import main; main()"]
# The fixed queries a learner types most, mixed with ones drawn from the registers.
NAMES = ["RMIT University", "Charles Darwin University", "Survive First Aid Pty Ltd", "Coursera"]
MISSPELLINGS = ["RMIT Universty", "Charles Darwn University", "Univeristy of Sydney", "Monsh"]
CODES = ["RTO 0029", "CRICOS 00122A", "00122A", "RTO 40764", "ABN 49 781 030 034"]
ADDRESSES = ["rmit.edu.au", "https://www.monash.edu/study", "coursera.org"]
CODE_PREFIXES = {"rto": "RTO", "cricos": "CRICOS", "ukprn": "UKPRN", "ipeds": "UNITID"}
LOOKUPS = ("lookup: name", "lookup: misspelling", "lookup: code", "lookup: address")
PAGES = (*LOOKUPS, "report card", "home page", "/-/versions.json")


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
    conn.executemany(
        "insert into crawl_outcomes (crawl_run_id, provider_id, provider_url, spider, outcome, "
        "items, pages, errors, finished) values (?, ?, ?, 'structured_data', 'ok', ?, ?, 0, ?)",
        (
            (run, f"p{n}.example", f"https://p{n}.example/", OFFERINGS_PER_PROVIDER, 60, run)
            for run in ("2026-11-25T02:00:00Z", "2026-12-02T02:00:00Z")
            for n in range(providers)
        ),
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


def misspelt(name: str, rng: random.Random) -> str:
    """A typo a learner makes: two neighbouring letters swapped, or one dropped."""
    at = rng.randrange(1, max(2, len(name) - 2))
    if rng.random() < 0.5:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    return name[:at] + name[at + 1 :]


def lookup_queries(db: Path, count: int) -> dict[str, list[str]]:
    """`count` queries of each lookup kind: the fixed ones, then ones drawn from the
    registers (names, misspelt names, codes with and without their prefix, web sites)."""
    rng = random.Random(SEED)
    with sqlite3.connect(f"{db.resolve().as_uri()}?immutable=1", uri=True) as conn:
        entries = conn.execute(
            "select register, entry_id, legal_name, website_domain from registry_entries"
        ).fetchall()
    drawn = rng.sample(entries, min(len(entries), count * 3))
    sites = [row[3] for row in entries if row[3]]
    queries = {
        "lookup: name": NAMES + [row[2] for row in drawn],
        "lookup: misspelling": MISSPELLINGS + [misspelt(row[2], rng) for row in drawn],
        "lookup: code": CODES
        + [
            f"{CODE_PREFIXES[row[0]]} {row[1]}" if rng.random() < 0.5 else row[1]
            for row in drawn
            if row[0] in CODE_PREFIXES
        ],
        "lookup: address": ADDRESSES + rng.sample(sites, min(len(sites), count)),
    }
    return {kind: values[:count] for kind, values in queries.items()}


def request_paths(queries: dict[str, list[str]], providers: int, count: int) -> list:
    """One shuffled stream of (kind, path): every kind measured under the same load."""
    rng = random.Random(SEED)
    stream = []
    for number in range(count):
        kind = PAGES[number % len(PAGES)]
        stream.append((kind, page_path(kind, number // len(PAGES), queries, providers, rng)))
    rng.shuffle(stream)
    return stream


def page_path(kind: str, number: int, queries: dict, providers: int, rng: random.Random) -> str:
    if kind in queries:
        return "/-/lookup?q=" + quote(queries[kind][number % len(queries[kind])])
    if kind == "report card":
        return f"/-/report/p{rng.randrange(providers)}.example"
    return "/" if kind == "home page" else "/-/versions.json"


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


def serve_and_load(db: Path, providers: int) -> tuple[dict[str, list[float]], dict]:
    """Latencies per kind under 10 clients, then each kind's server CPU ms per request."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*CREDWATCH, "serve", "--out", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(url)
        queries = lookup_queries(db, CLIENTS * REQUESTS_PER_CLIENT // len(PAGES) + 1)
        stream = request_paths(queries, providers, CLIENTS * REQUESTS_PER_CLIENT)
        load(url, [(kind, path) for kind, path in stream[: len(PAGES) * 2]], 1)  # warm up
        loader = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_serve", "--load", url],
            input=json.dumps(stream),
            capture_output=True,
            text=True,
            check=True,
        )
        cpu = server_cpu_per_request(url, server.pid, queries, providers)
        return json.loads(loader.stdout), {"cpu": cpu, "queries": queries}
    finally:
        server.terminate()
        server.wait(timeout=30)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux `/proc/PID/stat`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_per_request(url: str, pid: int, queries: dict, providers: int) -> dict:
    """Server CPU ms per request of each kind, one request at a time (load-robust)."""
    rng = random.Random(SEED + 1)
    cpu = {}
    for kind in PAGES:
        paths = [page_path(kind, n, queries, providers, rng) for n in range(CPU_REQUESTS)]
        before = process_cpu_seconds(pid)
        load(url, [(kind, path) for path in paths], 1)
        cpu[kind] = (process_cpu_seconds(pid) - before) * 1000 / len(paths)
    return cpu


def matcher_cpu(db: Path, queries: dict[str, list[str]]) -> tuple[float, float]:
    """CPU ms per lookup of `match_query` alone and of the whole `lookup_report` around it
    (`credwatch check`'s report), on the served file's index and the queries whose server
    CPU was measured, each seen once before (as the server had seen them). Run in a fresh
    process, like the server: in the process that had built the database, `lookup_report`
    measured about three times slower (not the garbage collector; the cause is not known)."""
    conn = sqlite_utils.Database(db)
    index = load_index(conn, db)
    texts = [text for kind in LOOKUPS for text in queries[kind][:CPU_REQUESTS]]
    for text in texts:
        lookup_report(index, text)

    def per_query(function) -> float:
        started = time.process_time()
        for text in texts:
            function(text, index)
        return (time.process_time() - started) * 1000 / len(texts)

    matching = per_query(match_query)
    report = per_query(lambda text, index: lookup_report(index, text))
    conn.close()
    return matching, report


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


def latency_rows(timings: dict[str, list[float]], size: str) -> list[dict]:
    floor = {p: percentile(timings["/-/versions.json"], p) for p in (0.5, 0.95)}
    return [
        {
            "benchmark": f"serve {kind} p{round(share * 100)}",
            "size": size,
            "credwatch": round(percentile(timings[kind], share), 1),
            "floor": round(floor[share], 1),
            "ratio": round(percentile(timings[kind], share) / floor[share], 2),
            "unit": "ms",
            "bound_by": "/-/versions.json in the same run, 10 clients on loopback",
        }
        for kind in PAGES
        if kind != "/-/versions.json"
        for share in (0.5, 0.95)
    ]


def cpu_rows(cpu: dict[str, float], matching: float, report: float, size: str) -> list[dict]:
    """Server CPU per request beside the floor's, and the matcher's share of a lookup."""
    floor = cpu["/-/versions.json"]
    lookup = statistics.mean(cpu[kind] for kind in LOOKUPS)
    rows = [
        {
            "benchmark": f"serve {kind} CPU",
            "size": size,
            "credwatch": round(cpu[kind], 2),
            "floor": round(floor, 2),
            "ratio": round(cpu[kind] / floor, 2),
            "unit": "ms",
            "bound_by": "server CPU per request, one client; /-/versions.json's",
        }
        for kind in PAGES
        if kind != "/-/versions.json"
    ]
    for name, value in (("match_query", matching), ("lookup_report (check.py)", report)):
        rows.append(
            {
                "benchmark": f"serve lookup: {name} CPU",
                "size": size,
                "credwatch": round(value, 2),
                "floor": round(lookup, 2),
                "ratio": round(value / lookup, 2),
                "unit": "ms",
                "bound_by": "share of a lookup request's server CPU (all lookup kinds)",
            }
        )
    return rows


def measure(shared: Path, scale: int) -> list[dict]:
    providers = PROVIDERS * scale
    size = f"{providers:,} providers, {providers * OFFERINGS_PER_PROVIDER:,} offerings"
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db = build_database(shared, Path(folder), scale)
        build = time.perf_counter() - started
        megabytes = db.stat().st_size / 1e6
        timings, measured = serve_and_load(db, providers)
        matching, report = json.loads(
            subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_serve", "--matcher", str(db)],
                input=json.dumps(measured["queries"]),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        check, check_floor = check_seconds(db)
    rows = latency_rows(timings, size) + cpu_rows(measured["cpu"], matching, report, size)
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


def main(shared: Path, scale: int = 16) -> None:
    for row in measure(shared, scale):
        ratio = f"x{row['ratio']}" if row["ratio"] is not None else ""
        floor = f"floor {row['floor']} {row['unit']}" if row["floor"] is not None else ""
        print(
            f"{row['benchmark']:<44} {row['credwatch']:>8} {row['unit']:<2} {floor:<18} "
            f"{ratio:<7} ({row['size']})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--load", metavar="URL", help="(internal) run the clients against URL")
    parser.add_argument("--matcher", type=Path, help="(internal) time the matcher on DB")
    args = parser.parse_args()
    if args.load:
        json.dump(load(args.load, json.load(sys.stdin), CLIENTS), sys.stdout)
    elif args.matcher:
        json.dump(matcher_cpu(args.matcher, json.load(sys.stdin)), sys.stdout)
    else:
        main(args.shared, args.scale)
