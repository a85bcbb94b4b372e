"""What people write: the self-assessment sheet and a colleague's rating sheet.

Strict models: every key that is not in the schema is refused.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetPydanticSchema,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..framework.models import Id, ScaleValue, Strict
from ..messages import shown_value

SCHEMA_VERSION = 1


def _answer_schema(_source: Any, _handler: Any) -> Any:
    """An item answer: 1–5 (an integer, never a boolean or a float), or "na" for not
    applicable / don't know; checked by pydantic-core alone, with no Python call per
    answer. The message is worded in messages.py ("answer_value")."""
    from pydantic_core import core_schema

    return core_schema.union_schema(
        [core_schema.int_schema(ge=1, le=5, strict=True), core_schema.literal_schema(["na"])],
        custom_error_type="answer_value", custom_error_message='must be 1–5 or "na"',
    )


AnswerValue = Annotated[
    int | Literal["na"],
    GetPydanticSchema(_answer_schema),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"const": "na"}]}
    ),
]


def _date_value(value: Any) -> date:
    """A calendar date: a TOML date (2026-03-02) or the same as an ISO string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_value", "must be a date such as 2026-03-02 (got {got})", {"got": shown_value(value)}
    )


DateValue = Annotated[
    date, BeforeValidator(_date_value), WithJsonSchema({"type": "string", "format": "date"})
]


#: the longest organisation or unit name a sheet may give
MAX_PLACE = 100


def _place_name(value: str) -> str:
    """An organisation's or a unit's name: one line of printable text, no space at either
    end (it groups people, so "Northshore" and "Northshore " must not be two groups)."""
    if not value or not value.isprintable() or value != value.strip():
        raise PydanticCustomError(
            "place_name", "must be a name on one line, printable, without spaces at either end "
            "(got {got})", {"got": shown_value(value)})
    return value


#: the organisation (a hospital, trust or health board) or unit (a service or department)
#: a person works in: optional, free text; cohorts can be grouped by it
PlaceName = Annotated[
    str, Field(max_length=MAX_PLACE), AfterValidator(_place_name),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_PLACE,
                    "pattern": r"^\S(?:[^\u0000-\u001f\u007f]*\S)?$"}),
]


class Respondent(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
    name: Annotated[str, Field(max_length=200)] | None = None
    background: Id
    role: Id
    years_as_qim: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)]
    #: years working in healthcare in any role, the years as a QIM included (optional):
    #: advice for newcomers to healthcare depends on it; without it, the years as a QIM
    years_in_healthcare: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)] | None = None
    setting: Id | None = None
    organisation: PlaceName | None = None
    unit: PlaceName | None = None


RaterRole = Literal["self", "line_manager", "peer", "frontline", "clinical_lead"]


PersonId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]


class Rater(Strict):
    """Who filled in a sheet: the person themself, or a colleague (360° feedback)."""

    role: RaterRole
    id: PersonId | None = None


class Colleague(Rater):
    """A colleague who rates a QIM (360°), and where they work (optional)."""

    organisation: PlaceName | None = None
    unit: PlaceName | None = None


class ScenarioAnswer(Strict):
    """A situational-judgement scenario: the response one would most and least likely give."""

    best: Literal["a", "b", "c", "d"] = Field(description="the option you would most likely choose")
    worst: Literal["a", "b", "c", "d"] = Field(description="the option you would least likely choose")

    @model_validator(mode="after")
    def _two_options(self) -> ScenarioAnswer:
        if self.best == self.worst:
            raise PydanticCustomError(
                "scenario_same", 'best and worst must be two different options (both "{key}")',
                {"key": self.best})
        return self


class AnswerSheet(Strict):
    """A completed (or partly completed) self-check, as written in TOML."""

    schema_version: Literal[1]
    #: when the self-check was done; the development plan's dates count from it
    assessed_on: DateValue | None = None
    respondent: Respondent
    rater: Rater | None = None
    answers: dict[Id, AnswerValue] = {}
    importance: dict[Id, ScaleValue] = {}
    context: dict[Id, AnswerValue] = {}
    #: optional situational-judgement answers (qim assess --scenarios), by scenario id
    scenarios: dict[Id, ScenarioAnswer] = {}
    notes: Annotated[str, Field(max_length=10_000)] | None = None
    #: made up by a generator, not a real person's answers (the bundled examples): any
    #: reliability figure a cohort draws from such sheets says so
    synthetic: Literal[True] | None = Field(
        default=None, description="true: made up by a generator, not a real person's answers")

    @field_validator("rater")
    @classmethod
    def _self_only(cls, value: Rater | None) -> Rater | None:
        if value is not None and value.role != "self":
            raise PydanticCustomError(
                "rater_self", 'a self-assessment\'s rater.role must be "self" (got "{got}")',
                {"got": value.role},
            )
        return value


CommentText = Annotated[str, Field(max_length=2_000)]


class Comments(Strict):
    """A colleague's written comments, shown word for word but without their name."""

    strengths: CommentText | None = Field(default=None, description="What does this person do well?")
    develop: CommentText | None = Field(default=None, description="What could this person develop?")


class RaterSheet(Strict):
    """A colleague's rating of a QIM (360° feedback): observer answers and optional comments."""

    schema_version: Literal[1]
    subject: PersonId
    rater: Colleague
    answers: dict[Id, AnswerValue] = {}
    comments: Comments | None = None
    notes: Annotated[str, Field(max_length=10_000)] | None = None

    @field_validator("rater")
    @classmethod
    def _not_self(cls, value: Colleague) -> Colleague:
        if value.role == "self":
            raise PydanticCustomError(
                "rater_not_self",
                'a rating by "self" is a self-assessment: it needs a [respondent] table, not subject',
            )
        return value


