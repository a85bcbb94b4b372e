"""CSV that a spreadsheet opens safely: numbers stay numbers, text that a spreadsheet
would run as a formula gets a leading single quote; and the long format every report's
CSV is written in (a fixed header, one row per figure). Standard library only."""

from __future__ import annotations

import csv
import io

#: A cell of user text starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float


def csv_cell(value: object) -> Cell:
    """A value as a spreadsheet-safe CSV cell.

    Numbers stay numbers (a gap of -0.25 is written as ``-0.25``, not neutralised);
    text that a spreadsheet would read as a formula gets a leading single quote.
    """
    if type(value) is float or type(value) is int:  # the common case first: scores and gaps
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return text_cell(str(value))


def text_cell(text: str | None) -> str:
    """`csv_cell` for a text field (the per-row path of `qim score`)."""
    if text is None:
        return ""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class LongCsv:
    """A long-format CSV: the header, then one row per `row(...)` call (a column not
    given is empty, or its default), every cell spreadsheet-safe."""

    def __init__(self, columns: list[str], **defaults: object) -> None:
        self.columns = columns
        self.defaults = defaults
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        self.writer.writerow(columns)

    def row(self, **values: object) -> None:
        cells = self.defaults | values
        self.writer.writerow([csv_cell(cells.get(c)) for c in self.columns])

    def text(self) -> str:
        return self.buffer.getvalue()
