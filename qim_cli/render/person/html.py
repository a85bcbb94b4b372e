"""The development plan as one self-contained, printable HTML file (Jinja2, autoescaped)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ...assessment.feedback_results import FeedbackResult
from ...assessment.results import Recommendation, Result
from ...framework.actors import ACTOR_LABEL
from ...framework.labels import AUTHORS_SUGGESTION
from ...framework.profiles import Profiles
from ..formats import Layout
from ..templates import environment
from ..text import date_words, page_text
from .radar import radar
from .words import (
    BARRIER_DOMINATED,
    chance_sentence,
    constrains_sentence,
    due_words,
    evidence_sentence,
    judgement_cells,
    legend_lines,
    references,
)

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _environment() -> Environment:
    """The shared environment with the filters of the person's page (none holds one page's
    data: the competencies' labels are the page's `label_of` and `labels_of`)."""
    env = environment()
    env.filters["actor"] = lambda a: ACTOR_LABEL.get(a, a)
    env.filters["constrains"] = constrains_sentence
    return env


def render(result: Result, profiles: Profiles, layout: Layout) -> str:
    return page(result, profiles)


def page(result: Result, profiles: Profiles, feedback: FeedbackResult | None = None,
         feedback_context: dict[str, Any] | None = None) -> str:
    """The page; with `feedback` and what its sections need, the 360° report built on it
    (render/feedback/html.py)."""
    by_id = {c.id: c for c in result.competencies}
    labels = {c.id: c.label for c in result.competencies}

    def rec_sources(rec: Recommendation) -> list[str]:
        return sorted({s for reason in rec.reasons for s in reason.sources} | set(rec.training.sources))

    themes = []
    for tid, tlabel in profiles.themes.items():
        comps = [c for c in result.competencies if c.theme == tid]
        if comps:
            themes.append((tlabel, comps))
    r = result.respondent
    safe = result.model_copy(update={"notes": page_text(result.notes)})
    name, rid = page_text(r.name), page_text(r.id)
    # in the appendix a reason or a piece of evidence is written out once, where it first appears
    first_reason: dict[str, int] = {}
    first_evidence: dict[str, int] = {}
    for rec in result.recommendations:
        for reason in rec.reasons:
            first_reason.setdefault(reason.rule, rec.rank)
        for cid in rec.competencies:
            first_evidence.setdefault(cid, rec.rank)
    template = _environment().get_template("report.html.j2")
    return template.render(
        result=safe,
        label_of=lambda cid: labels.get(cid, cid),
        labels_of=lambda cids: [labels.get(cid, cid) for cid in cids],
        r=r,
        who=f"{name} ({rid})" if name else rid,
        setting=profiles.settings.get(r.setting, r.setting) if r.setting else None,
        radar=radar(result, [c.self_score for c in feedback.competencies] if feedback else None),
        themes=themes,
        insufficient=[c for c in result.competencies if c.status == "insufficient"],
        plan=safe.plan,
        fmt_date=date_words,
        due_words=due_words,
        refs=references(result, profiles),
        evidence=lambda cid: evidence_sentence(by_id[cid]) if cid in by_id else None,
        rec_sources=rec_sources,
        first_reason=first_reason,
        first_evidence=first_evidence,
        legend=legend_lines(result, short=True),
        authors_suggestion=AUTHORS_SUGGESTION,
        barrier_dominated=BARRIER_DOMINATED,
        chance_sentence=chance_sentence,
        judgement_cells=judgement_cells,
        feedback=feedback,
        **(feedback_context or {}),
    ).rstrip("\n") + "\n"
