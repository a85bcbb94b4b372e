"""The words of `qim compare OLD NEW` that more than one format shows (the terminal
table, CSV, Markdown and HTML): outcomes, the sections, and the sentences made of them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...assessment.compare import RemainingRecommendation
from ...words import and_list
from ..numbers import number
from ..text import date_words

if TYPE_CHECKING:
    from ...assessment.compare import (
        BarrierEntry,
        BarrierReview,
        CompetencyChange,
        CompetencyReview,
        ObjectiveReview,
        PersonComparison,
        PlanReview,
        RecommendationEntry,
        Side,
    )

OUTCOME_WORDS = {"reached": "reached the target",
                 "improved": "changed beyond measurement error: up, not yet at target",
                 "declined": "changed beyond measurement error: down",
                 "within_error": "within measurement error: no reliable change",
                 "not_scored": "could not be scored"}
#: an outcome in the review's summary line
SUMMARY_WORDS = {"reached": "reached the target", "improved": "improved beyond measurement error",
                 "declined": "declined beyond measurement error",
                 "within_error": "within measurement error", "not_scored": "could not be scored"}
AT_TARGET_WITHIN_ERROR = "at target within measurement error"
#: a change's verdict in full, and in a narrow table's cell
VERDICT_WORDS = {"beyond": "changed beyond measurement error", "within": "within measurement error"}
VERDICT_SHORT = {"beyond": "beyond error", "within": "within error"}
NO_BARRIERS = "No organisational barrier was reported, before or after."


def day(when: date | None) -> str:
    return date_words(when, none="no date")


def recommendation_sections(doc: PersonComparison) -> list[tuple[str, str, list[RecommendationEntry]]]:
    """(status, title, entries) of the recommendations, in the order every format shows them."""
    recs = doc.recommendations
    return [("resolved", "Resolved", recs.resolved), ("new", "New", recs.new),
            ("remaining", "Still recommended", list(recs.remaining))]


def barrier_sections(doc: PersonComparison) -> list[tuple[str, str, list[BarrierEntry]]]:
    """(status, title, entries) of the organisational barriers, in report order."""
    bars = doc.barriers
    return [("resolved", "No longer reported", bars.resolved), ("new", "New", bars.new),
            ("remaining", "Still reported", bars.remaining)]


def stage_words(stage: str) -> str:
    return stage.replace("_", " ")


def who_line(side: Side, assessed_on: date | None) -> str:
    """`examples/x.toml, assessed 2 Mar 2026: 3 years as a QIM, early career`."""
    years = side.years_as_qim
    return (f"{side.source}, assessed {day(assessed_on)}: {years:g} year"
            f"{'' if years == 1 else 's'} as a QIM, {stage_words(side.career_stage)}")


def outcome_words(c: CompetencyReview | ObjectiveReview) -> str:
    """A competency's or an objective's outcome in words (a competency at target within
    measurement error says so)."""
    if c.outcome == "reached" and getattr(c, "at_target_within_error", False):
        return AT_TARGET_WITHIN_ERROR
    return OUTCOME_WORDS[c.outcome]


def verdict(c: CompetencyChange, *, short: bool = False) -> str:
    """Whether a competency's change is beyond measurement error; a dash without one."""
    if c.reliable is None:
        return "–"
    return (VERDICT_SHORT if short else VERDICT_WORDS)[c.reliable.verdict]


def precision_line(doc: PersonComparison) -> str:
    """How large a change must be to count, in one line."""
    sizes = sorted({c.reliable.smallest for c in doc.competencies if c.reliable is not None})
    if not sizes:
        return ""
    size = f"{sizes[0]:.2f}" if len(sizes) == 1 else f"{sizes[0]:.2f} to {sizes[-1]:.2f}"
    return (f"A change counts only beyond measurement error: at least {size} score points "
            f"either way ({doc.precision.confidence:.0%}, the reliable change index of "
            f"Jacobson and Truax; reliability: {doc.precision.label}).")


def competency_line(c: CompetencyReview) -> str:
    """`Long-term thinking 1.75 → 3.25 (target 3.5): within measurement error: ...`."""
    text = (f"{c.label} {number(c.old_score)} → {number(c.new_score)} "
            f"(target {c.new_target:.1f}): {outcome_words(c)}")
    if c.in_new_plan is not None:
        text += f"; in the new plan (objective {c.in_new_plan})"
    return text


def objective_head(o: ObjectiveReview) -> str:
    return f"{o.title} (due {day(o.due)})"


def review_summary(review: PlanReview) -> str | None:
    """`3 objectives: 1 reached the target, 2 within measurement error`, or None."""
    counts = review.summary
    n = sum(counts.values())
    if not n:
        return None
    return f"{n} objective{'s' if n != 1 else ''}: " + ", ".join(
        f"{k} {SUMMARY_WORDS[outcome]}" for outcome, k in counts.items() if k)


def barrier_status(b: BarrierReview) -> str:
    return "still reported" if b.status == "still_reported" else "no longer reported"


def level_change(c: CompetencyChange) -> str:
    """`proficient`, or `developing → proficient`."""
    return c.old_level if c.old_level == c.new_level else f"{c.old_level} → {c.new_level}"


def rec_text(e: RecommendationEntry, doc: PersonComparison) -> str:
    """`Title: for Long-term thinking and Sense-giving (priority 3.0 → 2.5)`."""
    names = {c.id: c.label for c in doc.competencies}
    text = e.title
    if e.competencies:
        text += ": for " + and_list(names.get(c, c) for c in e.competencies)
    if isinstance(e, RemainingRecommendation):
        text += f" (priority {e.old_priority:.1f} → {e.priority:.1f})"
    return text
