"""Read a spreadsheet (CSV, or an Excel / OpenDocument workbook) into a header and rows.

CSV files come from many hands: UTF-8 with or without a byte-order mark, Excel's
Windows-1252, Excel's "Unicode text" (UTF-16, tab-separated), and ";" as the separator
where the decimal mark is a comma (most of Europe). The separator is sniffed, and Excel's
``sep=;`` first line is honoured. Workbooks are read with python-calamine, imported only
when one is opened.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..reading import display_name, read_file_bytes

#: a survey export larger than this is refused (40 nurses' answers take a few kilobytes)
MAX_TABLE_BYTES = 50 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_SEPARATORS = ",;\t"


@dataclass
class Table:
    """A header and its rows; ``numbers[i]`` is the row number a spreadsheet shows for rows[i]."""

    headers: list[str]
    rows: list[list[Any]]
    numbers: list[int]
    notes: list[str] = field(default_factory=list)  # how the file was read, for the summary


def _decode(data: bytes, name: str) -> tuple[str, str | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "read as UTF-16 text"
        except UnicodeDecodeError:
            raise DataError(f"{name}: not valid UTF-16 text") from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    # Excel on Windows saves "CSV (Comma delimited)" in the Windows code page
    return data.decode("cp1252", errors="replace"), "not UTF-8: read as Windows-1252"


def _separator(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        pass
    # the header line decides: the separator seen most often outside quotes
    counts = dict.fromkeys(_SEPARATORS, 0)
    quoted = False
    for ch in sample.split("\n", 1)[0]:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_csv_text(text: str, name: str) -> Table:
    notes: list[str] = []
    first, _, rest = text.partition("\n")
    offset = 0
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:
        sep = first.strip()[4]
        text = rest
        offset = 1
    else:
        sep = _separator(text)
    if sep != ",":
        notes.append(f'separator "{ "tab" if sep == chr(9) else sep }"')
    if "\x00" in text:
        raise DataError(f"{name}: not a text file (contains NUL bytes)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise DataError(f"{name}: line {reader.line_num + offset}: not valid CSV ({exc})") from None
    return _table(records, list(range(offset + 1, offset + 1 + len(records))), name, notes)


def _table(records: list[list[Any]], numbers: list[int], name: str, notes: list[str]) -> Table:
    # the header is the first row that is not empty
    while records and all(c is None or str(c).strip() == "" for c in records[0]):
        records, numbers = records[1:], numbers[1:]
    if not records:
        raise DataError(f"{name}: the file is empty (no header row)")
    headers = ["" if c is None else str(c).strip() for c in records[0]]
    width = len(headers)
    rows = [list(r[:width]) + [""] * (width - len(r)) for r in records[1:]]
    return Table(headers, rows, numbers[1:], notes)


#: how a workbook begins: a zip (.xlsx, .xlsm, .ods) or an OLE2 compound file (.xls)
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head and all(b >= 0x20 or b in b"\t\r\n" for b in head[:512])


def _read_workbook(data: bytes, name: str) -> Table:
    if not data.startswith(_WORKBOOK_MAGIC) and _looks_like_text(data):
        raise DataError(f"{name}: this is text (CSV?), not an Excel or OpenDocument workbook; "
                        "name it .csv")
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [s for s in book.sheets_metadata if str(s.visible).endswith("Visible")] or None
        sheet = book.get_sheet_by_name(sheets[0].name) if sheets else book.get_sheet_by_index(0)
        records = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine's errors have no common base worth naming
        raise DataError(f"{name}: cannot read the workbook ({type(exc).__name__}: {exc})") from None
    notes = [f'sheet "{sheets[0].name}"'] if sheets and len(book.sheet_names) > 1 else []
    return _table(records, list(range(1, len(records) + 1)), name, notes)


def read_table(path: Path) -> Table:
    """The header and rows of a CSV or workbook; DataError / NotFoundError name the file.
    Only a regular file is read (never a pipe or a device: see ``read_file_bytes``)."""
    name = display_name(path)
    data = read_file_bytes(path, name, limit=MAX_TABLE_BYTES)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(data, name)
    if data.startswith(b"PK\x03\x04"):
        raise DataError(f"{name}: this is a workbook, not CSV text; name it .xlsx")
    text, note = _decode(data, name)
    table = read_csv_text(text, name)
    if note:
        table.notes.insert(0, note)
    return table


__all__ = ["MAX_TABLE_BYTES", "Table", "read_csv_text", "read_table"]
