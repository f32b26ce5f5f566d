"""A small working database shaped like a real run, and the published file built from it."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from credwatch.pipeline import open_work_db
from credwatch.publish import build_public_db

SURVIVE = "127.0.0.1:18101"
REDGUM = "127.0.0.1:18102"
XSS_TITLE = "<script>alert(1)</script> Free Forklift Licence"


def build_sample_work_db(path: Path, *, scored: bool) -> Path:
    """A small working database shaped like a real run: registers, a crawl, optionally scores.

    Register rows are real entries of the training.gov.au 2016 snapshot and CRICOS 2023.
    """
    db = open_work_db(path)
    with db.atomic():
        db["registry_entries"].insert_all(
            [
                rto_entry(
                    "40764", "SURVIVE FIRST AID PTY LTD", "Current", "2013-11-08", "2018-11-07"
                ),
                rto_entry(
                    "21703", "Emergency First Aid Pty Ltd", "Current", "2011-07-01", "2023-04-30"
                ),
                rto_entry("91608", "High Risk Training & Assessing", "Cancelled", "2009-11-10", ""),
                {
                    "register": "cricos",
                    "entry_id": "00012G",
                    "legal_name": "Holmesglen Institute",
                    "trading_names": json.dumps(["Holmesglen", "Holmesglen Institute"]),
                    "status": "registered",
                    "is_current": 1,
                    "state": "VIC",
                    "country": "AU",
                    "website_domain": "holmesglen.edu.au",
                    "source_file": "cricos_institutions_2023-01-03.csv",
                    "snapshot_date": "2023-01-03",
                },
            ]
        )
        db["registry_changes"].insert(
            {
                "register": "cricos",
                "entry_id": "01784K",
                "legal_name": "Kaplan International (Perth) Pty Limited",
                "change": "disappeared",
                "field": "",
                "old_snapshot": "2022-10-04",
                "new_snapshot": "2023-01-03",
            }
        )
        db["blocked_sites"].insert(
            {"domain": "247assignmentcare.com", "snapshot_date": "2026-05-19"}
        )
        _insert_crawl(db)
        if scored:
            _insert_scores(db)
    db.close()
    return path


def rto_entry(code: str, name: str, status: str, start: str, end: str) -> dict:
    return {
        "register": "rto",
        "entry_id": code,
        "legal_name": name,
        "trading_names": "[]",
        "status": status,
        "is_current": int(status == "Current"),
        "category": "ASQA",
        "start_date": start,
        "end_date": end,
        "country": "AU",
        "source_file": "tga_rto_list_2016-02-19.csv",
        "snapshot_date": "2016-02-19",
    }


def _insert_crawl(db: sqlite_utils.Database) -> None:
    seen = "2026-11-29T06:00:00+00:00"
    for provider_id, name in ((SURVIVE, "Survive First Aid"), (REDGUM, "Redgum Ridge Skills")):
        db["providers"].insert(
            {
                "id": provider_id,
                "name": name,
                "url": f"http://{provider_id}/",
                "spider": "structured_data",
                "first_seen": seen,
                "last_seen": seen,
            }
        )
    offerings = [
        (SURVIVE, "Survive First Aid", "Provide Cardiopulmonary Resuscitation (HLTAID009)", 45.0),
        (SURVIVE, "Survive First Aid", "Provide First Aid (HLTAID011)", 120.0),
        (REDGUM, "Redgum Ridge Skills", XSS_TITLE, 0.0),
    ]
    for number, (provider_id, name, title, price) in enumerate(offerings, 1):
        db["offerings"].insert(
            {
                "id": f"offering-{number}",
                "provider_id": provider_id,
                "provider_name": name,
                "provider_url": f"http://{provider_id}/",
                "title": title,
                "url": f"http://{provider_id}/courses/{number}/",
                "description": "Nationally Recognised Training with a practical assessment.",
                "price": price,
                "currency": "AUD",
                "duration_hours": 3.0,
                "certificate_text": "Statement of Attainment",
                "spider": "structured_data",
                "first_seen": seen,
                "last_seen": seen,
            }
        )
    db["claims"].insert_all(
        [
            _claim("claim-1", SURVIVE, "rto_code", "40764", "RTO 40764", f"http://{SURVIVE}/"),
            _claim(
                "claim-4", SURVIVE, "rto_code", "40764", "RTO 40764", f"http://{SURVIVE}/about/"
            ),
            _claim("claim-2", REDGUM, "rto_code", "21703", "RTO 21703", f"http://{REDGUM}/about/"),
            _claim("claim-3", REDGUM, "guarantee", "pass", "Guaranteed pass", "javascript:x()"),
        ]
    )
    db["crawl_outcomes"].insert(
        {
            "crawl_run_id": "20261129T060000Z",
            "provider_id": SURVIVE,
            "provider_url": f"http://{SURVIVE}/",
            "spider": "structured_data",
            "outcome": "ok",
            "items": 2,
            "pages": 7,
            "errors": 0,
            "finished": seen,
        }
    )


def _claim(claim_id: str, provider_id: str, kind: str, value: str, text: str, url: str) -> dict:
    return {
        "id": claim_id,
        "provider_id": provider_id,
        "kind": kind,
        "value": value,
        "text": text,
        "url": url,
        "first_seen": "2026-11-29",
        "last_seen": "2026-11-29",
    }


def _insert_scores(db: sqlite_utils.Database) -> None:
    db["provider_matches"].insert(
        {
            "provider_id": SURVIVE,
            "register": "rto",
            "entry_id": "40764",
            "matched_name": "SURVIVE FIRST AID PTY LTD",
            "decision": "matched",
            "confidence": 0.97,
            "reason": "name and shown RTO code agree",
        }
    )
    db["flags"].insert(
        {
            "id": "flag-1",
            "provider_id": REDGUM,
            "offering_id": "offering-3",
            "rule_id": "FREE_CERTIFICATE",
            "value": 1.0,
            "reason": "Promises a certificate at no cost",
            "evidence_url": f"http://{REDGUM}/courses/3/",
            "evidence_text": "<b>FREE</b> accredited certificate",
        }
    )
    db["score_contributions"].insert_all(
        [
            {
                "id": "c1",
                "provider_id": REDGUM,
                "rule_id": "RTO_CODE_OTHER_ORG",
                "points": -40.0,
                "reason": "The RTO code shown belongs to a different organisation.",
                "evidence_url": f"http://{REDGUM}/about/",
                "evidence_text": "RTO 21703",
                "register": "rto",
                "entry_id": "21703",
                "snapshot_date": "2016-02-19",
                "source": "ASQA: check the RTO on training.gov.au",
            },
            {
                "id": "c2",
                "provider_id": REDGUM,
                "rule_id": "LINK_JS",
                "points": -5.0,
                "reason": "Evidence with a script URL",
                "evidence_url": "javascript:alert(document.cookie)",
                "evidence_text": "<img src=x onerror=alert(2)>",
            },
        ]
    )
    db["provider_scores"].insert_all(
        [
            _score(SURVIVE, "Survive First Aid", 88.0, "A", "Current RTO 40764 (2016 snapshot)"),
            _score(REDGUM, "Redgum Ridge Skills", 22.0, "E", "Shows RTO 21703 of another org"),
        ]
    )


def _score(provider_id: str, name: str, score: float, grade: str, registration: str) -> dict:
    return {
        "provider_id": provider_id,
        "provider_name": name,
        "provider_url": f"http://{provider_id}/",
        "score": score,
        "grade": grade,
        "registration": registration,
        "summary": f"{name}: {registration}.",
        "scored_at": "2026-11-29T06:30:00+00:00",
    }


def publish_sample(directory: Path, *, scored: bool) -> Path:
    """`directory/work.db` from `build_sample_work_db`, published as `directory/credwatch.db`."""
    work = build_sample_work_db(directory / "work.db", scored=scored)
    return build_public_db(work, directory / "credwatch.db").path
