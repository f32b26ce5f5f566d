"""Optional JSON lines export of offerings (`credwatch crawl --jsonl PATH`)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Self, TextIO

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import Offering


def offering_json(offering: Offering) -> str:
    """One line: every Offering field, claims as objects with kind, value, text and url."""
    return json.dumps(dataclasses.asdict(offering), ensure_ascii=False, sort_keys=False)


class JsonLinesExportPipeline:
    """Append each offering to the run's JSONL file as one line.

    Every provider's crawler appends to the same file from the one reactor thread; each line
    is flushed whole, so lines from different providers never interleave. The runner
    truncates the file when a run starts.
    """

    def __init__(self, path: str):
        self.path = path
        self.file: TextIO | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("CREDWATCH_JSONL")
        if not path:
            raise NotConfigured  # no --jsonl: nothing to export, and nothing worth a warning
        return cls(path)

    def open_spider(self) -> None:
        self.file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close_spider

    def close_spider(self) -> None:
        if self.file is not None:
            self.file.close()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Offering) and self.file is not None:
            self.file.write(offering_json(item) + "\n")
            self.file.flush()
        return item
