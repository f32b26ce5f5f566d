"""Datasette one-off plugin: a report card page per provider at `/-/report/{provider_id}`.

A learner needs one page that says who the provider is, whether a register knows it, and why
it scored what it did, each point with the page and quoted text it rests on. Everything shown
comes from the published database; crawled text is auto-escaped by the template, and links
are made only for http(s) URLs. Until scoring has run, the page still shows registration
evidence, offerings and claims, and says "not scored yet". It also lists the regulatory
decisions scoring linked to the provider, with their status, review outcome and points, and
the reviewed corrections (`overrides/overrides.yml`, published as `overrides`), applied or
expired, so a reader sees what was changed, by whom and why.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from functools import cache
from urllib.parse import quote, urlsplit

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Response
from jinja2 import BaseLoader, Environment, Template
from markupsafe import Markup, escape

from credwatch.core.asof import human_date, human_duration, status_as_of
from credwatch.site.scorecard import breakdown, waterfall_svg
from registry_data.registers import REGISTERS

DATABASE = "credwatch"
# Claim kinds that quote a register code, and the register each code belongs to.
CODE_REGISTERS = {"rto_code": "rto", "cricos_code": "cricos"}
ACCEPTED = ("matched", "probable")
EVIDENCE_TEMPLATE = "_report_card_evidence.html"
DECISIONS_SQL = """
select d.*, c.rule_id, c.points, c.reason
  from score_contributions c
  join regulatory_decisions d on d.decision_id = c.entry_id
 where c.provider_id = ? and c.register = 'asqa_decisions' and c.rule_id like 'DECISION%'
 order by d.date_of_decision desc, d.decision_id
"""
# What the card shows of each offering (not its description: long, and never shown).
OFFERINGS_SQL = """
select id, title, url, price, currency, price_text, duration_hours, duration_text,
       certificate_text
  from offerings where provider_id = ? order by title
"""


def http_url(value: object) -> str | None:
    """The value if it is an http(s) URL, else None: never link `javascript:` or `data:`."""
    if not isinstance(value, str):
        return None
    return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else None


def link(url: object, label: str | None = None) -> Markup:
    """An http(s) URL as a `nofollow` link; any other URL as plain text, never a link."""
    href = http_url(url)
    if href:
        return Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(href, label or href)
    return Markup('<span class="unlinked-url">{}</span>').format(url) if url else Markup("")


def report_path(datasette, provider_id: str) -> str:
    """Ids are domains or host:port, which are safe in a path as they are."""
    # A path-hosted provider's id has a `/` (`sites.google.com/view/acme`): tilde-encode it.
    path = quote(provider_id, safe=":").replace("%2F", "~2F")
    return datasette.urls.path(f"/-/report/{path}")


class Reader:
    """The report card's queries, run together in one call on a SQL thread: one wait in the
    thread pool per page, not one per query (a busy server queues every call), and none
    for a table this database lacks (`tables`, from Datasette's cached schema)."""

    def __init__(self, conn: sqlite3.Connection, tables: frozenset[str]) -> None:
        self.conn = conn
        self.tables = tables

    def rows(self, table: str, sql: str, params: list) -> list[dict]:
        """Rows of a query on `table`, or none when this database has no such table."""
        if table not in self.tables:
            return []
        return [dict(row) for row in self.conn.execute(sql, params)]

    def first(self, table: str, sql: str, params: list) -> dict | None:
        rows = self.rows(table, sql, params)
        return rows[0] if rows else None

    def register_entry(self, register: str, entry_id: str) -> dict | None:
        return self.first(
            "registry_entries",
            "select register, entry_id, legal_name, status, is_current, start_date, end_date, "
            "snapshot_date, source_file from registry_entries where register = ? and entry_id = ?",
            [register, entry_id],
        )

    def matches(self, provider_id: str) -> list[dict]:
        matches = self.rows(
            "provider_matches",
            "select * from provider_matches where provider_id = ? order by confidence desc",
            [provider_id],
        )
        for match in matches:
            match["entry"] = self.register_entry(match["register"], match["entry_id"])
        return matches

    def claims(self, provider_id: str) -> list[dict]:
        """One row per distinct claim (a footer repeats it on every page), with all its pages."""
        rows = self.rows(
            "claims",
            "select * from claims where provider_id = ? order by kind, value, url",
            [provider_id],
        )
        claims: dict[tuple[str, str], dict] = {}
        for row in rows:
            claim = claims.setdefault((row["kind"], row["value"]), {**row, "urls": []})
            claim["urls"].append(row["url"])
        for claim in claims.values():
            register = CODE_REGISTERS.get(claim["kind"])
            claim["entry"] = self.register_entry(register, claim["value"]) if register else None
        return list(claims.values())

    def offerings(self, provider_id: str) -> tuple[list[dict], list[dict]]:
        """The provider's offerings, each with its flags, and the flags on no offering."""
        offerings = self.rows("offerings", OFFERINGS_SQL, [provider_id])
        flags = self.rows(
            "flags", "select * from flags where provider_id = ? order by rule_id", [provider_id]
        )
        by_offering: dict[str, list[dict]] = defaultdict(list)
        for flag in flags:
            by_offering[flag["offering_id"]].append(flag)
        for offering in offerings:
            offering["flag_rows"] = by_offering.pop(offering["id"], [])
        provider_flags = [flag for rows in by_offering.values() for flag in rows]
        return offerings, provider_flags

    def card(self, provider_id: str) -> dict | None:
        """Everything the report card shows, or None for an unknown provider."""
        provider = self.first("providers", "select * from providers where id = ?", [provider_id])
        if provider is None:
            return None
        score = self.first(
            "provider_scores", "select * from provider_scores where provider_id = ?", [provider_id]
        )
        contributions = self.rows(
            "score_contributions",
            "select * from score_contributions where provider_id = ? order by points, rule_id",
            [provider_id],
        )
        rules = {
            row["rule_id"]: row
            for row in self.rows("rules", "select rule_id, meaning, cap from rules", [])
        }
        matches = self.matches(provider_id)
        offerings, provider_flags = self.offerings(provider_id)
        return {
            "provider": provider,
            "score": score,
            "breakdown": breakdown(score, contributions, rules) if score else None,
            "matched": [m for m in matches if m["decision"] in ACCEPTED],
            "rejected": [m for m in matches if m["decision"] not in ACCEPTED],
            "claims": self.claims(provider_id),
            "offerings": offerings,
            "provider_flags": provider_flags,
            "outcome": self.first(
                "crawl_outcomes",
                "select * from crawl_outcomes where provider_id = ? order by finished desc limit 1",
                [provider_id],
            ),
            "decisions": self.decisions(provider_id),
            "corrections": self.rows(
                "overrides",
                "select * from overrides where provider_id = ? order by decided desc, id",
                [provider_id],
            ),
        }

    def decisions(self, provider_id: str) -> list[dict]:
        """The regulatory decisions scoring linked to the provider (by RTO code or name),
        newest first, each with the points it cost: exactly what was scored, so none
        before scoring has run."""
        if "score_contributions" not in self.tables:
            return []
        return self.rows("regulatory_decisions", DECISIONS_SQL, [provider_id])


@cache
def evidence_template(loader: BaseLoader) -> Template:
    """The card's evidence part, from the site's template folders, for rendering without
    the event loop (Datasette's own environment renders async, on the loop)."""
    return Environment(loader=loader, autoescape=True, auto_reload=False).get_template(
        EVIDENCE_TEMPLATE
    )


def card_with_evidence(reader: Reader, provider_id: str, template: Template | None) -> dict | None:
    """The card, with its evidence part rendered as HTML when `template` is given."""
    card = reader.card(provider_id)
    if card is not None and template is not None:
        chart = Markup(waterfall_svg(card["breakdown"])) if card["breakdown"] else ""
        helpers = {"link": link, "human_duration": human_duration, "human_date": human_date}
        card["evidence"] = Markup(template.render(**card, chart=chart, **helpers))
    return card


async def _card(db, provider_id: str, template: Template | None) -> dict | None:
    tables = frozenset(await db.table_names())
    return await db.execute_fn(
        lambda conn: card_with_evidence(Reader(conn, tables), provider_id, template)
    )


def card_json(card: dict) -> dict:
    """The JSON form: the start, every row's exact and shown points, and the total."""
    score = card["breakdown"]
    rows = [
        {key: row[key] for key in ("rule_id", "points", "shown", "count", "pages", "reason")}
        for row in (score["rows"] if score else [])
    ]
    return {
        "provider": {key: card["provider"].get(key) for key in ("id", "name", "url")},
        "scored": score is not None,
        "grade": score["grade"] if score else None,
        "start": score["start"] if score else None,
        "rows": rows,
        "range": score["range"] if score else None,
        "total": score["total"] if score else None,
        "total_shown": score["total_shown"] if score else None,
        "registrations": [_match_json(m) for m in card["matched"]],
        "rejected_candidates": [_match_json(m) for m in card["rejected"]],
    }


def _match_json(match: dict) -> dict:
    entry = match.get("entry") or {}
    return {
        "register": match["register"],
        "entry_id": match["entry_id"],
        "decision": match["decision"],
        "legal_name": entry.get("legal_name") or match.get("matched_name"),
        "as_of": status_as_of(entry.get("status"), entry.get("snapshot_date")) if entry else None,
        "reason": match["reason"],
    }


async def report_card(datasette, request) -> Response:
    # Datasette redirects %-escaped paths to its ~-escaping; accept both spellings.
    provider_id = tilde_decode(request.url_vars["provider_id"])
    as_json = bool(request.url_vars.get("format"))
    template = None if as_json else evidence_template(datasette.jinja_env.loader)
    card = await _card(datasette.get_database(DATABASE), provider_id, template)
    if card is None:
        raise NotFound("No provider with that id")
    if as_json:
        return Response.json(card_json(card))
    context = {
        **card,
        "link": link,
        "as_of": status_as_of,
        "human_date": human_date,
        "register_page": register_page,
        "json_url": report_path(datasette, provider_id) + ".json",
        "database": DATABASE,
    }
    html = await datasette.render_template("report_card.html", context, request=request)
    return Response.html(html)


def register_page(register: str, entry_id: str) -> str | None:
    """The register's own page for one entry, when the register has one."""
    declared = REGISTERS.get(register)
    return declared.entry_url(entry_id) if declared else None


@hookimpl
def register_routes():
    return [(r"^/-/report/(?P<provider_id>[^/]+?)(?P<format>\.json)?$", report_card)]


@hookimpl
def render_cell(value, column, table, datasette):
    """Link every provider id in tables and query results to that provider's report card."""
    is_provider_id = column == "provider_id" or (table == "providers" and column == "id")
    if not is_provider_id or not isinstance(value, str) or not value:
        return None
    return Markup('<a href="{}">{}</a>').format(report_path(datasette, value), escape(value))
