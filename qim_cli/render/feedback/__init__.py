"""`qim report SELF RATINGS...`: the 360° report (assessment.feedback_results.FeedbackResult), in
the formats of the person's report (render/person's ReportFormat), one module per format;
`view.py` works out what every format shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..formats import Layout, format_module

if TYPE_CHECKING:
    from ...assessment.feedback_results import FeedbackResult
    from ...framework.profiles import Profiles
    from ..person import ReportFormat


def render(fmt: ReportFormat, fb: FeedbackResult, profiles: Profiles,
           layout: Layout) -> str | bytes:
    """The 360° report in `fmt` (a PDF is bytes); the layout concerns the terminal table."""
    out: str | bytes = format_module(__name__, fmt).render(fb, profiles, layout)
    if isinstance(out, str):  # (notice.py: the footer, imported when a report is made)
        from ..notice import with_footer

        out = with_footer(out, fmt, layout)
    return out
