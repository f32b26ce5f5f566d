"""Datasette one-off plugin: a dashboard of charts at `/-/dashboard`, drawn server-side as SVG.

Why not a chart plugin: datasette-plot needs Datasette 1.0 alphas, and datasette-dashboards
(and datasette-vega) fetch their data with arbitrary SQL, which this public instance denies
(`allow_sql: false`). So each chart here runs one canned-query-like SQL statement on the
server and is drawn as plain SVG bars: no script, nothing fetched from elsewhere, readable
without JavaScript, each with a link to the table or query holding its numbers.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DATABASE = "credwatch"
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_WIDTH = 22, 6, 260, 420

# (slug, title, table it needs, SQL returning (label, value) rows, where the numbers live)
CHARTS = (
    (
        "grades",
        "Providers by grade",
        "provider_scores",
        "select grade, count(*) from provider_scores group by grade order by grade",
        "/credwatch/provider_scores?_facet=grade",
    ),
    (
        "flags",
        "Offerings by flag",
        "flags",
        "select rule_id, count(distinct offering_id) from flags where offering_id is not null "
        "group by rule_id order by 2 desc, 1",
        "/credwatch/flags?_facet=rule_id",
    ),
    (
        "register-status",
        "Register entries by register and status (current or not, on the snapshot date)",
        "registry_entries",
        "select register || ': ' || case when is_current then 'current' else 'not current' end, "
        "count(*) from registry_entries group by 1 order by 1",
        "/credwatch/register_status_counts",
    ),
    (
        "scores-over-runs",
        "Average score over crawl runs",
        "score_history",
        "select crawl_run_id, round(avg(score), 1) from score_history "
        "group by crawl_run_id order by crawl_run_id desc limit 20",
        "/credwatch/score_history",
    ),
)


def bar_chart(slug: str, title: str, rows: list[tuple]) -> Markup:
    """Horizontal bars, one per (label, value) row, with the value written beside each."""
    if not rows:
        return Markup('<p class="no-data">No data in this publish.</p>')
    top = max(float(value or 0) for _, value in rows) or 1.0
    height = len(rows) * (BAR_HEIGHT + BAR_GAP)
    parts = [
        f'<svg id="chart-{escape(slug)}" role="img" aria-label="{escape(title)}" '
        f'width="{LABEL_WIDTH + BAR_WIDTH + 80}" height="{height}" '
        f'viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 80} {height}">'
    ]
    for number, (label, value) in enumerate(rows):
        y = number * (BAR_HEIGHT + BAR_GAP)
        width = max(1.0, BAR_WIDTH * float(value or 0) / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}">'
            f"<title>{escape(label)}: {escape(value)}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}">{escape(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


async def dashboard(datasette, request) -> Response:
    db = datasette.get_database(DATABASE)
    charts = []
    for slug, title, needs, sql, numbers in CHARTS:
        rows = (
            [tuple(row) for row in (await db.execute(sql)).rows]
            if await db.table_exists(needs)
            else []
        )
        charts.append(
            {"slug": slug, "title": title, "svg": bar_chart(slug, title, rows), "numbers": numbers}
        )
    html = await datasette.render_template("dashboard.html", {"charts": charts}, request=request)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/-/dashboard$", dashboard)]
