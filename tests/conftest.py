"""Shared fixtures. No test may reach beyond loopback: a guard refuses any other address,
in this process (sockets) and in every process it starts (CREDWATCH_LOOPBACK_ONLY)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.network import LoopbackGuard
from helpers.paths import CREDWATCH, REPO, SHARED

from credwatch.core.localsite import serve_directory
from credwatch.core.loopback import LOOPBACK_ONLY_ENV


@pytest.fixture(scope="session", autouse=True)
def network_guard() -> Iterator[LoopbackGuard]:
    """For the whole session, before any other fixture: sockets refuse non-loopback
    addresses and names, and child processes (crawls, nightly's crawl) inherit the
    crawler's loopback-only setting through the environment."""
    guard = LoopbackGuard()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LOOPBACK_ONLY_ENV, "1")
        guard.install(patch)
        yield guard


@pytest.fixture(autouse=True)
def nothing_left_the_machine(network_guard: LoopbackGuard) -> Iterator[None]:
    """Fail the test when anything it ran was refused, even if the code swallowed the error
    (refusals during a module fixture's setup are reported by the first test using it)."""
    yield
    refused, network_guard.refused[:] = list(network_guard.refused), []
    if refused:
        pytest.fail(f"tried to reach beyond loopback: {'; '.join(refused)}")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only `../shared` folder beside the checkout (CI has it too)."""
    if not (SHARED / "registry_data").is_dir():
        pytest.fail(f"shared data folder not found beside the checkout: {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def registry_dir(shared_dir: Path) -> Path:
    return shared_dir / "registry_data"


@pytest.fixture
def serve_dir():
    """Start a local fixture site: `with serve_dir(path) as site: site.base_url`."""
    return serve_directory


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> Path:
    """Run `credwatch demo --no-serve` once per session, as a user would, into a temp folder:
    registers + crawl of the demo sites -> working db -> score -> published db."""
    out_dir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [*CREDWATCH, "demo", "--no-serve", "--shared", str(shared_dir), "--out-dir", str(out_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out_dir
