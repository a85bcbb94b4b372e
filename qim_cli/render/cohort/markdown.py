"""The cohort report as Markdown: the proposal, competencies, training needs, the
organisation's view, calibration, reliability and 360° agreement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..numbers import number, percent
from ..privacy import field
from ..text import date_words, md_cell, md_inline
from . import words as w

if TYPE_CHECKING:
    from ...cohort.organisation_results import OrganisationView
    from ...cohort.results import Agreement, CalibrationSummary, CohortSummary, Proposal, Reliability
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: CohortSummary, profiles: Profiles, layout: Layout) -> str:
    mark = [f"> **{md_inline(doc.privacy.not_for_sharing)}**", ""] \
        if doc.privacy.not_for_sharing else []
    out = [*mark, f"# {md_inline(w.title(doc))}", "",
           f"{date_words(doc.date)} · grouped by {w.by_words(doc)} · framework "
           f"{md_inline(doc.framework_version)}", ""]
    out += [" ".join(md_inline(s) for s in w.summary(doc)), ""]
    if doc.n is not None:
        out += [f"Groups of fewer than {doc.min_group} people are not shown on their own. "
                + md_inline(doc.privacy.rule), ""]
    out += [f"> {md_inline(note)}" for note in doc.notes]
    if doc.notes:
        out.append("")
    if not doc.columns:
        return "\n".join(out) + "\n"
    if doc.proposal:
        out += _proposal(doc.proposal, doc.min_group)
    out += _competencies(doc)
    out += _training(doc)
    out += ["", *(_organisation(doc, doc.organisation) if doc.organisation else [])]
    out += _calibration(doc.calibration, doc.min_group) if doc.calibration else []
    if doc.reliability is not None:
        out += _reliability(doc.reliability, doc.low_item_total, doc.min_group)
    if doc.agreement and doc.agreement.competencies:
        out += _agreement(doc.agreement, doc.min_group)
    return "\n".join(out) + "\n"


def _proposal(prop: Proposal, mg: int) -> list[str]:
    out = ["## Programme proposal", ""]
    if prop.sessions:
        out += [md_inline(w.proposal_intro(prop, mg)),
                "",
                "| Session | Kind, tier and effort | People served | High-priority needs it meets (people) |",
                "|---|---|---:|---|"]
        for title, kind, people_n, met in w.proposal_rows(prop, mg):
            out.append(f"| {md_cell(title)} | {md_cell(kind)} | {people_n} | {md_cell(met)} |")
    else:
        out.append("No one in the cohort has a high-priority need that a session can meet. "
                   + md_inline(prop.met_means))
    for sentence in (w.preparation_sentence(prop, mg), w.unmet_sentence(prop, mg)):
        if sentence:
            out += ["", md_inline(sentence)]
    return out + [""]


def _competencies(doc: CohortSummary) -> list[str]:
    cols = doc.columns
    out = ["## Competencies", "",
           "Mean / median score, and the share of people below the target of their career "
           "stage. " + md_inline(w.standard_sentence(doc)), ""]
    head = ["Competency"] + [f"{md_cell(g.label)} (n={g.n})" for g in cols]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, comp in enumerate(cols[0].competencies):
        cells = [md_cell(w.label_marked(comp))]
        cells += [w.competency_cell(g.competencies[i], doc.min_group) for g in cols]
        out.append("| " + " | ".join(cells) + " |")
    foot = w.authors_footnote(cols[0].competencies)
    if foot:
        out += ["", md_inline(foot)]
    return out


def _training(doc: CohortSummary) -> list[str]:
    out = ["", "## Training needs", "", "People each training was recommended to.", ""]
    head = ["Training"] + [md_cell(g.label) for g in doc.columns]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for tid, title, cells in w.training_rows(doc):
        out.append("| " + " | ".join([f"{md_cell(title)} ({tid})", *cells]) + " |")
    return out


def _organisation(doc: CohortSummary, org: OrganisationView) -> list[str]:
    labels = w.column_labels(doc, org)
    out = _board_and_findings(doc, org, "##")
    out += _compared(org, doc.min_group, "##")
    scale = org.scale
    several = " (the QIMs' perception)" if doc.organisations else ""
    out += [f"## The organisation's view{several}", "",
            "The share of people who report a barrier (an answer that a barrier rule treats as "
            f"one, for example {scale[0].lower()} or {scale[1].lower()}), of those who answered, "
            "and the mean answer (1–5; higher is more favourable).", ""]
    head = "| {} | " + " | ".join(md_cell(x) for x in labels) + " |"
    rule = "|---|" + "---:|" * len(labels)
    for heading, first, rows in (("By level", "Level", org.levels),
                                 ("By QUASER challenge", "Challenge", org.quaser)):
        out += [f"### {heading}", "", head.format(first), rule]
        for r in rows:
            out.append(f"| {md_cell(r.label)} | " + " | ".join(w.answer_cell(c) for c in r.cells)
                       + " |")
        out.append("")
    out += ["### By question", "", head.format("Question"), rule]
    for q in org.questions:
        out.append(f"| {md_cell(q.text)} ({md_cell(q.level.replace('_', ' '))}) | "
                   + " | ".join(w.answer_cell(c) for c in q.cells) + " |")
    out += ["", "### Barriers, by people", "", head.format("Barrier"), rule]
    for row in org.barriers:
        out.append(f"| {md_cell(row.title)} | " + " | ".join(w.people_cell(c) for c in row.cells)
                   + " |")
    out += ["", f"## {w.WITH_BARRIER_TITLE}", "", md_cell(w.with_barrier_sentence(org)), ""]
    if org.with_barrier and org.with_barrier.by_barrier:
        out += ["| Barrier | People | Needs | Competencies (people) |", "|---|---:|---:|---|"]
        for h in org.with_barrier.by_barrier:
            out.append(f"| {md_cell(h.title)} | {h.people} | {h.needs} | "
                       f"{md_cell(w.with_barrier_competencies(h))} |")
        out.append("")
    for part in doc.organisations:
        out += [f"## {md_cell(w.organisation_heading(part, doc.min_group))}", ""]
        out += _board_and_findings(doc, part, "###")
        out += _compared(part, doc.min_group, "###")
    return out


def _board_and_findings(doc: CohortSummary, org: OrganisationView, h: str) -> list[str]:
    out = [f"{h} For the board", "", md_cell(w.board_intro(org, doc.n)), ""]
    for i, b in enumerate(org.board_summary, start=1):
        out += [f"{h}# {i}. {md_cell(w.board_item(b))}", "",
                f"Who can act: {md_cell(', '.join(b.actor_labels))}. {w.sources_text(b.sources)}",
                ""]
        for a in b.actions:
            out.append(f"- **{md_cell(a.title)}** ({md_cell(a.effort)}): {md_cell(a.description)} "
                       f"{w.sources_text(a.sources)}")
        out.append("")
    fired = [f for f in org.findings if f.fired]
    out += [f"{h} Where the levels disagree", ""]
    if not fired:
        checked = sum(f.evaluated for f in org.findings)
        out += [f"No alignment finding: of the {checked} checked, none shows one level of the "
                "organisation reported as in place while another is reported as a barrier.", ""]
    labels = w.level_labels(org)
    for f in fired:
        out += [f"{h}# {md_cell(f.title)}", "", f"{md_cell(f.message)} {w.sources_text(f.sources)}",
                "", f"*{md_cell(w.finding_evidence(f, org, labels))}*", ""]
    return out


def _compared(org: OrganisationView, min_group: int, h: str) -> list[str]:
    cmp = org.compared
    if cmp is None:
        return []
    out = [f"{h} The levels side by side", "", md_cell(w.comparison_intro(cmp)), "",
           f"{md_cell(cmp.rule)} {md_cell(cmp.caveat)} {w.sources_text(cmp.sources)}", ""]
    head = ["Question", *(md_cell(w.level_heading(c, min_group)) for c in cmp.levels),
            "Where they disagree"]
    out += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(cmp.levels) + "---|"]
    for q in cmp.questions:
        cells = [w.level_cell(c, min_group) for c in q.cells]
        out.append(f"| {md_cell(q.text)} | " + " | ".join(cells)
                   + f" | {md_cell(q.finding or '–')} |")
    return out + [""]


def _calibration(cal: CalibrationSummary, mg: int) -> list[str]:
    out = [f"## {w.CALIBRATION_HEADING}", "", f"> {md_cell(cal.notice)}", ""]
    if cal.note:
        out += [md_cell(cal.note), ""]
    cols = cal.columns
    if not cols:
        return out
    out += [md_cell(w.CALIBRATION_EXPLAIN.format(chance=percent(cal.chance))), ""]
    head = ["Group", "People", *w.KIND_LABEL.values(), "Share of best-response points"]
    out += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for col in cols:
        out.append("| " + " | ".join([md_cell(col.label), str(col.people), *w.kind_cells(col, mg),
                                      percent(col.share)]) + " |")
    out += ["", md_cell(w.CALIBRATION_CELL), ""]
    head = ["Competency", *(md_cell(c.label) for c in cols)]
    out += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(cols)]
    for i, comp in enumerate(cols[0].competencies):
        cells = [md_cell(comp.label), *(w.calibration_cell(c.competencies[i], mg) for c in cols)]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def _reliability(rel: Reliability, low: float, min_group: int) -> list[str]:
    out = ["## Reliability", ""]
    out += [" ".join(md_inline(line) for line in w.reliability_lines(rel, low))]
    if rel.withheld:
        return out
    out += ["", "| Group | Competency | n | alpha (95% CI) | flagged items |",
            "|---|---|---|---|---|"]
    for r in rel.rows:
        flagged = "; ".join(w.flagged_items(r)) or "–"
        alpha = w.alpha_text(r) if r.alpha is not None else f"– ({r.note})"
        out.append(f"| {md_cell(r.group_label)} | {md_cell(r.label)} | "
                   f"{w.reliability_n(r, min_group)} | {md_cell(alpha)} | {md_cell(flagged)} |")
    toml = w.precision_toml(rel)
    if toml:
        out += ["", "```toml", *toml, "```"]
    return out


def _agreement(agree: Agreement, mg: int) -> list[str]:
    out = ["", "## 360° self-other agreement", "",
           f"People with a self-assessment and at least {agree.min_raters} colleague "
           "ratings. Difference = others − self; self higher is self ≥ 1 above others, "
           "a hidden strength others ≥ 1 above self.", "",
           "| Competency | people | self | others | difference | mean abs. difference | "
           "self higher | hidden strengths | r(self, others) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for a in agree.competencies:
        out.append(f"| {md_cell(a.label)} | {field(a, 'people', mg)} | {number(a.self_mean)} | "
                   f"{number(a.others_mean)} | {number(a.difference_mean, signed=True)} | "
                   f"{number(a.abs_difference_mean)} | {field(a, 'self_higher', mg)} | "
                   f"{field(a, 'hidden_strengths', mg)} | {number(a.correlation)} |")
    return out
