"""Serve a folder of fixture pages on 127.0.0.1, for the offline demo, tests and benchmarks.

Files may contain the token ``__BASE_URL__``; it is replaced by the server's own
``http://127.0.0.1:PORT`` so sitemaps and absolute links work whatever port is free.
Every request path is recorded, so tests can assert what a crawler did (not) fetch.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BASE_TOKEN = b"__BASE_URL__"
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json", ".csv", ""}


@dataclass
class LocalSite:
    """A running local site: its base URL and the paths requested so far."""

    root: Path
    base_url: str
    requested: list[str] = field(default_factory=list)


class FixtureHandler(SimpleHTTPRequestHandler):
    site: LocalSite

    def __init__(self, *args, site: LocalSite, **kwargs):
        self.site = site
        super().__init__(*args, directory=str(site.root), **kwargs)

    def send_head(self):
        self.site.requested.append(self.path)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            return super().send_head()
        body = path.read_bytes().replace(BASE_TOKEN, self.site.base_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesFile(body)

    def log_message(self, format: str, *args) -> None:
        """Keep test and demo output quiet; requests are recorded in `site.requested`."""


class _BytesFile:
    """The minimal file object `SimpleHTTPRequestHandler.do_GET` copies from."""

    def __init__(self, body: bytes):
        self._body = body

    def read(self, size: int = -1) -> bytes:
        body, self._body = self._body, b""
        return body

    def close(self) -> None:
        self._body = b""


@contextlib.contextmanager
def serve_handler(handler: Callable[..., BaseHTTPRequestHandler], port: int = 0) -> Iterator[str]:
    """Run an HTTP handler on 127.0.0.1 (a free port unless given) in a background thread;
    yields the base URL `http://127.0.0.1:PORT` and stops the server when the block exits."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="localsite", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_directory(root: str | Path, port: int = 0) -> Iterator[LocalSite]:
    """Serve `root` on 127.0.0.1 (a free port unless given) until the block exits."""
    site = LocalSite(root=Path(root), base_url="")
    with serve_handler(partial(FixtureHandler, site=site), port) as base_url:
        site.base_url = base_url
        yield site
