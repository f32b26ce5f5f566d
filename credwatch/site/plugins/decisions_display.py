"""Datasette one-off plugin: a provider's regulatory decisions, for the report card.

The report card template includes `_decisions.html`; this plugin gives it `decisions`, the
decisions scoring linked to the provider (by RTO code or name), each with its status, review
outcome and the points it cost, so what the card shows is exactly what was scored. A page
that wants the same list for another provider (the lookup) calls `provider_decisions`.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_decode

DATABASE = "credwatch"
TEMPLATES = ("report_card.html",)
DECISIONS_SQL = """
select d.*, c.rule_id, c.points, c.reason
  from score_contributions c
  join regulatory_decisions d on d.decision_id = c.entry_id
 where c.provider_id = ? and c.register = 'asqa_decisions' and c.rule_id like 'DECISION%'
 order by d.date_of_decision desc, d.decision_id
"""


async def provider_decisions(datasette, provider_id: str) -> list[dict]:
    """The decisions scored on one provider, newest first (none before scoring has run)."""
    db = datasette.get_database(DATABASE)
    for table in ("score_contributions", "regulatory_decisions"):
        if not await db.table_exists(table):
            return []
    return [dict(row) for row in (await db.execute(DECISIONS_SQL, [provider_id])).rows]


@hookimpl
def extra_template_vars(template, request, datasette):
    if template not in TEMPLATES or request is None:
        return {}

    async def decisions() -> dict:
        provider_id = tilde_decode(request.url_vars.get("provider_id", ""))
        return {"decisions": await provider_decisions(datasette, provider_id)}

    return decisions
