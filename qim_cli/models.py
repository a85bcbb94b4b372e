"""Pydantic models for every file a person or trainer writes, and for every result.

Every model that reads a user-written file is strict and forbids unknown keys.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
SourceIds = Annotated[list[str], Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _scale_value(value: Any) -> int:
    """An integer 1–5, as read from TOML (booleans and floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise PydanticCustomError("scale_value", "must be 1–5 (got {got})", {"got": _show(value)})
    return value


def _answer_value(value: Any) -> int | Literal["na"]:
    """An item answer: 1–5, or "na" for not applicable / don't know."""
    if value == "na" and isinstance(value, str):
        return "na"
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise PydanticCustomError(
            "answer_value", 'must be 1–5 or "na" (got {got})', {"got": _show(value)}
        )
    return value


def _show(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return '"' + "".join(ch if ch.isprintable() else "?" for ch in text) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return "a date or time"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


ScaleValue = Annotated[
    int,
    PlainValidator(_scale_value),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5}),
]
AnswerValue = Annotated[
    int | Literal["na"],
    PlainValidator(_answer_value),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"const": "na"}]}
    ),
]


# --------------------------------------------------------------------------- profiles


class Cited(Strict):
    clinical: int = Field(ge=0)
    traditional: int = Field(ge=0)


class Scale(Strict):
    name: str
    labels: list[str] = Field(min_length=5, max_length=5)


class Scales(Strict):
    performance: Scale
    importance: Scale
    context: Scale


class Level(Strict):
    id: Id
    label: str
    min: float = Field(ge=1, le=5)
    description: str


class Theme(Strict):
    id: Id
    label: str
    description: str
    sources: SourceIds


class Item(Strict):
    id: Id
    text: str = Field(min_length=1)
    observer_text: str = Field(min_length=1)
    help: str = Field(min_length=1)
    codes: list[Id] = Field(min_length=1)
    reverse: bool = False


class Competency(Strict):
    id: Id
    theme: Id
    label: str
    description: str
    importance_question: str
    sources: SourceIds
    cited: Cited | None = None
    items: list[Item] = Field(min_length=3, max_length=5)


class Code(Strict):
    id: Id
    label: str
    competency: Id
    cited: Cited | None = None
    source: str


class ContextItem(Strict):
    id: Id
    text: str
    help: str
    level: Literal["front_line", "middle_managers", "board", "organisation"]
    quaser: list[
        Literal[
            "leadership",
            "political",
            "cultural",
            "educational",
            "emotional",
            "physical_technological",
            "structural",
            "external_demands",
        ]
    ] = []
    sources: SourceIds


class Study(Strict):
    clinical: int = Field(gt=0)
    traditional: int = Field(gt=0)
    source: str


class FrameworkFile(Strict):
    schema_version: Literal[1]
    framework_version: str
    sources: dict[str, str]
    study: Study
    scales: Scales
    levels: list[Level] = Field(min_length=2)
    themes: list[Theme] = Field(min_length=1)
    competencies: list[Competency] = Field(min_length=1)
    codes: list[Code] = []
    context: list[ContextItem] = []


class CareerStage(Strict):
    id: Id
    label: str
    max_years: float | None = None
    max_inclusive: bool = False


class Setting(Strict):
    id: Id
    label: str


class BlindSpot(Strict):
    competency: Id
    note: str
    sources: SourceIds


class Background(Strict):
    id: Id
    label: str
    description: str
    sources: SourceIds
    targets: dict[Id, dict[Id, Annotated[float, Field(ge=1, le=5)]]]
    blind_spots: list[BlindSpot] = []


class Role(Strict):
    id: Id
    label: str
    background: Id


class BackgroundsFile(Strict):
    schema_version: Literal[1]
    career_stages: list[CareerStage] = Field(min_length=1)
    settings: list[Setting] = []
    backgrounds: list[Background] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)


TrainingKind = Literal[
    "course",
    "coaching",
    "mentoring",
    "placement",
    "improvement_project",
    "mixed_team",
    "reading",
    "organisational_action",
]
Tier = Literal["awareness", "practitioner", "expert"]
Actor = Literal["front_line", "middle_managers", "board"]


class Training(Strict):
    id: Id
    title: str
    kind: TrainingKind
    tier: Tier
    effort: str
    hours: float = Field(ge=0)
    description: str
    actors: list[Actor] = []
    sources: SourceIds


class TrainingsFile(Strict):
    schema_version: Literal[1]
    trainings: list[Training] = Field(min_length=1)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


OneOrMany = Annotated[list[Id], Field(min_length=1)]

_SUBJECTS = (
    "all",
    "any",
    "not_",
    "background",
    "role",
    "career_stage",
    "setting",
    "competency",
    "importance",
    "context",
)
_COMPETENCY_TESTS = ("score_below", "score_at_least", "gap_at_least", "gap_below", "level")


class Condition(BaseModel):
    """One declarative condition of a rule; exactly one subject key (see profiles/README.md)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")
    background: OneOrMany | None = None
    role: OneOrMany | None = None
    career_stage: OneOrMany | None = None
    setting: OneOrMany | None = None
    competency: Id | None = None
    score_below: float | None = None
    score_at_least: float | None = None
    gap_at_least: float | None = None
    gap_below: float | None = None
    level: OneOrMany | None = None
    insufficient: Literal[True] | None = None
    importance: Id | None = None
    context: Id | None = None
    at_most: ScaleValue | None = None
    at_least: ScaleValue | None = None

    @field_validator("background", "role", "career_stage", "setting", "level", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _one_or_many(value)

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        subjects = [name for name in _SUBJECTS if getattr(self, name) is not None]
        if len(subjects) != 1:
            shown = ", ".join(s.rstrip("_") for s in subjects) or "none"
            raise PydanticCustomError(
                "condition_subject",
                "a condition needs exactly one of all, any, not, background, role, "
                "career_stage, setting, competency, importance, context (got {got})",
                {"got": shown},
            )
        subject = subjects[0]
        tests = [t for t in _COMPETENCY_TESTS if getattr(self, t) is not None]
        bounds = [b for b in ("at_most", "at_least") if getattr(self, b) is not None]
        if subject == "competency":
            if bool(tests) == bool(self.insufficient) or bounds:
                raise PydanticCustomError(
                    "condition_competency",
                    "a competency condition needs insufficient = true, or one or more of "
                    "score_below, score_at_least, gap_at_least, gap_below, level",
                )
        elif subject in ("importance", "context"):
            if not bounds or tests or self.insufficient:
                raise PydanticCustomError(
                    "condition_bounds",
                    "an {subject} condition needs at_most and/or at_least (1–5)",
                    {"subject": subject},
                )
        elif tests or bounds or self.insufficient:
            raise PydanticCustomError(
                "condition_extra",
                "a {subject} condition takes no comparison keys",
                {"subject": subject.rstrip("_")},
            )
        return self


class Rule(Strict):
    id: RuleId
    kind: Literal["development", "barrier"]
    title: str
    message: str
    competency: Id | None = None
    weight: float = Field(default=1.0, ge=0, le=10)
    trainings: list[Id] = Field(min_length=1)
    explains: list[Id] = []
    sources: SourceIds
    when: Condition

    @model_validator(mode="after")
    def _explains_only_barriers(self) -> Rule:
        if self.explains and self.kind != "barrier":
            raise PydanticCustomError(
                "rule_explains", "explains is only allowed on barrier rules"
            )
        return self


class RulesFile(Strict):
    schema_version: Literal[1]
    rules: list[Rule] = Field(min_length=1)


# --------------------------------------------------------------------------- answer sheets


class Respondent(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
    name: Annotated[str, Field(max_length=200)] | None = None
    background: Id
    role: Id
    years_as_qim: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)]
    setting: Id | None = None


RaterRole = Literal["self", "line_manager", "peer", "frontline", "clinical_lead"]
PersonId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]


class Rater(Strict):
    """Who filled in a sheet: the person themself, or a colleague (360° feedback)."""

    role: RaterRole
    id: PersonId | None = None


class AnswerSheet(Strict):
    """A completed (or partly completed) self-check, as written in TOML."""

    schema_version: Literal[1]
    respondent: Respondent
    rater: Rater | None = None
    answers: dict[Id, AnswerValue] = {}
    importance: dict[Id, ScaleValue] = {}
    context: dict[Id, AnswerValue] = {}
    notes: Annotated[str, Field(max_length=10_000)] | None = None

    @field_validator("rater")
    @classmethod
    def _self_only(cls, value: Rater | None) -> Rater | None:
        if value is not None and value.role != "self":
            raise PydanticCustomError(
                "rater_self", 'a self-assessment\'s rater.role must be "self" (got "{got}")',
                {"got": value.role},
            )
        return value


class RaterSheet(Strict):
    """A colleague's rating of a QIM (360° feedback): observer answers only."""

    schema_version: Literal[1]
    subject: PersonId
    rater: Rater
    answers: dict[Id, AnswerValue] = {}
    notes: Annotated[str, Field(max_length=10_000)] | None = None

    @field_validator("rater")
    @classmethod
    def _not_self(cls, value: Rater) -> Rater:
        if value.role == "self":
            raise PydanticCustomError(
                "rater_not_self",
                'a rating by "self" is a self-assessment: it needs a [respondent] table, not subject',
            )
        return value


# --------------------------------------------------------------------------- results


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
