"""`qim compare OLD NEW --format html`: one person's before and after as a self-contained,
printable page (the review of last time's plan to bring to an appraisal)."""

from __future__ import annotations

from typing import Any

from . import compare_words as words


def render_compare_html(doc: dict[str, Any], **_: Any) -> str:
    from .html import _environment, clean

    names = words.labels(doc)
    env = _environment()
    return env.get_template("compare.html.j2").render(
        doc=doc,
        review=doc["plan_review"],
        day=words.day,
        num=words.number,
        stage=words.stage_words,
        outcome_words=words.OUTCOME_WORDS,
        objective_head=words.objective_head,
        barrier_status=words.barrier_status,
        summary=words.review_summary(doc["plan_review"]),
        rec_sections=words.REC_SECTIONS,
        barrier_sections=words.BARRIER_SECTIONS,
        any_barriers=any(doc["barriers"].values()),
        no_barriers=words.NO_BARRIERS,
        rec_text=lambda e: clean(words.rec_text(e, names)),
    ).rstrip("\n") + "\n"
