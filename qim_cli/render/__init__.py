"""One renderer per output format, one interface: (result, profiles) -> text."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ..models import Result
    from ..profiles import Profiles


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


def render_json(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _render_table(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    from .table import render_table

    return render_table(result, profiles, color=color)


RENDERERS: dict[ReportFormat, Callable[..., str]] = {
    ReportFormat.table: _render_table,
    ReportFormat.json: render_json,
}


def render(fmt: ReportFormat, result: Result, profiles: Profiles, *, color: bool = False) -> str:
    return RENDERERS[fmt](result, profiles, color=color)
