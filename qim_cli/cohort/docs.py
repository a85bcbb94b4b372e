"""The shapes of the JSON documents of the organisation's view and of a programme's
before and after, as typed dictionaries: `qim schema cohort|programme` is generated
from them (pydantic's TypeAdapter), and tests validate real output against it."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict  # pydantic reads these on Python 3.11

# --------------------------------------------------------------------------- organisation


class AnswerCell(TypedDict):
    """One group's figures for a question or a set of questions; all None when withheld."""

    group: str
    n: int | None
    barrier: int | None
    share: float | None
    mean: float | None
    suppressed: bool


class QuestionRow(TypedDict):
    id: str
    text: str
    level: str
    quaser: list[str]
    barrier_answers: str | None
    barrier_rules: list[str]
    sources: list[str]
    cells: list[AnswerCell]


class GroupRow(TypedDict):
    id: str
    label: str
    questions: list[str]
    cells: list[AnswerCell]


class Side(TypedDict, total=False):
    questions: list[str]
    n: int | None
    share: float | None
    share_at_most: float
    share_at_least: float


class FindingDoc(TypedDict):
    id: str
    title: str
    message: str
    sources: list[str]
    evaluated: bool
    fired: bool
    in_place: Side
    barrier: Side


class PeopleCell(TypedDict):
    group: str
    n: int | None
    people: int | None
    share: float | None
    suppressed: bool


class BarrierRow(TypedDict):
    rule: str
    title: str
    actors: list[str]
    cells: list[PeopleCell]


class Action(TypedDict):
    id: str
    title: str
    description: str
    effort: str
    actors: list[str]
    sources: list[str]


class BoardItem(TypedDict):
    rule: str
    title: str
    message: str
    people: int
    share: float
    actors: list[str]
    actor_labels: list[str]
    actions: list[Action]
    sources: list[str]


class WithBarrierCompetency(TypedDict):
    id: str
    label: str
    people: int
    #: "suggested by the study's authors; not named by the QIMs interviewed", or null
    note: str | None


class WithBarrierRow(TypedDict):
    rule: str
    title: str
    people: int
    needs: int
    competencies: list[WithBarrierCompetency]


class WithBarrier(TypedDict):
    """Needs that occur with a barrier that may constrain them: a subset of the training
    needs, counted there too (a barrier never removes a need)."""

    people: int
    needs: int
    by_barrier: list[WithBarrierRow]


class OrganisationDoc(TypedDict):
    scale: list[str]
    columns: list[str]
    questions: list[QuestionRow]
    levels: list[GroupRow]
    quaser: list[GroupRow]
    findings: list[FindingDoc]
    barriers: list[BarrierRow]
    board_summary: list[BoardItem]
    with_barrier: WithBarrier


# --------------------------------------------------------------------------- proposal


class NeedCount(TypedDict):
    id: str
    label: str
    people: int
    #: "suggested by the study's authors; not named by the QIMs interviewed", or null
    note: str | None


class SessionDoc(TypedDict):
    id: str
    title: str
    kind: str
    effort: str
    hours: float
    people: int
    competencies: list[NeedCount]


class ProposalDoc(TypedDict):
    """The fewest sessions meeting every high-priority need (cohort/proposal.py)."""

    method: str
    people: int
    needs: int
    sessions: list[SessionDoc]
    hours: float
    unmet: list[NeedCount]


class BelowTarget(TypedDict):
    id: str
    label: str
    below_target: int
    n: int
    share: float
    #: "suggested by the study's authors; not named by the QIMs interviewed", or null
    note: str | None


class StandardDoc(TypedDict):
    """The role standard the targets come from: qim's own convention, not the study's."""

    label: str
    basis: str
    framework_version: str


# --------------------------------------------------------------------------- programme


class Counts(TypedDict):
    before: int
    after: int
    paired: int
    only_before: int
    only_after: int
    repeated_before: int
    repeated_after: int


class ChangeRow(TypedDict):
    id: str
    label: str
    n: int | None
    before_mean: float | None
    after_mean: float | None
    change_mean: float | None
    change_sd: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    d_z: float | None
    at_target_before: float | None
    at_target_after: float | None
    suppressed: bool


class NeedRow(TypedDict):
    id: str
    title: str
    before: int
    after: int
    resolved: int
    new: int


class BarrierChange(TypedDict):
    rule: str
    title: str
    before: int
    after: int
    resolved: int
    new: int


class ProgrammeGroup(TypedDict):
    group: str
    label: str
    n: int
    competencies: list[ChangeRow]


class ProgrammeDoc(TypedDict):
    kind: Literal["programme"]
    framework_version: str
    standard: StandardDoc
    by: str
    min_group: int
    confidence: float
    effect_size: str
    counts: Counts
    competencies: list[ChangeRow]
    training_needs: list[NeedRow]
    barriers: list[BarrierChange]
    groups: list[ProgrammeGroup]
    suppressed: list[str]
    limitations: list[str]
    notes: list[str]


# --------------------------------------------------------------------------- calibration


class CalibrationCompetency(TypedDict):
    id: str
    label: str
    compared: int
    mean_difference: float | None
    generous: int
    modest: int


class CalibrationColumn(TypedDict):
    """Overall or one group: people by the notes of their own reports."""

    group: str
    label: str
    people: int
    calibrated: int
    generous: int
    modest: int
    mixed: int
    calibrated_share: float
    generous_share: float
    modest_share: float
    mixed_share: float
    mean_difference: float | None
    competencies: list[CalibrationCompetency]


class CalibrationDoc(TypedDict):
    """Self-rating against scenario judgement (null when nobody answered scenarios)."""

    notice: str
    marked: float
    people: int | None
    columns: list[CalibrationColumn]
    withheld: list[str]
    note: str | None
