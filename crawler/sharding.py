"""`--shard i/N`: split the providers between N scheduled crawl processes, deterministically.

A provider's shard is a stable hash of its provider id (its registrable site), not Python's
salted `hash()` and not its position in the file: the same provider lands in the same shard on
every machine and every night, whatever order the providers file lists them in, and N
processes given 1/N .. N/N cover each provider exactly once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from crawler.runner import ProviderSpec
from credwatch.core.errors import CredwatchError
from credwatch.core.identity import provider_id


@dataclass(frozen=True)
class Shard:
    """Shard `number` of `count` (1-based, as an operator writes it: 1/4 .. 4/4)."""

    number: int
    count: int

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def holds(self, provider: str) -> bool:
        """Whether the provider with this id is crawled by this shard."""
        return shard_of(provider, self.count) == self.number


def parse_shard(text: str) -> Shard:
    """ "2/4" -> Shard(2, 4); anything else is refused in one line."""
    number, slash, count = text.partition("/")
    if not (slash and number.strip().isdigit() and count.strip().isdigit()):
        raise CredwatchError(f"--shard {text!r}: expected i/N, e.g. 1/4")
    shard = Shard(int(number), int(count))
    if not 1 <= shard.number <= shard.count:
        raise CredwatchError(f"--shard {text!r}: i must be between 1 and N")
    return shard


def shard_of(provider: str, count: int) -> int:
    """The shard (1..count) a provider id belongs to: the first 8 bytes of its SHA-1."""
    digest = hashlib.sha1(provider.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select(providers: list[ProviderSpec], shard: Shard) -> list[ProviderSpec]:
    """The providers whose id falls in `shard`, in the file's order."""
    return [spec for spec in providers if shard.holds(provider_id(spec.url))]
