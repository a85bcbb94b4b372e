"""The terminal report (Rich). User text is always passed as Text, never as markup."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..assessment.results import Result
from ..framework.profiles import Profiles
from .common import ACTOR_LABEL, evidence_sentence

BAR_WIDTH = 16
PRIORITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}


def clean(text: str | None) -> str:
    """User-supplied text without control characters or terminal escape sequences."""
    if text is None:
        return ""
    return "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text)


def bar(score: float | None, target: float) -> Text:
    """A 1–5 bar: filled to the score, with the target marked by a tick."""
    text = Text()
    if score is None:
        return Text("·" * BAR_WIDTH, style="dim")
    filled = round((score - 1) / 4 * BAR_WIDTH)
    mark = min(BAR_WIDTH - 1, round((target - 1) / 4 * BAR_WIDTH))
    for i in range(BAR_WIDTH):
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


def competency_table(result: Result, profiles: Profiles) -> Table:
    t = Table(title="Competencies", title_justify="left", expand=False)
    t.add_column("Competency", no_wrap=True)
    t.add_column("Score", justify="right")
    t.add_column("Target", justify="right")
    t.add_column("Gap", justify="right")
    t.add_column("Level", no_wrap=True)
    t.add_column("1 ·· score ·· 5", no_wrap=True)
    t.add_column("Imp.", justify="right")
    t.add_column("Priority")
    last_theme = None
    for c in result.competencies:
        if c.theme != last_theme:
            t.add_row(Text(profiles.themes.get(c.theme, c.theme), style="bold"))
            last_theme = c.theme
        label = Text("  " + c.label)
        if c.blind_spot:
            label.append(" ◆", style="magenta")
        t.add_row(
            label,
            _fmt(c.score),
            f"{c.target:.1f}",
            _fmt(c.gap, signed=True),
            Text(c.level_label, style="dim" if c.status == "insufficient" else ""),
            bar(c.score, c.target),
            "–" if c.importance is None else str(c.importance),
            Text(c.priority_label, style=PRIORITY_STYLE[c.priority_label]),
        )
    return t


def render_table(result: Result, profiles: Profiles, *, color: bool = False, width: int = 120) -> str:
    buf = io.StringIO()
    con = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    r = result.respondent
    head = Text()
    head.append(clean(r.name) or clean(r.id), style="bold")
    if r.name:
        head.append(f"  ({clean(r.id)})")
    head.append(
        f"\n{r.background_label} · {r.role_label} · {r.years_as_qim:g} years as a QIM "
        f"({r.career_stage_label})"
    )
    if r.setting:
        head.append(f" · {profiles.settings.get(r.setting, r.setting)}")
    head.append(f"\nFramework {result.framework_version} · qim {result.qim_version}", style="dim")
    con.print(Panel(head, title="qim report", title_align="left"))
    con.print(competency_table(result, profiles))
    con.print(
        Text(
            "│ target   ◆ documented blind spot of this background   Imp. = self-rated importance (1–5)",
            style="dim",
        )
    )
    by_id = {c.id: c for c in result.competencies}

    insufficient = [c for c in result.competencies if c.status == "insufficient"]
    if insufficient:
        con.print()
        con.print(
            Text(
                "Insufficient evidence (too few answers to score; not counted as low): "
                + ", ".join(f"{c.label} ({c.answered} of {c.items})" for c in insufficient),
                style="yellow",
            )
        )

    con.print()
    con.print(Text(f"Recommendations ({len(result.recommendations)})", style="bold underline"))
    if not result.recommendations:
        con.print(Text("No development need was found: every scored competency meets its target."))
    for rec in result.recommendations:
        tr = rec.training
        line = Text()
        line.append(f"{rec.rank:>2}. ")
        line.append(
            f"[{rec.priority_label.upper()} {rec.priority:.1f}] ", style=PRIORITY_STYLE[rec.priority_label]
        )
        line.append(tr.title, style="bold")
        line.append(f" — {tr.kind.replace('_', ' ')} · {tr.tier} · {tr.effort}", style="dim")
        body: list[Text] = []
        if rec.competencies:
            body.append(Text("For: " + ", ".join(by_id[c].label for c in rec.competencies if c in by_id)))
        body.append(Text(tr.description, style="italic"))
        for i, reason in enumerate(rec.reasons):
            why = Text()
            why.append(f"Why ({reason.rule}): ", style="bold")
            # the full explanation once; further reasons by title, with their evidence
            why.append(reason.message if i == 0 else reason.title)
            body.append(why)
            for f in reason.because:
                body.append(Text(f"  • {f.condition} → {f.value}"))
        for cid in rec.competencies:
            sentence = evidence_sentence(by_id[cid]) if cid in by_id else None
            if sentence:
                body.append(Text(sentence, style="dim"))
        sources = sorted({s for reason in rec.reasons for s in reason.sources} | set(tr.sources))
        body.append(Text("Sources: " + ", ".join(sources), style="dim"))
        con.print(line)
        con.print(Padding(Group(*body), (0, 0, 1, 4)))

    con.print(Text(f"Organisational barriers ({len(result.barriers)})", style="bold underline"))
    con.print(Text("Conditions of the workplace, not training needs of the person.", style="dim"))
    if not result.barriers:
        con.print(Text("None reported."))
    for b in result.barriers:
        body = [Text(b.message)]
        for f in b.because:
            body.append(Text(f"  • {f.condition} → {f.value}"))
        if b.actors:
            body.append(Text("Who can act: " + ", ".join(ACTOR_LABEL.get(a, a) for a in b.actors)))
        for act in b.actions:
            body.append(Text(f"Action: {act.title} ({act.effort})"))
        for held in b.held_back:
            label = by_id[held.competency].label if held.competency in by_id else held.competency
            body.append(
                Text(
                    f"Held back as a personal need: {label} ({held.rule}) — this barrier "
                    "may explain the low score; review it once the barrier is addressed.",
                    style="yellow",
                )
            )
        body.append(Text("Sources: " + ", ".join(b.sources), style="dim"))
        con.print(Text(f" ▲ {b.title}", style="bold"))
        con.print(Padding(Group(*body), (0, 0, 1, 4)))

    missing = result.unanswered
    counts = {k: len(v) for k, v in missing.items() if v}
    if counts:
        con.print(
            Text('Unanswered or "na": ' + ", ".join(f"{n} {k}" for k, n in counts.items()), style="dim")
        )
    if result.notes:
        con.print(Text("Notes: " + clean(result.notes)))
    return buf.getvalue()
