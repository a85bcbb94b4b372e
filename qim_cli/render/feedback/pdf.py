"""The 360° report as an A4 PDF: its HTML page printed (render/printing.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..printing import html_to_pdf
from . import html

if TYPE_CHECKING:
    from ...assessment.feedback_results import FeedbackResult
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(fb: FeedbackResult, profiles: Profiles, layout: Layout) -> bytes:
    return html_to_pdf(html.render(fb, profiles, layout))
