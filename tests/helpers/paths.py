"""Where things are, and how tests run the console script as a user would."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
FIXTURES = TESTS / "fixtures"
# `credwatch ...` with this interpreter, in a subprocess.
CREDWATCH = [sys.executable, "-c", "from credwatch.cli import main; main()"]
