"""Datasette one-off plugin: a read-only site answers writes with 405 and misses with a quick 404.

Datasette 0.65's default error handler prints every error, a 404 included, with rich's
traceback *and its local variables* (the request among them) when rich is installed, as it
is here; outside an `except` block that printing itself fails, so every unmatched path and
every POST became a slow 500. Nothing on this site is writable (the database is immutable,
canned queries are read-only), so any method other than GET, HEAD or OPTIONS is refused
before Datasette sees it, and the handler is told rich is absent: errors render as usual,
a real 500 still logs a plain traceback, and no request locals reach the log.
"""

from __future__ import annotations

import datasette.handle_exception
from datasette import hookimpl

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOW = b"GET, HEAD, OPTIONS"
READ_ONLY = b"405 Method Not Allowed: this site is read-only\n"
NOT_FOUND = b"404 Not Found\n"

datasette.handle_exception.rich = None


async def plain_response(send, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                *headers,
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def off_site_looking(path: str) -> bool:
    """A path a browser could read as another host once redirected: `//host` or `/\\host`
    (Datasette's trailing-slash redirect would otherwise send `Location: /\\evil.example`)."""
    return "\\" in path or path.startswith("//")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
            elif scope.get("method", "GET") not in READ_METHODS:
                await plain_response(send, 405, READ_ONLY, (b"allow", ALLOW))
            elif off_site_looking(scope.get("path", "")):
                await plain_response(send, 404, NOT_FOUND)
            else:
                await app(scope, receive, send)

        return read_only

    return wrap
