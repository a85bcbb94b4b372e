"""The terminal report's trace (`qim report --explain`): every rule that fired, with its
conditions and the person's values, the study's figures and the sources."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from ..assessment.results import Result
from .common import ACTOR_LABEL, evidence_sentence
from .fit import hanging

PRIORITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}


def print_trace(con: Console, result: Result) -> None:
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
