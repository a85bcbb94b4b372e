"""The cohort report for a terminal: Rich tables fitted to the width (render/fit.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from ..console import Page
from ..fit import fitted, hanging
from ..numbers import number, percent
from ..privacy import field
from ..text import date_words
from . import words as w

if TYPE_CHECKING:
    from rich.console import Console

    from ...cohort.organisation_results import OrganisationView
    from ...cohort.results import Agreement, CalibrationSummary, CohortSummary, Proposal, Reliability
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: CohortSummary, profiles: Profiles, layout: Layout) -> str:
    con = Page(layout)
    if doc.privacy.not_for_sharing:
        con.print(Text(doc.privacy.not_for_sharing, style="bold red"))
    head = Text(w.title(doc), style="bold")
    head.append(f" · {date_words(doc.date)}" + (f" · by {w.by_words(doc)}" if doc.title else ""))
    if doc.n is not None:
        head.append(f" · groups under {doc.min_group} withheld")
    con.print(head)
    con.print(Text(" ".join(w.summary(doc))))
    if doc.n is not None:
        con.print(Text(doc.privacy.rule, style="dim"))
    for note in doc.notes:
        con.print(Text("Note: " + note, style="yellow"))
    if not doc.columns:
        return con.text()
    if doc.proposal:
        _proposal(con, doc.proposal, doc.min_group)
    _competencies(con, doc)
    _training(con, doc)
    if doc.organisation:
        _organisation(con, doc, doc.organisation)
    if doc.calibration:
        _calibration(con, doc.calibration, doc.min_group)
    if doc.reliability is not None:
        _reliability(con, doc.reliability, doc.low_item_total, doc.min_group)
    if doc.agreement and doc.agreement.competencies:
        _agreement(con, doc.agreement, doc.min_group)
    return con.text()


def _proposal(con: Console, prop: Proposal, mg: int) -> None:
    if prop.sessions:
        t = Table(title=f"Programme proposal: the fewest sessions meeting every high-priority need "
                  f"({w.needs_of(prop, mg)})", title_justify="left")
        t.add_column("Session")
        t.add_column("Kind, tier and effort")
        t.add_column("People", justify="right")
        t.add_column("Needs it meets (people)")
        for title, kind, people_n, met in w.proposal_rows(prop, mg):
            t.add_row(Text(title), Text(kind), str(people_n), Text(met))
        con.print(fitted(con, t))
    con.print(Text(prop.met_means, style="dim"))
    for sentence in (w.preparation_sentence(prop, mg), w.unmet_sentence(prop, mg)):
        if sentence:
            con.print(Text(sentence, style="yellow"))


def _competencies(con: Console, doc: CohortSummary) -> None:
    cols = doc.columns
    t = Table(title="Competencies: mean / median, share below target", title_justify="left")
    t.add_column("Competency")
    for g in cols:
        t.add_column(Text(f"{g.label}\nn={g.n}"), justify="right")
    for i, comp in enumerate(cols[0].competencies):
        cells: list[Text | str] = [Text(w.label_marked(comp))]
        for g in cols:
            c = g.competencies[i]
            cells.append(w.competency_cell(c, doc.min_group))
        t.add_row(*cells)
    con.print(fitted(con, t))
    foot = w.authors_footnote(cols[0].competencies)
    con.print(Text(w.standard_sentence(doc) + (" " + foot if foot else ""), style="dim"))


def _training(con: Console, doc: CohortSummary) -> None:
    t = Table(title="Training needs: people recommended (share)", title_justify="left")
    t.add_column("Training")
    for g in doc.columns:
        t.add_column(Text(g.label), justify="right")
    for tid, title, cells in w.training_rows(doc):
        t.add_row(Text(f"{title} ({tid})"), *cells)
    con.print(fitted(con, t))


def _organisation(con: Console, doc: CohortSummary, org: OrganisationView) -> None:
    labels = w.column_labels(doc, org)
    _board_and_findings(con, doc, org)
    _compared(con, org, doc.min_group)
    tables = (("Barriers by level: share reporting a barrier of those who answered, mean answer"
               + (" (the QIMs' perception)" if doc.organisations else ""),
               "Level", [(r.label, r.cells) for r in org.levels]),
              ("By QUASER challenge", "Challenge", [(r.label, r.cells) for r in org.quaser]),
              ("By question", "Question", [(q.text, q.cells) for q in org.questions]))
    for title, first, rows in tables:
        t = Table(title=title, title_justify="left")
        t.add_column(first, max_width=60)
        for label in labels:
            t.add_column(label, justify="right")
        for name, cells in rows:
            t.add_row(Text(name), *[w.answer_cell(c) for c in cells])
        con.print(fitted(con, t))
    t = Table(title="Barriers, by people (share)", title_justify="left")
    t.add_column("Barrier")
    for label in labels:
        t.add_column(label, justify="right")
    for row in org.barriers:
        t.add_row(Text(row.title), *[w.people_cell(c) for c in row.cells])
    con.print(fitted(con, t))
    con.print(Text(w.WITH_BARRIER_TITLE, style="bold"))
    con.print(Text(w.with_barrier_sentence(org)))
    for h in org.with_barrier.by_barrier if org.with_barrier else []:
        con.print(hanging("  • ", f"{h.title}: {h.needs} needs of {h.people} people "
                                  f"({w.with_barrier_competencies(h)})"))
    for part in doc.organisations:
        con.print(Text(w.organisation_heading(part, doc.min_group), style="bold underline"))
        _board_and_findings(con, doc, part)
        _compared(con, part, doc.min_group)


def _board_and_findings(con: Console, doc: CohortSummary, org: OrganisationView) -> None:
    con.print(Text("For the board", style="bold"))
    con.print(Text(w.board_intro(org, doc.n)))
    for i, b in enumerate(org.board_summary, start=1):
        con.print(hanging(f"{i}. ", Text(f"{w.board_item(b)} {w.sources_text(b.sources)}",
                                         style="bold"), indent=3))
        con.print(hanging("   ", f"Who can act: {', '.join(b.actor_labels)}"))
        for a in b.actions:
            con.print(hanging("   • ", f"{a.title} ({a.effort}) {w.sources_text(a.sources)}"))
    fired = [f for f in org.findings if f.fired]
    con.print(Text("Where the levels disagree", style="bold"))
    if not fired:
        con.print(Text("No alignment finding: no level is reported as in place while another "
                       "is reported as a barrier."))
    labels = w.level_labels(org)
    for f in fired:
        con.print(hanging("• ", Text(f"{f.title} {w.sources_text(f.sources)}", style="bold")))
        con.print(hanging("  ", f.message))
        con.print(hanging("  ", Text(w.finding_evidence(f, org, labels), style="italic")))


def _compared(con: Console, org: OrganisationView, min_group: int) -> None:
    cmp = org.compared
    if cmp is None:
        return
    con.print(Text("The levels side by side", style="bold"))
    con.print(Text(w.comparison_intro(cmp)))
    con.print(Text(f"{cmp.rule} {cmp.caveat} {w.sources_text(cmp.sources)}", style="italic"))
    t = Table(title="Share reporting a barrier of those who answered, mean answer",
              title_justify="left")
    t.add_column("Question", max_width=24)
    for c in cmp.levels:
        t.add_column(w.level_heading(c, min_group), justify="right")
    for q in cmp.questions:
        t.add_row(Text(w.question_words(q.id)), *[w.level_cell(c, min_group) for c in q.cells])
    con.print(fitted(con, t))
    for q in cmp.questions:
        if q.finding:
            con.print(hanging("• ", Text(f"{w.question_words(q.id).capitalize()}: {q.finding}")))


def _calibration(con: Console, cal: CalibrationSummary, mg: int) -> None:
    con.print(Text(f"{w.CALIBRATION_HEADING}: {cal.notice}", style="dim"))
    if cal.note:
        con.print(Text("Note: " + cal.note, style="yellow"))
    cols = cal.columns
    if not cols:
        return
    con.print(Text(w.CALIBRATION_EXPLAIN.format(chance=percent(cal.chance)), style="dim"))
    t = Table(title=f"{w.CALIBRATION_HEADING}: people by their notes", title_justify="left")
    t.add_column("Group")
    t.add_column("People", justify="right")
    for label in w.KIND_LABEL.values():
        t.add_column(label, justify="right")
    t.add_column("Share of best-response points", justify="right")
    for col in cols:
        t.add_row(Text(col.label), str(col.people), *w.kind_cells(col, mg), percent(col.share))
    con.print(fitted(con, t))
    t = Table(title=w.CALIBRATION_CELL, title_justify="left")
    t.add_column("Competency")
    for col in cols:
        t.add_column(Text(col.label), justify="right")
    for i, comp in enumerate(cols[0].competencies):
        t.add_row(Text(comp.label), *(w.calibration_cell(c.competencies[i], mg) for c in cols))
    con.print(fitted(con, t))


def _reliability(con: Console, rel: Reliability, low: float, min_group: int) -> None:
    if rel.withheld:
        con.print(Text("Reliability", style="bold"))
        for line in w.reliability_lines(rel, low):
            con.print(Text(line, style="yellow" if line == rel.note else "italic"))
        return
    t = Table(title=f"Reliability within each background group (alpha with Feldt's 95% CI; "
              f"withheld below {rel.min_n} people; item-total r < {low} flagged)",
              title_justify="left")
    t.add_column("Group")
    t.add_column("Competency")
    t.add_column("n", justify="right")
    t.add_column("alpha (95% CI)", justify="right")
    t.add_column("Flagged items")
    for r in rel.rows:
        flagged = "\n".join(w.flagged_items(r))
        t.add_row(Text(r.group_label), Text(r.label), w.reliability_n(r, min_group),
                  w.alpha_text(r), Text(flagged or (r.note or "")))
    con.print(fitted(con, t))
    for line in w.reliability_lines(rel, low):
        con.print(Text(line, style="yellow" if line == rel.note else "italic"))
    toml = w.precision_toml(rel)
    if toml:
        con.print(Text("\n".join(toml), style="dim"))


def _agreement(con: Console, agree: Agreement, mg: int) -> None:
    t = Table(title=f"360° self-other agreement (people with ≥ {agree.min_raters} "
              "colleague ratings; difference = others − self)", title_justify="left")
    t.add_column("Competency")
    for col in ("people", "self", "others", "difference", "|difference|", "self higher",
                "hidden strengths", "r"):
        t.add_column(col, justify="right")
    for a in agree.competencies:
        t.add_row(Text(a.label), field(a, 'people', mg), number(a.self_mean),
                  number(a.others_mean), number(a.difference_mean, signed=True),
                  number(a.abs_difference_mean), field(a, 'self_higher', mg),
                  field(a, 'hidden_strengths', mg), number(a.correlation))
    con.print(fitted(con, t))
