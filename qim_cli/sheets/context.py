"""A context sheet: staff at any level of the organisation describe their workplace.

The third kind of sheet (``kind = "context"``), beside a QIM's self-assessment and a
colleague's 360 rating. A front-line nurse, a middle manager, a senior leader or a board
member answers the same workplace questions that a QIM answers (framework.toml's
``[[context]]``), each worded for their level (``by_level``), so that what each level of
the organisation reports can be set beside the others. It holds no competency items and
is never scored as a QIM.

Strict like every sheet: an unknown key is refused, and every problem is named on its
own line, values first, then what the profile set does not know (an unknown level or
question), then (``complete``) the questions left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from ..errors import DataError, ProfileError, UsageError
from ..framework.models import Id, Strict
from ..framework.profiles import Profiles
from ..messages import one_of, shown_value, suggest, validation_problems
from ..parsing import read_toml_file
from ..reading import display_name
from .crosscheck import Loc, split_rejected, unknown_keys
from .models import AnswerValue, DateValue, PersonId, PlaceName

#: the value of `kind` that marks a context sheet
KIND = "context"


class ContextRespondent(Strict):
    """Who answered: an id (a code will do), their level and where they work. No name:
    staff describe their managers and board here."""

    id: PersonId
    #: a level of staff named in alignment.toml's `staff_levels` (front_line, ...)
    level: Id
    organisation: PlaceName | None = None
    unit: PlaceName | None = None


class ContextSheet(Strict):
    """A staff member's answers to the workplace questions, as written in TOML."""

    schema_version: Literal[1]
    kind: Literal["context"]
    #: the day the questions were answered
    assessed_on: DateValue | None = None
    respondent: ContextRespondent
    context: dict[Id, AnswerValue] = {}
    notes: Annotated[str, Field(max_length=10_000)] | None = None


def require_staff_levels(profiles: Profiles) -> None:
    """A profile set that names no levels of staff takes no context sheets: say so once."""
    if not profiles.staff_levels:
        raise ProfileError(f"{display_name(profiles.directory / 'alignment.toml')}: names no "
                           "levels of staff (staff_levels), so this profile set has no context "
                           "sheets")


def check_level(profiles: Profiles, level: str, option: str = "--level") -> None:
    """A level given on the command line: one of the profile set's levels of staff."""
    require_staff_levels(profiles)
    if level not in profiles.staff_levels:
        raise UsageError(f"{option}: must be one of {one_of(profiles.staff_levels)} "
                         f"(got {shown_value(level)}){suggest(level, profiles.staff_levels)}")


def is_context(raw: dict[str, Any]) -> bool:
    """A sheet that says what kind it is: only a context sheet has `kind` (a self-assessment
    or a rating with a `kind` is read as a context sheet, whose model names the problem)."""
    return "kind" in raw


def level_problems(raw: dict[str, Any], profiles: Profiles, name: str,
                   rejected: set[Loc] | frozenset[Loc] = frozenset()) -> list[str]:
    """The level against the profile set's levels of staff; the questions against its
    context questions."""
    errs: list[str] = []
    respondent = raw.get("respondent")
    level = respondent.get("level") if isinstance(respondent, dict) else None
    levels = profiles.staff_levels
    if isinstance(level, str) and ("respondent", "level") not in rejected and level not in levels:
        if not levels:
            errs.append(f"{name}: respondent.level: this profile set names no levels of staff "
                        "(staff_levels in alignment.toml), so it takes no context sheets")
        elif level == "":
            errs.append(f'{name}: respondent.level: must be one of {one_of(levels)} (got "")')
        else:
            errs.append(f'{name}: respondent.level: unknown level "{level}"'
                        f"{suggest(level, levels)} (known: {one_of(levels)})")
    errs += unknown_keys("context", raw.get("context"), profiles.context_items,
                         "unknown context item", name, rejected)
    return errs


def context_unanswered(raw: dict[str, Any], profiles: Profiles, name: str) -> list[str]:
    """`context.id: not answered` for each question left out ("na" is an answer)."""
    given = raw.get("context", {})
    if not isinstance(given, dict):
        return []
    return [f"{name}: context.{q}: not answered" for q in profiles.context_items if q not in given]


def context_from_data(raw: dict[str, Any], profiles: Profiles, name: str, *,
                      complete: bool = False) -> ContextSheet:
    """A context sheet checked as `qim validate` checks it; DataError with every problem."""
    kind = raw.get("kind")
    if kind != KIND:  # one line: the rest of a sheet of another kind would only add noise
        raise DataError(f'{name}: kind: must be "{KIND}" (got {shown_value(kind)}); a self-assessment '
                        "or a colleague's rating has no kind")
    try:
        sheet = ContextSheet.model_validate(raw)
    except ValidationError as exc:
        problems = [(loc, value, line)
                    for loc, value, line in validation_problems(name, exc, raw, ContextSheet)
                    if not (loc == ("respondent", "level") and value == "")]  # said with the levels
        lines, rejected = split_rejected(problems)
        lines += level_problems(raw, profiles, name, rejected)
        if complete:
            lines += context_unanswered(raw, profiles, name)
        raise DataError((lines or [f"{name}: not a valid context sheet"])[0],
                        lines=lines or [f"{name}: not a valid context sheet"]) from None
    errs = level_problems(raw, profiles, name)
    if complete:
        errs += context_unanswered(raw, profiles, name)
    if errs:
        raise DataError(errs[0], lines=errs)
    return sheet


def load_context(path: Path, profiles: Profiles, name: str | None = None, *,
                 complete: bool = False) -> ContextSheet:
    """Read one context sheet; DataError / NotFoundError with file and field named."""
    name = name or display_name(path)
    return context_from_data(read_toml_file(path, name), profiles, name, complete=complete)


def context_to_data(sheet: ContextSheet) -> dict[str, Any]:
    """A context sheet as plain data, ready for tomli-w (no None values; a TOML date)."""
    data = sheet.model_dump(mode="json", exclude_none=True)
    if sheet.assessed_on is not None:
        data["assessed_on"] = sheet.assessed_on
    return data


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ContextRecord:
    """A context sheet as the organisation's view needs it: who, where, and the answers.

    `answers` holds one byte per context question of the profile set, in its order (as a
    QIM's record does): 1–5, or 0 when not answered or answered "na".
    """

    file: str
    id: str
    level: str
    organisation: str | None
    unit: str | None
    answers: bytes

    def answer(self, profiles: Profiles, question: str) -> int | None:
        """One question's answer (1–5), None when not answered or "na"."""
        value = self.answers[list(profiles.context_items).index(question)]
        return value or None

    def by_question(self, profiles: Profiles) -> dict[str, int | None]:
        """Every context question -> its answer (1–5), None when not answered or "na"."""
        return {q: v or None for q, v in zip(profiles.context_items, self.answers, strict=True)}


def context_record(sheet: ContextSheet, profiles: Profiles, name: str) -> ContextRecord:
    """The record of one valid context sheet."""
    given = sheet.context
    answers = bytes([v if type(v := given.get(q)) is int else 0 for q in profiles.context_items])
    r = sheet.respondent
    return ContextRecord(name, r.id, r.level, r.organisation, r.unit, answers)


__all__ = ["KIND", "ContextRecord", "ContextRespondent", "ContextSheet", "check_level",
           "context_from_data", "context_record", "context_to_data", "context_unanswered",
           "is_context", "level_problems", "load_context", "require_staff_levels"]
