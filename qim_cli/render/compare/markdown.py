"""One person's before and after as Markdown: the review a QIM brings to the next
appraisal (last time's plan, objective by objective), then the competencies, the
recommendations and the organisational barriers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..numbers import number
from ..text import md_cell, md_inline
from .words import (
    NO_BARRIERS,
    OUTCOME_WORDS,
    barrier_sections,
    barrier_status,
    competency_line,
    level_change,
    objective_head,
    precision_line,
    rec_text,
    recommendation_sections,
    review_summary,
    verdict,
    who_line,
)

if TYPE_CHECKING:
    from ...assessment.compare import PersonComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PersonComparison, profiles: Profiles, layout: Layout) -> str:
    review = doc.plan_review
    out = [f"# {md_inline(doc.respondent)}: before and after", "",
           f"- Before: {md_inline(who_line(doc.old, review.old_assessed_on))}",
           f"- After: {md_inline(who_line(doc.new, review.new_assessed_on))}"]
    if not doc.same_respondent:
        out.append(f"- Different respondents: {md_inline(doc.old.id)} and {md_inline(doc.new.id)}")
    out += _review(doc) + _competencies(doc)
    out += ["## Recommendations", ""]
    for _, title, entries in recommendation_sections(doc):
        out += [f"### {title} ({len(entries)})", ""]
        out += [f"- {md_inline(rec_text(e, doc))}" for e in entries] or ["None."]
        out.append("")
    out += ["## Organisational barriers", ""]
    if not doc.barriers.any:
        out += [NO_BARRIERS, ""]
    for _, title, bars in barrier_sections(doc) if doc.barriers.any else ():
        out += [f"### {title} ({len(bars)})", ""]
        out += [f"- {md_inline(b.title)}" for b in bars] or ["None."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _review(doc: PersonComparison) -> list[str]:
    review = doc.plan_review
    out = ["", "## Review of last time's plan", "",
           "The plan qim makes from the earlier sheet, each objective's competencies against "
           "today's target (it rises with the next career stage).", ""]
    if not review.objectives:
        out += ["The earlier plan had no objectives.", ""]
    for o in review.objectives:
        out.append(f"{o.number}. **{md_inline(objective_head(o))}**: {OUTCOME_WORDS[o.outcome]}")
        out += [f"   - {md_inline(competency_line(c))}" for c in o.competencies]
    if review.objectives:
        out.append("")
    if review.deferred:
        out += ["Deferred last time:", ""]
        out += [f"- {md_inline(competency_line(c))}" for c in review.deferred] + [""]
    if review.barriers:
        out += ["Organisational barriers raised last time:", ""]
        out += [f"- {md_inline(b.title)}: {barrier_status(b)}" for b in review.barriers]
        out.append("")
    summary = review_summary(review)
    if summary:
        out += [f"{summary}.", ""]
    return out


def _competencies(doc: PersonComparison) -> list[str]:
    out = ["## Competencies", "",
           "| Competency | Before | After | Change | Measurement error | Gap before | Gap after "
           "| Level |",
           "|---|---:|---:|---:|---|---:|---:|---|"]
    for c in doc.competencies:
        out.append(f"| {md_cell(c.label)} | {number(c.old_score)} | {number(c.new_score)} | "
                   f"{number(c.change, signed=True)} | {verdict(c)} | "
                   f"{number(c.old_gap, signed=True)} | "
                   f"{number(c.new_gap, signed=True)} | {md_cell(level_change(c))} |")
    return out + ["", md_inline(precision_line(doc)), ""]
