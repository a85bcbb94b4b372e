"""What qim reports: the result models of one person's report and of 360° feedback.

They are output only (never parsed from a user's file) and are built on first use.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: how a person's own view and colleagues' view compare, by at least a point either way
Agreement = Literal["self_higher", "hidden_strength", "agree"]


class Out(BaseModel):
    # built on first use: commands that never make a report do not pay for these schemas
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def model_rebuild(cls, **kwargs: Any) -> bool | None:
        """Build without reading the caller's local variables: every name used here is a module global.

        Pydantic builds a deferred model on its first use, from inside that use, and by default
        merges the calling frame's f_locals into the names it resolves. On CPython 3.13.0-3.13.2
        reading f_locals crashes the interpreter when the caller is inside a comprehension whose
        loop variable is also a closure cell of the enclosing function (python/cpython#128396).
        """
        kwargs["_parent_namespace_depth"] = 0
        return super().model_rebuild(**kwargs)


class Evidence(Out):
    """How many QIMs of each group named this competency: a row of Table 2 of the study
    (profiles/table2.toml), quoted as the paper prints it."""

    row: str = Field(description="the row's id in table2.toml")
    printed: str = Field(description="the row's label as the paper prints it")
    clinical: int
    clinical_of: int
    traditional: int
    traditional_of: int
    source: str
    passage: str


class StandardOut(Out):
    """The role standard the targets come from: qim's local convention, not the study's."""

    label: str
    basis: str = Field(description="what the standard is and is not")
    framework_version: str
    adopted: date = Field(description="when this standard replaced the one before")


class CompetencyResult(Out):
    id: str
    label: str
    theme: str
    score: float | None = Field(description="Mean of the answered items, 1–5; null when insufficient")
    answered: int
    items: int
    status: Literal["scored", "insufficient"]
    target: float
    gap: float | None = Field(description="target - score; positive means below target")
    level: str
    level_label: str
    importance: int | None
    background_flag: Literal["overlooked", "known_gap"] | None = Field(
        description="overlooked: the study says the person's background overlooks it; "
                    "known_gap: a known gap for QIMs from outside healthcare")
    priority: float
    priority_label: Literal["high", "medium", "low", "none"]
    band: float = Field(description="half the width of the score's 95% band of measurement "
                                    "error (1.96 x SEM, profiles/precision.toml)")
    within_error: bool = Field(
        description="true: below target by less than the band, so at target within "
                    "measurement error; its priority is 0 and it is never an objective")
    origin: Literal["interviews", "authors"] = Field(
        description="interviews: named by the QIMs interviewed (its Table 2 row is the "
                    "evidence); authors: suggested by the study's authors, not named by the "
                    "QIMs interviewed")
    origin_note: str | None = Field(
        default=None, description="for origin authors: \"suggested by the study's authors; not "
                                  "named by the QIMs interviewed\"")
    evidence: Evidence | None


class Fired(Out):
    """One condition that held, with the respondent's actual value."""

    condition: str
    value: str


class Reason(Out):
    rule: str
    title: str
    message: str
    competency: str | None
    priority: float
    because: list[Fired]
    sources: list[str]


class TrainingRef(Out):
    id: str
    title: str
    kind: str
    tier: str
    effort: str
    hours: float
    weeks: int = Field(description="calendar weeks from starting it to having shown its evidence")
    evidence: str = Field(description="how the person will show it is done")
    helpers: list[str]
    description: str
    actors: list[str]
    sources: list[str]


class Recommendation(Out):
    """A development activity for the person, once, at its highest priority."""

    rank: int
    priority: float
    priority_label: Literal["high", "medium", "low"]
    training: TrainingRef
    competencies: list[str]
    reasons: list[Reason]


class Barrier(Out):
    """A condition of the workplace: not a training need of the person, and never a reason
    to drop one."""

    rule: str
    title: str
    message: str
    actors: list[str]
    actions: list[TrainingRef]
    because: list[Fired]
    constrains: list[str] = Field(description="competencies whose development it may constrain")
    with_needs: list[str] = Field(
        description="the person's development needs it occurs with: competencies it may "
                    "constrain that have a need; they stay in the plan")
    sources: list[str]


class AlsoRaise(Out):
    """A workplace barrier shown beside a need it may constrain."""

    rule: str
    title: str


class Activity(Out):
    """An activity of the plan, in short."""

    training: str
    title: str
    kind: str
    tier: str
    effort: str
    hours: float
    weeks: int


class PlanCompetency(Out):
    id: str
    label: str
    score: float | None
    target: float
    gap: float | None
    priority_label: Literal["high", "medium", "low", "none"]


class Objective(Out):
    """One development objective in the form of a personal development plan (PDP)."""

    number: int
    competencies: list[PlanCompetency] = Field(description="the needs this objective is for")
    also_serves: list[str] = Field(description="lower-priority competencies the activity also serves")
    need: str = Field(description="the development need in plain words")
    how: Activity
    alternatives: list[Activity] = Field(description="other activities that fit the same need")
    start_week: int = Field(description="weeks after the assessment when it starts")
    after: int | None = Field(description="the objective whose end it waits for")
    due_week: int = Field(description="weeks after the assessment when it is due")
    starts: date | None = Field(description="null when the sheet has no assessed_on date")
    due: date | None = Field(description="null when the sheet has no assessed_on date")
    evidence: str = Field(description="how I will show it: a checkable outcome")
    helpers: list[str] = Field(description="who can help")
    also_raise: list[AlsoRaise] = Field(
        description="workplace barriers that may constrain this need, to raise alongside it")
    rules: list[str] = Field(description="the rules behind this objective")
    sources: list[str]


class Support(Out):
    """An activity that supports the whole plan (e.g. a mentor), not one competency."""

    how: Activity
    why: str
    helpers: list[str]
    rules: list[str]


class Deferred(Out):
    """A priority competency without an objective this time, and why."""

    competency: str
    label: str
    priority_label: Literal["high", "medium"]
    reason: Literal["no_activity", "career_stage", "plan_full"]
    why: str
    also_raise: list[AlsoRaise] = Field(
        description="workplace barriers that may constrain this need, to raise meanwhile")


class Strength(Out):
    competency: str
    label: str
    score: float
    target: float
    above_target: float
    level_label: str
    text: str


class PlanBarrier(Out):
    """An organisational barrier to raise, kept apart from the personal objectives."""

    rule: str
    title: str
    raise_with: list[str] = Field(description="front_line, middle_managers, board")
    ask_for: list[str] = Field(description="the organisational actions to ask for")
    constrains: list[str] = Field(
        description="the person's needs it may constrain (they stay in the plan)")
    raise_week: int
    raise_by: date | None


class Plan(Out):
    """The development plan: a few objectives, the barriers to raise, strengths to build on."""

    profile: Literal["development", "strong", "barrier_dominated"] = Field(
        description="strong: no high or medium priority; barrier_dominated: barriers first, "
                    "and fewer new objectives (never fewer than the overlooked needs)")
    barriers_first: bool
    assessed_on: date | None
    review_on: date | None = Field(description="the next appraisal: a year after the assessment")
    objectives: list[Objective] = Field(max_length=5)
    support: list[Support]
    deferred: list[Deferred]
    barriers: list[PlanBarrier]
    strengths: list[Strength]
    not_planned: list[str] = Field(description="recommended trainings in neither an objective nor support")


class RespondentOut(Out):
    id: str
    name: str | None
    background: str
    background_label: str
    role: str
    role_label: str
    years_as_qim: float
    years_in_healthcare: float | None = Field(
        description="years in healthcare in any role, when the sheet gives them")
    career_stage: str
    career_stage_label: str
    setting: str | None
    organisation: str | None = Field(default=None, description="where the person works, when "
                                     "the sheet says")
    unit: str | None = Field(default=None, description="their service or department, when the "
                             "sheet says")
    beyond_study: list[str] = Field(
        description="where qim goes beyond the study's sample for this person (a career "
                    "stage or a role the study did not include)")


class PrecisionOut(Out):
    """How precise the scores are, and where the figures come from (precision.toml)."""

    label: str = Field(description="where the reliability figures come from, in a few words")
    basis: str = Field(description="what the figures are and are not")
    confidence: float
    band_low: float = Field(description="the narrowest band of a competency's score")
    band_high: float = Field(description="the widest band of a competency's score")


class Result(Out):
    """The JSON result of `qim report`."""

    schema_version: Literal[1] = 1
    qim_version: str
    framework_version: str
    source: str
    assessed_on: date | None = Field(description="the sheet's assessed_on date, when given")
    standard: StandardOut
    precision: PrecisionOut
    respondent: RespondentOut
    competencies: list[CompetencyResult]
    plan: Plan
    recommendations: list[Recommendation]
    barriers: list[Barrier]
    unanswered: dict[str, list[str]]
    notes: str | None
    calibration: Calibration | None = Field(
        default=None, description="scenario judgement beside the self-rating; null when the "
                                  "sheet answers no scenario")


class ScenarioOut(Out):
    """One answered scenario: the responses chosen, their ranks on the evidence, the points."""

    id: str
    title: str
    competency: str
    best: str = Field(description="the option chosen as the most likely response")
    best_rank: int = Field(description="its rank on the evidence: 1 best .. 4 worst")
    worst: str = Field(description="the option chosen as the least likely response")
    worst_rank: int
    points: float = Field(description="0–2: up to 1 for each pick, less the further its rank "
                                      "is from the ideal")
    evidence_best: str = Field(description="the option the evidence ranks first")
    evidence_best_rationale: str
    evidence_worst: str = Field(description="the option the evidence ranks last")
    tripwire: str | None = Field(description="the typical error of the person's background was "
                                             "chosen as the most likely response: why it misleads")
    background_note: str | None = Field(
        description="with a tripwire: what the study says the person's background overlooks "
                    "or lacks in this competency")
    sources: list[str]


class CompetencyJudgement(Out):
    """Scenario judgement in one competency, on its own scale (never the self-rating's)."""

    competency: str
    label: str
    scenarios: int = Field(description="scenarios answered for this competency")
    points: float
    max_points: float
    share: float = Field(description="the share of the best-response points earned "
                                     "(points / max_points, 0–1): the judgement, on its own scale")
    chance_low: float = Field(description="the lowest share random picks reach more than 5% "
                                          "of the time (at or below it)")
    chance_high: float = Field(description="the highest share random picks reach more than 5% "
                                           "of the time (at or above it)")
    beyond_chance: Literal["below", "above"] | None = Field(
        description="below or above the chance band: random picks score that low, or that "
                    "high, at most 5% of the time; null inside the band")
    self_score: float | None = Field(
        description="the competency score from the self-rating (how often, 1–5): a different "
                    "thing, shown only to explain a note")
    note: Literal["generous", "modest"] | None = Field(
        description="generous: judgement below the chance band and self-rating 3.5 or more; "
                    "modest: judgement above the band and self-rating 2.5 or less")
    prompt: str | None = Field(description="a question for the appraisal conversation")


class Calibration(Out):
    """The situational-judgement scenarios: a reflection aid beside the self-rating."""

    notice: str = Field(description="what the scenarios are and are not (not a validated test)")
    scale: str = Field(description="what the judgement measures, and that it is not the "
                                   "self-rating's scale")
    method: str
    chance: float = Field(description="the expected share of the best-response points from "
                                      "random picks (exact, from the scoring rule)")
    answered: int
    offered: int
    competencies: list[CompetencyJudgement]
    scenarios: list[ScenarioOut]
