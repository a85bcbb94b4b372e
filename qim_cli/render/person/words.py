"""What every format of a person's report says the same way: their experience, when an
objective is due, what a barrier may do to the needs beside it, the marks and legend of
the competency table, the study's evidence and the sources cited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...framework.labels import AUTHORS_SUGGESTION
from ...words import and_list, in_sentence, plural
from ..study import AUTHORS_LEGEND, AUTHORS_MARK, table2_quote
from ..text import date_words

if TYPE_CHECKING:
    from ...assessment.results import (
        Calibration,
        CompetencyJudgement,
        CompetencyResult,
        Objective,
        Result,
    )
    from ...framework.profiles import Profiles


def stage_words(label: str) -> str:
    """A career stage inside a sentence, without the years its label spells out
    ("Early career (2 to 5 years as a QIM)" -> "early career")."""
    return in_sentence(label.split(" (")[0])


def experience_words(years: float, stage_label: str) -> str:
    """`3.5 years as a QIM (early career)`, `1 year as a QIM (new)`."""
    return f"{years:g} {'year' if years == 1 else 'years'} as a QIM ({stage_words(stage_label)})"


def constrains_sentence(labels: list[str], *, whose: str = "") -> str:
    """What a barrier may do to the needs beside it, never setting them aside: "It may make
    work on sense-giving harder; it does not set that need aside." (one), "... on long-term
    thinking and supportiveness harder; it does not set those needs aside." (several).
    `whose`: "your " in the person's own report."""
    names = and_list([in_sentence(label) for label in labels])
    need = "that need" if len(labels) == 1 else "those needs"
    return f"It may make {whose}work on {names} harder; it does not set {need} aside."


def unanswered_words(counts: dict[str, int]) -> str:
    """`1 item, 2 importance ratings and 1 workplace question` (the sections left out)."""
    nouns = {"items": ("item", None), "importance": ("importance rating", None),
             "context": ("workplace question", None)}
    return and_list([plural(n, *nouns.get(k, (k, k))) for k, n in counts.items() if n])


def due_words(o: Objective) -> str:
    """When an objective is due, and when it starts: dates, or weeks without assessed_on."""
    weeks = o.due_week - o.start_week
    if o.due is None:
        start = "" if o.start_week == 0 else f", starting in week {o.start_week}"
        return f"week {o.due_week} after the assessment (about {weeks} weeks{start})"
    start = "start now" if o.start_week == 0 else f"start {date_words(o.starts)}"
    if o.after is not None:
        start += f" when objective {o.after} ends"
    return f"{date_words(o.due)} ({start}; about {weeks} weeks)"


#: what a plan dominated by workplace barriers says of itself
BARRIER_DOMINATED = ("Many workplace barriers are reported, so they come first and the plan "
                     "keeps new personal objectives few; what your background overlooks is "
                     "planned all the same.")

#: the marks of a competency the person's background overlooks, or a known gap of it
FLAG_MARK = {"overlooked": "◆", "known_gap": "○"}
#: what each mark means, as every report's legend says it
FLAG_LEGEND = {
    "overlooked": "◆ the study's authors say your background overlooks it.",
    "known_gap": "○ a known gap for QIMs from outside healthcare (they named it themselves).",
}


def evidence_sentence(c: CompetencyResult) -> str | None:
    """What the study says of how many QIMs cited a competency: its Table 2 row, or that
    the QIMs did not name it and its authors suggest it."""
    if c.origin == "authors":
        return f"{c.label}: {AUTHORS_SUGGESTION} [A, Limitations of the study]."
    return None if c.evidence is None else table2_quote(c.evidence)


def flag_marks(c: CompetencyResult) -> str:
    """The marks after a competency's label: ◆ or ○ for the background, † for the authors'."""
    marks = [FLAG_MARK[c.background_flag]] if c.background_flag else []
    if c.origin == "authors":
        marks.append(AUTHORS_MARK)
    return " ".join(marks)


#: the words for a gap within measurement error, in full and in a narrow table's cell
WITHIN_ERROR = "at target within measurement error"
WITHIN_ERROR_SHORT = "≈ target"


def priority_words(c: CompetencyResult, *, short: bool = False) -> str:
    """A competency's priority, or that its gap is within measurement error."""
    if c.within_error:
        return WITHIN_ERROR_SHORT if short else WITHIN_ERROR
    return c.priority_label


def precision_line(result: Result, *, short: bool = False) -> str:
    """How precise a score is, in one line (naming the narrow table's mark when `short`)."""
    p = result.precision
    band = (f"±{p.band_low:.2f}" if p.band_low == p.band_high
            else f"±{p.band_low:.2f} to ±{p.band_high:.2f}")
    mark = f" ({WITHIN_ERROR_SHORT})" if short else ""
    return (f"Each score is precise to about {band} ({p.confidence:.0%}; {p.label}): a "
            f"smaller gap is {WITHIN_ERROR}{mark}.")


def legend_lines(result: Result, *, short: bool = False) -> list[str]:
    """What the marks and the targets of a competency table mean, for this report."""
    flags = {c.background_flag for c in result.competencies if c.background_flag}
    out = [f"Target: {result.standard.basis}", precision_line(result, short=short)]
    out += [FLAG_LEGEND[f] for f in ("overlooked", "known_gap") if f in flags]
    if any(c.origin == "authors" for c in result.competencies):
        out.append(AUTHORS_LEGEND + ".")  # (the legend ends each with a full stop)
    return out


def sources_used(result: Result) -> list[str]:
    ids: set[str] = set()
    for rec in result.recommendations:
        ids.update(rec.training.sources)
        for reason in rec.reasons:
            ids.update(reason.sources)
    for b in result.barriers:
        ids.update(b.sources)
    ids.update(c.evidence.source for c in result.competencies if c.evidence)
    if any(c.origin == "authors" or c.background_flag for c in result.competencies):
        ids.add("A")
    if result.calibration is not None:
        ids.update(s for sc in result.calibration.scenarios for s in sc.sources)
    return sorted(ids)


def references(result: Result, profiles: Profiles) -> list[tuple[str, str]]:
    return [(s, profiles.framework.sources.get(s, s)) for s in sources_used(result)]


#: the scenarios section: its heading, and what each calibration note says
SCENARIOS_HEADING = "Scenarios: knowing the best response"
NOTE_WORDS = {"generous": "self-rating may be generous", "modest": "self-rating may be modest"}
BEYOND_WORDS = {"below": "below", "above": "above", None: "within"}


def judgement_cells(c: CompetencyJudgement) -> tuple[str, str, str, str]:
    """(share of the best-response points, points, the chance band and where the
    judgement lies, the note) for one competency."""
    return (f"{c.share:.0%}", f"{c.points:g} of {c.max_points:g}",
            f"{c.chance_low * 100:.0f}–{c.chance_high:.0%}, {BEYOND_WORDS[c.beyond_chance]}",
            NOTE_WORDS.get(c.note or "", ""))


def chance_sentence(cal: Calibration) -> str:
    """What the judgement is, and what chance gives."""
    return (f"{cal.scale} Random picks earn {cal.chance:.0%} of the points on average; the "
            "chance band holds the shares random picks reach nine times in ten.")


def answered_words(cal: Calibration) -> str:
    return f"{cal.answered} of {cal.offered} answered"
