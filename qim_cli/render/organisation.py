"""The organisation's view in the cohort report (`organisation` in the cohort document):
the board summary, alignment findings, barrier shares by level, QUASER challenge and
question, and the needs that occur with a barrier. One function per format; render/cohort.py and the
cohort HTML template call them, so the rest of the cohort report stays as it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WITHHELD = "withheld"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def cell_text(c: dict[str, Any]) -> str:
    """One group's figure: share reporting a barrier, people answering, mean answer."""
    if c["suppressed"]:
        return WITHHELD
    if c["n"] == 0:
        return "–"
    mean = "–" if c["mean"] is None else f"{c['mean']:.2f}"
    return f"{_pct(c['share'])} of {c['n']} · mean {mean}"


def people_text(c: dict[str, Any]) -> str:
    if c["suppressed"]:
        return WITHHELD
    return f"{c['people']} ({_pct(c['share'])})"


def column_labels(doc: dict[str, Any]) -> list[str]:
    """Labels of the organisation's columns: overall, then the shown groups."""
    labels = {g["group"]: g["label"] for g in doc["groups"]}
    return ["Overall" if g == "overall" else labels.get(g, g) for g in doc["organisation"]["columns"]]


def sources_text(ids: list[str]) -> str:
    return " ".join(f"[{s}]" for s in ids)


def finding_evidence(f: dict[str, Any], questions: dict[str, str]) -> str:
    """The figures behind a finding, in words."""
    def side(s: dict[str, Any]) -> str:
        names = ", ".join(questions.get(q, q) for q in s["questions"])
        return f"{_pct(s['share'])} of {s['n']} report a barrier on {names}"

    return f"{side(f['in_place'])}; {side(f['barrier'])}."


def board_intro(org: dict[str, Any], n: int) -> str:
    if not org["board_summary"]:
        return f"None of the {n} people reports an organisational barrier."
    return (f"The organisational barriers reported by the most of the {n} people. They are "
            "conditions of the workplace, not training needs: training the QIMs will not "
            "remove them, and the people named below can.")


WITH_BARRIER_TITLE = "Needs that occur with a barrier"


def with_barrier_sentence(org: dict[str, Any]) -> str:
    h = org["with_barrier"]
    if not h["needs"]:
        return "No development need occurs with a barrier that may constrain it."
    return (f"{h['needs']} development need{'s' if h['needs'] != 1 else ''} of {h['people']} "
            f"{'people' if h['people'] != 1 else 'person'} "
            f"{'occur' if h['needs'] != 1 else 'occurs'} with a barrier that the same person "
            f"reported and that may constrain {'them' if h['needs'] != 1 else 'it'}. They are a "
            "subset of the training needs, counted there as well: a barrier never removes a "
            "need. Raise the barrier beside them.")


def with_barrier_competencies(h: dict[str, Any]) -> str:
    """A barrier's competencies (people), the first saying so when the authors suggest it."""
    parts = []
    for c in h["competencies"]:
        note = f"; {c['note']}" if c.get("note") else ""
        parts.append(f"{c['label']} ({c['people']}{note})")
    return ", ".join(parts)


def short_names(org: dict[str, Any]) -> dict[str, str]:
    return {q["id"]: q["id"].replace("_", " ") for q in org["questions"]}


# --------------------------------------------------------------------------- markdown


def markdown_lines(doc: dict[str, Any], md: Callable[[Any], str]) -> list[str]:
    org = doc.get("organisation")
    if not org:
        return []
    labels = column_labels(doc)
    out = ["## For the board", "", md(board_intro(org, doc["n"])), ""]
    for i, b in enumerate(org["board_summary"], start=1):
        out += [f"### {i}. {md(b['title'])}: {b['people']} of {doc['n']} people ({_pct(b['share'])})",
                "", f"Who can act: {md(', '.join(b['actor_labels']))}. {sources_text(b['sources'])}", ""]
        for a in b["actions"]:
            out.append(f"- **{md(a['title'])}** ({md(a['effort'])}): {md(a['description'])} "
                       f"{sources_text(a['sources'])}")
        out.append("")
    fired = [f for f in org["findings"] if f["fired"]]
    out += ["## Where the levels disagree", ""]
    if not fired:
        checked = sum(f["evaluated"] for f in org["findings"])
        out += [f"No alignment finding: of the {checked} checked, none shows one level of the "
                "organisation reported as in place while another is reported as a barrier.", ""]
    names = short_names(org)
    for f in fired:
        out += [f"### {md(f['title'])}", "", f"{md(f['message'])} {sources_text(f['sources'])}", "",
                f"*{md(finding_evidence(f, names))}*", ""]
    scale = org["scale"]
    out += ["## The organisation's view", "",
            "The share of people who report a barrier (an answer that a barrier rule treats as "
            f"one, for example {scale[0].lower()} or {scale[1].lower()}), of those who answered, "
            "and the mean answer (1–5; higher is more favourable).", ""]
    head = "| {} | " + " | ".join(md(x) for x in labels) + " |"
    rule = "|---|" + "---:|" * len(labels)
    for title, key in (("By level", "levels"), ("By QUASER challenge", "quaser")):
        out += [f"### {title}", "", head.format(title.split()[-1].capitalize()), rule]
        for r in org[key]:
            out.append(f"| {md(r['label'])} | " + " | ".join(cell_text(c) for c in r["cells"]) + " |")
        out.append("")
    out += ["### By question", "", head.format("Question"), rule]
    for q in org["questions"]:
        out.append(f"| {md(q['text'])} ({md(q['level'].replace('_', ' '))}) | "
                   + " | ".join(cell_text(c) for c in q["cells"]) + " |")
    out += ["", "### Barriers, by people", "", head.format("Barrier"), rule]
    for b in org["barriers"]:
        out.append(f"| {md(b['title'])} | " + " | ".join(people_text(c) for c in b["cells"]) + " |")
    out += ["", f"## {WITH_BARRIER_TITLE}", "", md(with_barrier_sentence(org)), ""]
    if org["with_barrier"]["by_barrier"]:
        out += ["| Barrier | People | Needs | Competencies (people) |", "|---|---:|---:|---|"]
        for h in org["with_barrier"]["by_barrier"]:
            out.append(f"| {md(h['title'])} | {h['people']} | {h['needs']} | "
                       f"{md(with_barrier_competencies(h))} |")
        out.append("")
    return out


# --------------------------------------------------------------------------- table


def print_table(con: Any, doc: dict[str, Any]) -> None:
    """Rich tables on `con` (a rich Console)."""
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted, hanging

    org = doc.get("organisation")
    if not org:
        return
    labels = column_labels(doc)
    con.print(Text("For the board", style="bold"))
    con.print(Text(board_intro(org, doc["n"])))
    for i, b in enumerate(org["board_summary"], start=1):
        con.print(hanging(f"{i}. ", Text(f"{b['title']}: {b['people']} of {doc['n']} people "
                                         f"({_pct(b['share'])}) {sources_text(b['sources'])}",
                                         style="bold"), indent=3))
        con.print(hanging("   ", f"Who can act: {', '.join(b['actor_labels'])}"))
        for a in b["actions"]:
            con.print(hanging("   • ", f"{a['title']} ({a['effort']}) {sources_text(a['sources'])}"))
    fired = [f for f in org["findings"] if f["fired"]]
    con.print(Text("Where the levels disagree", style="bold"))
    if not fired:
        con.print(Text("No alignment finding: no level is reported as in place while another "
                       "is reported as a barrier."))
    names = short_names(org)
    for f in fired:
        con.print(hanging("• ", Text(f"{f['title']} {sources_text(f['sources'])}", style="bold")))
        con.print(hanging("  ", f["message"]))
        con.print(hanging("  ", Text(finding_evidence(f, names), style="italic")))
    for title, key, first in (("Barriers by level: share reporting a barrier of those who "
                               "answered, mean answer", "levels", "Level"),
                              ("By QUASER challenge", "quaser", "Challenge"),
                              ("By question", "questions", "Question")):
        t = Table(title=title, title_justify="left")
        t.add_column(first, max_width=60)
        for label in labels:
            t.add_column(label, justify="right")
        for r in org[key]:
            t.add_row(Text(r.get("label") or r["text"]), *[cell_text(c) for c in r["cells"]])
        con.print(fitted(con, t))
    t = Table(title="Barriers, by people (share)", title_justify="left")
    t.add_column("Barrier")
    for label in labels:
        t.add_column(label, justify="right")
    for b in org["barriers"]:
        t.add_row(Text(b["title"]), *[people_text(c) for c in b["cells"]])
    con.print(fitted(con, t))
    con.print(Text(WITH_BARRIER_TITLE, style="bold"))
    con.print(Text(with_barrier_sentence(org)))
    for h in org["with_barrier"]["by_barrier"]:
        con.print(hanging("  • ", f"{h['title']}: {h['needs']} needs of {h['people']} people "
                                  f"({with_barrier_competencies(h)})"))


# --------------------------------------------------------------------------- csv

CSV_EXTRA = ["needs", "fired", "text"]


def csv_rows(doc: dict[str, Any], row: Callable[..., None]) -> None:
    """Rows of sections org_level, org_quaser, org_question (n answered, people reporting a
    barrier, share, mean), org_barrier (people), board (rank in text), alignment (fired,
    the barrier side's n and share) and with_barrier (people, needs: a subset of the
    training needs)."""
    org = doc.get("organisation")
    if not org:
        return
    for section, key in (("org_level", "levels"), ("org_quaser", "quaser"),
                         ("org_question", "questions")):
        for r in org[key]:
            for c in r["cells"]:
                row(section=section, group=c["group"], id=r["id"], n=c["n"], people=c["barrier"],
                    share=c["share"], mean=c["mean"], text=WITHHELD if c["suppressed"] else None)
    for b in org["barriers"]:
        for c in b["cells"]:
            row(section="org_barrier", group=c["group"], group_n=c["n"], id=b["rule"],
                people=c["people"], share=c["share"], text=WITHHELD if c["suppressed"] else None)
    for i, b in enumerate(org["board_summary"], start=1):
        row(section="board", group="overall", group_n=doc["n"], id=b["rule"], people=b["people"],
            share=b["share"], text=f"{i}. who can act: {', '.join(b['actor_labels'])}")
    for f in org["findings"]:
        row(section="alignment", group="overall", id=f["id"], n=f["barrier"]["n"],
            share=f["barrier"]["share"], fired=f["fired"], text=f["title"])
    for h in org["with_barrier"]["by_barrier"]:
        row(section="with_barrier", group="overall", id=h["rule"], people=h["people"],
            needs=h["needs"])
