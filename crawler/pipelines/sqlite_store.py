"""Store a provider's items in the working SQLite database, in batches, never deleting."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlite_utils import Database

from crawler.items import Claim, Offering, ProviderPage
from crawler.pipelines import provider_id, sha1_id, utc_now
from crawler.schema import migrations as crawl_tables
from credwatch.core.db import open_db
from credwatch.core.identity import hostname

OFFERING_COLUMNS = tuple(
    field.name
    for field in dataclasses.fields(Offering)
    if field.name not in {"claims", "extra", "ref"}
)


def offering_id(offering: Offering) -> str:
    """sha1 of the offering's URL; courses sharing a page add their ref."""
    return sha1_id(offering.url, offering.ref) if offering.ref else sha1_id(offering.url)


def upsert_keeping_first_seen(
    db: Database, table: str, rows: Sequence[dict[str, Any]], pk: Sequence[str]
) -> None:
    """Insert rows, or update every column of existing ones except their `first_seen`.

    sqlite-utils' upsert would overwrite `first_seen` with this run's time; raw
    `INSERT ... ON CONFLICT DO UPDATE` keeps it and is also the fastest bulk write.
    """
    if not rows:
        return
    columns = list(rows[0])
    kept = {*pk, "first_seen"}
    updates = ", ".join(f"[{name}] = excluded.[{name}]" for name in columns if name not in kept)
    sql = (
        f"INSERT INTO [{table}] ({', '.join(f'[{name}]' for name in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(f'[{name}]' for name in pk)}) DO UPDATE SET {updates}"
    )
    db.conn.executemany(sql, [tuple(row[name] for name in columns) for row in rows])


class SqliteStorePipeline:
    """Buffer items and write them every `CREDWATCH_STORE_BATCH` items and at close.

    Each flush is one transaction. Rows are upserted: an offering keeps its `first_seen`
    and gets this run's `last_seen` and `crawl_run_id` (and is `current` again if it had
    been removed); offerings a failed crawl did not reach are left as they were
    (last-known-good data), and so is the provider's `last_seen` when nothing was stored.
    """

    def __init__(self, crawler: Crawler, db_path: str, run_id: str, batch_size: int):
        self.crawler = crawler
        self.db_path = db_path
        self.run_id = run_id
        self.batch_size = batch_size
        self.buffer: list[Any] = []
        self.db: Database | None = None
        self.seen_at = ""
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.get("CREDWATCH_DB"):
            raise NotConfigured("no CREDWATCH_DB path")
        return cls(
            crawler,
            settings["CREDWATCH_DB"],
            settings.get("CREDWATCH_RUN_ID") or utc_now(),
            settings.getint("CREDWATCH_STORE_BATCH", 500),
        )

    def open_spider(self) -> None:
        self.db = open_db(self.db_path, crawl_tables)
        self.seen_at = utc_now()

    def process_item(self, item: Any) -> Any:
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def close_spider(self) -> None:
        assert self.db is not None
        self.flush()
        with self.db.atomic():
            self._store_provider(seen=self.stored > 0)
        self.db.close()

    def flush(self) -> None:
        """Write and clear the buffer in one transaction."""
        assert self.db is not None
        items, self.buffer = self.buffer, []
        offerings = [item for item in items if isinstance(item, Offering)]
        pages = [item for item in items if isinstance(item, ProviderPage)]
        self.stored += len(offerings) + len(pages)
        with self.db.atomic():
            if offerings or pages:
                self._store_provider(seen=True)
            upsert_keeping_first_seen(
                self.db, "offerings", [self._offering_row(item) for item in offerings], ["id"]
            )
            upsert_keeping_first_seen(self.db, "claims", self._claim_rows(items), ["id"])
            upsert_keeping_first_seen(self.db, "outbound_links", self._link_rows(pages), ["id"])

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    @cached_property
    def provider_id(self) -> str:
        """Computed once: every row of the crawl carries it (one spider, one provider)."""
        return provider_id(self.spider.provider_url)

    def _store_provider(self, seen: bool) -> None:
        """Upsert the provider, moving `last_seen` only when this crawl stored its data;
        a provider first met by a failed crawl gets a row that was never seen."""
        row = {
            "id": self.provider_id,
            "name": self.spider.provider_name,
            "url": self.spider.provider_url,
            "spider": self.spider.name,
            "first_seen": self.seen_at,
            "last_seen": self.seen_at if seen else None,
        }
        if seen:
            upsert_keeping_first_seen(self.db, "providers", [row], ["id"])
        else:
            self.db["providers"].insert(row, pk="id", ignore=True)

    def _offering_row(self, offering: Offering) -> dict[str, Any]:
        row = {name: getattr(offering, name) for name in OFFERING_COLUMNS}
        row.update(
            id=offering_id(offering),
            provider_id=self.provider_id,
            spider=offering.spider or self.spider.name,
            extra=json.dumps(offering.extra, ensure_ascii=False, sort_keys=True),
            first_seen=self.seen_at,
            last_seen=self.seen_at,
            crawl_run_id=self.run_id,
            status="current",
            removed_in_run=None,
        )
        return row

    def _claim_rows(self, items: Iterable[Any]) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for item in items:
            if isinstance(item, Offering):
                of_offering: str | None = offering_id(item)
            elif isinstance(item, ProviderPage):
                of_offering = None
            else:
                continue
            for claim in item.claims:
                row = self._claim_row(claim, item.url, of_offering)
                rows[row["id"]] = row
        return list(rows.values())

    def _link_rows(self, pages: list[ProviderPage]) -> list[dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for page in pages:
            for url in page.outbound_links:
                host = hostname(url) or ""
                row_id = sha1_id(self.provider_id, host)
                rows.setdefault(
                    row_id,
                    {
                        "id": row_id,
                        "provider_id": self.provider_id,
                        "host": host,
                        "url": url,
                        "page_url": page.url,
                        "first_seen": self.seen_at,
                        "last_seen": self.seen_at,
                    },
                )
        return list(rows.values())

    def _claim_row(self, claim: Claim, page_url: str, offering_id: str | None) -> dict[str, Any]:
        url = claim.url or page_url
        return {
            "id": sha1_id(self.provider_id, url, claim.kind, claim.value),
            "provider_id": self.provider_id,
            "offering_id": offering_id,
            "kind": claim.kind,
            "value": claim.value,
            "text": claim.text,
            "url": url,
            "first_seen": self.seen_at,
            "last_seen": self.seen_at,
        }
