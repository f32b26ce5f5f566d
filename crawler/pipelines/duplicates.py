"""The one pipeline that drops: a page reached twice must not become two offerings."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import RegisterEntry
from crawler.pipelines import StatsPipeline


def item_key(item: Any) -> tuple[str, ...]:
    """What makes an item the same item: its URL (and its ref among courses sharing one
    page), or a register entry's own id."""
    if isinstance(item, RegisterEntry):
        return ("RegisterEntry", item.register, item.entry_id)
    return (type(item).__name__, item.url, getattr(item, "ref", None) or "")


class DropDuplicateUrlsPipeline(StatsPipeline):
    """Drop an item whose key was already seen in this provider's crawl."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.seen: set[tuple[str, ...]] = set()

    def process_item(self, item: Any) -> Any:
        key = item_key(item)
        if key in self.seen:
            self.stats.inc_value("credwatch/duplicate_dropped")
            raise DropItem(f"duplicate {key[0]} {key[1:]}")
        self.seen.add(key)
        return item
