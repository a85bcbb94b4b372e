"""`qim compare OLD NEW --format html`: one person's before and after as a self-contained,
printable page (the review of last time's plan to bring to an appraisal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..templates import environment
from ..text import page_text
from . import words

if TYPE_CHECKING:
    from ...assessment.compare import PersonComparison, RecommendationEntry
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PersonComparison, profiles: Profiles, layout: Layout) -> str:
    def rec_text(e: RecommendationEntry) -> str | None:
        return page_text(words.rec_text(e, doc))

    return environment().get_template("compare.html.j2").render(
        doc=doc,
        review=doc.plan_review,
        day=words.day,
        stage=words.stage_words,
        outcome_words=words.outcome_words,
        verdict=words.verdict,
        precision_line=words.precision_line(doc),
        objective_head=words.objective_head,
        barrier_status=words.barrier_status,
        summary=words.review_summary(doc.plan_review),
        rec_sections=words.recommendation_sections(doc),
        barrier_sections=words.barrier_sections(doc),
        any_barriers=doc.barriers.any,
        no_barriers=words.NO_BARRIERS,
        rec_text=rec_text,
    ).rstrip("\n") + "\n"
