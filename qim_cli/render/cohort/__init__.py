"""`qim cohort`: the cohort report (cohort.results.CohortSummary), one module per format;
`words.py` says what every format says the same way."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout
from ..notice import rendered

if TYPE_CHECKING:
    from ...cohort.results import CohortSummary
    from ...framework.profiles import Profiles


class CohortFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


def render(fmt: CohortFormat, doc: CohortSummary, profiles: Profiles,
           layout: Layout) -> str:
    """The report in `fmt`; the layout concerns the terminal table."""
    out = rendered(__name__, fmt, doc, profiles, layout)
    assert isinstance(out, str)
    return out
