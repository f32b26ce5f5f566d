"""Read tabular register files (CSV text, xlsx sheets) as a header plus row dicts.

Every reader turns low-level failures (bad encoding, truncated zip, broken XML) into one
`CredwatchError` naming the file, because a register file is user input.
"""

from __future__ import annotations

import codecs
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

# Bounds on hostile or broken CSV input, so a huge field or line is a one-line error with
# bounded memory, not a traceback. Real register rows are under 2 KB (IPEDS, 73 columns).
FIELD_LIMIT = 1 << 20  # characters in one CSV field
LINE_LIMIT = 4 << 20  # characters in one line
# Bytes of a file read whole (JSON, domain lists, notes, ZIP members); real ones are < 10 MB.
WHOLE_FILE_LIMIT = 64 << 20
_CHUNK = 1 << 20
csv.field_size_limit(FIELD_LIMIT)


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
    _refuse_wide_text(data[:65536], name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def csv_table(content: str, name: str) -> Table:
    """A CSV text (a ZIP member) as a table; the header is its first row."""
    return _csv_table(lambda: io.StringIO(content, newline=""), name)


def csv_file_table(path: Path, name: str) -> Table:
    """A CSV file as a table read straight from disk, one bounded line at a time."""
    encoding = file_encoding(path, name)
    return _csv_table(lambda: path.open(encoding=encoding, newline=""), name)


def _csv_table(open_text: Callable[[], Any], name: str) -> Table:
    with open_text() as text:
        first_line = next(_csv_rows(text, name), [])
    header = [cell.strip() for cell in first_line]

    def read_rows() -> Iterator[Record]:
        with open_text() as text:
            rows = _csv_rows(text, name)
            next(rows, None)
            for row in rows:
                if any(cell.strip() for cell in row):
                    yield dict(zip(header, row, strict=False))

    return Table(name=name, header=header, read_rows=read_rows)


def _csv_rows(text: Any, name: str) -> Iterator[list[str]]:
    """CSV rows of a text stream; an oversized field or line is a CredwatchError."""
    reader = csv.reader(_bounded_lines(text, name))
    try:
        yield from reader
    except csv.Error as error:
        raise CredwatchError(f"{name}: line {reader.line_num}: {error}") from error


def _bounded_lines(text: Any, name: str) -> Iterator[str]:
    """Lines of a text stream, never reading more than `LINE_LIMIT` characters at once."""
    for number, line in enumerate(iter(lambda: text.readline(LINE_LIMIT + 1), ""), start=1):
        if len(line) > LINE_LIMIT:
            raise CredwatchError(
                f"{name}: line {number} is longer than {LINE_LIMIT:,} characters: "
                "not a register file (or a broken one)"
            )
        yield line


def refuse_oversized(size: int, name: str) -> None:
    """A file that has to be read whole must fit in `WHOLE_FILE_LIMIT` bytes."""
    if size > WHOLE_FILE_LIMIT:
        raise CredwatchError(
            f"{name}: {size:,} bytes, over the {WHOLE_FILE_LIMIT:,} this kind of register "
            "file may hold (only CSV files are streamed)"
        )


def file_encoding(path: Path, name: str) -> str:
    """The encoding `decode_text` would choose, found by streaming the file (UTF-8, else
    Windows-1252, else latin-1) rather than reading it whole."""
    with path.open("rb") as file:
        _refuse_wide_text(file.read(65536), name)
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as file:
                for chunk in iter(lambda file=file: file.read(_CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _refuse_wide_text(head: bytes, name: str) -> None:
    if head.startswith(_UTF16_32_BOMS) or b"\x00" in head:
        raise CredwatchError(
            f"{name}: not UTF-8 or latin-1 text (UTF-16 or binary data); save it as UTF-8 CSV"
        )


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
