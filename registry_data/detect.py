"""Recognise register files by their content, never by their name.

A CSV is known by its header, an xlsx by the header row found on each sheet (below any
title/filter rows), a ZIP by its members, JSON by its shape, a domain list by its lines.
Each file gives zero or more `Dataset`s (an xlsx export holds several tables); files that are
recognised but carry nothing to load (README/PROVENANCE notes, the IPEDS data dictionary,
CRICOS location sheets) give datasets with `build=None`.

Snapshot date, in this order: a date stated in the content ("Report generated Tuesday,
3 January 2023"), else a date in the file name (`2023-01-03`, `as-at-2023-1-3-…`), else the
release the file belongs to as its format declares it (`FileFormat.release_date`: IPEDS
`hd2024` is the 2024 release, recorded as the year "2024"), else unknown (None, shown as
"unknown"). Never the file's modification time: a copy made today is not today's register.

CSV files are read as a stream (`registry_data.tables.csv_file_table`); every dataset carries
the SHA-256 of the file (or ZIP member) it came from.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from credwatch.core.errors import CredwatchError
from registry_data.declaration import FileFormat, Register
from registry_data.registers import file_formats
from registry_data.tables import (
    Record,
    Table,
    csv_file_table,
    csv_table,
    decode_text,
    refuse_oversized,
    xlsx_tables,
)

# Notes beside the registers (README, PROVENANCE: Markdown headings): recognised, not loaded.
DOCUMENTATION = FileFormat(
    "documentation", "notes (not loaded)", text_shape=lambda text: text.lstrip().startswith("#")
)

_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
_CONTENT_DATES = (
    (re.compile(r"generated\D{0,30}?(\d{1,2} [A-Za-z]+ \d{4})", re.I), "%d %B %Y"),
    (re.compile(r"generated:?\s*(\d{1,2}/\d{1,2}/\d{4})", re.I), "%d/%m/%Y"),
)


UNKNOWN_DATE = "unknown"  # how a snapshot of unknown date is shown
# The format found -> (snapshot date or None, where the date came from)
Dating = Callable[[FileFormat], tuple[str | None, str]]


@dataclass
class Dataset:
    """One table of one file, ready to load (or known and skipped when `format.build` is None)."""

    register: str  # the declaring register's id ("" for notes)
    format: FileFormat
    source_file: str  # file name (+ sheet or member), never a local path
    snapshot_date: str | None  # ISO date (or a release year); None when unknown
    date_from: str  # "content" | "file name" | "release" | "unknown"
    container: str  # csv | zip | xlsx | json | jsonl | txt: which copy to prefer for a snapshot
    sha256: str  # of the file (or ZIP member) the dataset came from
    read: Callable[[], list[Any]] = field(repr=False)

    @property
    def shown_date(self) -> str:
        return self.snapshot_date or UNKNOWN_DATE

    @property
    def loads(self) -> bool:
        return self.format.loads


def detect(path: Path) -> list[Dataset]:
    """The datasets in one file; a CredwatchError naming the file when it is not usable."""
    with path.open("rb") as file:
        is_zip = file.read(4) == b"PK\x03\x04"  # xlsx files are ZIPs too
    if is_zip:
        return _detect_zip(path)
    sha256, dating = _file_sha256(path), _dating(path.name)
    header = _csv_header(path)
    if header is not None:
        return [_table_dataset(csv_file_table(path, path.name), dating, "csv", sha256)]
    refuse_oversized(path.stat().st_size, path.name)
    return _detect_text(path.read_bytes(), path.name, dating, sha256)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _csv_header(path: Path) -> list[str] | None:
    """The first line as a CSV header when it is a declared format's header (the file is
    then streamed); None for anything else (JSON, domain lists, notes, unknown files)."""
    with path.open("rb") as file:
        head = file.read(65536)
    text = decode_text(head, path.name) if head else ""
    lines = text.splitlines()
    if not lines or text.lstrip().startswith(("[", "{")):
        return None
    header = [cell.strip() for cell in next(csv.reader([lines[0]]), [])]
    return header if _closest_format(header) is not None else None


def _detect_zip(path: Path) -> list[Dataset]:
    try:
        archive = zipfile.ZipFile(path)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as error:
        raise CredwatchError(f"{path.name}: corrupt or truncated zip/xlsx ({error})") from error
    with archive:
        if any(info.filename == "xl/workbook.xml" for info in members):
            return _detect_xlsx(path)
        datasets = []
        for info in members:
            name = f"{path.name} [{info.filename}]"
            refuse_oversized(info.file_size, name)
            try:
                member = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise CredwatchError(f"{name}: corrupt zip member ({error})") from error
            dating = _dating(Path(info.filename).name, also_named=path.name)
            sha256 = hashlib.sha256(member).hexdigest()
            datasets += [
                replace(dataset, container="zip")
                for dataset in _detect_text(member, name, dating, sha256)
            ]
    return datasets


def _detect_xlsx(path: Path) -> list[Dataset]:
    tables = xlsx_tables(path, lambda cells: _closest_format(cells) is not None)
    if not tables:
        raise CredwatchError(f"{path.name}: unknown file: no sheet has a register header row")
    datasets, sha256 = [], _file_sha256(path)
    for table in tables:
        found = _content_date(table.preamble)
        dating = (lambda _fmt, found=found: (found, "content")) if found else _dating(path.name)
        datasets.append(_table_dataset(table, dating, "xlsx", sha256))
    return datasets


def _detect_text(data: bytes, name: str, dating: Dating, sha256: str) -> list[Dataset]:
    content = decode_text(data, name)
    stripped = content.lstrip()
    if stripped.startswith(("[", "{")):
        return [_json_dataset(content, name, dating, sha256)]
    for register, fmt in file_formats():
        if fmt.text_shape is not None and fmt.text_shape(content):
            return [_dataset(register.id, fmt, name, dating, "txt", sha256, content.splitlines)]
    if DOCUMENTATION.text_shape(content):
        return [_dataset("", DOCUMENTATION, name, dating, "txt", sha256, list)]
    return [_table_dataset(csv_table(content, name), dating, "csv", sha256)]


def _json_dataset(content: str, name: str, dating: Dating, sha256: str) -> Dataset:
    data, container = _parse_json(content, name)
    for register, fmt in file_formats():
        if fmt.json_shape is not None and fmt.json_shape(data):
            return _dataset(register.id, fmt, name, dating, container, sha256, lambda: data)
    known = ", ".join(fmt.label for _, fmt in file_formats() if fmt.json_shape is not None)
    raise CredwatchError(f"{name}: unknown file: JSON is not a register this tool reads ({known})")


def _parse_json(content: str, name: str) -> tuple[Any, str]:
    """A JSON document, else JSON lines (one object a line, as a Scrapy feed writes them) as
    the list of their records; a lone object is a list of one record."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        return _parse_json_lines(content, name, error), "jsonl"
    return ([data] if isinstance(data, dict) else data), "json"


def _parse_json_lines(content: str, name: str, document_error: json.JSONDecodeError) -> list:
    try:
        return [json.loads(line) for line in content.splitlines() if line.strip()]
    except json.JSONDecodeError:
        raise CredwatchError(f"{name}: invalid JSON ({document_error})") from document_error


def _table_dataset(table: Table, dating: Dating, container: str, sha256: str) -> Dataset:
    match = _closest_format(table.header)
    if match is None:
        shown = ", ".join(table.header[:4]) or "nothing"
        raise CredwatchError(
            f"{table.name}: unknown file: not a register format this tool reads "
            f"(header starts: {shown})"
        )
    (register, found), missing = match
    if missing:
        raise CredwatchError(
            f"{table.name}: missing required column(s) {', '.join(missing)} "
            f"for a {found.label} file"
        )
    rename = _canonical_names(table.header, found.columns)

    def read() -> list[Record]:
        rows = table.read_rows()
        if not rename:
            return list(rows)
        return [{rename.get(key, key): value for key, value in row.items()} for row in rows]

    return _dataset(register.id, found, table.name, dating, container, sha256, read)


Candidate = tuple[Register, FileFormat]


def _closest_format(header: list[str]) -> tuple[Candidate, list[str]] | None:
    """The format whose required columns the header holds; else the one it nearly holds
    (at least half and two of them), with the missing columns; else None."""
    present = {_key(cell) for cell in header}
    best = None
    for candidate in file_formats():
        columns = candidate[1].columns
        if not columns:
            continue
        missing = [column for column in columns if _key(column) not in present]
        if not missing:
            return candidate, []
        found = len(columns) - len(missing)
        if found >= 2 and found * 2 >= len(columns):
            best = best if best and len(best[1]) <= len(missing) else (candidate, missing)
    return best


def _canonical_names(header: list[str], columns: tuple[str, ...]) -> dict[str, str]:
    """Header cells that differ from the documented names only by case or spacing."""
    wanted = {_key(column): column for column in columns}
    return {cell: wanted[_key(cell)] for cell in header if wanted.get(_key(cell), cell) != cell}


def _key(cell: str) -> str:
    return " ".join(cell.split()).casefold()


def _dataset(register, fmt, name, dating, container, sha256, read) -> Dataset:
    snapshot_date, date_from = dating(fmt)
    return Dataset(register, fmt, name, snapshot_date, date_from, container, sha256, read)


def _dating(name: str, also_named: str = "") -> Dating:
    """File-name date (the member's, then the container's), else the release the format
    reads from the name, else unknown."""

    def snapshot(fmt: FileFormat) -> tuple[str | None, str]:
        for candidate in (name, also_named):
            found = _name_date(candidate)
            if found:
                return found, "file name"
        for candidate in (name, also_named):
            release = fmt.release_date(candidate) if fmt.release_date else None
            if release:
                return release, "release"
        return None, "unknown"

    return snapshot


def _name_date(name: str) -> str | None:
    for match in _NAME_DATE.finditer(name):
        try:
            return date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            continue
    return None


def _content_date(lines: list[str]) -> str | None:
    """The date an export states about itself ("Report generated Tuesday, 3 January 2023")."""
    for line in lines:
        for pattern, fmt in _CONTENT_DATES:
            match = pattern.search(line)
            if match:
                try:
                    return datetime.strptime(match.group(1), fmt).date().isoformat()
                except ValueError:
                    continue
    return None
