"""The cohort report as CSV in long format: one row per (section, group, competency,
training, question or barrier), every cell spreadsheet-safe.

section is ``competency`` (mean, median, share below target), ``training`` (how many
people it was recommended to), ``reliability`` (alpha within each background group, with
Feldt's 95% interval and the SD of the scores; empty and its reason in ``text`` when
withheld), ``reliability_note`` (what it rests on; synthetic data),
``agreement`` (360 self-other agreement: means, difference, self higher, hidden
strengths, correlation), ``programme`` (a proposed session, the people whose high-priority
needs it meets at the tier their plans ask for, and those needs), ``preparation`` (a
lighter activity recommended for high-priority needs: the needs it prepares for, not
meets), the organisation's view (``org_level``, ``org_quaser``, ``org_question``: n
answered, people reporting a barrier, share, mean; ``org_barrier``: people; ``board``:
rank in text, basis measured or perceived; ``alignment``: fired, basis, the barrier side's
n and share; ``with_barrier``: people, needs, a subset of the training needs; with context
sheets ``level_answers``: per question (id) and level of staff (level; ``qims`` for the
QIMs' perception) n answering, people reporting a barrier, share, mean, and
``level_spread``: per question the spread of the shares, disagree in fired and the
finding in text), one organisation's rows with its name in organisation when the sheets
name several, ``calibration`` (id = the kind of
person: people, share), ``calibration_judgement`` (share: the group's share of the
best-response points; mean: the share random picks earn) and ``calibration_competency``
(n answering, share of the best-response points, people below and above the chance band,
people with each note); ``privacy`` comes first (id ``not_for_sharing``,
with the mark, when --min-group is below qim's default; id ``rule``: n = --min-group
and the rule in words: a count of fewer people is empty); ``standard`` says what the
targets are (qim's own convention) and ``note`` each note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..spreadsheet import LongCsv
from . import words as w
from .words import WITHHELD

if TYPE_CHECKING:
    from ...cohort.organisation_results import OrganisationView
    from ...cohort.results import CalibrationSummary, CohortSummary, NeedCount, Reliability
    from ...framework.profiles import Profiles
    from ..formats import Layout

COLUMNS = [
    "section", "by", "organisation", "group", "group_n", "id", "level", "basis", "n", "mean", "median",
    "below_target", "below_target_share", "people", "share",
    "alpha", "alpha_ci_low", "alpha_ci_high", "sd", "flagged_items",
    "self_mean", "others_mean", "difference_mean", "self_higher", "hidden_strengths", "correlation",
    "needs", "fired", "text", "generous", "modest", "below_chance", "above_chance",
]


def render(doc: CohortSummary, profiles: Profiles, layout: Layout) -> str:
    out = LongCsv(COLUMNS, by=doc.by)
    if doc.privacy.not_for_sharing:
        out.row(section="privacy", group="", id="not_for_sharing",
                text=doc.privacy.not_for_sharing)
    out.row(section="privacy", group="", id="rule", n=doc.min_group, text=doc.privacy.rule)
    for g in doc.columns:
        for c in g.competencies:
            out.row(section="competency", group=g.group, group_n=g.n, id=c.id, n=c.n,
                    mean=c.mean, median=c.median, below_target=c.below_target,
                    below_target_share=c.below_target_share, text=c.note)
    for g in doc.columns:
        for t in g.training_needs:
            out.row(section="training", group=g.group, group_n=g.n, id=t.id, people=t.people,
                    share=t.share)
    if doc.reliability:
        _reliability(out, doc.reliability)
    for a in doc.agreement.competencies if doc.agreement else []:
        out.row(section="agreement", group="overall", id=a.competency, n=a.people,
                self_mean=a.self_mean, others_mean=a.others_mean,
                difference_mean=a.difference_mean, self_higher=a.self_higher,
                hidden_strengths=a.hidden_strengths, correlation=a.correlation)
    for s in doc.proposal.sessions if doc.proposal else []:
        out.row(section="programme", group="overall", group_n=doc.n, id=s.id, people=s.people,
                needs=_total(s.competencies))
    for s in ([*doc.proposal.sessions, *doc.proposal.preparation] if doc.proposal else []):
        if s.prepares:
            out.row(section="preparation", group="overall", group_n=doc.n, id=s.id,
                    needs=_total(s.prepares))
    if doc.organisation:
        _organisation(out, doc, doc.organisation)
    if doc.calibration:
        _calibration(out, doc.calibration)
    out.row(section="standard", group="", id=doc.standard.label,
            text=f"{doc.standard.basis} {doc.standard.within_error}")
    for note in doc.notes:
        out.row(section="note", group="", id=note)
    return out.text()


def _reliability(out: LongCsv, rel: Reliability) -> None:
    for r in rel.rows:
        out.row(section="reliability", group=r.group, id=r.competency, n=r.n,
                alpha=r.alpha, alpha_ci_low=r.ci_low, alpha_ci_high=r.ci_high, sd=r.sd,
                flagged_items=" ".join(r.flagged), text=r.note)
    for text in (rel.basis, rel.note):
        if text:
            out.row(section="reliability_note", group="", text=text)


def _organisation(out: LongCsv, doc: CohortSummary, org: OrganisationView) -> None:
    for section, rows in (("org_level", org.levels), ("org_quaser", org.quaser),
                          ("org_question", org.questions)):
        for r in rows:
            for c in r.cells:
                out.row(section=section, group=c.group, id=r.id, n=c.n, people=c.barrier,
                        share=c.share, mean=c.mean, text=WITHHELD if c.suppressed else None)
    for b in org.barriers:
        for p in b.cells:
            out.row(section="org_barrier", group=p.group, group_n=p.n, id=b.rule,
                    people=p.people, share=p.share, text=WITHHELD if p.suppressed else None)
    _judged(out, org, doc.min_group)
    for h in org.with_barrier.by_barrier if org.with_barrier else []:
        out.row(section="with_barrier", group="overall", id=h.rule, people=h.people,
                needs=h.needs)
    for part in doc.organisations:
        _judged(out, part, doc.min_group)


def _judged(out: LongCsv, org: OrganisationView, min_group: int) -> None:
    """The board summary, the findings and the levels' own answers of one view."""
    where = org.organisation
    for i, item in enumerate(org.board_summary, start=1):
        out.row(section="board", organisation=where, group="overall", group_n=item.n,
                id=item.rule, basis=item.basis, people=item.people, share=item.share,
                text=f"{i}. who can act: {', '.join(item.actor_labels)}")
    for f in org.findings:
        out.row(section="alignment", organisation=where, group="overall", id=f.id,
                basis=f.basis, n=f.barrier.n, share=f.barrier.share, fired=f.fired,
                text=f.title)
    cmp = org.compared
    if cmp is None:
        return
    sizes = {c.id: c for c in cmp.levels}
    for q in cmp.questions:
        for c in q.cells:
            col = sizes[c.level]
            out.row(section="level_answers", organisation=where, group="overall",
                    group_n=col.n, id=q.id, level=c.level,
                    basis="measured" if col.measured else "perceived", n=c.n,
                    people=c.barrier, share=c.share, mean=c.mean,
                    text=w.withheld_text(c.reason, min_group) if c.suppressed else None)
        out.row(section="level_spread", organisation=where, group="overall", id=q.id,
                share=q.spread, fired=q.disagree, text=q.finding)


def _calibration(out: LongCsv, cal: CalibrationSummary) -> None:
    for col in cal.columns:
        for kind, people, share in col.kinds():
            out.row(section="calibration", group=col.group, group_n=col.people, id=kind,
                    people=people, share=share)
        out.row(section="calibration_judgement", group=col.group, group_n=col.people,
                id="overall", share=col.share, mean=cal.chance)
        for c in col.competencies:
            out.row(section="calibration_competency", group=col.group, group_n=col.people,
                    id=c.id, n=c.answered, share=c.share, below_chance=c.below_chance,
                    above_chance=c.above_chance, generous=c.generous, modest=c.modest)


def _total(counts: list[NeedCount]) -> int | None:
    """The needs a session meets (or prepares for), or None when a count of them is withheld."""
    if any(c.people is None for c in counts):
        return None
    return sum(c.people or 0 for c in counts)
