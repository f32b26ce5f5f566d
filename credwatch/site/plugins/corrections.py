"""Datasette one-off plugin: the correction trail on each report card.

Reviewed corrections (`overrides/overrides.yml`, applied by `credwatch score`) are published
in the `overrides` table; the report card's `_corrections.html` include lists a provider's,
applied or expired, so a reader sees what was changed, by whom and why.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_decode

DATABASE = "credwatch"


@hookimpl
def extra_template_vars(template, datasette, request):
    if template != "report_card.html":
        return {}

    async def corrections() -> dict:
        provider_id = tilde_decode(request.url_vars["provider_id"])
        db = datasette.get_database(DATABASE)
        if not await db.table_exists("overrides"):
            return {"corrections": []}
        rows = await db.execute(
            "select * from overrides where provider_id = ? order by decided desc, id",
            [provider_id],
        )
        return {"corrections": [dict(row) for row in rows]}

    return corrections
