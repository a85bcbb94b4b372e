"""Pydantic models for every file a person or trainer writes, and for every result.

Every model that reads a user-written file is strict and forbids unknown keys.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetPydanticSchema,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
SourceIds = Annotated[list[str], Field(min_length=1)]
#: where in its sources a claim rests: "A: Results, trustworthiness; P: Box 2" (a pointer,
#: never a quotation; "qim:" marks what is qim's own choice); checked in claims.py
Passage = Annotated[str, Field(min_length=1, max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _scale_schema(_source: Any, _handler: Any) -> Any:
    """An integer 1–5, as read from TOML (booleans and floats are refused), checked by
    pydantic-core alone: no Python call per value. The message is worded in
    messages.py ("scale_value")."""
    from pydantic_core import core_schema

    return core_schema.custom_error_schema(core_schema.int_schema(ge=1, le=5, strict=True),
                                           custom_error_type="scale_value",
                                           custom_error_message="must be 1–5")


ScaleValue = Annotated[
    int,
    GetPydanticSchema(_scale_schema),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5}),
]


# --------------------------------------------------------------------------- profiles


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
    passage: Passage | None = None


class Item(Strict):
    id: Id
    text: str = Field(min_length=1)
    observer_text: str = Field(min_length=1)
    help: str = Field(min_length=1)
    #: the rows of Table 2 (table2.toml) it measures; none for a competency the QIMs
    #: interviewed did not name
    codes: list[Id] = []
    reverse: bool = False


class Competency(Strict):
    id: Id
    theme: Id
    label: str
    description: str
    importance_question: str
    sources: SourceIds
    passage: Passage | None = None
    #: interviews: named by the QIMs interviewed (a Table 2 row); authors: suggested by
    #: the study's authors in their Discussion, not named by the QIMs (no row, no codes)
    origin: Literal["interviews", "authors"] = "interviews"
    #: its row of Table 2 (a "competency" row of table2.toml); required for "interviews"
    row: Id | None = None
    items: list[Item] = Field(min_length=3, max_length=5)

    @model_validator(mode="before")
    @classmethod
    def _no_cited(cls, data: Any) -> Any:
        if isinstance(data, dict) and "cited" in data:
            raise PydanticCustomError(
                "cited_moved", "cited: the study's figures are kept in table2.toml only; name "
                "the competency's row of Table 2 with row = \"<row id>\" instead")
        return data


class Code(Strict):
    """A row of Table 2 (its id in table2.toml) and the qim competency it belongs to."""

    id: Id
    competency: Id


class LevelWording(Strict):
    """A context question in the words of each level of staff that answers a context sheet
    (alignment.toml's `staff_levels`): first person for the level it is about."""

    text: dict[Id, Annotated[str, Field(min_length=1, max_length=400)]] = Field(min_length=1)
    sources: SourceIds
    passage: Passage | None = None


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
    passage: Passage | None = None
    #: the question as each level of staff is asked it; a level not named is asked `text`
    by_level: LevelWording | None = None


class FrameworkFile(Strict):
    schema_version: Literal[1]
    framework_version: str
    sources: dict[str, str]
    scales: Scales
    levels: list[Level] = Field(min_length=2)
    themes: list[Theme] = Field(min_length=1)
    competencies: list[Competency] = Field(min_length=1)
    codes: list[Code] = []
    context: list[ContextItem] = []


#: what a report says where qim goes beyond the study's sample (a stage, a role)
BeyondStudy = Annotated[str, Field(min_length=1, max_length=300)]


class CareerStage(Strict):
    id: Id
    label: str
    max_years: float | None = None
    max_inclusive: bool = False
    beyond_study: BeyondStudy | None = None


class Setting(Strict):
    id: Id
    label: str


class BackgroundNote(Strict):
    """What the study says of a background and one competency: why it is flagged."""

    competency: Id
    note: str = Field(min_length=1)
    sources: SourceIds
    passage: Passage | None = None


class Background(Strict):
    id: Id
    label: str
    description: str
    sources: SourceIds
    passage: Passage | None = None
    #: competencies the study says QIMs of this background overlook (◆)
    overlooked: list[BackgroundNote] = []
    #: competencies QIMs of this background lack when they come from outside healthcare (○)
    known_gaps: list[BackgroundNote] = []

    @model_validator(mode="before")
    @classmethod
    def _moved(cls, data: Any) -> Any:
        if isinstance(data, dict) and "targets" in data:
            raise PydanticCustomError(
                "targets_moved", "targets: a background no longer has targets of its own; one "
                "role standard per career stage, the same for every background, is in "
                "standard.toml")
        if isinstance(data, dict) and "blind_spots" in data:
            raise PydanticCustomError(
                "blind_spots_moved", "blind_spots: split into overlooked (what the study says "
                "the background overlooks) and known_gaps (what it lacks when coming from "
                "outside healthcare)")
        return data


class Role(Strict):
    id: Id
    label: str
    background: Id
    beyond_study: BeyondStudy | None = None


class BackgroundsFile(Strict):
    schema_version: Literal[1]
    career_stages: list[CareerStage] = Field(min_length=1)
    settings: list[Setting] = []
    backgrounds: list[Background] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)


class StandardFile(Strict):
    """The role standard: one target per competency and career stage, for every background."""

    schema_version: Literal[1]
    label: str = Field(min_length=1)
    #: what the standard is and is not (shown in every output): qim's local convention
    basis: str = Field(min_length=1)
    #: when this standard replaced the one before (qim compare says so across it)
    adopted: date
    #: what changed from the standard before, and why
    change: str = Field(min_length=1)
    targets: dict[Id, dict[Id, Annotated[float, Field(ge=1, le=5)]]]


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
    #: calendar weeks from starting the activity to having shown its evidence (plan dates)
    weeks: int = Field(ge=1, le=104)
    #: how the person will show it is done: a concrete, checkable outcome
    evidence: str = Field(min_length=1)
    #: who can help (personal activities; organisational actions name their actors)
    helpers: list[Annotated[str, Field(min_length=1)]] = []
    description: str
    actors: list[Actor] = []
    sources: SourceIds
    passage: Passage | None = None


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
    "healthcare_years_below",
    "healthcare_years_at_least",
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
    #: years in healthcare (respondent.years_in_healthcare; when not given, the years as
    #: a QIM) below this, or at least this
    healthcare_years_below: Annotated[float, Field(gt=0, le=60)] | None = None
    healthcare_years_at_least: Annotated[float, Field(ge=0, le=60)] | None = None

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
                "career_stage, setting, competency, importance, context, "
                "healthcare_years_below, healthcare_years_at_least (got {got})",
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
    #: barrier rules only: competencies whose development this workplace condition may
    #: constrain. A need there stays in the plan; the barrier is shown beside it.
    constrains: list[Id] = []
    sources: SourceIds
    passage: Passage | None = None
    when: Condition

    @model_validator(mode="before")
    @classmethod
    def _no_explains(cls, data: Any) -> Any:
        if isinstance(data, dict) and "explains" in data:
            raise PydanticCustomError(
                "explains_renamed", "explains: renamed constrains; a barrier is shown beside "
                "the needs it may constrain, never instead of them")
        return data

    @model_validator(mode="after")
    def _constrains_only_barriers(self) -> Rule:
        if self.constrains and self.kind != "barrier":
            raise PydanticCustomError(
                "rule_constrains", "constrains is only allowed on barrier rules"
            )
        return self


class RulesFile(Strict):
    schema_version: Literal[1]
    rules: list[Rule] = Field(min_length=1)
