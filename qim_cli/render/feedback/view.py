"""What every 360° renderer shows, worked out once: whose view a score is, the chart's
markers, the highest and lowest behaviours, and the behaviours rated higher by oneself."""

from __future__ import annotations

from dataclasses import dataclass

from ...assessment.feedback_results import Competency360, FeedbackResult, Item360
from ...words import and_list

AGREEMENT_LABEL = {
    "self_higher": "self higher (you rate yourself above colleagues)",
    "hidden_strength": "hidden strength (others above self)",
    "agree": "agree",
    None: "–",
}



def comment_sections(fb: FeedbackResult) -> list[tuple[str, str, list[str]]]:
    """(anchor, heading, comments) of each kind of comment colleagues wrote, when any."""
    c = fb.comments
    if c is None:
        return []
    sections = [("strengths", "What they do well", c.strengths),
                ("develop", "What they could develop", c.develop)]
    return [s for s in sections if s[2]]

#: the sections every 360° format adds to a person's report, in this order (HTML and Markdown
#: give each its own heading; a test checks that they agree)
SECTION_COLLEAGUES = "Self and {n}"  # n: "6 colleagues" (words.plural)
SECTION_BEHAVIOURS = "Behaviour by behaviour"
SECTION_COMMENTS = "What colleagues wrote"
BEHAVIOURS_NOTE = ("Each line is one question as colleagues answered it: how often they see the "
                   "behaviour (1–5), with your own answer. A behaviour to avoid counts the other way "
                   "round: a low answer is good.")
COMMENTS_NOTE = ("Word for word, without names or groups, in a shuffled order; only from groups of "
                 "at least {n} raters.")

#: marker shape per series (shapes as well as colours, so the chart reads without colour)
SELF_MARKER = ("self", "Self", "diamond")
OTHERS_MARKER = ("others", "All colleagues", "circle")
GROUP_MARKERS = ("square", "triangle", "triangle-down", "cross")


def shown_groups(fb: FeedbackResult) -> list[tuple[str, str]]:
    return [(g.group, g.label) for g in fb.groups if g.shown]


def view_of(c: Competency360) -> str:
    """Whose view the competency's score in the profile and plan is."""
    if c.basis == "others":
        return f"others ({c.others_raters})"
    return "self"


def spread_text(c: Competency360) -> str:
    if c.spread is None:
        return "–"
    return f"{c.spread.lowest:.2f}–{c.spread.highest:.2f} (SD {c.spread.sd:.2f})"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    shape: str


@dataclass(frozen=True)
class Marker:
    series: Series
    value: float
    #: position along the track, in per cent of its width
    x: float


def position(value: float) -> float:
    """1–5 along a track with a small margin at each end, in per cent."""
    return round(4 + (value - 1) / 4 * 92, 2)


def chart_series(fb: FeedbackResult) -> list[Series]:
    out = [Series(*SELF_MARKER), Series(*OTHERS_MARKER)]
    for (key, label), shape in zip(shown_groups(fb), GROUP_MARKERS, strict=False):
        out.append(Series(key, label, shape))
    return out


def chart_rows(fb: FeedbackResult) -> list[tuple[Competency360, list[Marker]]]:
    """Per competency, a marker for self, all colleagues and each shown group that has a value."""
    series = chart_series(fb)
    rows = []
    for c in fb.competencies:
        markers = []
        for s in series:
            if s.key == "self":
                v = c.self_score
            elif s.key == "others":
                v = c.others_score
            else:
                v = c.by_group.get(s.key)
            if v is not None:
                markers.append(Marker(s, v, position(v)))
        rows.append((c, markers))
    return rows


def brief(fb: FeedbackResult) -> str:
    """One sentence for the summary: where colleagues and the person disagree by a point."""
    higher = [c.label for c in fb.competencies if c.agreement == "self_higher"]
    hidden = [c.label for c in fb.competencies if c.agreement == "hidden_strength"]
    parts = []
    if hidden:
        parts.append(f"colleagues rate you at least a point above your own rating in {and_list(hidden)} "
                     "(a hidden strength)")
    if higher:
        parts.append(f"you rate yourself at least a point above colleagues in {and_list(higher)}")
    first = "; ".join(parts) if parts else "colleagues and you agree within a point on every competency"
    return (first[0].upper() + first[1:] + ". The plan uses colleagues' view wherever at least "
            f"{fb.min_raters} of them rated a competency.")


def items_by_id(fb: FeedbackResult) -> dict[str, Item360]:
    return {it.id: it for it in fb.items}


def highest(fb: FeedbackResult) -> list[Item360]:
    by_id = items_by_id(fb)
    return [by_id[i] for i in fb.highest if i in by_id]


def lowest(fb: FeedbackResult) -> list[Item360]:
    by_id = items_by_id(fb)
    return [by_id[i] for i in fb.lowest if i in by_id]


def behaviour_lists(fb: FeedbackResult) -> list[tuple[str, str, list[Item360]]]:
    """The behaviour lists that have entries: (anchor id, title, items), in report order."""
    lists = [("highest", "Rated highest by colleagues", highest(fb)),
             ("lowest", "Rated lowest by colleagues", lowest(fb)),
             ("item-self-higher", "Self higher: you rate yourself at least 1 above colleagues",
              item_agreement(fb, "self_higher")),
             ("item-hidden-strengths", "Hidden strengths: colleagues rate you at least 1 above yourself",
              item_agreement(fb, "hidden_strength"))]
    return [entry for entry in lists if entry[2]]


def item_agreement(fb: FeedbackResult, kind: str) -> list[Item360]:
    """Items with this agreement, the largest difference first."""
    hits = [it for it in fb.items if it.agreement == kind]
    return sorted(hits, key=lambda it: -abs(it.difference or 0.0))


def answer(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, int) else f"{value:.2f}"


AVOID = "a behaviour to avoid, so a low answer is good"


def item_line(it: Item360, labels: dict[str, str]) -> str:
    """One behaviour in words: its wording, colleagues' and the person's answers."""
    where = labels.get(it.competency, it.competency)
    if it.reverse:
        where += "; " + AVOID
    return f"{it.text} Colleagues {answer(it.others_mean)}, self {answer(it.self_answer)} ({where})."
