"""`credwatch demo`: the whole pipeline offline, on the demo provider sites in the package.

It serves each site of `credwatch/demo_sites/` on 127.0.0.1, then runs the orchestrator's
steps: registers (the real snapshots in `../shared/registry_data` when present, else the
small sample in `registry_data/sample/`), crawl, score, publish; and serves the result with
Datasette until Ctrl-C, then stops everything it started. Only the local sites, the demo's
own working database and the serving are the demo's; the steps are `credwatch.pipeline`'s.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

from crawler.runner import ProviderSpec
from credwatch import pipeline
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id
from credwatch.core.localsite import LocalSite, serve_directory
from credwatch.core.options import port_option, shared_option
from credwatch.publish import PublishResult
from credwatch.serve import datasette_command, server_url

DEMO_SITES = Path(__file__).resolve().parent / "demo_sites"
SAMPLE_REGISTERS = Path(__file__).resolve().parent.parent / "registry_data" / "sample"
# The demo's regulatory decisions: a small ASQA decisions file (fictional records about two
# demo providers' real RTO codes), loaded like a crawled one (`crawl --register`).
DEMO_DECISIONS = DEMO_SITES / "decisions"
WORK_DB_NAME = "demo-work.db"  # rebuilt on every run, so it never mixes with a real work db
PUBLISHED_NAME = "credwatch.db"
LOOPBACK = "127.0.0.1"  # the demo sites and its Datasette never listen anywhere else


@dataclass(frozen=True)
class DemoSite:
    """One demo provider site as `providers.yml` describes it."""

    name: str
    path: Path
    spider: str
    expect: str


RunningSites = list[tuple[DemoSite, LocalSite]]


def load_demo_sites(providers_file: Path = DEMO_SITES / "providers.yml") -> list[DemoSite]:
    entries = yaml.safe_load(providers_file.read_text(encoding="utf-8"))["providers"]
    return [
        DemoSite(
            name=entry["name"],
            path=providers_file.parent / entry["path"],
            spider=entry["spider"],
            expect=entry["expect"],
        )
        for entry in entries
    ]


def register_source(shared: Path) -> Path:
    """The shared real snapshots when they are there, else the sample shipped in the repo."""
    for candidate in (shared / "registry_data", SAMPLE_REGISTERS):
        if candidate.is_dir():
            return candidate
    raise CredwatchError(f"{shared / 'registry_data'}: no register files (nor {SAMPLE_REGISTERS})")


def fresh_work_db(out_dir: Path) -> Path:
    work = out_dir / WORK_DB_NAME
    for stale in (work, work.with_name(f"{work.name}-wal"), work.with_name(f"{work.name}-shm")):
        stale.unlink(missing_ok=True)
    return work


def crawl_sites(running: RunningSites, work: Path) -> None:
    """Crawl every running demo site into `work`, one outcome line per site."""
    specs = [
        ProviderSpec(name=site.name, url=f"{local.base_url}/", spider=site.spider, source=site.name)
        for site, local in running
    ]
    # The per-site outcome lines below say what matters; Scrapy's INFO chatter would bury them.
    report = pipeline.crawl_providers(specs, work, {"LOG_LEVEL": "WARNING"})
    for row in report.outcomes:
        click.echo(f"  {row['provider_url']}: {row['outcome']}, {row['items']} items", err=True)
    if report.items == 0:
        raise CredwatchError(f"{work}: the crawl of the demo sites stored no offerings")


def score_sites(running: RunningSites, work: Path) -> None:
    """Score the crawled sites, one line per site: score and grade against its expectation."""
    report = pipeline.score(work)
    click.echo(f"scored {report.providers} providers, {report.flags} flags", err=True)
    db = pipeline.open_work_db(work, create=False)
    try:
        scores = {row["provider_id"]: row for row in db["provider_scores"].rows}
    finally:
        db.close()
    for site, local in running:
        result = scores.get(provider_id(f"{local.base_url}/"))
        verdict = f"{result['score']:.0f}, grade {result['grade']}" if result else "not scored"
        click.echo(f"  {site.name}: {verdict} (expected: {site.expect})", err=True)


def build_demo(running: RunningSites, shared: Path, out_dir: Path) -> PublishResult:
    """Registers + crawl -> working db -> score -> published db; returns the publish result."""
    out_dir.mkdir(parents=True, exist_ok=True)
    work = fresh_work_db(out_dir)
    pipeline.load_registers(work, register_source(shared))
    pipeline.load_registers(work, DEMO_DECISIONS)
    crawl_sites(running, work)
    score_sites(running, work)
    return pipeline.publish(work, out_dir / PUBLISHED_NAME)


def serve_until_interrupted(result: PublishResult, running: RunningSites, port: int) -> None:
    # Scrapy installed its own shutdown handler for the crawl; Ctrl-C must reach us again.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    url = server_url(LOOPBACK, port)
    process = subprocess.Popen(datasette_command(result.path, LOOPBACK, port))
    click.echo(f"\ncredwatch demo: Datasette is serving {result.path} at {url}")
    click.echo(f"  provider report:   {url}credwatch/provider_report")
    click.echo(f"  flagged offerings: {url}credwatch/flagged_offerings")
    for site, local in running:
        click.echo(f"  report card, {site.name} ({site.expect}):")
        click.echo(f"      {url}-/report/{provider_id(local.base_url + '/')}")
    click.echo("Press Ctrl-C to stop Datasette and the demo sites.")
    try:
        status = process.wait()
    except KeyboardInterrupt:
        click.echo("\nstopping", err=True)
        return
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
    if status != 0:
        raise CredwatchError(f"{result.path}: Datasette exited with status {status}")


def require_free_port(port: int) -> None:
    """Fail before the long build, not after it, when the Datasette port is taken."""
    with socket.socket() as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError as error:
            raise CredwatchError(f"{LOOPBACK}:{port}: port not available ({error})") from error


@click.command()
@shared_option("Its registry_data/ snapshots are loaded when present.")
@port_option()
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help=f"Where {WORK_DB_NAME} (rebuilt each run) and {PUBLISHED_NAME} are written.",
)
@click.option("--no-serve", is_flag=True, help="Stop after publishing (for tests and CI).")
def demo(shared: Path, port: int, out_dir: Path, no_serve: bool) -> None:
    """Offline demo: serve the demo provider sites, crawl, load registers, score, publish, serve.

    Everything runs on 127.0.0.1; Ctrl-C stops Datasette and the demo sites.
    """
    if not no_serve:
        require_free_port(port)
    sites = load_demo_sites()
    with contextlib.ExitStack() as stack:
        running = [(site, stack.enter_context(serve_directory(site.path))) for site in sites]
        result = build_demo(running, shared, out_dir)
        click.echo(
            f"published {result.path}: {result.counts.get('offerings', 0)} offerings, "
            f"{result.counts.get('registry_entries', 0)} register entries",
            err=True,
        )
        if not no_serve:
            serve_until_interrupted(result, running, port)
