"""`qim compare OLD NEW`: one person's before and after (assessment.compare.PersonComparison),
one module per format; `words.py` says what every format says the same way."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout
from ..notice import rendered

if TYPE_CHECKING:
    from ...assessment.compare import PersonComparison
    from ...framework.profiles import Profiles


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


def render(fmt: CompareFormat, doc: PersonComparison, profiles: Profiles,
           layout: Layout) -> str:
    """The comparison in `fmt`; the layout concerns the terminal table."""
    out = rendered(__name__, fmt, doc, profiles, layout)
    assert isinstance(out, str)
    return out
