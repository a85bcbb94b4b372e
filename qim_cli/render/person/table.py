"""The terminal report (Rich): the profile, strengths, the development plan and the barriers,
the scenarios beside the self-rating, and (the layout's `explain`) the trace: every rule
that fired. User text is always passed as Text, never as markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ...assessment.results import Calibration, Objective, Plan, Result
from ...framework.actors import ACTOR_LABEL
from ...framework.profiles import Profiles
from ...words import and_list, in_sentence
from ..console import Page
from ..fit import fitted, hanging, least_widths
from ..formats import Layout
from ..numbers import number
from ..text import date_words, terminal_text
from .words import (
    BARRIER_DOMINATED,
    SCENARIOS_HEADING,
    answered_words,
    chance_sentence,
    constrains_sentence,
    due_words,
    evidence_sentence,
    experience_words,
    flag_marks,
    judgement_cells,
    legend_lines,
    priority_words,
    unanswered_words,
)

BAR_WIDTH = 16
NARROW_BAR = 10
#: from this width on (and where it fits whole), the profile table also shows the level and
#: the self-rated importance
WIDE = 100
PRIORITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}
INDENT = 4  # an objective's fields


def bar(score: float | None, target: float, width: int = BAR_WIDTH) -> Text:
    """A 1–5 bar: filled to the score, with the target marked by a tick."""
    text = Text()
    if score is None:
        return Text("·" * width, style="dim")
    filled = round((score - 1) / 4 * width)
    mark = min(width - 1, round((target - 1) / 4 * width))
    for i in range(width):
        if i == mark:
            text.append("│", style="bold")
        elif i < filled:
            text.append("█", style="cyan")
        else:
            text.append("░", style="dim")
    return text


def competency_table(result: Result, profiles: Profiles, *, wide: bool = True,
                     bar_width: int | None = None) -> Table:
    """The profile: wide (by theme, with the level and the self-rated importance) or
    narrow; `bar_width` 0 leaves the bar out."""
    width = (BAR_WIDTH if wide else NARROW_BAR) if bar_width is None else bar_width
    t = Table(box=box.SIMPLE_HEAD if wide else None, show_edge=False, pad_edge=False,
              expand=False, header_style="bold")
    t.add_column("Competency")
    t.add_column("Score", justify="right")
    t.add_column("Target", justify="right")
    t.add_column("Gap", justify="right")
    if wide:
        t.add_column("Level", no_wrap=True)
    if width:
        t.add_column("1 ·· 5".center(width), no_wrap=True)
    if wide:
        t.add_column("Imp.", justify="right")
    t.add_column("Priority", no_wrap=True)
    last_theme = None
    for c in result.competencies:
        if wide and c.theme != last_theme:
            t.add_row(Text(profiles.themes.get(c.theme, c.theme), style="bold"))
            last_theme = c.theme
        label = Text(("  " if wide else "") + c.label)
        marks = flag_marks(c)
        if marks:
            label.append(" " + marks, style="magenta")
        cells: list[Text | str] = [label, number(c.score), f"{c.target:.1f}", number(c.gap, signed=True)]
        if wide:
            cells.append(Text(c.level_label, style="dim" if c.status == "insufficient" else ""))
        if width:
            cells.append(bar(c.score, c.target, width))
        if wide:
            cells.append("–" if c.importance is None else str(c.importance))
        cells.append(Text(priority_words(c, short=True), style=PRIORITY_STYLE[c.priority_label]))
        t.add_row(*cells)
    return t


def _heading(con: Console, text: str) -> None:
    con.print()
    con.print(Text(text, style="bold underline"))


def _fields(rows: list[tuple[str, Text]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def profile(con: Console, result: Result, profiles: Profiles) -> tuple[RenderableType, str]:
    """The competency profile at the console's width, and its legend. What gives way, in
    turn, until it fits: the level and importance columns (shown from WIDE columns on),
    the bar, the labels' length (they wrap); below that, one block per competency. A
    figure is never cut."""
    width = con.width
    marks = " ".join(legend_lines(result, short=True))
    if width >= WIDE:
        table = competency_table(result, profiles, wide=True)
        least, natural, extra = least_widths(con, table)
        if sum(natural) + extra <= width:
            return table, f"│ {marks} Imp. = self-rated importance."
    for bar_width in (NARROW_BAR, 0):
        table = competency_table(result, profiles, wide=False, bar_width=bar_width)
        least, natural, extra = least_widths(con, table)
        if sum(natural) + extra <= width:
            return table, (f"│ {marks}" if bar_width else marks)
    return fitted(con, table), marks


def _objective(o: Objective) -> tuple[Table, Table]:
    head = Text()
    head.append(" · ".join(c.label for c in o.competencies), style="bold")
    labels = {c.priority_label for c in o.competencies}
    top = "high" if "high" in labels else "medium" if "medium" in labels else "low"
    if labels & {"high", "medium"}:
        head.append(f"  {top}", style=PRIORITY_STYLE[top])
    how = Text(o.how.title, style="bold")
    how.append(f" ({o.how.kind.replace('_', ' ')}, {o.how.effort})")
    rows = [("Need", Text(o.need)), ("How", how)]
    if o.alternatives:
        # the first alternative whole (wrapped, never cut), and how many more the
        # documents list
        first = o.alternatives[0]
        more = len(o.alternatives) - 1
        line = Text(f"{first.title} ({first.effort})")
        if more:
            line.append(f" +{more} more", style="dim")
        rows.append(("Or", line))
    rows += [("By", Text(due_words(o))), ("Show", Text(o.evidence)),
             ("Help", Text("; ".join(o.helpers)))]
    if o.also_raise:
        rows.append(("Also", Text("raise: " + "; ".join(in_sentence(b.title) for b in o.also_raise))))
    return hanging(f"{o.number:>2}. ", head), _fields(rows)


def _barriers(con: Console, plan: Plan, result: Result) -> None:
    labels = {c.id: c.label for c in result.competencies}
    if not plan.barriers:
        con.print()
        con.print(Text("Organisational barriers: none reported.", style="bold"))
        return
    _heading(con, f"Organisational barriers to raise ({len(plan.barriers)})")
    con.print(Text("Conditions of the workplace, not training needs of yours.", style="dim"))
    when = f" by {date_words(plan.barriers[0].raise_by)}" if plan.barriers[0].raise_by else ""
    for b in plan.barriers:
        con.print(hanging(" ▲ ", Text(b.title, style="bold")))
        who = and_list(ACTOR_LABEL.get(a, a) for a in b.raise_with) or "your line manager"
        body = Text(f"Raise{when} with {who}. What they can do: {'; '.join(b.ask_for)}.")
        if b.constrains:
            body.append(" " + constrains_sentence([labels.get(c, c) for c in b.constrains],
                                                  whose="your "))
        con.print(Padding(body, (0, 0, 0, INDENT)))


def _plan(con: Console, plan: Plan, result: Result) -> None:
    n = len(plan.objectives)
    review = f"; review at your next appraisal, by {date_words(plan.review_on)}" if plan.review_on else ""
    _heading(con, f"Development plan: {n} objective{'s' if n != 1 else ''}{review}")
    if plan.profile == "strong":
        con.print(Text("No competency is a high or medium priority: "
                       + ("the next steps below build on your strengths." if n
                          else "keep doing what works, and help others learn it.")))
    elif plan.profile == "barrier_dominated":
        con.print(Text(BARRIER_DOMINATED, style="dim"))
    for o in plan.objectives:
        head, body = _objective(o)
        con.print(head)
        con.print(Padding(body, (0, 0, 0, INDENT)))
    for s in plan.support:
        con.print(Text(" + Alongside the plan", style="bold"))
        con.print(Padding(_fields([
            ("How", Text(s.how.title)),
            ("Help", Text("; ".join(s.helpers))),
        ]), (0, 0, 0, INDENT)))
    if plan.deferred:
        con.print(Text("Not in this plan:", style="bold"))
        for d in plan.deferred:
            raise_ = ("" if not d.also_raise else
                      " Also raise: " + "; ".join(b.title.lower() for b in d.also_raise) + ".")
            con.print(Padding(Text(f"{d.label} ({d.priority_label}): {d.why}{raise_}"),
                              (0, 0, 0, 2)))


def render(result: Result, profiles: Profiles, layout: Layout) -> str:
    """The report for a terminal at the layout's width (with its trace when `explain`)."""
    con = Page(layout)
    r = result.respondent
    plan = result.plan
    head = Text()
    head.append(terminal_text(r.name) or terminal_text(r.id), style="bold")
    if r.name:
        head.append(f" ({terminal_text(r.id)})")
    head.append(" · assessed " + (date_words(result.assessed_on) if result.assessed_on
                                   else "on an unknown date (no assessed_on in the sheet)"))
    head.append(f"\n{r.background_label} · {r.role_label} · "
                f"{experience_words(r.years_as_qim, r.career_stage_label)}")
    if r.setting:
        head.append(f" · {profiles.settings.get(r.setting, r.setting)}")
    con.print(head)
    con.print()
    table, legend = profile(con, result, profiles)
    con.print(table)
    con.print(Text(legend, style="dim"))
    for note in result.respondent.beyond_study:
        con.print(Text(note, style="dim"))
    insufficient = [c for c in result.competencies if c.status == "insufficient"]
    if insufficient:
        con.print(Text("Too few answers to score (not counted as low): "
                       + ", ".join(f"{c.label} ({c.answered} of {c.items})" for c in insufficient),
                       style="yellow"))

    _heading(con, "Strengths to build on")
    if not plan.strengths:
        con.print(Text("No competency is above its target yet."))
    for s in plan.strengths:
        line = Text(f" {s.label}", style="bold")
        line.append(f" {s.score:.2f}, {s.above_target:.2f} above target ({s.level_label})")
        con.print(line)

    if plan.barriers_first:
        _barriers(con, plan, result)
        _plan(con, plan, result)
    else:
        _plan(con, plan, result)
        _barriers(con, plan, result)
    if result.calibration is not None:
        _calibration(con, result.calibration, INDENT)

    con.print()
    counts = {k: len(v) for k, v in result.unanswered.items() if v}
    if counts:
        con.print(Text(f'Unanswered or "na": {unanswered_words(counts)}', style="dim"))
    if result.notes:
        con.print(Text("Notes: " + terminal_text(result.notes)))
    if layout.explain:
        con.print()
        _trace(con, result)
    else:
        con.print(Text(f"--explain: why each objective · framework {result.framework_version}"
                       f" · qim {result.qim_version}", style="dim"))
    return con.text()


# --------------------------------------------------------------------------- sections


def _calibration(con: Console, cal: Calibration, indent: int = 4) -> None:
    """The terminal version (Rich): a small table, the notes, the tripwires."""
    con.print()
    con.print(Text(f"{SCENARIOS_HEADING} ({answered_words(cal)})", style="bold underline"))
    con.print(Text(cal.notice, style="dim"))
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    con.print(Text(chance_sentence(cal), style="dim"))
    t.add_column("Competency")
    t.add_column("Share", justify="right")
    t.add_column("Points", justify="right")
    t.add_column("Chance band", no_wrap=True)
    t.add_column("Note")
    for c in cal.competencies:
        share, points, band, note = judgement_cells(c)
        t.add_row(Text(c.label), share, points, band,
                  Text(note, style="yellow" if c.note else ""))
    con.print(fitted(con, t))
    for c in cal.competencies:
        if c.prompt:
            con.print(hanging(" ? ", Text(c.label, style="bold")))
            con.print(Padding(Text(c.prompt), (0, 0, 0, indent)))
    for s in cal.scenarios:
        if s.tripwire:
            con.print(hanging(" ! ", Text(s.title, style="bold")))
            con.print(Padding(Text(s.tripwire), (0, 0, 0, indent)))


def _trace(con: Console, result: Result) -> None:
    """--explain: every rule that fired, its conditions and the person's values, the
    study's figures and the sources."""
    by_id = {c.id: c for c in result.competencies}
    con.print(Text("Trace: the rules behind the plan", style="bold underline"))
    con.print(Text("Every recommendation the rules made, highest priority first; the plan "
                   "above is selected from them.", style="dim"))
    con.print()
    if not result.recommendations:
        con.print(Text("No development rule fired: every scored competency meets its target."))
        con.print()
    for rec in result.recommendations:
        tr = rec.training
        line = Text()
        line.append(f"[{rec.priority_label.upper()} {rec.priority:.1f}] ",
                    style=PRIORITY_STYLE[rec.priority_label])
        line.append(tr.title, style="bold")
        line.append(f" — {tr.kind.replace('_', ' ')} · {tr.tier} · {tr.effort}", style="dim")
        body: list[RenderableType] = []
        if rec.competencies:
            body.append(Text("For: " + ", ".join(by_id[c].label for c in rec.competencies
                                                 if c in by_id)))
        body.append(Text(tr.description, style="italic"))
        for i, reason in enumerate(rec.reasons):
            why = Text()
            why.append(f"Why ({reason.rule}): ", style="bold")
            # the full explanation once; further reasons by title, with their evidence
            why.append(reason.message if i == 0 else reason.title)
            body.append(why)
            for f in reason.because:
                body.append(hanging("  • ", f"{f.condition} → {f.value}"))
        for cid in rec.competencies:
            sentence = evidence_sentence(by_id[cid]) if cid in by_id else None
            if sentence:
                body.append(Text(sentence, style="dim"))
        sources = sorted({s for reason in rec.reasons for s in reason.sources} | set(tr.sources))
        body.append(Text("Sources: " + ", ".join(sources), style="dim"))
        con.print(hanging(f"{rec.rank:>2}. ", line, indent=4))
        con.print(Padding(Group(*body), (0, 0, 1, 4)))

    if not result.barriers:
        return
    con.print(Text("Trace: organisational barriers", style="bold underline"))
    for b in result.barriers:
        body = [Text(b.message)]
        for f in b.because:
            body.append(hanging("  • ", f"{f.condition} → {f.value}"))
        if b.actors:
            body.append(Text("Who can act: " + ", ".join(ACTOR_LABEL.get(a, a) for a in b.actors)))
        for act in b.actions:
            body.append(Text(f"Action: {act.title} ({act.effort})"))
        if b.with_needs:
            labels = ", ".join(by_id[c].label if c in by_id else c for c in b.with_needs)
            body.append(Text(f"Occurs with your needs in: {labels} (they stay in your plan; "
                             "raise this beside them).", style="yellow"))
        body.append(Text("Sources: " + ", ".join(b.sources), style="dim"))
        con.print(hanging(" ▲ ", Text(f"{b.title} ({b.rule})", style="bold"), indent=4))
        con.print(Padding(Group(*body), (0, 0, 1, 4)))
