"""ASQA's published regulatory decisions about RTOs, as crawled into JSON lines.

ASQA publishes each decision as a page and no bulk file, so the crawler's register spider
reads them (`credwatch crawl --register asqa_decisions --to DIR`) and writes one JSON object
per decision page: `regulator` ("asqa"), `decision_id`, `organisation_name`, `rto_code`,
`decision_type`, ISO `date_of_decision` / `date_of_effect`, the page's own
`status_of_decision`, `status_of_review`, `review_information`, `details` and `source_url`.
Such a file is recognised by those records, whatever its name, and loaded into
`regulatory_decisions`, where a decision keeps the date it was first seen across loads.

Whether a decision is in effect is read here from ASQA's own status wording: "In effect" (or
a review that affirmed it) is; a decision set aside, revoked, varied into something else
("decision not current") or lifted is not; any other wording is left unknown (NULL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from registry_data.declaration import Crawled, FileFormat, Register, crawled_records
from registry_data.values import text

RECORD_KEYS = ("regulator", "decision_id", "organisation_name")
DECISION_COLUMNS = (
    "regulator",
    "decision_id",
    "organisation_name",
    "rto_code",
    "decision_type",
    "date_of_decision",
    "date_of_effect",
    "status_of_decision",
    "status_of_review",
    "review_information",
    "in_effect",
    "details",
    "source_url",
    "source_file",
)
# Checked in this order: "decision varied - decision not current" holds "current" too.
_NOT_IN_EFFECT = re.compile(
    r"set aside|revoked|not current|no longer (?:in effect|current)|lifted|withdrawn|"
    r"not imposed|expired|ceased",
    re.IGNORECASE,
)
_IN_EFFECT = re.compile(r"\bin effect\b|\baffirmed\b|\bcurrent\b", re.IGNORECASE)


def in_effect(status: str | None) -> bool | None:
    """Whether ASQA's "Status of decision" wording means the decision applies now."""
    if not status:
        return None
    if _NOT_IN_EFFECT.search(status):
        return False
    return True if _IN_EFFECT.search(status) else None


def looks_like_crawled_decisions(data: Any) -> bool:
    """JSON lines (or a JSON list) whose every record is an ASQA decision the spider wrote."""
    return crawled_records(data, RECORD_KEYS, ("regulator", "asqa"))


def decision_row(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    """A `regulatory_decisions` row (without first_seen/last_seen: the loader keeps those)."""
    status = text(record.get("status_of_decision")) or None
    row: dict[str, Any] = {column: text(record.get(column)) or None for column in DECISION_COLUMNS}
    effect = in_effect(status)
    row.update(
        decision_id=text(record["decision_id"]),
        organisation_name=" ".join(text(record["organisation_name"]).split()),
        in_effect=None if effect is None else int(effect),
        source_file=source_file,
        snapshot_date=snapshot_date,
    )
    return row


def decision_rows(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [decision_row(record, source_file, snapshot_date) for record in records]


REGISTER = Register(
    id="asqa_decisions",
    label="ASQA's published regulatory decisions",
    abbreviation="ASQA decision",
    jurisdiction="AU",
    about=(
        "Decisions ASQA publishes about registered training organisations (cancellation, "
        "suspension, conditions, scope changes, rejected renewals, written directions), read "
        "page by page from asqa.gov.au, with each decision's status and review outcome."
    ),
    licence=(
        "ASQA website content, © Commonwealth of Australia; check ASQA's copyright notice "
        "before redistribution"
    ),
    source_page="https://www.asqa.gov.au/decisions",
    fetch=Crawled("asqa_decisions"),
    formats=(
        FileFormat(
            "asqa_decisions",
            "ASQA regulatory decisions",
            "regulatory_decisions",
            decision_rows,
            rows_label="ASQA regulatory decisions",
            json_shape=looks_like_crawled_decisions,
        ),
    ),
    entry_page="https://www.asqa.gov.au/decisions/{entry_id}",
)
