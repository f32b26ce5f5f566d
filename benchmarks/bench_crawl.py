"""Crawl speed: the full credwatch crawl vs a bare Scrapy spider, on the same local pages.

Serves 2,000 generated ~50 KB course pages (JSON-LD Course, claims in the footer, a
sitemap) from a keep-alive HTTP server in this process, then runs, each in its own
process (Twisted's reactor starts once per process):

- `bare`: a plain Scrapy spider that reads the sitemap and downloads every page;
- `credwatch`: `crawler.runner.run_crawl` with the structured_data spider, claims,
  pipelines and SQLite, every page read on the reactor's thread (the default);
- `page_workers`: the same with `CREDWATCH_PAGE_WORKERS = 1` (`crawl --page-workers 1`),
  pages read in a worker process while the engine goes on (crawler/page_workers.py);
- `profile`: the default credwatch crawl again under cProfile, to say where the time goes.

Both crawls use the same concurrency and no delays; pages/s = course pages / crawl time
(Scrapy's `elapsed_time_seconds`). Target: credwatch >= 80% of bare, both measured in the
same run (each `ROUNDS` times, alternating, best rate kept: the machine is shared).
Each worker also reports the CPU seconds (user + sys, all threads, and its page workers')
its crawl took: pages per CPU second leaves out the page server (which runs in this
process) and the time a crawl waits for a core other work holds, so it moves less than
pages/s on a shared machine (though still by 20-30%: cores and caches are shared too).
Page workers move the reading to another core; they do not save CPU (the rows say so).

`measure(shared, scale)` returns the result as rows (benchmark, size, credwatch, floor,
ratio, unit, bound_by) for `python -m benchmarks`, pages/s then pages per CPU second;
scale multiplies the page count.
Run alone: `python -m benchmarks.bench_crawl [--scale N]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import resource
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.utils.sitemap import Sitemap

from crawler.spiders.structured_data import StructuredDataSpider
from credwatch.core.localsite import serve_handler

REPO = Path(__file__).resolve().parent.parent
PAGES = 2000
TARGET_RATIO = 0.80
ROUNDS = 2
CONCURRENCY = {
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}
# Real course pages are mostly markup: theme CSS and JS, menus, then a few KB of copy.
STYLE = "".join(
    f".wp-block-{n}{{margin:0 auto;padding:{n % 9}px;color:#{n:06x};display:flex}}"
    for n in range(180)
)
SCRIPT = "".join(
    f"window.dataLayer=window.dataLayer||[];dataLayer.push({{event:'view_{n}',course:{n}}});"
    for n in range(60)
)
WORDS = [
    "learners",
    "workplace",
    "safety",
    "assessment",
    "practical",
    "skills",
    "industry",
    "trainers",
    "online",
    "module",
    "competency",
    "unit",
    "supervisor",
    "report",
    "risk",
    "hazard",
    "control",
    "emergency",
    "procedure",
    "communication",
    "team",
    "digital",
    "records",
    "compliance",
    "project",
    "evidence",
    "portfolio",
    "feedback",
]


# --- the site --------------------------------------------------------------------------


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def course_page(number: int, base_url: str, rng: random.Random) -> str:
    """A page shaped like a real RTO course page: nav, JSON-LD, long copy, footer claims."""
    title = f"Certificate IV in Workplace Safety {number:04d}"
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "EducationalOrganization", "name": "Benchmark Skills Institute",
             "url": base_url + "/"},
            {
                "@type": "Course",
                "name": title,
                "description": paragraph(rng, 60),
                "courseCode": f"BSB4{number % 10000:04d}",
                "provider": {"@type": "Organization", "name": "Benchmark Skills Institute"},
                "offers": {"@type": "Offer", "price": 400 + number % 900, "priceCurrency": "AUD"},
                "hasCourseInstance": {"@type": "CourseInstance", "courseMode": "online",
                                      "courseWorkload": f"PT{20 + number % 60}H"},
                "educationalCredentialAwarded": "Certificate IV (nationally recognised)",
            },
        ],
    }  # fmt: skip
    menu = "".join(
        f'<li class="menu-item menu-item-type-post_type menu-item-object-page menu-item-{n}">'
        f'<a class="elementor-item" href="/courses/{n}/">Course {n}</a></li>'
        for n in range(90)
    )
    copy = "".join(f"<p>{paragraph(rng, 70)}</p>" for _ in range(14))
    modules = "".join(f'<li class="unit">Unit {u}: {paragraph(rng, 8)}</li>' for u in range(12))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{STYLE}</style><script>{SCRIPT}</script>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head><body>'
        f'<header class="site-header"><nav class="main-navigation"><ul>{menu}</ul></nav></header>'
        f'<main class="entry-content"><h1>{title}</h1>{copy}<h2>Units</h2><ul>{modules}</ul>'
        "<p>Certificate issued on completion.</p></main>"
        '<footer class="site-footer">Nationally Recognised Training. RTO 40764. '
        f"ABN 51 824 753 556. Regulated by ASQA.</footer><script>{SCRIPT}</script></body></html>"
    )


def build_site(root: Path, base_url: str, pages: int) -> dict[str, bytes]:
    """Write the pages into `root` (for inspection) and return them by path, for serving."""
    rng = random.Random(20261129)
    site: dict[str, bytes] = {
        "/robots.txt": f"User-agent: *\nSitemap: {base_url}/sitemap.xml\n".encode(),
        "/": b"<html><body><h1>Benchmark Skills Institute</h1></body></html>",
    }
    urls = []
    for number in range(pages):
        path = f"/courses/{number}/"
        site[path] = course_page(number, base_url, rng).encode()
        urls.append(f"<url><loc>{base_url}{path}</loc></url>")
    site["/sitemap.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(urls) + "</urlset>"
    ).encode()
    for path, body in site.items():
        target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path[1:]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: measure the crawler, not TCP setup
    pages: ClassVar[dict[str, bytes]] = {}
    course_requests: ClassVar[int] = 0  # counted per worker run (one worker at a time)

    def do_GET(self) -> None:
        if self.path.startswith("/courses/"):
            type(self).course_requests += 1
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/xml" if self.path.endswith(".xml") else "text/html")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: thousands of requests."""


@contextmanager
def serve_pages(pages: int) -> Iterator[str]:
    with (
        serve_handler(_Handler) as base_url,
        tempfile.TemporaryDirectory(prefix="bench-crawl-") as root,
    ):
        _Handler.pages = build_site(Path(root), base_url, pages)
        yield base_url


# --- the spiders -----------------------------------------------------------------------


class BareSpider(scrapy.Spider):
    """Downloads every page the sitemap lists and does nothing else."""

    name = "bench_bare"

    def __init__(self, base_url: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url

    async def start(self) -> Any:
        yield scrapy.Request(f"{self.base_url}/sitemap.xml", callback=self.parse_sitemap)

    def parse_sitemap(self, response: scrapy.http.Response) -> Any:
        for entry in Sitemap(response.body):
            yield scrapy.Request(entry["loc"], callback=self.parse)

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> None:
        return None


class BenchStructuredDataSpider(StructuredDataSpider):
    """The generic spider with its per-provider page bound raised to the benchmark's size."""

    name = "bench_structured_data"
    custom_settings: ClassVar[dict[str, Any]] = {
        **StructuredDataSpider.custom_settings,
        "CLOSESPIDER_PAGECOUNT": PAGES * 64 + 10,
    }


# --- the workers (one process each) ------------------------------------------------------


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads included, and of its
    children that have exited (the page workers, stopped when the crawl closes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_bare(base_url: str, work_dir: Path) -> dict[str, Any]:
    from scrapy.crawler import AsyncCrawlerProcess

    settings = {**CONCURRENCY, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, base_url=base_url)
    started = cpu_seconds()
    process.start()
    cpu = cpu_seconds() - started
    return {"seconds": crawler.stats.get_value("elapsed_time_seconds"), "items": 0, "cpu": cpu}


def run_credwatch(base_url: str, work_dir: Path, page_workers: int = 0) -> dict[str, Any]:
    from crawler.runner import ProviderSpec, run_crawl

    started = cpu_seconds()
    report = run_crawl(
        [ProviderSpec("Benchmark Skills Institute", base_url + "/", "bench_structured_data")],
        work_dir / "bench.db",
        settings_overrides={
            **CONCURRENCY,
            "SPIDER_MODULES": ["benchmarks.bench_crawl"],
            "CREDWATCH_PAGE_WORKERS": page_workers,
        },
    )
    cpu = cpu_seconds() - started
    (outcome,) = report.outcomes
    seconds = json.loads(outcome["stats"])["elapsed_time_seconds"]
    return {"seconds": seconds, "items": outcome["items"], "outcome": outcome["outcome"],
            "cpu": cpu}  # fmt: skip


def run_profiled(base_url: str, work_dir: Path) -> dict[str, Any]:
    profiler = cProfile.Profile()
    result = profiler.runcall(run_credwatch, base_url, work_dir)
    profiler.dump_stats(work_dir / "crawl.prof")
    return result


def run_credwatch_page_workers(base_url: str, work_dir: Path) -> dict[str, Any]:
    return run_credwatch(base_url, work_dir, page_workers=1)


WORKERS = {"bare": run_bare, "credwatch": run_credwatch, "profile": run_profiled,
           "page_workers": run_credwatch_page_workers}  # fmt: skip
# The crawls compared, alternating, each ROUNDS times.
CRAWLS = {"bare": "bare Scrapy spider", "credwatch": "credwatch crawl",
          "page_workers": "credwatch, 1 page worker"}  # fmt: skip


def worker_main(argv: list[str]) -> None:
    """`python -m benchmarks.bench_crawl --worker NAME URL DIR`: prints one JSON line."""
    name, base_url, work_dir = argv
    print(json.dumps(WORKERS[name](base_url, Path(work_dir))), flush=True)


def run_worker(name: str, base_url: str, work_dir: Path) -> dict[str, Any]:
    _Handler.course_requests = 0
    command = [sys.executable, "-m", "benchmarks.bench_crawl", "--worker", name, base_url,
               str(work_dir)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{name} crawl failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["pages"] = _Handler.course_requests
    measured["rate"] = measured["pages"] / measured["seconds"]
    measured["cpu_rate"] = measured["pages"] / measured["cpu"]
    return measured


# --- the report ----------------------------------------------------------------------------


def where_time_goes(profile_path: Path, top: int = 12) -> str:
    """Own time per library (tottime summed by top-level package), then the hottest functions."""
    stats = pstats.Stats(str(profile_path))
    by_package: dict[str, float] = {}
    total = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        total += tottime
        by_package[_package(filename)] = by_package.get(_package(filename), 0.0) + tottime
    lines = [f"  {name:<22} {seconds / total:6.1%}" for name, seconds in
             sorted(by_package.items(), key=lambda pair: -pair[1])[:top]]  # fmt: skip
    buffer = io.StringIO()
    pstats.Stats(str(profile_path), stream=buffer).sort_stats("tottime").print_stats(top)
    hottest = [line for line in buffer.getvalue().splitlines() if line.strip()][-top:]
    return "\n".join(["own time by package:", *lines, "hottest functions (tottime):", *hottest])


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    for ours in ("crawler", "credwatch", "benchmarks"):
        if f"/{ours}/" in filename:
            return f"{ours} (credwatch)"
    if filename.startswith("<") or filename == "~":
        return "builtins / C code"
    return "python stdlib"


def rate_line(label: str, run: dict[str, Any]) -> str:
    pages, seconds, rate = run["pages"], run["seconds"], run["rate"]
    cpu = f"{run['cpu']:.1f} CPU s = {1000 * run['cpu'] / pages:.2f} ms of CPU a page"
    return f"{label:<19}: {pages} pages in {seconds:.1f} s = {rate:.0f} pages/s; {cpu}"


def measure(shared: Path, scale: int = 1, verbose: bool = False) -> list[dict[str, Any]]:
    """Crawl the same local pages with a bare spider and with credwatch, in one run."""
    pages = PAGES * scale
    with serve_pages(pages) as base_url, tempfile.TemporaryDirectory() as work:
        size = sum(len(body) for body in _Handler.pages.values()) / len(_Handler.pages)
        if verbose:
            print(f"serving {pages} generated course pages (~{size / 1024:.0f} KB) on 127.0.0.1")
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CRAWLS}
        for _ in range(ROUNDS):
            for name, results in runs.items():
                results.append(run_worker(name, base_url, Path(work)))
        best = {name: max(results, key=lambda run: run["rate"]) for name, results in runs.items()}
        best_cpu = {name: max(run["cpu_rate"] for run in results) for name, results in runs.items()}
        run_worker("profile", base_url, Path(work))
        profile = where_time_goes(Path(work) / "crawl.prof")
        if verbose:
            for name, label in CRAWLS.items():
                print(rate_line(label, best[name]) + f", {best[name]['items']} items")
            print(profile)
    busiest = profile.splitlines()[1].split()[0]  # the package with most own time
    bare, bare_cpu = best["bare"]["rate"], best_cpu["bare"]
    return [
        _row("crawl: credwatch crawl vs bare Scrapy spider", pages, best["credwatch"]["rate"],
             bare, "pages/s", f"one core: most own time in {busiest} (profile of this crawl)"),
        _row("crawl: credwatch crawl --page-workers 1 vs bare Scrapy spider", pages,
             best["page_workers"]["rate"], bare, "pages/s",
             "the engine's own work on the reactor's core; pages read on a second core"),
        _row("crawl: credwatch crawl vs bare Scrapy spider", pages,
             best_cpu["credwatch"], bare_cpu, "pages/CPU s",
             "the crawl process's own CPU (user+sys): less moved by other load than pages/s"),
        _row("crawl: credwatch crawl --page-workers 1 vs bare Scrapy spider", pages,
             best_cpu["page_workers"], bare_cpu, "pages/CPU s",
             "CPU of the crawl and its page worker together: reading moved, not saved"),
    ]  # fmt: skip


def _row(
    benchmark: str, pages: int, credwatch: float, floor: float, unit: str, bound_by: str
) -> dict[str, Any]:
    return {
        "benchmark": benchmark,
        "size": pages,
        "credwatch": round(credwatch, 1),
        "floor": round(floor, 1),
        "ratio": round(credwatch / floor, 3),
        "unit": unit,
        "bound_by": bound_by,
    }


def main(shared: Path, scale: int = 1) -> None:
    """Serve the pages, crawl them each way, print rates, the ratios and a profile."""
    for row in measure(shared, scale, verbose=True):
        verdict = "meets" if row["ratio"] >= TARGET_RATIO else "MISSES"
        print(f"{row['benchmark']}: {row['ratio']:.1%} in {row['unit']} ({verdict} the "
              f"{TARGET_RATIO:.0%} target)")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=3, metavar=("NAME", "URL", "DIR"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
    else:
        main(args.shared, args.scale)
