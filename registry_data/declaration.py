"""What a register is, declared once: `Register` and the parts it is made of.

Each module of `registry_data.registers` declares one `Register`: who publishes it, under
which licence, where it is fetched from, how its files are recognised and turned into rows,
what its status words mean, and where one entry's own page is. Detection, fetching, the load
summary, scoring's labels and the published metadata all read these declarations, so adding
a register is one module (plus its fixture and test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

# (records of one file, source file name, snapshot date) -> rows for the format's table
Builder = Callable[[Iterable[Any], str, str], list[dict]]


@dataclass(frozen=True)
class FileFormat:
    """One file layout of a register, recognised by exactly one of: the `columns` its header
    holds (CSV, xlsx sheet or ZIP member), the shape of its JSON or JSON lines (`json_shape`),
    or its text lines (`text_shape`). A format without `build` is recognised, not loaded."""

    kind: str  # one kind per table of the register: one copy per (kind, snapshot) is loaded
    label: str  # what the file is, in messages: "training.gov.au RTO List"
    table: str | None = None  # registry_entries | registry_courses | blocked_sites
    build: Builder | None = None
    rows_label: str = ""  # what its rows are, in the load summary: "training.gov.au RTOs"
    skipped_label: str = ""  # records read but not kept, in the load summary
    columns: tuple[str, ...] = ()
    json_shape: Callable[[Any], bool] | None = None
    text_shape: Callable[[str], bool] | None = None
    # The release a file belongs to, read from its name when neither its content nor its name
    # carries a date (IPEDS `hd2024.csv` -> "2024"); see registry_data.detect.
    release_date: Callable[[str], str | None] | None = None

    def __post_init__(self) -> None:
        tests = [bool(self.columns), self.json_shape is not None, self.text_shape is not None]
        if tests.count(True) != 1:
            raise ValueError(f"{self.kind}: give exactly one of columns, json_shape, text_shape")
        if (self.build is None) != (self.table is None):
            raise ValueError(f"{self.kind}: a loaded format needs both a table and a builder")

    @property
    def loads(self) -> bool:
        return self.build is not None


def _word(status: str | None) -> str:
    return " ".join((status or "").split()).casefold()


@dataclass(frozen=True)
class Statuses:
    """A register's own status words, as it writes them (matched ignoring case and spacing).

    `current`: registered on the snapshot date. `sanctions`: a regulator's action, whether
    or not the entry stays current ("Current (Suspended)" does, TEQSA's "suspended" does
    not). `ended`: gone voluntarily or for no stated reason ("Cancelled", "Non-Current",
    "withdrawn"): never evidence of wrongdoing by itself.
    """

    current: tuple[str, ...] = ()
    sanctions: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        both = {_word(s) for s in self.current} & {_word(s) for s in self.ended}
        if both:
            raise ValueError(f"statuses both current and ended: {sorted(both)}")

    def is_current(self, status: str | None) -> bool | None:
        """True while registered, False once ended or sanctioned off it, None if unknown."""
        if self._holds(self.current, status):
            return True
        if self._holds(self.ended, status) or self._holds(self.sanctions, status):
            return False
        return None

    def is_sanction(self, status: str | None) -> bool:
        return self._holds(self.sanctions, status)

    @staticmethod
    def _holds(words: tuple[str, ...], status: str | None) -> bool:
        return _word(status) in {_word(word) for word in words}


@dataclass(frozen=True)
class Download:
    """Fetched by a plain HTTP download; `saved_as` names the file (`{date}` becomes today's
    date, so the loader can date the snapshot), else the URL's own file name is kept."""

    url: str
    saved_as: str = ""


@dataclass(frozen=True)
class CkanPackage:
    """Fetched through a CKAN `package_show` call listing the files (their ids change with
    every release): the newest xlsx export, else the CSV resources."""

    url: str


@dataclass(frozen=True)
class Crawled:
    """Read page by page by a crawler spider (the register publishes no file): the spider
    writes a JSON lines file that `registers load` recognises by its records."""

    spider: str

    @property
    def command(self) -> str:
        return f"credwatch crawl --register {self.spider} --to DIR"


@dataclass(frozen=True)
class Configured:
    """Fetched from an address the operator configures (`setting`, an environment variable),
    with the credentials of an access grant read from the `credentials` variables (user,
    password) at fetch time, never from a tracked file; unset, the register is not fetched
    and `reason` says how to get it."""

    setting: str
    credentials: tuple[str, str]
    saved_as: str
    reason: str


@dataclass(frozen=True)
class NotFetched:
    """No address to fetch from: a saved copy is loaded instead."""

    reason: str


Fetch = Download | CkanPackage | Crawled | Configured | NotFetched


@dataclass(frozen=True)
class Register:
    """One government register (or reference list), everything the stages need about it."""

    id: str  # the `register` column of every row it gives
    label: str  # for people: "training.gov.au (RTO)"
    abbreviation: str  # names one entry with its id: "RTO 0029"
    jurisdiction: str  # ISO 3166-1 alpha-2 country whose providers it lists
    about: str  # one sentence on what it is, for the published metadata
    licence: str
    source_page: str  # the official page describing the register or its data
    fetch: Fetch
    formats: tuple[FileFormat, ...]
    statuses: Statuses = field(default_factory=Statuses)
    entry_page: str | None = None  # URL of one entry's page on the register, with {entry_id}
    licence_url: str | None = None

    @property
    def tables(self) -> set[str]:
        """The tables its files fill."""
        return {fmt.table for fmt in self.formats if fmt.table}

    @property
    def lists_providers(self) -> bool:
        """True when it gives `registry_entries` (the blocked-sites list gives domains)."""
        return "registry_entries" in self.tables

    def entry_url(self, entry_id: str) -> str | None:
        """The entry's own page on the official register, when the register has one."""
        if self.entry_page is None:
            return None
        return self.entry_page.format(entry_id=quote(entry_id, safe=""))


def crawled_records(data: Any, keys: Iterable[str], marker: tuple[str, str]) -> bool:
    """JSON lines (or a JSON list) a register-source spider wrote: a non-empty list whose every
    record has `keys` and the `marker` field's value, so its file is known by its content."""
    field_name, value = marker
    keys = tuple(keys)
    return (
        isinstance(data, list)
        and bool(data)
        and all(
            isinstance(record, dict)
            and all(key in record for key in keys)
            and record.get(field_name) == value
            for record in data
        )
    )
