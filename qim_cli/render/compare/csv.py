"""One person's before and after as CSV in long format: section is ``competency`` (old and
new score), ``objective`` (last time's plan; status its outcome), ``recommendation`` (old
and new priority; status resolved, new or remaining) or ``barrier`` (status resolved, new
or remaining)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...assessment.compare import RemainingRecommendation
from ..spreadsheet import LongCsv
from .words import barrier_sections, recommendation_sections

if TYPE_CHECKING:
    from ...assessment.compare import PersonComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout

COLUMNS = ["section", "id", "label", "old", "new", "change", "rci", "smallest_reliable_change",
           "verdict", "old_gap", "new_gap", "old_level", "new_level", "status"]


def render(doc: PersonComparison, profiles: Profiles, layout: Layout) -> str:
    out = LongCsv(COLUMNS)
    for c in doc.competencies:
        out.row(section="competency", id=c.id, label=c.label, old=c.old_score, new=c.new_score,
                change=c.change, rci=c.reliable.rci if c.reliable else None,
                smallest_reliable_change=c.reliable.smallest if c.reliable else None,
                verdict=c.reliable.verdict if c.reliable else None, old_gap=c.old_gap,
                new_gap=c.new_gap, old_level=c.old_level, new_level=c.new_level)
    for o in doc.plan_review.objectives:
        out.row(section="objective", id=o.training, label=o.title, status=o.outcome)
    for status, _title, entries in recommendation_sections(doc):
        for e in entries:
            old, change = e.priority if status == "resolved" else None, None
            if isinstance(e, RemainingRecommendation):
                old, change = e.old_priority, e.change
            out.row(section="recommendation", id=e.id, label=e.title, old=old,
                    new=e.priority if status in ("new", "remaining") else None, change=change,
                    status=status)
    for status, _title, bars in barrier_sections(doc):
        for b in bars:
            out.row(section="barrier", id=b.rule, label=b.title, status=status)
    return out.text()
