"""`credwatch crawl --shard i/N`: N processes cover every provider exactly once, whatever the
order of the providers file, because a provider's shard is a stable hash of its id."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner
from helpers.crawl import run_crawl_cli
from helpers.paths import FIXTURES

from crawler.runner import ProviderSpec
from crawler.sharding import Shard, parse_shard, select, shard_of
from credwatch.cli import cli
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id
from credwatch.core.localsite import serve_directory
from credwatch.demo import DEMO_SITES, SAMPLE_REGISTERS

PROVIDERS = [
    ProviderSpec(f"Provider {n}", f"https://www.provider-{n}.edu.au/courses/") for n in range(300)
]


def test_shards_partition_the_providers_exactly_once() -> None:
    count = 4
    shards = [select(PROVIDERS, Shard(number, count)) for number in range(1, count + 1)]
    crawled = [spec.url for shard in shards for spec in shard]
    assert sorted(crawled) == sorted(spec.url for spec in PROVIDERS)
    assert all(40 < len(shard) < 110 for shard in shards)  # roughly even


def test_shard_of_a_provider_ignores_file_order_and_page() -> None:
    shuffled = PROVIDERS[:]
    random.Random(7).shuffle(shuffled)
    first = {spec.url for spec in select(PROVIDERS, Shard(2, 3))}
    assert {spec.url for spec in select(shuffled, Shard(2, 3))} == first
    # the provider id is its registrable domain: another page of the same site, same shard
    assert shard_of(provider_id("https://provider-1.edu.au/about"), 3) == shard_of(
        provider_id(PROVIDERS[1].url), 3
    )


def test_shard_of_is_stable_across_processes() -> None:
    """SHA-1, not Python's salted hash(): the same answer on every machine and night."""
    assert shard_of("example.edu.au", 4) == 4
    assert shard_of("127.0.0.1:8001", 4) == 3


@pytest.mark.parametrize("text", ["", "3", "0/2", "3/2", "a/b", "1/0", "-1/2"])
def test_bad_shard_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(CredwatchError, match="--shard"):
        parse_shard(text)


def test_two_shard_crawls_cover_each_fixture_provider_once(tmp_path: Path) -> None:
    names = ("harbourline", "structured_demo", "robots_race")
    with (
        serve_directory(FIXTURES / "sites" / names[0]) as one,
        serve_directory(FIXTURES / "sites" / names[1]) as two,
        serve_directory(FIXTURES / "sites" / names[2]) as three,
    ):
        sites = (one, two, three)
        listed = [
            {"name": name, "url": site.base_url + "/"}
            for name, site in zip(names, sites, strict=True)
        ]
        crawled = []
        for number in (1, 2):
            run_crawl_cli(tmp_path, listed, "--shard", f"{number}/2", db_name=f"shard{number}.db")
            outcomes = sqlite_utils.Database(tmp_path / f"shard{number}.db")["crawl_outcomes"]
            crawled.append(
                {row["provider_id"] for row in outcomes.rows} if outcomes.exists() else set()
            )
    assert crawled[0].isdisjoint(crawled[1])
    assert crawled[0] | crawled[1] == {provider_id(site.base_url + "/") for site in sites}


def test_nightly_shard_crawls_side_by_side_and_merges_before_scoring(tmp_path: Path) -> None:
    """`nightly --shard 2`: two shard databases in the run folder, merged into --db, so the
    scores and the published file cover every provider, each crawled once."""
    names = ("fernleaf-digital-skills", "survive-first-aid", "quaywater-forklift-training")
    with contextlib.ExitStack() as stack:
        sites = [stack.enter_context(serve_directory(DEMO_SITES / name)) for name in names]
        listed = [
            {"name": name, "url": f"{site.base_url}/"}
            for name, site in zip(names, sites, strict=True)
        ]
        providers = tmp_path / "providers.yml"
        providers.write_text(yaml.safe_dump({"providers": listed}), encoding="utf-8")
        args = ["nightly", "--providers", str(providers), "--registers", str(SAMPLE_REGISTERS),
                "--db", str(tmp_path / "work.db"), "--out", str(tmp_path / "credwatch.db"),
                "--runs-dir", str(tmp_path / "runs"), "--shard", "2",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0"]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        requested = [Counter(site.requested) for site in sites]
    assert result.exit_code == 0, result.output
    (run_dir,) = [path for path in (tmp_path / "runs").iterdir() if path.is_dir()]
    # one log per shard crawl (a shard the hash left empty writes no database)
    assert sorted(path.name for path in run_dir.glob("shard-*.log")) == [
        "shard-1-of-2.log",
        "shard-2-of-2.log",
    ]
    expected = {provider_id(f"{site.base_url}/") for site in sites}
    work = sqlite_utils.Database(tmp_path / "work.db")
    assert {row["provider_id"] for row in work["crawl_outcomes"].rows} == expected
    assert {row["provider_id"] for row in work["provider_scores"].rows} == expected
    (run,) = work["crawl_runs"].rows
    assert run["providers"] == len(sites)
    for pages in requested:
        assert [path for path, count in pages.items() if count > 1 and path != "/robots.txt"] == []
