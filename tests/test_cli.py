"""The console script: every stage is listed and answers --help."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from credwatch.cli import STAGES, cli


def test_top_level_help_lists_every_stage():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in STAGES:
        assert f"  {name} " in result.output


@pytest.mark.parametrize(
    "args", [[name] for name in STAGES] + [["registers", "load"], ["registers", "fetch"]]
)
def test_every_command_has_help(args):
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "--help" in result.output


def test_an_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2 and "No such command" in result.output


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["serve", "--help"]])
def test_light_commands_do_not_pay_for_scrapy(args: list[str]) -> None:
    """Stage commands load lazily: asking for help or a lookup never imports the crawler."""
    probe = (
        "import sys\nfrom credwatch.cli import cli\n"
        f"cli.main({args!r}, prog_name='credwatch', standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'scrapy', 'twisted'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
