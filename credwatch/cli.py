"""The `credwatch` console script: one entry point, one subcommand per stage.

Stage commands live beside their stage (``registry_data/cli.py``, ``crawler/cli.py``,
``scoring/commands/``, ``credwatch/publish.py``...) and are imported only when run, so
``credwatch --help`` stays fast and a stage's heavy imports (Scrapy, numpy) cost nothing
to the others.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from credwatch.core.errors import CredwatchError

# name -> (import path "module:attribute", one-line help shown by `credwatch --help`)
STAGES: dict[str, tuple[str, str]] = {
    "registers": ("registry_data.cli:registers", "Load or fetch government register files."),
    "crawl": ("crawler.cli:crawl", "Crawl provider websites for course offerings."),
    "match": ("scoring.commands.match:match", "Match provider names/URLs to register entries."),
    "check": ("scoring.commands.check:check", "Look up one provider: registration and score."),
    "flags": ("scoring.commands.flags:flags", "Flag free-certificate and over-niche offerings."),
    "score": ("scoring.commands.score:score", "Compute flags, claim checks and provider scores."),
    "publish": ("credwatch.publish:publish", "Build the public database Datasette serves."),
    "serve": ("credwatch.serve:serve", "Serve the published database with Datasette."),
    "rollback": (
        "credwatch.published_history:rollback_command",
        "Put a previously published database back live.",
    ),
    "demo": ("credwatch.demo:demo", "Offline demo: crawl local sites, score, publish, serve."),
    "nightly": ("credwatch.nightly:nightly", "Unattended run: fetch, crawl, score, publish."),
}


class OneLineError(click.ClickException):
    """Bad input reported as a single line on stderr with exit status 2."""

    exit_code = CredwatchError.exit_code

    def show(self, file=None) -> None:
        click.echo(f"credwatch: error: {self.format_message()}", err=True, file=file)


class StageGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(STAGES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in STAGES:
            return None
        module_name, attribute = STAGES[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CredwatchError as error:
            raise OneLineError(str(error)) from error

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, STAGES[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=StageGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.version_option(package_name="credwatch")
def cli(verbose: bool) -> None:
    """credwatch: is this course provider registered, and do its claims hold up?

    Data flows one way: registers + crawl -> working SQLite -> scoring -> published database.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        handler.addFilter(_quiet_frameworks)
    logging.basicConfig(level=handler.level, handlers=[handler])


def _quiet_frameworks(record: logging.LogRecord) -> bool:
    """Scrapy and Twisted log through their own handler at the crawl's --log-level; ours
    shows only their warnings, so a stage's own log lines stay readable."""
    framework = record.name.split(".")[0] in {"scrapy", "twisted", "py.warnings"}
    return not framework or record.levelno >= logging.WARNING


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="credwatch")
