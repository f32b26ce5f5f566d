"""Measure how complete offerings are, without dropping any (alltheplaces' approach)."""

from __future__ import annotations

from typing import Any

from crawler.items import Offering
from crawler.pipelines import StatsPipeline

# Fields a registration or value check relies on; a site may legitimately omit any of them.
WATCHED_FIELDS = (
    "title",
    "description",
    "price",
    "currency",
    "duration_hours",
    "certificate_text",
    "delivery_mode",
)


class CheckFieldsPipeline(StatsPipeline):
    """Count each missing field as `credwatch/field/<name>/missing`, and inconsistent ones
    (a price without a currency, a negative figure) as `credwatch/field/<name>/invalid`."""

    def process_item(self, item: Any) -> Any:
        self.stats.inc_value(f"credwatch/items/{type(item).__name__}")
        if isinstance(item, Offering):
            self._check_offering(item)
        return item

    def _check_offering(self, offering: Offering) -> None:
        for name in WATCHED_FIELDS:
            if getattr(offering, name) in (None, ""):
                self.stats.inc_value(f"credwatch/field/{name}/missing")
        if offering.price is not None and offering.price > 0 and not offering.currency:
            self.stats.inc_value("credwatch/field/currency/invalid")
        for name in ("price", "duration_hours"):
            value = getattr(offering, name)
            if value is not None and value < 0:
                self.stats.inc_value(f"credwatch/field/{name}/invalid")
