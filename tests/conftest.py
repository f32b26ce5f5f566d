"""Shared fixtures. No test may reach beyond loopback: a guard refuses any other address."""

from __future__ import annotations

import ipaddress
import socket
import subprocess
from pathlib import Path

import pytest
from helpers.paths import CREDWATCH, REPO, SHARED

from credwatch.core.localsite import serve_directory

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise OSError(f"test tried to reach {host}: only loopback is allowed in tests")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if code under test opens a connection outside 127.0.0.0/8 or ::1."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


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
