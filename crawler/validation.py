"""Item validation, Spidermon's idea without its dependency: every offering is checked
against a schema and each problem counted in the crawl stats, per provider.

Items are never dropped here (a site that omits a price is still news); the counts travel
with the provider's outcome (`crawl_outcomes.stats`) and nightly's gate turns a provider
whose share of invalid items passes the threshold into a degraded provider and a non-zero
exit status. That avoids Spidermon's known pitfall: a monitor that fails only in a log line
while the process still exits 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from crawler.items import Offering
from crawler.pipelines import StatsPipeline

ITEMS_STAT = "credwatch/validation/items"
INVALID_STAT = "credwatch/validation/invalid"
PROBLEM_STAT = "credwatch/validation/problem/{field}/{problem}"

CURRENCY = re.compile(r"[A-Z]{3}")


def _http_url(value: Any) -> bool:
    parts = urlsplit(str(value or ""))
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _non_negative(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and value >= 0)


# field -> (problem name, check that must hold); the schema an offering must meet.
OFFERING_SCHEMA: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "title": ("missing", _text),
    "url": ("not_http_url", _http_url),
    "provider_name": ("missing", _text),
    "provider_url": ("not_http_url", _http_url),
    "price": ("negative_or_not_a_number", _non_negative),
    "duration_hours": ("negative_or_not_a_number", _non_negative),
    "currency": ("not_iso_4217", lambda value: value is None or bool(CURRENCY.fullmatch(value))),
}


def offering_problems(offering: Offering) -> Iterator[tuple[str, str]]:
    """(field, problem) for every schema rule the offering breaks."""
    for name, (problem, holds) in OFFERING_SCHEMA.items():
        if not holds(getattr(offering, name)):
            yield name, problem
    if offering.price and not offering.currency:
        yield "currency", "missing_with_price"


class ValidateItemsPipeline(StatsPipeline):
    """Count offerings checked, offerings invalid, and each problem by field."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Offering):
            self.stats.inc_value(ITEMS_STAT)
            problems = list(offering_problems(item))
            if problems:
                self.stats.inc_value(INVALID_STAT)
            for field, problem in problems:
                self.stats.inc_value(PROBLEM_STAT.format(field=field, problem=problem))
        return item


def validation_counts(stats: dict[str, Any]) -> dict[str, Any]:
    """The validation figures from one provider's stored stats, for the gate and report."""
    prefix = PROBLEM_STAT.split("{")[0]
    return {
        "items": stats.get(ITEMS_STAT, 0),
        "invalid": stats.get(INVALID_STAT, 0),
        "problems": {
            key[len(prefix) :]: count
            for key, count in sorted(stats.items())
            if key.startswith(prefix)
        },
    }
