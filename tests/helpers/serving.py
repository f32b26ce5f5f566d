"""Datasette on a published database: a real `credwatch serve` process, or in-process."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml
from datasette.app import Datasette

from credwatch.serve import SETTINGS, SITE_DIR
from helpers.paths import CREDWATCH, REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db: Path, log: list[str] | None = None) -> Iterator[str]:
    """`credwatch serve` in a subprocess on a free port; yields its base URL, stops it after
    (and appends what the server printed to `log`, when given)."""
    port = free_port()
    process = subprocess.Popen(
        [*CREDWATCH, "serve", "--out", str(db), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url)
        yield url
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
        if log is not None:
            log.append(output)


def _wait_until_up(process: subprocess.Popen, url: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"datasette exited early:\n{process.stdout.read()}")
        try:
            httpx.get(f"{url}/-/versions.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("datasette did not start")


def in_process_datasette(db: Path) -> Datasette:
    """The same configuration `credwatch serve` passes on the command line."""
    return Datasette(
        immutables=[str(db)],
        metadata=yaml.safe_load((SITE_DIR / "metadata.yml").read_text()),
        template_dir=str(SITE_DIR / "templates"),
        plugins_dir=str(SITE_DIR / "plugins"),
        settings=SETTINGS,
    )
