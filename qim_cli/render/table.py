"""The terminal report (Rich): the profile, strengths, the development plan and the barriers.

`explain` adds the trace (render/trace.py). User text is always passed as Text, never as
markup.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..assessment.results import Objective, Plan, Result
from ..framework.profiles import Profiles
from ..words import in_sentence
from .common import (
    ACTOR_LABEL,
    BARRIER_DOMINATED,
    and_list,
    constrains_sentence,
    due_words,
    experience_words,
    flag_marks,
    fmt_date,
    legend_lines,
    unanswered_words,
)
from .fit import fitted, hanging, least_widths

BAR_WIDTH = 16
NARROW_BAR = 10
#: from this width on (and where it fits whole), the profile table also shows the level and
#: the self-rated importance
WIDE = 100
PRIORITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}
INDENT = 4  # an objective's fields


def clean(text: str | None) -> str:
    """User-supplied text without control characters or terminal escape sequences."""
    if text is None:
        return ""
    return "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)


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


def _fmt(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


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
        cells: list[Text | str] = [label, _fmt(c.score), f"{c.target:.1f}", _fmt(c.gap, signed=True)]
        if wide:
            cells.append(Text(c.level_label, style="dim" if c.status == "insufficient" else ""))
        if width:
            cells.append(bar(c.score, c.target, width))
        if wide:
            cells.append("–" if c.importance is None else str(c.importance))
        cells.append(Text(c.priority_label, style=PRIORITY_STYLE[c.priority_label]))
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
    marks = " ".join(legend_lines(result))
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
    when = f" by {fmt_date(plan.barriers[0].raise_by)}" if plan.barriers[0].raise_by else ""
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
    review = f"; review at your next appraisal, by {fmt_date(plan.review_on)}" if plan.review_on else ""
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


def render_table(
    result: Result,
    profiles: Profiles,
    *,
    color: bool = False,
    width: int = 80,
    explain: bool = False,
) -> str:
    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    r = result.respondent
    plan = result.plan
    head = Text()
    head.append(clean(r.name) or clean(r.id), style="bold")
    if r.name:
        head.append(f" ({clean(r.id)})")
    head.append(" · assessed " + (fmt_date(result.assessed_on) if result.assessed_on
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
        from .calibration import print_calibration

        print_calibration(con, result.calibration, INDENT)

    con.print()
    counts = {k: len(v) for k, v in result.unanswered.items() if v}
    if counts:
        con.print(Text(f'Unanswered or "na": {unanswered_words(counts)}', style="dim"))
    if result.notes:
        con.print(Text("Notes: " + clean(result.notes)))
    if explain:
        con.print()
        from .trace import print_trace

        print_trace(con, result)
    else:
        con.print(Text(f"--explain: why each objective · framework {result.framework_version}"
                       f" · qim {result.qim_version}", style="dim"))
    text = buf.getvalue()
    if color:
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))
