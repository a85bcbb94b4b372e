"""What qim reports: the result models of one person's report and of 360° feedback.

They are output only (never parsed from a user's file) and are built on first use.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    # built on first use: commands that never make a report do not pay for these schemas
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Evidence(Out):
    """How many QIMs in the study named this competency, by background."""

    clinical: int
    clinical_of: int
    traditional: int
    traditional_of: int
    source: str


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
    blind_spot: bool
    priority: float
    priority_label: Literal["high", "medium", "low", "none"]
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
    """A condition of the workplace: not a training need of the person."""

    rule: str
    title: str
    message: str
    actors: list[str]
    actions: list[TrainingRef]
    because: list[Fired]
    explains: list[str]
    held_back: list[Reason]
    sources: list[str]


class RespondentOut(Out):
    id: str
    name: str | None
    background: str
    background_label: str
    role: str
    role_label: str
    years_as_qim: float
    career_stage: str
    career_stage_label: str
    setting: str | None


class Result(Out):
    """The JSON result of `qim report`."""

    schema_version: Literal[1] = 1
    qim_version: str
    framework_version: str
    source: str
    respondent: RespondentOut
    competencies: list[CompetencyResult]
    recommendations: list[Recommendation]
    barriers: list[Barrier]
    unanswered: dict[str, list[str]]
    notes: str | None


class RaterGroupOut(Out):
    group: str
    label: str
    raters: int
    shown: bool = Field(description="false: fewer raters than the anonymity threshold; merged into others")


class Competency360(Out):
    id: str
    label: str
    theme: str
    self_score: float | None
    others_score: float | None = Field(description="mean over colleagues; null below the threshold")
    others_raters: int
    by_group: dict[str, float | None] = Field(description="only groups large enough to be shown")
    difference: float | None = Field(description="others - self")
    agreement: Literal["blind_spot", "hidden_strength", "agree"] | None
    basis: Literal["others", "self"] = Field(description="which view drives the recommendations")


class FeedbackResult(Out):
    """The JSON result of `qim report` on a 360 set (a self-assessment and colleagues' ratings)."""

    schema_version: Literal[1] = 1
    kind: Literal["360"] = "360"
    subject: str
    raters: int
    min_raters: int
    groups: list[RaterGroupOut]
    notices: list[str]
    competencies: list[Competency360]
    result: Result
    self_view_recommendations: list[str]


