"""The in-memory index of every register name, built once per process and database.

~19,000 entries give ~30,000 comparable name forms. Exact lookups are dictionaries; fuzzy
lookups go through a blocking index (word and 4-letter-prefix keys -> name numbers) so a
query is scored against a few hundred names with one vectorised rapidfuzz call.

Every key -> numbers table is a `Postings` (one key list, one offsets array, one numbers
array) and each entry one JSON string until it is read, so the saved index is a few lists
and numpy buffers rather than ~150,000 small objects: `credwatch check` loads it from disk
in ~25 ms instead of a quarter of a second.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import math
import os
import pickle
import sqlite3
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np
import sqlite_utils

from credwatch.core.db import require_tables
from credwatch.core.errors import CredwatchError
from registry_data.registers import entry_reference, provider_registers
from scoring.normalise import (
    acronym_prefix,
    content_tokens,
    fold,
    initials,
    normalise,
    register_forms,
)

log = logging.getLogger(__name__)
# Registers of Australian providers: one provider is often on several of them at once, under
# the same legal name (CRICOS + RTO + TEQSA), so a match in one is looked up in the others.
AUSTRALIAN_REGISTERS = provider_registers("AU")
# What registers write in a name column when there is no such name.
PLACEHOLDER_NAMES = frozenset({"", "n a", "na", "nil", "none", "not applicable", "tba", "tbc"})


@dataclass(frozen=True)
class Entry:
    """One register entry, with what the matcher and `check` report about it."""

    register: str
    entry_id: str
    legal_name: str
    trading_names: tuple[str, ...]
    aliases: tuple[str, ...]
    status: str | None
    is_current: bool
    start_date: str | None
    end_date: str | None
    website_domain: str | None
    abn: str | None
    state: str | None
    category: str | None
    snapshot_date: str | None

    @property
    def label(self) -> str:
        """ "CRICOS 00122A": how a person names the entry."""
        return entry_reference(self.register, self.entry_id)


class NameRef(NamedTuple):
    """A register name an input form can equal: which entry, what kind of name, as published."""

    entry: int
    kind: str  # legal | trading | alias | brand | initials
    published: str


class Postings:
    """Keys -> runs of numbers, stored as one key list and two int32 arrays (offsets and
    numbers) so that saving and loading it costs three objects, not one list per key."""

    def __init__(self, keys: list[str], offsets: np.ndarray, numbers: np.ndarray) -> None:
        self.keys, self.offsets, self.numbers = keys, offsets, numbers

    @cached_property
    def position(self) -> dict[str, int]:
        """Key -> its place, made on first use: a code lookup never needs the name keys."""
        return dict(zip(self.keys, range(len(self.keys)), strict=True))

    @classmethod
    def build(cls, mapping: dict[str, list[int]]) -> Postings:
        keys = list(mapping)
        sizes = [len(mapping[key]) for key in keys]
        offsets = np.zeros(len(keys) + 1, dtype=np.int32)
        np.cumsum(sizes, out=offsets[1:])
        numbers = [number for key in keys for number in mapping[key]]
        return cls(keys, offsets, np.array(numbers, dtype=np.int32))

    def __contains__(self, key: str) -> bool:
        return key in self.position

    def __len__(self) -> int:
        return len(self.keys)

    def array(self, key: str) -> np.ndarray:
        """The numbers of `key` as an array view (empty for an unknown key)."""
        at = self.position.get(key)
        if at is None:
            return self.numbers[:0]
        return self.numbers[self.offsets[at] : self.offsets[at + 1]]

    def size(self, key: str) -> int:
        at = self.position[key]
        return int(self.offsets[at + 1] - self.offsets[at])

    def get(self, key: str, default: list[int] | None = None) -> list[int] | None:
        if key not in self.position:
            return default
        return self.array(key).tolist()

    def __reduce__(self):
        return (Postings, (self.keys, self.offsets, self.numbers))


class NameTable:
    """Name form -> the `NameRef`s of the register names it equals; the refs are three flat
    columns, and `NameRef` tuples are made only for the forms a query looks up."""

    def __init__(self, postings: Postings, columns: tuple[list[int], list[str], list[str]]):
        self.postings = postings
        self.entry, self.kind, self.published = columns

    @classmethod
    def build(cls, mapping: dict[str, list[NameRef]]) -> NameTable:
        refs = [ref for form_refs in mapping.values() for ref in form_refs]
        numbers, start = {}, 0
        for form, form_refs in mapping.items():
            numbers[form] = list(range(start, start + len(form_refs)))
            start += len(form_refs)
        columns = ([r.entry for r in refs], [r.kind for r in refs], [r.published for r in refs])
        return cls(Postings.build(numbers), columns)

    @property
    def forms(self) -> list[str]:
        return self.postings.keys

    def __contains__(self, form: str) -> bool:
        return form in self.postings

    def __len__(self) -> int:
        return len(self.postings)

    def get(self, form: str, default: list[NameRef] | None = None) -> list[NameRef] | None:
        if form not in self.postings:
            return default
        return [
            NameRef(self.entry[n], self.kind[n], self.published[n])
            for n in self.postings.array(form).tolist()
        ]

    def __getitem__(self, form: str) -> list[NameRef]:
        if form not in self.postings:
            raise KeyError(form)
        return self.get(form)

    def __reduce__(self):
        return (NameTable, (self.postings, (self.entry, self.kind, self.published)))


class Entries(Sequence[Entry]):
    """The entries, each kept as its JSON text until first read: a query reads a few dozen
    of ~19,000, and one string per entry loads ten times faster than its fourteen fields
    (and an `Entry` costs nothing until it is read)."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self.read: dict[int, Entry] = {}

    @classmethod
    def of(cls, entries: list[Entry]) -> Entries:
        return cls([json.dumps(astuple(entry)) for entry in entries])

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, number: int) -> Entry:  # type: ignore[override]
        entry = self.read.get(number)
        if entry is None:
            fields = json.loads(self.rows[number])
            fields[3:5] = tuple(fields[3]), tuple(fields[4])  # trading names, aliases
            entry = self.read[number] = Entry(*fields)
        return entry

    def __reduce__(self):
        return (Entries, (self.rows,))


EMPTY = Postings.build({})


@dataclass
class RegisterIndex:
    entries: Entries
    names: NameTable = field(default_factory=lambda: NameTable.build({}))
    brands: NameTable = field(default_factory=lambda: NameTable.build({}))
    initials: NameTable = field(default_factory=lambda: NameTable.build({}))
    by_legal_key: Postings = EMPTY
    by_domain: Postings = EMPTY
    by_id: Postings = EMPTY
    blocks: Postings = EMPTY
    idf: dict[str, float] = field(default_factory=dict)
    max_idf: float = 1.0
    registers: tuple[str, ...] = ()  # the registers the entries come from, sorted
    abn_registers: tuple[str, ...] = ()  # those of them listing ABNs
    forms_words_sorted: list[str] = field(default_factory=list)  # `words_sorted` of each form

    @cached_property
    def forms(self) -> np.ndarray:
        """Every comparable name form, numbered as the blocking keys number them."""
        return np.array(self.names.forms, dtype=object)

    @cached_property
    def sorted_forms(self) -> np.ndarray:
        """Each form with its words sorted (`words_sorted`), numbered like `forms`."""
        return np.array(self.forms_words_sorted, dtype=object)

    @cached_property
    def forms_in_order(self) -> tuple[list[str], list[int]]:
        """The forms sorted, with their numbers: the forms beginning with a prefix are one
        run of it (`longer_forms`)."""
        numbers = sorted(range(len(self.names)), key=self.names.forms.__getitem__)
        return [self.names.forms[n] for n in numbers], numbers

    def longer_forms(self, form: str) -> list[str]:
        """The forms that are `form` followed by more words, in form-number order."""
        ordered, numbers = self.forms_in_order
        prefix = form + " "
        start = end = bisect_left(ordered, prefix)
        while end < len(ordered) and ordered[end].startswith(prefix):
            end += 1
        return [self.names.forms[n] for n in sorted(numbers[start:end])]

    def entry_by_id(self, register: str, code: str) -> Entry | None:
        """The `register` entry with this id, compared without leading zeros ("512" finds
        RTO 0512); None when the register holds no such id."""
        for number in self.by_id.get(id_key(code), []):
            if self.entries[number].register == register:
                return self.entries[number]
        return None

    def legal_key(self, number: int) -> str:
        return normalise(self.entries[number].legal_name)

    def __getstate__(self) -> dict:
        """Only the fields are saved; the cached views above are rebuilt on first use."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def forms_of(self, number: int) -> list[tuple[str, NameRef]]:
        """Every comparable form of one entry's names, for scoring a known candidate."""
        entry = self.entries[number]
        out: list[tuple[str, NameRef]] = []
        for kind, published in _published_names(entry):
            out.extend(
                (form, NameRef(number, kind, published)) for form in register_forms(published)
            )
        return out


def id_key(raw: str) -> str:
    """Register ids compare without case, spaces or leading zeros ("0201" == "201")."""
    compact = "".join(raw.split()).upper()
    return compact.lstrip("0") if compact.isdigit() else compact


def words_sorted(form: str) -> str:
    """The form's words in alphabetical order, as `fuzz.token_sort_ratio` compares them."""
    return " ".join(sorted(form.split()))


def blocking_keys(form: str) -> set[str]:
    """Whole words plus 4-letter prefixes and suffixes, so a typo in a word still finds the name."""
    keys: set[str] = set()
    for token in content_tokens(form):
        keys.add(token)
        if len(token) > 4:
            keys.add(token[:4] + "*")
            keys.add("*" + token[-4:])
    return keys


def build_index(rows: list[dict]) -> RegisterIndex:
    """Index register rows (as stored in `registry_entries`)."""
    entries = [_entry(row) for row in rows]
    names: dict[str, list[NameRef]] = defaultdict(list)
    brands: dict[str, list[NameRef]] = defaultdict(list)
    initials_of: dict[str, list[NameRef]] = defaultdict(list)
    by_legal_key: dict[str, list[int]] = defaultdict(list)
    by_domain: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        for kind, published in _published_names(entry):
            for form in register_forms(published):
                names[form].append(NameRef(number, kind, published))
            if brand := acronym_prefix(published):
                brands[brand].append(NameRef(number, "brand", published))
            if kind != "alias" and (letters := initials(published)):
                initials_of[letters].append(NameRef(number, "initials", published))
        if entry.register in AUSTRALIAN_REGISTERS:
            by_legal_key[normalise(entry.legal_name)].append(number)
        if entry.website_domain:
            by_domain[entry.website_domain.lower()].append(number)
        for raw_id in (entry.entry_id, entry.abn):
            if raw_id:
                by_id[id_key(raw_id)].append(number)
    index = RegisterIndex(
        entries=Entries.of(entries),
        names=NameTable.build(names),
        brands=NameTable.build(brands),
        initials=NameTable.build(initials_of),
        by_legal_key=Postings.build(by_legal_key),
        by_domain=Postings.build(by_domain),
        by_id=Postings.build(by_id),
        registers=tuple(sorted({entry.register for entry in entries})),
        abn_registers=tuple(sorted({entry.register for entry in entries if entry.abn})),
    )
    _build_blocks(index)
    return index


def _build_blocks(index: RegisterIndex) -> None:
    postings: dict[str, list[int]] = defaultdict(list)
    document_frequency: dict[str, int] = defaultdict(int)
    for number, form in enumerate(index.names.forms):
        for key in blocking_keys(form):
            postings[key].append(number)
        for token in set(content_tokens(form)):
            document_frequency[token] += 1
    index.blocks = Postings.build(postings)
    index.forms_words_sorted = [words_sorted(form) for form in index.names.forms]
    total = max(len(index.names), 1)
    index.idf = {token: math.log(total / df) for token, df in document_frequency.items()}
    index.max_idf = math.log(total)


def _published_names(entry: Entry) -> list[tuple[str, str]]:
    return [
        ("legal", entry.legal_name),
        *(("trading", name) for name in entry.trading_names if not is_placeholder(name)),
        *(("alias", name) for name in entry.aliases if not is_placeholder(name)),
    ]


def is_placeholder(name: str) -> bool:
    """ "N/A", "NA", "-" in a trading-name column mean "none", not a name 12 providers share."""
    return fold(name) in PLACEHOLDER_NAMES


def _entry(row: dict) -> Entry:
    return Entry(
        register=row["register"],
        entry_id=row["entry_id"],
        legal_name=row["legal_name"] or "",
        trading_names=tuple(_json_list(row.get("trading_names"))),
        aliases=tuple(_json_list(row.get("aliases"))),
        status=row.get("status"),
        is_current=bool(row.get("is_current")),
        start_date=row.get("start_date"),
        end_date=row.get("end_date"),
        website_domain=row.get("website_domain"),
        abn=row.get("abn"),
        state=row.get("state"),
        category=row.get("category"),
        snapshot_date=row.get("snapshot_date"),
    )


def _json_list(text: str | None) -> list[str]:
    if not text:
        return []
    value = json.loads(text)
    return [str(item) for item in value if str(item).strip()]


_CACHE: dict[tuple, RegisterIndex] = {}
# The code that shapes the index: a change to either makes old cache files stale.
INDEX_SOURCES = (Path(__file__), Path(__file__).parent.parent / "normalise.py")


def load_index(db: sqlite_utils.Database, path: str | Path | None = None) -> RegisterIndex:
    """The index of `db`'s registers: built once per process, and kept on disk beside a
    database file (`.<name>.matcher-<fingerprint>.pickle`) so the next process loads it in a
    fraction of a second. The fingerprint changes whenever the register rows do.

    `path` names the database in error messages; by default it is the file `db` has open.
    """
    path = path or _database_file(db)
    if not db["registry_entries"].exists():
        raise CredwatchError(
            f"{path}: no register tables (build it with `credwatch registers load`)"
        )
    require_tables(db, ["registry_entries"], path)
    key = (str(Path(path).resolve()), register_fingerprint(db))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _cached_on_disk(db, Path(path), key[1])
    return _CACHE[key]


def register_fingerprint(db: sqlite_utils.Database) -> str:
    """A short hash of what the register snapshot is (rows per register and snapshot date,
    and the last row id, so a reload of the same snapshot is noticed too) and of the code
    that builds the index from it."""
    parts = [
        *(hashlib.sha256(source.read_bytes()).hexdigest() for source in INDEX_SOURCES),
        *(
            f"{row['register']}|{row['snapshot_date']}|{row['n']}|{row['last']}"
            for row in db.query(
                "select register, snapshot_date, count(*) as n, max(rowid) as last "
                "from registry_entries group by register, snapshot_date order by 1, 2"
            )
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def index_cache_path(path: Path, fingerprint: str) -> Path:
    return path.parent / f".{path.name}.matcher-{fingerprint}.pickle"


def _cached_on_disk(db: sqlite_utils.Database, path: Path, fingerprint: str) -> RegisterIndex:
    cache = index_cache_path(path, fingerprint) if path.is_file() else None
    if cache is not None and cache.is_file():
        return _load_pickle(cache)
    rows = list(db.query("select * from registry_entries order by register, entry_id"))
    index = build_index(rows)
    if cache is not None:
        _write_cache(index, cache)
    return index


def _load_pickle(cache: Path) -> RegisterIndex:
    """Unpickling ~100,000 small objects runs 3-4x faster without the cycle collector."""
    gc.disable()
    try:
        with cache.open("rb") as handle:
            return pickle.load(handle)
    finally:
        gc.enable()


def _write_cache(index: RegisterIndex, cache: Path) -> None:
    """Write atomically and drop older caches of the same database; a read-only folder only
    costs the next process a rebuild, so it is logged, not raised."""
    try:
        for old in cache.parent.glob(cache.name.split(".matcher-")[0] + ".matcher-*.pickle"):
            old.unlink()
        partial = cache.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cache)
    except OSError as error:
        log.warning("%s: matcher index not cached (%s)", cache, error)


def _database_file(db: sqlite_utils.Database) -> str:
    return (
        next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main") or ":memory:"
    )


def clear_index_cache() -> None:
    """Forget built indexes (benchmarks measure a fresh process's cost)."""
    _CACHE.clear()


def open_registers(path: str | Path) -> sqlite_utils.Database:
    """Open a registers database read-only in spirit: it must exist and hold register tables."""
    path = Path(path)
    if not path.is_file():
        raise CredwatchError(f"{path}: registers database does not exist")
    try:
        # No sqlite-utils plugins: they add SQL functions no lookup calls, and finding them
        # scans every installed package's metadata (~0.05-0.1 s of a `credwatch check`).
        db = sqlite_utils.Database(path, execute_plugins=False)
        db.table_names()
    except sqlite3.DatabaseError as error:
        raise CredwatchError(f"{path}: not a SQLite database ({error})") from error
    return db
