"""Read answer sheets (TOML) into models, with one clear line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import DataError
from ..framework.profiles import Profiles
from ..invocation import command
from ..messages import shown_value, validation_problems
from ..parsing import read_toml_bytes, read_toml_file
from ..reading import display_name
from .context import ContextSheet, context_from_data, is_context
from .crosscheck import profile_problems, rating_problems, split_rejected, unanswered
from .models import AnswerSheet, RaterSheet


def check_against_profiles(sheet: AnswerSheet, profiles: Profiles, name: str) -> list[str]:
    """Problems that only the profile set can reveal: unknown ids, a role of another background."""
    r = sheet.respondent
    return profile_problems({
        "respondent": {"background": r.background, "role": r.role, "setting": r.setting},
        "answers": sheet.answers, "importance": sheet.importance, "context": sheet.context,
        "scenarios": sheet.scenarios,
    }, profiles, name)


def _invalid(lines: list[str], name: str = "") -> DataError:
    lines = lines or [f"{name}: not a valid answer sheet"]
    return DataError(lines[0], lines=lines)


def is_rating(raw: dict[str, Any]) -> bool:
    """A colleague's 360 rating (a [rater] table whose role is not "self")."""
    rater = raw.get("rater")
    return isinstance(rater, dict) and rater.get("role") != "self"


def rating_from_data(raw: dict[str, Any], profiles: Profiles, name: str, *,
                     complete: bool = False) -> RaterSheet:
    """A colleague's rating; `complete` also requires every item answered."""
    try:
        sheet = RaterSheet.model_validate(raw)
    except ValidationError as exc:
        lines, rejected = split_rejected(validation_problems(name, exc, raw, RaterSheet))
        lines += rating_problems(raw, profiles, name, rejected)
        if complete:
            lines += unanswered(raw, profiles, name, rating=True)
        raise _invalid(lines, name) from None
    errs = rating_problems(raw, profiles, name)
    if complete:
        errs += unanswered(raw, profiles, name, rating=True)
    if errs:
        raise _invalid(errs)
    return sheet


def sheet_from_data(raw: dict[str, Any], profiles: Profiles, name: str, *,
                    complete: bool = False) -> AnswerSheet:
    """A self-assessment: every problem at once, values first (in the order of the fields),
    then what the profile set does not know, then (`complete`) the questions left out."""
    if is_context(raw):
        raise DataError(f"{name}: kind: this is a context sheet (a staff member's answers about "
                        "their workplace), not a QIM's self-assessment")
    if is_rating(raw):
        subject = raw.get("subject")
        whose = f" of {shown_value(subject)}" if isinstance(subject, str) and subject else ""
        raise DataError(
            f"{name}: rater.role: this is a colleague's rating{whose}, not a self-assessment; "
            f"report it together with the self-assessment ({command('report SELF.toml RATINGS...')})"
        )
    try:
        sheet = AnswerSheet.model_validate(raw)
    except ValidationError as exc:
        lines, rejected = split_rejected(validation_problems(name, exc, raw, AnswerSheet))
        lines += profile_problems(raw, profiles, name, rejected)
        if complete:
            lines += unanswered(raw, profiles, name)
        raise _invalid(lines, name) from None
    errs = profile_problems(raw, profiles, name)
    if complete:
        errs += unanswered(raw, profiles, name)
    if errs:
        raise _invalid(errs)
    return sheet


def load_sheet(path: Path, profiles: Profiles, name: str | None = None) -> AnswerSheet:
    """Read one answer sheet; raises DataError / NotFoundError with file and field named."""
    name = name or display_name(path)
    return sheet_from_data(read_toml_file(path, name), profiles, name)


#: a sheet of any kind: a self-assessment, a colleague's rating or a context sheet
AnySheet = AnswerSheet | RaterSheet | ContextSheet


def load_any(path: Path, profiles: Profiles, name: str | None = None, *,
             complete: bool = False) -> AnySheet:
    """A self-assessment, a colleague's rating or a context sheet, whichever the file is."""
    name = name or display_name(path)
    return any_from_data(read_toml_file(path, name), profiles, name, complete=complete)


def load_any_bytes(data: bytes, profiles: Profiles, name: str = "<stdin>", *,
                   complete: bool = False) -> AnySheet:
    return any_from_data(read_toml_bytes(data, name), profiles, name, complete=complete)


def any_from_data(raw: dict[str, Any], profiles: Profiles, name: str, *,
                  complete: bool = False) -> AnySheet:
    if is_context(raw):
        return context_from_data(raw, profiles, name, complete=complete)
    if is_rating(raw):
        return rating_from_data(raw, profiles, name, complete=complete)
    return sheet_from_data(raw, profiles, name, complete=complete)


def load_sheet_bytes(data: bytes, profiles: Profiles, name: str = "<stdin>") -> AnswerSheet:
    return sheet_from_data(read_toml_bytes(data, name), profiles, name)


def sheet_to_data(sheet: AnswerSheet) -> dict[str, Any]:
    """An answer sheet as plain data, ready for tomli-w (no None values; a TOML date)."""
    data = sheet.model_dump(mode="json", exclude_none=True)
    if not data.get("scenarios"):  # optional: left out of the file when not answered
        data.pop("scenarios", None)
    if sheet.assessed_on is not None:
        data["assessed_on"] = sheet.assessed_on
    return data


__all__ = [
    "AnySheet",
    "DataError",
    "any_from_data",
    "check_against_profiles",
    "load_any",
    "load_any_bytes",
    "load_sheet",
    "load_sheet_bytes",
    "sheet_from_data",
    "sheet_to_data",
]
