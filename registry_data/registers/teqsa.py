"""TEQSA National Register of higher education providers, as crawled into JSON lines.

TEQSA publishes no bulk file, so the crawler's register spider reads the register's pages
(`credwatch crawl --register teqsa --to DIR`) and writes one JSON object per provider page:
`register` ("teqsa"), `entry_id` (`PRV` + 5 digits), `legal_name`, `trading_names`, the
page's lower-cased `status`, ISO dates, `website`, `abn`, head-office `state`, the page's
`source_url` and `extra`. Such a file is recognised by those records, whatever its name.
Cancelled, withdrawn and expired providers stay listed; their status says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry_data.declaration import Crawled, FileFormat, Register, Statuses, crawled_records
from registry_data.rows import entry_row
from registry_data.values import text

RECORD_KEYS = ("register", "entry_id", "legal_name")
STATUSES = Statuses(
    current=("registered", "registration ongoing pending renewal"),
    sanctions=("suspended",),
    ended=("cancelled", "withdrawn", "expired", "not registered"),
)


def looks_like_crawled_entries(data: Any) -> bool:
    """JSON lines (or a JSON list) whose every record is a TEQSA entry the spider wrote."""
    return crawled_records(data, RECORD_KEYS, ("register", REGISTER.id))


def teqsa_entry(record: dict[str, Any], source_file: str, snapshot_date: str) -> dict:
    status = text(record.get("status")) or None
    return entry_row(
        REGISTER.id,
        text(record["entry_id"]),
        text(record["legal_name"]),
        trading_names=record.get("trading_names") or (),
        status=status,
        is_current=STATUSES.is_current(status),
        category=text(record.get("category")) or None,
        start_date=record.get("start_date"),
        end_date=record.get("end_date"),
        website=text(record.get("website")),
        abn=text(record.get("abn")) or None,
        state=text(record.get("state")) or None,
        country=REGISTER.jurisdiction,
        source_file=source_file,
        source_url=text(record.get("source_url")) or None,
        snapshot_date=snapshot_date,
        extra=record.get("extra") or {},
    )


def teqsa_entries(records: Iterable[dict], source_file: str, snapshot_date: str) -> list:
    return [teqsa_entry(record, source_file, snapshot_date) for record in records]


REGISTER = Register(
    id="teqsa",
    label="the TEQSA National Register",
    abbreviation="TEQSA",
    jurisdiction="AU",
    about=(
        "TEQSA's National Register of higher education providers, read page by page from "
        "teqsa.gov.au (no bulk file is published); registration status as the page shows it."
    ),
    licence=(
        "TEQSA website content, © Commonwealth of Australia; check TEQSA's copyright notice "
        "before redistribution"
    ),
    source_page="https://www.teqsa.gov.au/national-register",
    fetch=Crawled("teqsa"),
    formats=(
        FileFormat(
            "teqsa",
            "TEQSA National Register entries",
            "registry_entries",
            teqsa_entries,
            rows_label="TEQSA National Register providers",
            json_shape=looks_like_crawled_entries,
        ),
    ),
    statuses=STATUSES,
    # The id form of a provider page (TEQSA's own links also use /provider/{slug}); the crawl
    # keeps each provider's page in `source_url`.
    entry_page="https://www.teqsa.gov.au/national-register/provider/{entry_id}",
)
