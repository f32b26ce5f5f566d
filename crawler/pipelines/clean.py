"""Tidy every text field of an item before anything measures or stores it."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from crawler.items import Claim
from crawler.pipelines import StatsPipeline

REPLACEMENT_CHAR = "\ufffd"
_SPACE_RUNS = re.compile(r"\s+")
# Fields whose line breaks carry no meaning; other text keeps its lines, only trimmed.
ONE_LINE_FIELDS = frozenset({"title", "provider_name", "legal_name", "price_text", "duration_text"})


class CleanTextPipeline(StatsPipeline):
    """Strip and NFC-normalise text, turn blank strings into None, count mis-decoded text.

    A page served in Latin-1 but labelled UTF-8 decodes with U+FFFD; the item is kept and
    `credwatch/text/replacement_char` counts it so a run report can flag the site.
    """

    def process_item(self, item: Any) -> Any:
        if not dataclasses.is_dataclass(item):
            return item
        for field in dataclasses.fields(item):
            value = getattr(item, field.name)
            if isinstance(value, str):
                setattr(item, field.name, self._clean(field.name, value, field.default))
            elif field.name == "claims":
                item.claims = [self._clean_claim(claim) for claim in value]
            elif field.name == "trading_names":
                item.trading_names = [name for name in map(self._one_line, value) if name]
        return item

    def _clean(self, name: str, value: str, default: Any) -> str | None:
        text = self._one_line(value) if name in ONE_LINE_FIELDS else self._normalise(value)
        if REPLACEMENT_CHAR in text:
            self.stats.inc_value("credwatch/text/replacement_char")
        if not text and default is None:
            return None
        return text

    def _clean_claim(self, claim: Claim) -> Claim:
        return dataclasses.replace(
            claim,
            value=self._one_line(claim.value),
            text=self._one_line(claim.text),
            url=claim.url.strip(),
        )

    @staticmethod
    def _normalise(text: str) -> str:
        return unicodedata.normalize("NFC", text).strip()

    @classmethod
    def _one_line(cls, text: str) -> str:
        return _SPACE_RUNS.sub(" ", cls._normalise(text))
