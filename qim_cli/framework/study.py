"""The study's own table: Table 2 of [A] (`profiles/table2.toml`), the one place every
figure quoted from the study comes from, and how outputs label a competency that the
study's authors suggest but the QIMs interviewed did not name."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .labels import AUTHORS_SUGGESTION as AUTHORS_SUGGESTION
from .models import Id, Passage, Strict


class Table2Group(Strict):
    #: the column's heading as the paper prints it
    printed: str = Field(min_length=1)
    #: how many QIMs of the group were interviewed
    of: int = Field(gt=0)


class Table2Groups(Strict):
    clinical: Table2Group
    traditional: Table2Group


class Table2Row(Strict):
    id: Id
    #: the row's label as the paper prints it
    printed: str = Field(min_length=1)
    kind: Literal["theme", "competency", "code"]
    clinical: int | None = Field(default=None, ge=0)
    traditional: int | None = Field(default=None, ge=0)


class Table2File(Strict):
    """Table 2 of [A]: the one data table every quoted figure of the study comes from."""

    schema_version: Literal[1]
    source: str
    passage: Passage
    title: str
    groups: Table2Groups
    rows: list[Table2Row] = Field(min_length=1)
