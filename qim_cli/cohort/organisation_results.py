"""The organisation's view in `qim cohort`, as typed documents: barrier shares by level,
question and QUASER challenge, the alignment findings, the board summary and the needs
that occur with a barrier.

organisation.py (and alignment.py for the levels' own answers) fill them; the renderers
read them; they are part of `qim schema cohort`. Output only.
"""

from __future__ import annotations

from ..assessment.results import Out
from .alignment_results import Basis, LevelComparison


class AnswerCell(Out):
    """One group's figures for a question or a set of questions; all None when withheld."""

    group: str
    n: int | None
    barrier: int | None
    share: float | None
    mean: float | None
    suppressed: bool


class QuestionRow(Out):
    id: str
    text: str
    level: str
    quaser: list[str]
    barrier_answers: str | None
    barrier_rules: list[str]
    sources: list[str]
    cells: list[AnswerCell]


class GroupRow(Out):
    """A level of the organisation or a QUASER challenge: its questions together."""

    id: str
    label: str
    questions: list[str]
    cells: list[AnswerCell]


class InPlaceSide(Out):
    questions: list[str]
    #: the levels of staff whose own answers were read (empty for the QIMs' perception)
    levels: list[str]
    n: int | None
    share: float | None
    share_at_most: float


class BarrierSide(Out):
    questions: list[str]
    levels: list[str]
    n: int | None
    share: float | None
    share_at_least: float


class Finding(Out):
    """An alignment finding of the profile set, checked on this cohort."""

    id: str
    title: str
    message: str
    sources: list[str]
    evaluated: bool
    #: read from the levels' own answers ("measured") or the QIMs' ("perceived"); null when
    #: neither had --min-group people
    basis: Basis | None
    fired: bool
    in_place: InPlaceSide
    barrier: BarrierSide


class PeopleCell(Out):
    group: str
    n: int | None
    people: int | None
    share: float | None
    suppressed: bool


class BarrierRow(Out):
    rule: str
    title: str
    actors: list[str]
    cells: list[PeopleCell]


class Action(Out):
    id: str
    title: str
    description: str
    effort: str
    actors: list[str]
    sources: list[str]


class BoardItem(Out):
    rule: str
    title: str
    message: str
    people: int
    #: the people the share is of: staff answering context sheets, or QIMs
    n: int
    share: float
    basis: Basis
    actors: list[str]
    actor_labels: list[str]
    actions: list[Action]
    sources: list[str]


class WithBarrierCompetency(Out):
    id: str
    label: str
    people: int
    note: str | None  # what it says when the study's authors suggested the competency


class WithBarrierRow(Out):
    rule: str
    title: str
    people: int
    needs: int
    competencies: list[WithBarrierCompetency]


class WithBarrier(Out):
    """Needs that occur with a barrier that may constrain them: a subset of the training
    needs, counted there too (a barrier never removes a need)."""

    people: int
    needs: int
    by_barrier: list[WithBarrierRow]


class OrganisationView(Out):
    """The organisation's view: barrier shares by question, level and QUASER challenge,
    the alignment findings, the barriers by people, the board summary and the needs that
    occur with a barrier (cohort/organisation.py); with context sheets, the levels' own
    answers side by side (`compared`). One organisation's view names it (`organisation`);
    the cohort's does not."""

    #: the organisation's name as the sheets give it ("not_given" for sheets naming none);
    #: null for the whole cohort
    organisation: str | None
    label: str | None
    #: QIMs in the view (null when fewer than --min-group, or hidden as a complement)
    qims: int | None
    scale: list[str]
    columns: list[str]
    questions: list[QuestionRow]
    levels: list[GroupRow]
    quaser: list[GroupRow]
    findings: list[Finding]
    barriers: list[BarrierRow]
    board_summary: list[BoardItem]
    #: null in one organisation's view (given once, for the whole cohort)
    with_barrier: WithBarrier | None
    compared: LevelComparison | None
