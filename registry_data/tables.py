"""Read tabular register files (CSV text, xlsx sheets) as a header plus row dicts.

Every reader turns low-level failures (bad encoding, truncated zip, broken XML) into one
`CredwatchError` naming the file, because a register file is user input.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl

from credwatch.core.errors import CredwatchError

# How many rows above the table an xlsx report may carry (title, "Report generated", filters).
HEADER_SEARCH_ROWS = 40
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, ParseError, TypeError)

Record = dict[str, Any]


@dataclass
class Table:
    """One table found in a file: where it came from, its header, and a way to read its rows."""

    name: str  # file name, plus ` [sheet]` or ` [member]` when the file holds several tables
    header: list[str]
    read_rows: Callable[[], Iterator[Record]]
    preamble: list[str] = field(default_factory=list)  # text above the header (xlsx reports)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252/latin-1; refuse UTF-16 and binary data.

    Official CSVs come as UTF-8 (data.gov.au) or latin-1 (older IPEDS files); a file with NUL
    bytes is UTF-16 or binary and would otherwise decode into garbage without any error.
    """
    if data.startswith(_UTF16_32_BOMS) or b"\x00" in data[:65536]:
        raise CredwatchError(
            f"{name}: not UTF-8 or latin-1 text (UTF-16 or binary data); save it as UTF-8 CSV"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def csv_table(content: str, name: str) -> Table:
    """A CSV text as a table; the header is its first row."""
    first_line = next(csv.reader(io.StringIO(content)), [])
    header = [cell.strip() for cell in first_line]

    def read_rows() -> Iterator[Record]:
        reader = csv.reader(io.StringIO(content))
        next(reader, None)
        for row in reader:
            if any(cell.strip() for cell in row):
                yield dict(zip(header, row, strict=False))

    return Table(name=name, header=header, read_rows=read_rows)


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """An openpyxl read-only workbook, closed afterwards; corrupt files give one clear error."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as error:
        raise CredwatchError(f"{path.name}: corrupt or truncated xlsx ({error})") from error
    try:
        yield workbook
    finally:
        workbook.close()


def xlsx_tables(path: Path, is_header: Callable[[list[str]], bool]) -> list[Table]:
    """Tables of an xlsx: on each sheet, the first row `is_header` accepts starts a table.

    The header may sit below title and filter rows, and its cells may be spread over merged
    columns (training.gov.au reports), so columns are mapped by position of non-empty cells.
    """
    tables = []
    with open_workbook(path) as workbook:
        for sheet in workbook.worksheets:
            found = _find_header(path, sheet, is_header)
            if found is not None:
                header_row, columns, preamble = found
                tables.append(
                    Table(
                        name=f"{path.name} [{sheet.title}]",
                        header=list(columns.values()),
                        read_rows=_sheet_reader(path, sheet.title, header_row, columns),
                        preamble=preamble,
                    )
                )
    return tables


def _find_header(path: Path, sheet: Any, is_header: Callable[[list[str]], bool]):
    preamble: list[str] = []
    rows = _guard_xlsx(path, sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))
    for number, row in enumerate(rows, start=1):
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        if is_header([cell for cell in cells if cell]):
            columns = {index: cell for index, cell in enumerate(cells) if cell}
            return number, columns, preamble
        preamble.extend(cell for cell in cells if cell)
    return None


def _sheet_reader(
    path: Path, sheet_title: str, header_row: int, columns: dict[int, str]
) -> Callable[[], Iterator[Record]]:
    def read_rows() -> Iterator[Record]:
        with open_workbook(path) as workbook:
            sheet = workbook[sheet_title]
            rows = sheet.iter_rows(min_row=header_row + 1, values_only=True)
            for row in _guard_xlsx(path, rows):
                record = {name: _cell(row, index) for index, name in columns.items()}
                if any(value not in (None, "") for value in record.values()):
                    yield record

    return read_rows


def _cell(row: tuple, index: int) -> Any:
    """Read-only sheets drop trailing empty cells, so short rows are normal."""
    return row[index] if index < len(row) else None


def _guard_xlsx(path: Path, rows: Iterator[tuple]) -> Iterator[tuple]:
    """Re-raise errors met while streaming a sheet (a truncated file fails here, not on open)."""
    try:
        yield from rows
    except _XLSX_ERRORS as error:
        raise CredwatchError(f"{path.name}: corrupt or truncated xlsx ({error})") from error
