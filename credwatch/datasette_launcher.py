"""`python -m credwatch.datasette_launcher serve ...`: Datasette's own CLI, minus rich tracebacks.

Importing `datasette.cli` installs rich's traceback handler with `show_locals=True`, so an
uncaught error would print every local variable (requests, headers) to the log. `credwatch
serve` runs Datasette through this module, which puts Python's plain handler back before the
command starts; the error plugin (`site/plugins/errors.py`) does the same for the per-request
error handler.
"""

from __future__ import annotations

import sys

from datasette.cli import cli


def main() -> None:
    sys.excepthook = sys.__excepthook__
    cli(prog_name="datasette")


if __name__ == "__main__":
    main()
