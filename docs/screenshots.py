"""Take the README's screenshots of a published database: `python docs/screenshots.py DB`.

Serves DB with `credwatch serve` on a free loopback port and saves the home page and the
dashboard, as a headless Chromium (Debian's package) shows them, to docs/.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from helpers.browser import chromium, watched_page  # noqa: E402
from helpers.serving import running_server  # noqa: E402

PAGES = {"home.png": "/", "dashboard.png": "/-/dashboard"}


def main(db: Path) -> None:
    with running_server(db) as url, chromium() as browser, watched_page(browser) as page:
        page.set_viewport_size({"width": 1200, "height": 900})
        for name, path in PAGES.items():
            page.goto(f"{url}{path}")
            page.screenshot(path=str(HERE / name), full_page=False)
        if page.problems:
            raise SystemExit(f"page problems: {page.problems}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
