"""The 360° report as one self-contained, printable HTML page: the person's page
(render/person/html.py) built on colleagues' view, with the 360° sections of
templates/feedback.html.j2."""

from __future__ import annotations

from typing import Any

from ...assessment.feedback_results import FeedbackResult
from ...framework.profiles import Profiles
from ...words import plural
from ..formats import Layout
from ..person.html import page
from . import view as v


def render(fb: FeedbackResult, profiles: Profiles, layout: Layout) -> str:
    return page(fb.result, profiles, feedback=fb, feedback_context=_context(fb, profiles))


def _context(fb: FeedbackResult, profiles: Profiles) -> dict[str, Any]:
    """What the 360° sections of the template need (templates/feedback.html.j2)."""
    labels = {c.id: c.label for c in fb.competencies}
    return {
        "feedback_groups": v.shown_groups(fb),
        "agreement_label": v.AGREEMENT_LABEL,
        "scale": list(profiles.framework.scales.performance.labels),
        "feedback_brief": v.brief(fb),
        "fb_series": v.chart_series(fb),
        "fb_rows": v.chart_rows(fb),
        "fb_lists": v.behaviour_lists(fb),
        "fb_titles": {"colleagues": v.SECTION_COLLEAGUES.format(n=plural(fb.raters, "colleague")),
                      "behaviours": v.SECTION_BEHAVIOURS, "comments": v.SECTION_COMMENTS},
        "behaviours_note": v.BEHAVIOURS_NOTE,
        "comments_note": v.COMMENTS_NOTE.format(n=fb.min_raters),
        "comment_sections": v.comment_sections(fb),
        "competency_label": lambda cid: labels.get(cid, cid),
        "answer": v.answer,
        "avoid": v.AVOID,
        "spread_text": v.spread_text,
        "view_of": v.view_of,
        "view_by_id": {c.id: v.view_of(c) for c in fb.competencies},
    }
