"""One renderer per output format, one interface: (result, profiles) -> text."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ..assessment.results import Result
    from ..framework.profiles import Profiles


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"  # the HTML printed to A4 by WeasyPrint (the optional extra qim[pdf])


def render_json(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    import json

    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _render_table(result: Result, profiles: Profiles, *, color: bool = False,
                  explain: bool = False, width: int = 80) -> str:
    from .table import render_table

    return render_table(result, profiles, color=color, explain=explain, width=width)


def _render_markdown(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    from .markdown import render_markdown

    return render_markdown(result, profiles)


def _render_html(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    from .html import render_html

    return render_html(result, profiles)


def _render_pdf(result: Result, profiles: Profiles, *, color: bool = False) -> bytes:
    from .pdf import html_to_pdf

    return html_to_pdf(_render_html(result, profiles))


RENDERERS: dict[ReportFormat, Callable[..., str | bytes]] = {
    ReportFormat.table: _render_table,
    ReportFormat.json: render_json,
    ReportFormat.markdown: _render_markdown,
    ReportFormat.html: _render_html,
    ReportFormat.pdf: _render_pdf,
}

#: formats that are bytes, not text
BINARY = frozenset({ReportFormat.pdf})


def render(fmt: ReportFormat, result: Result, profiles: Profiles, *, color: bool = False,
           explain: bool = False, width: int = 80) -> str | bytes:
    """`explain` and `width` concern the terminal table; the documents always carry the
    trace (in an appendix) and JSON carries everything. A PDF is bytes."""
    if fmt is ReportFormat.table:
        return _render_table(result, profiles, color=color, explain=explain, width=width)
    return RENDERERS[fmt](result, profiles, color=color)


def render_feedback(fmt: ReportFormat, fb, profiles: Profiles, *, color: bool = False,
                    width: int = 80) -> str | bytes:
    """The 360 report (a FeedbackResult) in the chosen format; `width` is the terminal's."""
    from . import feedback as f

    if fmt is ReportFormat.table:
        return f.render_feedback_table(fb, profiles, color=color, width=width)
    if fmt is ReportFormat.pdf:
        from .pdf import html_to_pdf

        return html_to_pdf(f.render_feedback_html(fb, profiles))

    table = {
        ReportFormat.table: f.render_feedback_table,
        ReportFormat.json: f.render_feedback_json,
        ReportFormat.markdown: f.render_feedback_markdown,
        ReportFormat.html: f.render_feedback_html,
    }
    return table[fmt](fb, profiles, color=color)
