"""Datasette one-off plugin: the about page at `/about` (what a score means, how to dispute it).

A reader must be able to tell that a score is indicative, how it is computed and how a
provider or a reader can have a verdict corrected; every report card links to the dispute
section here (`/about#dispute`).
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

from scoring.overrides import MAX_POINTS
from scoring.score import BASE_SCORE, GRADES


async def about(datasette, request) -> Response:
    context = {"base_score": BASE_SCORE, "grades": GRADES, "max_points": MAX_POINTS}
    return Response.html(await datasette.render_template("about.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/about$", about)]
