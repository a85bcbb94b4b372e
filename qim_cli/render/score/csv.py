"""`qim score` as CSV: the header, then one line per record, spreadsheet-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..spreadsheet import csv_cell
from .rows import score_columns, score_csv_cells

if TYPE_CHECKING:
    from ...cohort.records import Record
    from ...framework.profiles import Profiles
    from ..formats import Layout, TextOut

_LINE = io.StringIO()
_WRITER = csv.writer(_LINE, lineterminator="\n")


def row(rec: Record) -> str:
    """One record as a line of CSV."""
    _LINE.seek(0)
    _LINE.truncate()
    _WRITER.writerow(score_csv_cells(rec))
    return _LINE.getvalue()


def write_texts(texts: Iterable[str], out: TextOut, profiles: Profiles) -> None:
    csv.writer(out, lineterminator="\n").writerow([csv_cell(c) for c in score_columns(profiles)])
    for text in texts:
        out.write(text)


def write(records: Iterable[Record], out: TextOut, profiles: Profiles, layout: Layout) -> None:
    write_texts(map(row, records), out, profiles)
