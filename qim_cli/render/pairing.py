"""Renderers of `qim pair`: one per format, all from `pairing_doc` (JSON-ready data).

Pairs are shared with the people in them, so numbers (how much each person covers of
the other's gaps) appear only with `scores=True` (`--scores`).
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..cohort.pairing import Pairing
    from ..framework.profiles import Profiles


class PairFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


TITLES = {
    "mixed": "Mixed pairs: clinical and traditional QIMs",
    "mentoring": "Mentoring pairs: experienced QIMs with new and early-career QIMs",
}
INTROS = {
    "mixed": "Each clinical QIM is paired with a traditional QIM so that each one's strengths "
             "cover the other's gaps; where one background outnumbers the other, a pair takes "
             "a third member.",
    "mentoring": "Each new or early-career QIM is paired with an experienced QIM who is strong "
                 "where they have gaps; where mentees outnumber mentors, a mentor takes a "
                 "second mentee.",
}


def _pts(hundredths: int) -> float:
    return round(hundredths / 100, 2)


def pairing_doc(p: Pairing, profiles: Profiles, *, scores: bool = False) -> dict[str, Any]:
    comps = list(profiles.competencies)
    groups = []
    for g in p.groups:
        members = []
        for m in g.members:
            ranked = sorted(m.brings.items(), key=lambda kv: (-kv[1], kv[0]))
            entry: dict[str, Any] = {
                "id": m.person.id, "name": m.person.name, "background": m.person.background,
                "career_stage": m.person.career_stage, "side": m.side,
                "brings": [comps[i] for i, _ in ranked],
            }
            if scores:
                entry["brings_points"] = {comps[i]: _pts(v) for i, v in ranked}
            members.append(entry)
        group: dict[str, Any] = {"number": g.number, "size": len(g.members), "members": members,
                                 "explanation": g.explanation}
        if scores:
            group["weight"] = _pts(g.weight)
        groups.append(group)
    return {
        "mode": p.mode,
        "title": TITLES[p.mode],
        "intro": INTROS[p.mode],
        "people": p.people,
        "scores": scores,
        "groups": groups,
        "unpaired": [{"id": u.person.id, "name": u.person.name, "background": u.person.background,
                      "career_stage": u.person.career_stage, "reason": u.reason}
                     for u in p.unpaired],
    }


def _who(g: dict[str, Any], points: bool = False) -> list[str]:
    """The members' names (with `points`: and how much each covers of the others' gaps)."""
    return [(m["name"] or m["id"]) + (f" {sum(m['brings_points'].values()):g}" if points else "")
            for m in g["members"]]


def _points(g: dict[str, Any]) -> str:
    """`cover 13.16: qim-004 2.5, qim-030 8.16`: only with --scores."""
    each = ", ".join(f"{m['name'] or m['id']} {sum(m['brings_points'].values()):g}"
                     for m in g["members"] if m["brings_points"])
    return f"cover {g['weight']:g}" + (f": {each}" if each else "")


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ["group", "size", "id", "name", "background", "career_stage", "side", "brings",
               "explanation", "reason", "weight", "brings_points"]


def render_csv(doc: dict[str, Any]) -> str:
    """One row per person: their group (empty when unpaired), side (background in a mixed
    pair, mentor or mentee) and what they bring;
    weight and brings_points only with --scores."""
    from .score import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    columns = CSV_COLUMNS if doc["scores"] else CSV_COLUMNS[:-2]
    w.writerow(columns)
    for g in doc["groups"]:
        for m in g["members"]:
            values = m | {"group": g["number"], "size": g["size"], "brings": " ".join(m["brings"]),
                          "explanation": g["explanation"], "weight": g.get("weight")}
            if doc["scores"]:
                values["brings_points"] = " ".join(f"{k}={v:g}" for k, v in m["brings_points"].items())
            w.writerow([csv_cell(values.get(c)) for c in columns])
    for u in doc["unpaired"]:
        w.writerow([csv_cell(u.get(c)) for c in columns])
    return buf.getvalue()


def render_markdown(doc: dict[str, Any]) -> str:
    from .common import and_list, md_inline

    out = [f"# {doc['title']}", "", md_inline(doc["intro"]), ""]
    if not doc["groups"] and not doc["unpaired"]:
        return "\n".join(out + ["No answer sheets to pair.", ""])
    out += [f"## Pairs ({len(doc['groups'])})", ""]
    if not doc["groups"]:
        out += ["No pairs could be made.", ""]
    for g in doc["groups"]:
        line = f"{g['number']}. **{md_inline(and_list(_who(g)))}**: {md_inline(g['explanation'])}"
        if doc["scores"]:
            line += f" ({md_inline(_points(g))})"
        out.append(line)
    out.append("")
    if doc["unpaired"]:
        out += [f"## Unpaired ({len(doc['unpaired'])})", ""]
        out += [f"- **{md_inline(u['name'] or u['id'])}**: {md_inline(u['reason'])}"
                for u in doc["unpaired"]]
        out.append("")
    return "\n".join(out)


def render_table(doc: dict[str, Any], *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console, Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from ..words import and_list
    from .fit import fitted, hanging

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    con.print(Text(doc["title"], style="bold"))
    con.print(Text(doc["intro"]))
    if not doc["groups"] and not doc["unpaired"]:
        con.print(Text("No answer sheets to pair."))
        return buf.getvalue()
    t = Table(title=f"Pairs ({len(doc['groups'])})", title_justify="left")
    t.add_column("#", justify="right")
    t.add_column("Who", no_wrap=True)
    t.add_column("Why")
    if doc["scores"]:
        t.add_column("Cover", justify="right")
    for g in doc["groups"]:
        cells: list[Any] = [str(g["number"]), Text("\n".join(_who(g, doc["scores"]))),
                            Text(g["explanation"])]
        if doc["scores"]:
            cells.append(f"{g['weight']:g}")
        t.add_row(*cells)
    # too narrow for the table: each pair as a numbered paragraph, as in Markdown
    stacked = [Text(f"Pairs ({len(doc['groups'])})", style="bold")]
    for g in doc["groups"]:
        who = Text(and_list(_who(g)), style="bold")
        if doc["scores"]:
            who.append(f" ({_points(g)})")
        stacked += [hanging(f"{g['number']:>2}. ", who, indent=4),
                    Padding(Text(g["explanation"]), (0, 0, 0, 4))]
    con.print(fitted(con, t, stacked=Group(*stacked)))
    if doc["unpaired"]:
        con.print(Text(f"Unpaired ({len(doc['unpaired'])})", style="bold"))
        for u in doc["unpaired"]:
            line = Text(u["name"] or u["id"], style="bold")
            line.append(f": {u['reason']}", style="")
            con.print(hanging(" ", line, indent=3))
    text = buf.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))


def render(fmt: PairFormat, doc: dict[str, Any], *, color: bool = False, width: int = 100) -> str:
    if fmt is PairFormat.table:
        return render_table(doc, color=color, width=width)
    return {PairFormat.csv: render_csv, PairFormat.json: render_json,
            PairFormat.markdown: render_markdown}[fmt](doc)
