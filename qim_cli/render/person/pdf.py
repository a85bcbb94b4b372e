"""The person's report as an A4 PDF: the HTML page printed (render/printing.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..printing import html_to_pdf
from . import html

if TYPE_CHECKING:
    from ...assessment.results import Result
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(result: Result, profiles: Profiles, layout: Layout) -> bytes:
    return html_to_pdf(html.render(result, profiles, layout))
