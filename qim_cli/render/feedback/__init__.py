"""`qim report SELF RATINGS...`: the 360° report (assessment.feedback_results.FeedbackResult), in
the formats of the person's report (render/person's ReportFormat), one module per format;
`view.py` works out what every format shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..formats import Layout
from ..notice import rendered

if TYPE_CHECKING:
    from ...assessment.feedback_results import FeedbackResult
    from ...framework.profiles import Profiles
    from ..person import ReportFormat


def render(fmt: ReportFormat, fb: FeedbackResult, profiles: Profiles,
           layout: Layout) -> str | bytes:
    """The 360° report in `fmt` (a PDF is bytes); the layout concerns the terminal table."""
    return rendered(__name__, fmt, fb, profiles, layout)
