"""How the flag rules quote evidence. The wording they read is `credwatch.core.wording`'s."""

from __future__ import annotations


def quote(text: str, limit: int = 80) -> str:
    """A short quotation for a reason line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
