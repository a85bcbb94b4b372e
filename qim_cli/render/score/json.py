"""`qim score` as one JSON array, written element by element."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .rows import score_row

if TYPE_CHECKING:
    from ...cohort.records import Record
    from ...framework.profiles import Profiles
    from ..formats import Layout, TextOut


def row(rec: Record) -> str:
    """One record as an element of the array."""
    return json.dumps(score_row(rec), ensure_ascii=False)


def write_texts(texts: Iterable[str], out: TextOut, profiles: Profiles) -> None:
    out.write("[")
    first = True
    for text in texts:
        out.write("\n  " if first else ",\n  ")
        out.write(text)
        first = False
    out.write("\n]\n" if not first else "]\n")


def write(records: Iterable[Record], out: TextOut, profiles: Profiles, layout: Layout) -> None:
    write_texts(map(row, records), out, profiles)
