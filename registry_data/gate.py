"""The load gate: a register file that would empty or shrink a register is refused.

A header-only export or a half-downloaded file looks like a register whose entries all
disappeared; loading it would publish thousands of false "disappeared" changes. So a file
with no data rows is always refused, and one with more than `MAX_SHRINK` fewer rows than the
register's newest snapshot is refused unless the operator accepts it (`--accept-shrink`).
`registers load` checks every file before writing anything; `nightly` can call `check_load`
per register before it publishes.
"""

from __future__ import annotations

from credwatch.core.errors import CredwatchError

MAX_SHRINK = 0.20  # the fraction of a register's rows a new snapshot may lose unasked


def check_load(
    source_file: str,
    label: str,
    rows: int,
    newest_rows: int | None,
    newest_date: str | None = None,
    *,
    accept_shrink: bool = False,
    max_shrink: float = MAX_SHRINK,
) -> None:
    """Raise a one-line CredwatchError naming the file and the counts when `rows` (the file's
    data rows) is zero, or below `newest_rows` (the register's newest snapshot) by more than
    `max_shrink`, unless `accept_shrink`."""
    if rows == 0:
        raise CredwatchError(
            f"{source_file}: no data rows in this {label} file (header only?): refused, "
            f"the register keeps its {newest_rows or 0:,} rows"
        )
    if accept_shrink or not newest_rows:
        return
    shrink = 1 - rows / newest_rows
    if shrink > max_shrink:
        when = f" of {newest_date}" if newest_date else ""
        raise CredwatchError(
            f"{source_file}: {rows:,} rows against {newest_rows:,} in the newest {label} "
            f"snapshot{when}, {shrink:.0%} fewer (limit {max_shrink:.0%}): refused; "
            "give --accept-shrink to load it anyway"
        )
