"""One person's before and after for a terminal: the review of last time's plan, the
competencies, then what was resolved, is new and remains."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from rich.table import Table
from rich.text import Text

from ...assessment.compare import RemainingRecommendation
from ..console import Page
from ..fit import fitted, hanging
from ..numbers import number
from ..text import terminal_text
from .words import (
    OUTCOME_WORDS,
    day,
    level_change,
    outcome_words,
    precision_line,
    review_summary,
    verdict,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ...assessment.compare import CompetencyReview, PersonComparison, RecommendationEntry
    from ...framework.profiles import Profiles
    from ..formats import Layout

OUTCOME_STYLE = {"reached": "green", "improved": "yellow", "declined": "red",
                 "within_error": "", "not_scored": "dim"}
E = TypeVar("E")


def render(doc: PersonComparison, profiles: Profiles, layout: Layout) -> str:
    con = Page(layout)
    old, new = doc.old, doc.new
    head = Text(f"{terminal_text(doc.respondent)}: before and after", style="bold")
    head.append(f"\nbefore: {terminal_text(old.source)} ({old.years_as_qim:g} years, "
                f"{old.career_stage})")
    head.append(f"\nafter:  {terminal_text(new.source)} ({new.years_as_qim:g} years, "
                f"{new.career_stage})")
    con.print(head)
    if not doc.same_respondent:
        con.print(Text(f"Different respondents: {terminal_text(old.id)} and "
                       f"{terminal_text(new.id)}", style="yellow"))
    if doc.standard_change:
        con.print()
        con.print(Text("The role standard changed", style="bold yellow"))
        con.print(Text(doc.standard_change.note))
    _review(con, doc)
    _competencies(con, doc)
    recs = doc.recommendations
    _section(con, "Recommendations resolved", recs.resolved, _rec)
    _section(con, "New recommendations", recs.new, _rec)
    _section(con, "Recommendations that remain", recs.remaining, _rec)
    bars = doc.barriers
    for title, entries in (("Organisational barriers resolved", bars.resolved),
                           ("New organisational barriers", bars.new),
                           ("Organisational barriers that remain", bars.remaining)):
        _section(con, title, entries, lambda b: f"{b.title} ({b.rule})")
    return con.text()


def _competencies(con: Console, doc: PersonComparison) -> None:
    t = Table(title="Competencies", title_justify="left")
    t.add_column("Competency")
    for name in ("Before", "After", "Change"):
        t.add_column(name, justify="right")
    t.add_column("Measurement error")
    for name in ("Gap before", "Gap after"):
        t.add_column(name, justify="right")
    t.add_column("Level")
    for c in doc.competencies:
        change = c.change
        beyond = c.reliable is not None and c.reliable.verdict == "beyond"
        style = ("green" if change and change > 0 else "red" if change and change < 0
                 else "") if beyond else ""
        t.add_row(Text(c.label), number(c.old_score), number(c.new_score),
                  Text(number(change, signed=True), style=style), verdict(c, short=True),
                  number(c.old_gap, signed=True), number(c.new_gap, signed=True), level_change(c))
    con.print(fitted(con, t))
    con.print(Text(precision_line(doc), style="dim"))
    con.print(Text(f"Targets: the {doc.standard.label}, {doc.standard.basis}", style="dim"))


def _section(con: Console, title: str, entries: Sequence[E], words: Callable[[E], str]) -> None:
    con.print(Text(f"{title} ({len(entries)})", style="bold"))
    if not entries:
        con.print("  none")
    for e in entries:
        con.print(hanging("  • ", words(e)))


def _rec(e: RecommendationEntry) -> str:
    comps = ", ".join(e.competencies)
    text = f"{e.title} ({e.id}){' — ' + comps if comps else ''}"
    if isinstance(e, RemainingRecommendation):
        text += f": priority {e.old_priority:.1f} → {e.priority:.1f}"
    return text


def _review(con: Console, doc: PersonComparison) -> None:
    """The review of last time's plan: each objective's competencies, reached or not."""
    review = doc.plan_review
    con.print()
    con.print(Text(f"Review of last time's plan (assessed {day(review.old_assessed_on)})",
                   style="bold underline"))
    if review.standard_changed:
        con.print(Text(review.standard_changed, style="yellow"))
    if not review.objectives:
        con.print(Text("  The earlier plan had no objectives."))
    for o in review.objectives:
        head = Text(o.title, style="bold")
        head.append(f" (due {day(o.due)}): ")
        head.append(OUTCOME_WORDS[o.outcome], style=OUTCOME_STYLE[o.outcome])
        con.print(hanging(f" {o.number}. ", head, indent=4))
        for c in o.competencies:
            con.print(hanging("    ", _competency_line(c), indent=6))
    if review.deferred:
        con.print(Text(" Deferred last time:", style="bold"))
        for d in review.deferred:
            con.print(hanging("    ", _competency_line(d), indent=6))
    for b in review.barriers:
        status = "still reported" if b.status == "still_reported" else "no longer reported"
        con.print(hanging(" ▲ ", f"{b.title}: {status}", indent=4))
    summary = review_summary(review)
    if summary:
        con.print(Text(summary, style="dim"))
    con.print()


def _competency_line(c: CompetencyReview) -> Text:
    line = Text(f"{c.label} {number(c.old_score)} → {number(c.new_score)} "
                f"(target {c.new_target:.1f}): ")
    line.append(outcome_words(c), style=OUTCOME_STYLE[c.outcome])
    if c.in_new_plan is not None:
        line.append(f"; in the new plan (objective {c.in_new_plan})")
    return line
