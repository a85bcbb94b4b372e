"""`qim score`: one row per respondent, one module per format, each consuming records
(cohort.records.Record) one at a time.

CSV, JSON lines and JSON are streamed: each module's `row(record)` makes a record's text
(in the scoring processes of a parallel batch: a module-level function reaches them) and
its `write_texts` writes those texts as they come, between a header or brackets; nothing
is kept. Every format module also has `write(records, out, profiles, layout)`; the
terminal table has only that, as it needs every row before it can size its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout, TextOut, format_module

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ...cohort.records import Record
    from ...framework.profiles import Profiles


class ScoreFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    table = "table"


#: the formats written as each sheet is scored
STREAMED = frozenset({ScoreFormat.csv, ScoreFormat.jsonl, ScoreFormat.json})


def row_maker(fmt: ScoreFormat) -> Callable[[Record], str] | None:
    """The function that makes one record's text in `fmt`; None for the table."""
    if fmt not in STREAMED:
        return None
    row: Callable[[Record], str] = format_module(__name__, fmt).row
    return row


def write_texts(fmt: ScoreFormat, texts: Iterable[str], out: TextOut, profiles: Profiles) -> None:
    """A streamed format from its records' texts (`row_maker`'s), one at a time."""
    format_module(__name__, fmt).write_texts(texts, out, profiles)


def write(fmt: ScoreFormat, records: Iterable[Record], out: TextOut, profiles: Profiles,
          layout: Layout) -> None:
    """Every record in `fmt`; the layout concerns the terminal table."""
    format_module(__name__, fmt).write(records, out, profiles, layout)
