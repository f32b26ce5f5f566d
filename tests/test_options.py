"""Shared options: a flag means the same thing, with the same default, in every command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from credwatch.cli import cli
from credwatch.core.options import PUBLISHED_DB, WORK_DB


def every_command() -> dict[str, click.Command]:
    """`credwatch` subcommands by their full name, groups opened (`registers load`...)."""
    commands: dict[str, click.Command] = {}
    ctx = click.Context(cli)
    pending = [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]
    while pending:
        name, command = pending.pop()
        if isinstance(command, click.Group):
            sub = click.Context(command)
            pending += [(f"{name} {n}", command.get_command(sub, n)) for n in command.commands]
        else:
            commands[name] = command
    return commands


def options_named(flag: str) -> dict[str, click.Option]:
    return {
        name: param
        for name, command in every_command().items()
        for param in command.params
        if isinstance(param, click.Option) and flag in param.opts
    }


def test_db_is_the_working_database_everywhere() -> None:
    options = options_named("--db")
    assert set(options) == {
        "registers load",
        "crawl",
        "match",
        "check",
        "score",
        "publish",
        "nightly",
    }
    for name, option in options.items():
        assert (option.name, option.default, option.required) == ("db_path", WORK_DB, False), name
        assert option.help.startswith("Working SQLite database the stages share."), name


def test_out_is_the_published_database_everywhere() -> None:
    options = options_named("--out")
    assert set(options) == {"publish", "serve", "nightly", "rollback"}
    for name, option in options.items():
        assert (option.name, option.default) == ("published_db", PUBLISHED_DB), name


def test_register_folders_and_scrapy_settings_have_one_name_each() -> None:
    assert set(options_named("--registers")) == set(options_named("--from"))
    assert set(options_named("--from")) == {"registers load", "nightly"}
    assert set(options_named("-s")) == {"crawl", "nightly"}
    # crawl takes --providers or --register (a register-source spider), so neither is required
    assert not options_named("--providers")["crawl"].required
    assert options_named("--providers")["nightly"].default == Path("crawler/providers.yml")


@pytest.mark.parametrize("command", [["crawl", "--providers", "p.yml"], ["nightly", "--fetch"]])
def test_a_malformed_scrapy_setting_is_one_line(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "-s", "DOWNLOAD_DELAY"])
    assert result.exit_code == 2
    assert result.output == "credwatch: error: -s DOWNLOAD_DELAY: expected NAME=VALUE\n"


def test_scrapy_settings_arrive_as_a_dict_later_ones_winning() -> None:
    option = options_named("-s")["crawl"]
    ctx = click.Context(click.Command("x"))
    value = option.process_value(ctx, ("A=1", "B = x=y", "A=2"))
    assert value == {"A": "2", "B": " x=y"}


def test_crawl_needs_providers_or_a_register() -> None:
    result = CliRunner().invoke(cli, ["crawl"])
    assert result.exit_code == 2
    assert "give --providers FILE (or --register SPIDER --to DIR)" in result.output
