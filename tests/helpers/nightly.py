"""Fixture provider sites for nightly runs: a home page linking to schema.org `Course`
pages (editable between nights), and `credwatch nightly` as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from credwatch.demo import SAMPLE_REGISTERS
from helpers.crawl import FaultSite, Route, page, slow
from helpers.paths import CREDWATCH, REPO, TESTS

# Loopback sites need no politeness delay, and a refused connection need not be retried.
QUICK = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "RETRY_TIMES=0")

COURSE_PAGE = """<!DOCTYPE html><html><head><title>{title}</title>
<script type="application/ld+json">{data}</script></head>
<body><h1>{title}</h1><p>{title}: a short online course.</p></body></html>"""


def course_page(provider: str, title: str, price: float, currency: str = "AUD") -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": title,
        "description": f"{title}, taught online by {provider}.",
        "provider": {"@type": "Organization", "name": provider},
        "offers": {"@type": "Offer", "price": f"{price:.2f}", "priceCurrency": currency},
    }
    return COURSE_PAGE.format(title=title, data=json.dumps(data))


def catalogue(
    provider: str, courses: dict[str, float], delay: float = 0, currency: str = "AUD"
) -> dict[str, Route]:
    """Routes of a provider site listing `courses` (title -> price in `currency`), each
    page answering after `delay` seconds."""
    slugs = {title: "/courses/" + title.lower().replace(" ", "-") for title in courses}
    links = "".join(f'<li><a href="{slug}">{title}</a></li>' for title, slug in slugs.items())
    routes: dict[str, Route] = {
        "/robots.txt": page("User-agent: *\n", content_type="text/plain"),
        "/": page(f"<html><body><h1>{provider}</h1><ul>{links}</ul></body></html>"),
    }
    for title, slug in slugs.items():
        course = page(course_page(provider, title, courses[title], currency))
        routes[slug] = slow(delay, course) if delay else course
    return routes


def relist(site: FaultSite, routes: dict[str, Route]) -> None:
    """Change what a running site serves, for the next night."""
    site.routes.clear()
    site.routes.update(routes)


def write_providers(path: Path, sites: dict[str, FaultSite]) -> None:
    entries = [{"name": name, "url": site.base_url} for name, site in sites.items()]
    path.write_text(yaml.safe_dump({"providers": entries}), encoding="utf-8")


def nightly_args(root: Path, *extra: str) -> list[str]:
    """`nightly` arguments for an operator folder `root` (providers.yml inside it)."""
    return [
        "nightly",
        *("--providers", str(root / "providers.yml")),
        *("--registers", str(SAMPLE_REGISTERS)),
        *("--db", str(root / "work.db")),
        *("--out", str(root / "credwatch.db")),
        *("--runs-dir", str(root / "runs")),
        *QUICK,
        *extra,
    ]


def start_nightly(root: Path, *extra: str) -> subprocess.Popen[str]:
    """`credwatch nightly` as a real process, as cron or systemd starts it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(REPO)])}
    return subprocess.Popen(
        [*CREDWATCH, *nightly_args(root, *extra)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def children(pid: int) -> list[int]:
    """The direct children of `pid` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
