"""`qim score` as JSON lines: one object per record."""

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
    """One record as a line of JSON."""
    return json.dumps(score_row(rec), ensure_ascii=False) + "\n"


def write_texts(texts: Iterable[str], out: TextOut, profiles: Profiles) -> None:
    for text in texts:
        out.write(text)


def write(records: Iterable[Record], out: TextOut, profiles: Profiles, layout: Layout) -> None:
    write_texts(map(row, records), out, profiles)
