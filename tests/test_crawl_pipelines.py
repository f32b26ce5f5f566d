"""Item pipelines, one job each, driven directly with a minimal crawler (no reactor)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import Claim, Offering, ProviderPage, RegisterEntry
from crawler.pipelines import sqlite_store
from crawler.pipelines.check_fields import CheckFieldsPipeline
from crawler.pipelines.clean import CleanTextPipeline
from crawler.pipelines.duplicates import DropDuplicateUrlsPipeline
from crawler.pipelines.free_certificate import FreeCertificateClaimPipeline
from crawler.pipelines.jsonl import JsonLinesExportPipeline
from crawler.pipelines.sqlite_store import SqliteStorePipeline
from credwatch.pipeline import open_work_db
from scoring.rules import flag_offering

HOME = "https://www.survivefirstaid.com.au/"


def make_crawler(**settings: Any) -> SimpleNamespace:
    crawler = SimpleNamespace(
        settings=Settings(settings),
        spider=SimpleNamespace(name="structured_data", provider_name="Survive First Aid",
                               provider_url=HOME),
    )  # fmt: skip
    crawler.stats = MemoryStatsCollector(crawler)
    return crawler


def offering(url: str = HOME + "courses/hltaid011/", **fields: Any) -> Offering:
    values = {
        "provider_name": "Survive First Aid",
        "provider_url": HOME,
        "title": "Provide First Aid",
        "url": url,
        "price": 135.0,
        "currency": "AUD",
        "claims": [Claim("rto_code", "40764", "RTO 40764", url)],
    }
    return Offering(**(values | fields))


def test_clean_strips_normalises_and_counts_mis_decoded_text() -> None:
    crawler = make_crawler()
    item = offering(
        title="  Provide\n  First Aid\u00a0(HLTAID011) ",
        description="Cafe\u0301 staff welcome.\nBring ID.  ",
        certificate_text="   ",
        duration_text="Caf\ufffd hours",
        claims=[Claim("rto_code", " 40764 ", "  RTO\n40764 ", " https://x/ ")],
    )
    cleaned = CleanTextPipeline.from_crawler(crawler).process_item(item)
    assert cleaned.title == "Provide First Aid (HLTAID011)"
    assert cleaned.description == "Café staff welcome.\nBring ID."  # NFC, lines kept
    assert cleaned.certificate_text is None
    assert cleaned.claims == [Claim("rto_code", "40764", "RTO 40764", "https://x/")]
    assert crawler.stats.get_value("credwatch/text/replacement_char") == 1


def test_clean_tidies_register_trading_names() -> None:
    entry = RegisterEntry("teqsa", "PRV12169", " Holmesglen  Institute ",
                          trading_names=[" Holmesglen ", " "])  # fmt: skip
    cleaned = CleanTextPipeline.from_crawler(make_crawler()).process_item(entry)
    assert (cleaned.legal_name, cleaned.trading_names) == ("Holmesglen Institute", ["Holmesglen"])


def test_check_fields_counts_missing_and_invalid_without_dropping() -> None:
    crawler = make_crawler()
    pipeline = CheckFieldsPipeline.from_crawler(crawler)
    item = offering(price=-5.0, currency=None, duration_hours=None)
    assert pipeline.process_item(item) is item
    stats = crawler.stats.get_stats()
    assert stats["credwatch/field/duration_hours/missing"] == 1
    assert stats["credwatch/field/currency/missing"] == 1
    assert stats["credwatch/field/price/invalid"] == 1
    assert "credwatch/field/title/missing" not in stats
    assert stats["credwatch/items/Offering"] == 1


def test_free_certificate_claims_follow_the_offering_data_not_the_page_around_it() -> None:
    pipeline = FreeCertificateClaimPipeline()
    menu = Claim("free_certificate", "free certificate", "Free Diploma", HOME)
    paid = pipeline.process_item(
        offering(description="Includes a free certificate of completion.", claims=[menu])
    )
    assert paid.claims == []  # the learner pays 135: no free certificate, as the flag says
    fee_free_url = HOME + "courses/hltaid012/"
    fee_free = pipeline.process_item(
        offering(
            url=fee_free_url,
            title="Provide First Aid in an Education and Care Setting (HLTAID012) – Fee-Free",
            certificate_text="Statement of Attainment",
            price=0.0,
        )
    )
    assert fee_free.claims == [
        Claim("rto_code", "40764", "RTO 40764", fee_free_url),
        Claim(
            "free_certificate",
            "free certificate",
            "Provide First Aid in an Education and Care Setting (HLTAID012) – Fee-Free",
            fee_free_url,
        ),
    ]
    withheld = pipeline.process_item(
        offering(description="Free course; certificate not included.", price=0.0, claims=[])
    )
    assert [(c.kind, c.value, c.text) for c in withheld.claims] == [
        ("disclaimer", "free_certificate", "Free course; certificate not included.")
    ]


def test_offering_claims_agree_with_the_flag_on_every_labelled_listing(shared_dir: Path) -> None:
    """The dev set's 345 real listings as crawled offerings: the stored claim and the flag
    scoring raises from the same columns say the same thing about a free certificate."""
    pipeline = FreeCertificateClaimPipeline()
    with (shared_dir / "eval" / "offerings-dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    raised = 0
    for row in rows:
        item = offering(
            url=f"https://provider.example/{row['id']}",
            title=row["title"],
            description=row["description"] or None,
            certificate_text=row["certificate_text"] or None,
            price=float(row["price"]) if row["price"].replace(".", "", 1).isdigit() else None,
            claims=[],
        )
        claims = pipeline.process_item(item).claims
        stored = {name: getattr(item, name) for name in ("title", "description", "price")}
        flag = flag_offering(
            {"id": row["id"], **stored, "certificate_text": item.certificate_text}
        ).hits.get("FREE_CERTIFICATE")
        claimed = [c for c in claims if c.kind == "free_certificate"]
        assert bool(claimed) == (flag is not None), row["id"]
        if flag is not None:
            raised += 1
            assert flag.evidence_text in claimed[0].text, row["id"]
    assert raised >= 20  # the dev set's free certificates, every one claimed


def test_duplicates_drop_only_a_repeated_url_of_the_same_kind() -> None:
    crawler = make_crawler()
    pipeline = DropDuplicateUrlsPipeline.from_crawler(crawler)
    pipeline.process_item(offering())
    pipeline.process_item(ProviderPage("Survive First Aid", HOME, offering().url))
    with pytest.raises(DropItem):
        pipeline.process_item(offering(title="Same page, read twice"))
    assert crawler.stats.get_value("credwatch/duplicate_dropped") == 1


def test_jsonl_writes_one_object_per_offering_with_claims(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    pipeline = JsonLinesExportPipeline.from_crawler(make_crawler(CREDWATCH_JSONL=str(path)))
    pipeline.open_spider()
    pipeline.process_item(offering())
    pipeline.process_item(ProviderPage("Survive First Aid", HOME, HOME + "about/"))
    pipeline.close_spider()
    (line,) = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["title"] == "Provide First Aid" and record["price"] == 135.0
    assert record["claims"] == [
        {"kind": "rto_code", "value": "40764", "text": "RTO 40764", "url": offering().url}
    ]


def store(db_path: Path, items: list[Any], run_id: str, batch: int = 500) -> SqliteStorePipeline:
    crawler = make_crawler(
        CREDWATCH_DB=str(db_path), CREDWATCH_RUN_ID=run_id, CREDWATCH_STORE_BATCH=batch
    )
    pipeline = SqliteStorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    for item in items:
        pipeline.process_item(item)
    pipeline.close_spider()
    return pipeline


def test_store_writes_provider_offerings_and_claims(tmp_path: Path) -> None:
    db_path = tmp_path / "work.db"
    about = ProviderPage(
        "Survive First Aid", HOME, HOME + "about/",
        claims=[Claim("abn", "51824753556", "ABN 51 824 753 556")],
    )  # fmt: skip
    store(db_path, [offering(), about], run_id="run-1")
    db = open_work_db(db_path)
    (provider,) = db["providers"].rows
    assert (provider["id"], provider["spider"]) == ("survivefirstaid.com.au", "structured_data")
    (row,) = db["offerings"].rows
    assert row["crawl_run_id"] == "run-1" and row["provider_id"] == "survivefirstaid.com.au"
    assert len(row["id"]) == 40 and row["extra"] == "{}"
    claims = {(c["kind"], c["value"], c["offering_id"]) for c in db["claims"].rows}
    assert claims == {("rto_code", "40764", row["id"]), ("abn", "51824753556", None)}


def test_store_upsert_keeps_first_seen_and_never_deletes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "work.db"
    monkeypatch.setattr(sqlite_store, "utc_now", lambda: "2026-11-01T00:00:00+00:00")
    store(db_path, [offering(), offering(HOME + "courses/cpr/", title="CPR")], run_id="run-1")
    monkeypatch.setattr(sqlite_store, "utc_now", lambda: "2026-11-08T00:00:00+00:00")
    store(db_path, [offering(price=140.0)], run_id="run-2")
    rows = {row["title"]: row for row in open_work_db(db_path)["offerings"].rows}
    assert rows["Provide First Aid"]["first_seen"] == "2026-11-01T00:00:00+00:00"
    assert rows["Provide First Aid"]["last_seen"] == "2026-11-08T00:00:00+00:00"
    assert (rows["Provide First Aid"]["price"], rows["Provide First Aid"]["crawl_run_id"]) == (
        140.0,
        "run-2",
    )
    assert rows["CPR"]["last_seen"] == "2026-11-01T00:00:00+00:00"  # not seen again: kept


def test_store_flushes_in_batches_before_the_spider_closes(tmp_path: Path) -> None:
    db_path = tmp_path / "work.db"
    crawler = make_crawler(CREDWATCH_DB=str(db_path), CREDWATCH_STORE_BATCH=2)
    pipeline = SqliteStorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    for number in range(3):
        pipeline.process_item(offering(f"{HOME}courses/{number}/"))
    assert open_work_db(db_path)["offerings"].count == 2
    pipeline.close_spider()
    assert open_work_db(db_path)["offerings"].count == 3
