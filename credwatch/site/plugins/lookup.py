"""Datasette one-off plugin: the learner's lookup at `/-/lookup?q=` and register cards.

The lookup runs the matcher `credwatch check` runs (`scoring.commands.check.lookup_report`),
in-process, on a register index built once when the server starts (or loaded from the cache
file `credwatch publish` leaves beside the database), never per request. Every register
entry it names leads somewhere: the provider's report card when a crawl reached it, else
the entry's register card at `/-/register/{register}/{entry_id}`. Both have a `.json` form.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

import sqlite_utils
from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response

from credwatch.core.asof import human_date, status_as_of
from credwatch.core.errors import CredwatchError
from registry_data.registers import REGISTERS, entry_reference, register_label
from scoring.commands.check import lookup_report
from scoring.matching import RegisterIndex, load_index

DATABASE = "credwatch"
MAX_QUERY = 200  # characters: a name, a code or a web address is never longer
ACCEPTED = ("matched", "probable")
# A regulator's decisions linked to a register entry when scoring ran (by the code the
# decision page gives, else by the matcher on its organisation name, with its evidence).
DECISIONS_BY_ENTRY_SQL = """
select decision_id, decision_type, date_of_decision, status_of_decision, status_of_review,
       in_effect, source_url, organisation_name, rto_code, linked_by, link_decision,
       link_confidence, link_reason
  from regulatory_decisions where linked_register = ? and linked_entry_id = ?
 order by date_of_decision desc, decision_id
"""
INDEXES: dict[str, RegisterIndex] = {}
log = logging.getLogger(__name__)


def build_index(path: str) -> RegisterIndex:
    db = sqlite_utils.Database(path)
    try:
        return load_index(db, path)
    finally:
        db.close()


@hookimpl
def startup(datasette):
    async def load() -> None:
        if DATABASE not in datasette.databases:
            return
        path = datasette.get_database(DATABASE).path
        try:
            INDEXES[DATABASE] = await asyncio.to_thread(build_index, path)
        except CredwatchError as error:  # no registers published: the rest of the site works
            log.warning("lookup disabled: %s", error)

    return load


def register_card_path(datasette, register: str, entry_id: str) -> str:
    return datasette.urls.path(f"/-/register/{quote(register)}/{quote(entry_id, safe='')}")


def _crawled_providers(conn, tables: frozenset[str], report: dict) -> dict[tuple, dict]:
    """Crawled providers matched to the entries of a report, by (register, entry_id)."""
    keys = [(e["register"], e["entry_id"]) for e in report["entries"]]
    if not keys or "provider_matches" not in tables:
        return {}
    where = " or ".join("(m.register = ? and m.entry_id = ?)" for _ in keys)
    rows = conn.execute(
        "select m.register, m.entry_id, p.id, p.name from provider_matches m "
        "join providers p on p.id = m.provider_id where m.decision in ('matched', 'probable') "
        f"and ({where})",
        [value for key in keys for value in key],
    )
    return {(row["register"], row["entry_id"]): dict(row) for row in rows}


def _attach_decisions(conn, tables: frozenset[str], report: dict) -> None:
    """Each accepted entry gets the published decisions linked to it (in effect or not,
    with the review outcome and how it was linked); the strongest evidence a learner can get."""
    linked = "regulatory_decisions" in tables and any(
        row[1] == "linked_register"
        for row in conn.execute("pragma table_info(regulatory_decisions)")
    )
    for entry in report["entries"]:
        entry["decisions"] = []
        if linked:
            rows = conn.execute(DECISIONS_BY_ENTRY_SQL, [entry["register"], entry["entry_id"]])
            entry["decisions"] = [dict(row) for row in rows]


def answer(conn, tables: frozenset[str], index: RegisterIndex, text: str) -> tuple[dict, dict]:
    """The matcher's report with its entries' decisions, and the crawled providers matched to
    them: run together in one call on a SQL thread (matching is CPU work that must not hold
    up the event loop, and a busy server queues each call to the thread pool)."""
    report = lookup_report(index, text)
    _attach_decisions(conn, tables, report)
    return report, _crawled_providers(conn, tables, report)


def _link(datasette, report: dict, crawled: dict[tuple, dict]) -> None:
    """Every entry gets its register card; an accepted one its crawled report card, if any."""
    for entry in [*report["entries"], *report["rejected"]]:
        entry["register_card"] = register_card_path(datasette, entry["register"], entry["entry_id"])
    for entry in report["entries"]:  # a rejected candidate never links a report card
        provider = crawled.get((entry["register"], entry["entry_id"]))
        entry["report_card"] = (
            datasette.urls.path(f"/-/report/{quote(provider['id'], safe=':')}")
            if provider
            else None
        )
    report["report_card"] = next(
        (e["report_card"] for e in report["entries"] if e["report_card"]), None
    )


async def lookup_page(datasette, request) -> Response:
    text = (request.args.get("q") or "").strip()[:MAX_QUERY]
    report = None
    if text:
        index = INDEXES.get(DATABASE)
        if index is None:
            return Response.text("The register index is not loaded", status=503)
        db = datasette.get_database(DATABASE)
        tables = frozenset(await db.table_names())
        report, crawled = await db.execute_fn(lambda conn: answer(conn, tables, index, text))
        _link(datasette, report, crawled)
    if request.url_vars.get("format"):
        return Response.json(report or {"query": {"name": ""}, "error": "give ?q=NAME"})
    context = {"q": text, "report": report, "human_date": human_date}
    html = await datasette.render_template("lookup.html", context, request=request)
    return Response.html(html)


async def register_card(datasette, request) -> Response:
    register = tilde_decode(request.url_vars["register"])
    entry_id = tilde_decode(request.url_vars["entry_id"])
    db = datasette.get_database(DATABASE)
    if register not in REGISTERS or not await db.table_exists("registry_entries"):
        raise NotFound("No such register")
    rows = (
        await db.execute(
            "select * from registry_entries where register = ? and entry_id = ?",
            [register, entry_id],
        )
    ).rows
    if not rows:
        raise NotFound("No such register entry")
    entry = dict(rows[0])
    card = {
        "register": register,
        "register_label": register_label(register),
        "reference": entry_reference(register, entry_id),
        "entry": entry,
        "as_of": status_as_of(entry.get("status"), entry.get("snapshot_date")),
        "register_url": entry.get("source_url") or REGISTERS[register].entry_url(entry_id),
        "history": await _history(db, register, entry_id),
    }
    if request.url_vars.get("format"):
        return Response.json(card)
    context = {**card, "human_date": human_date, "database": DATABASE}
    html = await datasette.render_template("register_card.html", context, request=request)
    return Response.html(html)


async def _history(db, register: str, entry_id: str) -> list[dict]:
    """What the snapshots recorded about this entry (appeared, disappeared, changed)."""
    if not await db.table_exists("registry_changes"):
        return []
    rows = await db.execute(
        "select * from registry_changes where register = ? and entry_id = ? order by rowid",
        [register, entry_id],
    )
    return [dict(row) for row in rows.rows]


@hookimpl
def register_routes():
    return [
        (r"^/-/lookup(?P<format>\.json)?$", lookup_page),
        (
            r"^/-/register/(?P<register>[a-z_]+)/(?P<entry_id>[^/]+?)(?P<format>\.json)?$",
            register_card,
        ),
    ]
