"""Tables of the crawl stage. Rows are upserted, never deleted: a failed crawl keeps the
last-known-good offerings (their `last_seen` simply stops moving); a healthy one marks the
offerings it no longer finds `removed`."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("credwatch.crawl")

CURRENT_OFFERINGS_VIEW = "current_offerings"
# Outcomes a provider's crawl can have; the first two stored data (so `last_seen` moved).
HEALTHY_OUTCOMES = ("ok", "degraded")


@migrations()
def create_crawl_tables(db: Database) -> None:
    db["providers"].create(
        {
            "id": str,  # registrable domain of the provider's URL (host:port on loopback)
            "name": str,
            "url": str,
            "spider": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
    )
    db["offerings"].create(
        {
            "id": str,  # sha1 of the offering URL
            "provider_id": str,
            "provider_name": str,
            "provider_url": str,
            "title": str,
            "url": str,
            "description": str,
            "price": float,
            "currency": str,
            "price_text": str,
            "duration_hours": float,
            "duration_min_hours": float,
            "duration_max_hours": float,
            "duration_text": str,
            "certificate_text": str,
            "delivery_mode": str,
            "issuer": str,
            "spider": str,
            "extra": str,  # JSON
            "first_seen": str,
            "last_seen": str,
            "crawl_run_id": str,
        },
        pk="id",
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db["offerings"].create_index(["provider_id"])
    db["claims"].create(
        {
            "id": str,  # sha1 of (provider_id, url, kind, value)
            "provider_id": str,
            "offering_id": str,  # null for claims on non-course pages
            "kind": str,
            "value": str,
            "text": str,
            "url": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db["claims"].create_index(["provider_id"])
    db["claims"].create_index(["kind", "value"])
    db["crawl_runs"].create(
        {"id": str, "started": str, "finished": str, "providers": int, "items": int},
        pk="id",
    )
    db["crawl_outcomes"].create(
        {
            "crawl_run_id": str,
            "provider_id": str,
            "provider_url": str,
            "spider": str,
            # ok | degraded | no_result | timeout | dns_error | http_error | too_large
            # | robots_forbidden (see crawler.extensions.classify)
            "outcome": str,
            "items": int,
            "pages": int,
            "errors": int,
            "detail": str,
            "started": str,
            "finished": str,
        },
        pk=("crawl_run_id", "provider_id"),
    )


@migrations()
def add_crawl_outcome_stats(db: Database) -> None:
    """Keep each provider crawl's Scrapy stats (JSON), so reports and the publish gate can
    read retries, robots refusals and missing-field counts without the crawl's logs."""
    db["crawl_outcomes"].add_column("stats", str)


@migrations()
def create_outbound_links(db: Database) -> None:
    """Hosts a provider's pages link to, one row per host, for the blocked-site check."""
    db["outbound_links"].create(
        {
            "id": str,  # sha1 of (provider_id, host)
            "provider_id": str,
            "host": str,
            "url": str,  # the first link to that host met
            "page_url": str,  # the page it was on
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        foreign_keys=[("provider_id", "providers", "id")],
    )
    db["outbound_links"].create_index(["host"])


@migrations()
def add_offering_status(db: Database) -> None:
    """Offerings a healthy crawl no longer finds are `removed` (in run `removed_in_run`;
    `crawl_run_id` stays the last run that saw them), never deleted; `current_offerings` is
    what score and publish read. Outcomes now include `degraded` (see crawler.extensions)."""
    db["offerings"].add_column("status", str, not_null_default="current")
    db["offerings"].add_column("removed_in_run", str)
    db.create_view(
        CURRENT_OFFERINGS_VIEW, "select * from offerings where status = 'current'", replace=True
    )


@migrations()
def index_outbound_links_by_provider(db: Database) -> None:
    """Scoring reads each provider's links on its own (memory stays flat as the crawl grows)."""
    db["outbound_links"].create_index(["provider_id"], if_not_exists=True)
