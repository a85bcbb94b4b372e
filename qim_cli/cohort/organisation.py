"""The organisation's view of a cohort: barriers, alignment findings and a board summary,
made from the counts of `organisation_tally.py` (the document: results.OrganisationView).

Every sheet answers the context questions of the profile set (conditions of the
workplace, not competencies of the person). Across a cohort this module reports:

* **per question** (overall and per group): how many people answered it (not "na"),
  how many reported it as a barrier, the share, and the mean answer. A person reports a
  barrier when their answer meets the condition a barrier rule of ``rules.toml`` puts on
  that question (see `framework.organisation.barrier_values`): the same threshold as the
  individual report, read from the same data;
* **per level** of the organisation (front line, middle managers, board, organisation)
  and **per QUASER challenge**, from the tags of the questions: the people who answered
  at least one of the group's questions, those who reported at least one of them as a
  barrier, and the mean of all answers to them;
* **alignment findings** (``alignment.toml``): where one level is mostly reported as in
  place and another as a barrier, with the evidence and its source ids;
* the **barrier rules** that fired, by people, and a **board summary**: the three
  reported by the most people, who can act on each and the organisational actions the
  profile set holds for it;
* **needs that occur with a barrier**: development needs whose competency a barrier the
  same person reported may constrain. They are a subset of the training needs, counted
  there as well; this says how many there were and beside which barriers (a barrier
  never removes a need).

Privacy follows `privacy.py`: groups hidden as a whole stay hidden, and a cell that rests
on fewer than ``min_group`` answers is withheld, with its complement.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal

from ..framework.actors import ACTOR_LABEL, ACTORS
from ..framework.organisation import LEVELS, QUASER, barrier_rules_of
from ..framework.study import AUTHORS_SUGGESTION
from .alignment import QIMS_LABEL, Measured
from .alignment_results import QIMS, LevelCell, LevelComparison, StaffLevelColumn
from .groups import NOT_GIVEN
from .organisation_results import (
    Action,
    AnswerCell,
    BarrierRow,
    BarrierSide,
    BoardItem,
    Finding,
    GroupRow,
    InPlaceSide,
    OrganisationView,
    PeopleCell,
    QuestionRow,
    WithBarrier,
    WithBarrierCompetency,
    WithBarrierRow,
)
from .privacy import hidden_cells, suppressed_groups

if TYPE_CHECKING:
    from ..framework.models import Rule
    from ..framework.profiles import Profiles
    from ..sheets.context import ContextRecord
    from .organisation_tally import OrganisationTally, Tally

BOARD_TOP = 3


def organisation_view(org: OrganisationTally, columns: list[str], hidden: set[str],
                      min_group: int, measured: Measured | None = None) -> OrganisationView:
    """The organisation's view. `columns` are the shown groups in order, `hidden` the
    groups withheld as a whole; `measured` the levels' own answers (context sheets), when
    they are of this one organisation."""
    view = _View(org, columns, hidden, min_group)
    prof = org.profiles
    barrier_rules = [r for r in prof.rules if r.kind == "barrier"]
    return OrganisationView(
        organisation=None,
        label=None,
        qims=org.overall.n,
        scale=list(prof.framework.scales.context.labels),
        columns=["overall", *columns],
        questions=view.questions(),
        levels=view.groups("level", LEVELS),
        quaser=view.groups("quaser", QUASER),
        findings=_findings(org, org.overall, min_group, measured),
        barriers=[view.barrier_row(r) for r in barrier_rules],
        board_summary=_board(org, org.overall, barrier_rules, measured),
        with_barrier=_with_barrier(org, barrier_rules),
        compared=_compared(view, "overall", org.overall.n, measured),
    )


def organisation_key(name: str | None) -> str:
    return NOT_GIVEN if name is None else name


def organisations(by_org: OrganisationTally, contexts: dict[str, list[ContextRecord]],
                  min_group: int) -> list[OrganisationView]:
    """One view per organisation (`by_org` counts the QIMs by organisation; `contexts` the
    staff's sheets by organisation key): names in order, "not given" last. An organisation
    with fewer than min_group QIMs has their figures withheld, with its complement."""
    prof = by_org.profiles
    keys = sorted(set(by_org.groups) | set(contexts),
                  key=lambda k: (k == NOT_GIVEN, k.casefold(), k))
    small, secondary = suppressed_groups({g: t.n for g, t in by_org.groups.items()}, min_group)
    hidden = set(small) | set(secondary)
    view = _View(by_org, [k for k in keys if k in by_org.groups], hidden, min_group)
    barrier_rules = [r for r in prof.rules if r.kind == "barrier"]
    questions, levels = view.questions(), view.groups("level", LEVELS)
    quaser, barriers = view.groups("quaser", QUASER), [view.barrier_row(r) for r in barrier_rules]
    out = []
    for key in keys:
        records = contexts.get(key, [])
        measured = Measured(records, prof, min_group) if records else None
        tally = by_org.groups.get(key)
        shown = tally if tally is not None and key not in hidden else None

        def only(cells: list[AnswerCell], key: str = key) -> list[AnswerCell]:
            mine = [c for c in cells if c.group == key]
            return mine or [AnswerCell(group=key, n=0, barrier=None, share=None, mean=None,
                                       suppressed=False)]

        def people(cells: list[PeopleCell], key: str = key) -> list[PeopleCell]:
            mine = [c for c in cells if c.group == key]
            return mine or [PeopleCell(group=key, n=0, people=0, share=None, suppressed=False)]

        out.append(OrganisationView(
            organisation=key, label="Not given" if key == NOT_GIVEN else key,
            qims=shown.n if shown is not None else (0 if tally is None else None),
            scale=list(prof.framework.scales.context.labels),
            columns=[key],
            questions=[q.model_copy(update={"cells": only(q.cells)}) for q in questions],
            levels=[r.model_copy(update={"cells": only(r.cells)}) for r in levels],
            quaser=[r.model_copy(update={"cells": only(r.cells)}) for r in quaser],
            findings=_findings(by_org, shown, min_group, measured),
            barriers=[b.model_copy(update={"cells": people(b.cells)}) for b in barriers],
            board_summary=_board(by_org, shown, barrier_rules, measured),
            with_barrier=None,
            compared=_compared(view, key, tally.n if tally is not None else 0, measured),
        ))
    return out


def _compared(view: _View, group: str, qims: int,
              measured: Measured | None) -> LevelComparison | None:
    """The levels' own answers beside the QIMs' (None without context sheets)."""
    if measured is None:
        return None
    org, min_group = view.org, view.min_group
    hidden_qims = group in view.hidden or (qims and qims < min_group)
    column = StaffLevelColumn(
        id=QIMS, label=QIMS_LABEL, measured=False, n=None if hidden_qims else qims,
        suppressed=bool(hidden_qims),
        reason=("fewer_than_min_group" if qims < min_group else "complementary")
        if hidden_qims else None)
    cells: dict[str, LevelCell] = {}
    tally = org.overall if group == "overall" else org.groups.get(group)
    for q in org.questions:
        qrow = [c for c in view.cells("question", q) if c.group == group] if tally else []
        if not qrow:
            cells[q] = LevelCell(level=QIMS, n=0, barrier=None, share=None, mean=None,
                                 suppressed=False, reason=None)
            continue
        c = qrow[0]
        answered = tally.answered[org.slot[("question", q)]] if tally else 0
        cells[q] = LevelCell(
            level=QIMS, n=c.n, barrier=c.barrier, share=c.share, mean=c.mean,
            suppressed=c.suppressed,
            reason=("fewer_than_min_group" if answered < min_group else "complementary")
            if c.suppressed else None)
    return measured.comparison(column, cells)


class _View:
    """The rows of figures per group, privacy applied."""

    def __init__(self, org: OrganisationTally, columns: list[str], hidden: set[str],
                 min_group: int) -> None:
        self.org, self.columns, self.hidden, self.min_group = org, columns, hidden, min_group
        self.people_hidden = hidden_cells({g: t.n for g, t in org.groups.items()}, min_group,
                                          hidden)

    def cells(self, kind: str, key: str) -> list[AnswerCell]:
        """One row: the overall cell, then one per shown group."""
        org = self.org
        s = org.slot[(kind, key)]
        has_barrier = any(org.barrier_values[qi] is not None for qi in org.sets[s][2])
        withheld = hidden_cells({g: t.answered[s] for g, t in org.groups.items()},
                                self.min_group, self.hidden)
        if org.overall.answered[s] < self.min_group:
            withheld |= {"overall", *self.columns}
        out = []
        for g in ["overall", *self.columns]:
            t = org.overall if g == "overall" else org.groups[g]
            if g in withheld:
                out.append(AnswerCell(group=g, n=None, barrier=None, share=None, mean=None,
                                      suppressed=True))
                continue
            n = t.answered[s]
            bar = t.barrier[s] if has_barrier else None
            out.append(AnswerCell(
                group=g, n=n, barrier=bar,
                share=round(bar / n, 3) if bar is not None and n else None,
                mean=round(t.total[s] / t.count[s], 2) if t.count[s] else None,
                suppressed=False))
        return out

    def questions(self) -> list[QuestionRow]:
        org = self.org
        prof = org.profiles
        items = prof.context_items
        rules_of = barrier_rules_of(prof.rules_file)
        scale = prof.framework.scales.context.labels

        def barrier_when(qi: int) -> str | None:
            values = org.barrier_values[qi]
            if values is None:
                return None
            return ", ".join(f"{v} ({scale[v - 1]})" for v in sorted(values))

        return [QuestionRow(id=q, text=items[q].text, level=items[q].level,
                            quaser=list(items[q].quaser), barrier_answers=barrier_when(qi),
                            barrier_rules=rules_of.get(q, []), sources=list(items[q].sources),
                            cells=self.cells("question", q))
                for qi, q in enumerate(org.questions)]

    def groups(self, kind: str, keys: tuple[str, ...]) -> list[GroupRow]:
        """The levels or the QUASER challenges that have questions, in the profile set's order."""
        org = self.org
        items = org.profiles.context_items
        out = []
        for key in keys:
            if not org.sets[org.slot[(kind, key)]][2]:
                continue
            questions = [q for q in org.questions
                         if (items[q].level == key if kind == "level" else key in items[q].quaser)]
            out.append(GroupRow(id=key, label=_label(org.profiles, kind, key),
                                questions=questions, cells=self.cells(kind, key)))
        return out

    def barrier_row(self, rule: Rule) -> BarrierRow:
        """The people who reported a barrier rule, overall and per shown group."""
        org = self.org
        cells = []
        for g in ["overall", *self.columns]:
            t = org.overall if g == "overall" else org.groups[g]
            if g in self.people_hidden:
                cells.append(PeopleCell(group=g, n=None, people=None, share=None,
                                        suppressed=True))
            else:
                people = t.barriers[rule.id]
                cells.append(PeopleCell(group=g, n=t.n, people=people,
                                        share=round(people / t.n, 3) if t.n else None,
                                        suppressed=False))
        actors, _ = _actions(org.profiles, rule.id)
        return BarrierRow(rule=rule.id, title=rule.title, actors=actors, cells=cells)


def _label(profiles: Profiles, kind: str, key: str) -> str:
    named = profiles.alignment.levels if kind == "level" else profiles.alignment.quaser
    labels = {str(k): v.label for k, v in named.items()}
    return labels.get(key) or key.replace("_", " ").capitalize()


def _side(org: OrganisationTally, t: Tally, kind: str, key: str) -> tuple[int, float | None]:
    s = org.slot[(kind, key)]
    n = t.answered[s]
    return n, (round(t.barrier[s] / n, 3) if n else None)


def _findings(org: OrganisationTally, tally: Tally | None, min_group: int,
              measured: Measured | None) -> list[Finding]:
    """Each finding, read from the levels' own answers when both its sides have min_group
    people there, else from the QIMs' (`tally`; None when they are withheld)."""
    out = []
    for f in org.profiles.alignment.findings:
        basis: Literal["measured", "perceived"] | None = None
        in_levels: list[str] = []
        bar_levels: list[str] = []
        n_in = n_bar = 0
        share_in = share_bar = None
        got = (measured.side(f.in_place), measured.side(f.barrier)) if measured else (None, None)
        if got[0] is not None and got[1] is not None:
            basis = "measured"
            (in_levels, n_in, share_in), (bar_levels, n_bar, share_bar) = got[0], got[1]
        elif tally is not None:
            n_in, share_in = _side(org, tally, "in_place", f.id)
            n_bar, share_bar = _side(org, tally, "barrier", f.id)
            if n_in >= min_group and n_bar >= min_group:
                basis = "perceived"
        evaluated = basis is not None
        fired = (evaluated and share_in is not None and share_bar is not None
                 and share_in <= f.in_place_share_at_most
                 and share_bar >= f.barrier_share_at_least)
        out.append(Finding(
            id=f.id, title=f.title, message=f.message, sources=list(f.sources),
            evaluated=evaluated, basis=basis, fired=fired,
            in_place=InPlaceSide(questions=list(f.in_place), levels=in_levels,
                                 n=n_in if evaluated else None,
                                 share=share_in if evaluated else None,
                                 share_at_most=f.in_place_share_at_most),
            barrier=BarrierSide(questions=list(f.barrier), levels=bar_levels,
                                n=n_bar if evaluated else None,
                                share=share_bar if evaluated else None,
                                share_at_least=f.barrier_share_at_least)))
    return out


def _actions(profiles: Profiles, rule_id: str) -> tuple[list[str], list[Action]]:
    rule = next(r for r in profiles.rules if r.id == rule_id)
    actions = [profiles.trainings[t] for t in rule.trainings]
    actors: list[str] = sorted({a for t in actions for a in t.actors}, key=ACTORS.index)
    return actors, [Action(id=t.id, title=t.title, description=t.description, effort=t.effort,
                           actors=list(t.actors), sources=list(t.sources)) for t in actions]


def _board(org: OrganisationTally, tally: Tally | None, barrier_rules: list[Rule],
           measured: Measured | None) -> list[BoardItem]:
    """The barriers reported by the most people (at most BOARD_TOP), who can act on each
    and the actions the profile set holds for it: from the levels' own answers when there
    are any to read, else from the QIMs' (`tally`; None when they are withheld)."""
    order = {r.id: i for i, r in enumerate(barrier_rules)}
    counts = measured.board(barrier_rules) if measured is not None else []
    basis: Literal["measured", "perceived"] = "measured"
    if not counts:
        if tally is None or not tally.n:
            return []
        basis = "perceived"
        counts = [(r, tally.barriers[r.id], tally.n) for r in barrier_rules]
    ranked = sorted((c for c in counts if c[1]),
                    key=lambda c: (-c[1] / c[2], -c[1], order[c[0].id]))
    board = []
    for r, people, n in ranked[:BOARD_TOP]:
        actors, actions = _actions(org.profiles, r.id)
        board.append(BoardItem(rule=r.id, title=r.title, message=r.message, people=people,
                               n=n, share=round(people / n, 3), basis=basis, actors=actors,
                               actor_labels=[ACTOR_LABEL[a] for a in actors], actions=actions,
                               sources=list(r.sources)))
    return board


def _with_barrier(org: OrganisationTally, barrier_rules: list[Rule]) -> WithBarrier:
    """The needs that occur with each barrier, by barrier (most people first) and competency."""
    prof = org.profiles
    order = {r.id: i for i, r in enumerate(barrier_rules)}
    titles = {r.id: r.title for r in barrier_rules}

    def competencies(rid: str) -> list[WithBarrierCompetency]:
        counts = org.with_competencies.get(rid, Counter())
        return [WithBarrierCompetency(
                    id=c, label=prof.competencies[c].label, people=k,
                    note=AUTHORS_SUGGESTION if prof.competencies[c].origin == "authors" else None)
                for c, k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    return WithBarrier(
        people=org.with_people_total,
        needs=org.with_needs_total,
        by_barrier=[WithBarrierRow(rule=rid, title=titles.get(rid, rid),
                                   people=org.with_people[rid], needs=org.with_needs[rid],
                                   competencies=competencies(rid))
                    for rid in sorted(org.with_people,
                                      key=lambda b: (-org.with_people[b], order.get(b, 0)))],
    )
