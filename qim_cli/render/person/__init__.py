"""`qim report`: one person's report (assessment.results.Result), one module per format.

`qim report` given colleagues' ratings renders the 360° report (render/feedback) with the
same formats.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout
from ..notice import rendered

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ...assessment.results import Result
    from ...framework.profiles import Profiles


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"  # the HTML printed to A4 by WeasyPrint (the optional extra qim[pdf])


#: formats that are bytes, not text
BINARY = frozenset({ReportFormat.pdf})


def render(fmt: ReportFormat, result: Result, profiles: Profiles,
           layout: Layout) -> str | bytes:
    """The report in `fmt`. The layout concerns the terminal table (its width, colour and
    --explain); the documents always carry the trace (in an appendix) and JSON carries
    everything. A PDF is bytes."""
    return rendered(__name__, fmt, result, profiles, layout)
