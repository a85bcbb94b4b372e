"""Read answer sheets (TOML) into models, with one clear line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import DataError
from ..framework.profiles import Profiles
from ..loading import _show, display_name, one_of, read_toml_bytes, read_toml_file, suggest, validation_lines
from .models import AnswerSheet, RaterSheet


def check_against_profiles(sheet: AnswerSheet, profiles: Profiles, name: str) -> list[str]:
    """Problems that only the profile set can reveal: unknown ids, a role of another background."""
    errs: list[str] = []
    r = sheet.respondent
    backgrounds = list(profiles.backgrounds)
    if r.background not in profiles.backgrounds:
        errs.append(
            f'{name}: respondent.background: must be one of {one_of(backgrounds)} (got "{r.background}")'
        )
    role = profiles.roles.get(r.role)
    if role is None:
        errs.append(
            f'{name}: respondent.role: unknown role "{r.role}"{suggest(r.role, profiles.roles)}'
            f" (known: {one_of(profiles.roles)})"
        )
    elif r.background in profiles.backgrounds and role.background != r.background:
        errs.append(f'{name}: respondent.role: "{r.role}" is a {role.background} role, not {r.background}')
    if r.setting is not None and r.setting not in profiles.settings:
        errs.append(
            f'{name}: respondent.setting: must be one of {one_of(profiles.settings)} (got "{r.setting}")'
        )
    # (a subset test first: every sheet of a batch passes through here)
    if not sheet.answers.keys() <= profiles.items.keys():
        for item in sheet.answers:
            if item not in profiles.items:
                errs.append(f"{name}: answers.{item}: unknown item{suggest(item, profiles.items)}")
    if not sheet.importance.keys() <= profiles.competencies.keys():
        for comp in sheet.importance:
            if comp not in profiles.competencies:
                errs.append(f"{name}: importance.{comp}: unknown competency"
                            f"{suggest(comp, profiles.competencies)}")
    if not sheet.context.keys() <= profiles.context_items.keys():
        for ctx in sheet.context:
            if ctx not in profiles.context_items:
                errs.append(f"{name}: context.{ctx}: unknown context item"
                            f"{suggest(ctx, profiles.context_items)}")
    for sid in sheet.scenarios:
        if sid not in profiles.scenarios:
            none = "" if profiles.scenarios else " (this profile set has no scenarios.toml)"
            errs.append(f"{name}: scenarios.{sid}: unknown scenario{suggest(sid, profiles.scenarios)}{none}")
    return errs


def is_rating(raw: dict[str, Any]) -> bool:
    """A colleague's 360 rating (a [rater] table whose role is not "self")."""
    rater = raw.get("rater")
    return isinstance(rater, dict) and rater.get("role") != "self"


def rating_from_data(raw: dict[str, Any], profiles: Profiles, name: str) -> RaterSheet:
    try:
        sheet = RaterSheet.model_validate(raw)
    except ValidationError as exc:
        lines = validation_lines(name, exc, raw)
        raise DataError(lines[0], lines=lines) from None
    errs = [
        f"{name}: answers.{item}: unknown item{suggest(item, profiles.items)}"
        for item in sheet.answers
        if item not in profiles.items
    ]
    if errs:
        raise DataError(errs[0], lines=errs)
    return sheet


def sheet_from_data(raw: dict[str, Any], profiles: Profiles, name: str) -> AnswerSheet:
    if is_rating(raw):
        subject = raw.get("subject")
        whose = f" of {_show(subject)}" if isinstance(subject, str) and subject else ""
        raise DataError(
            f"{name}: rater.role: this is a colleague's rating{whose}, not a self-assessment; "
            "report it together with the self-assessment (qim report SELF.toml RATINGS...)"
        )
    try:
        sheet = AnswerSheet.model_validate(raw)
    except ValidationError as exc:
        lines = validation_lines(name, exc, raw)
        raise DataError(lines[0], lines=lines) from None
    errs = check_against_profiles(sheet, profiles, name)
    if errs:
        raise DataError(errs[0], lines=errs)
    return sheet


def load_sheet(path: Path, profiles: Profiles, name: str | None = None) -> AnswerSheet:
    """Read one answer sheet; raises DataError / NotFoundError with file and field named."""
    name = name or display_name(path)
    return sheet_from_data(read_toml_file(path, name), profiles, name)


def load_any(path: Path, profiles: Profiles, name: str | None = None) -> AnswerSheet | RaterSheet:
    """A self-assessment or a colleague's rating, whichever the file is."""
    name = name or display_name(path)
    raw = read_toml_file(path, name)
    if is_rating(raw):
        return rating_from_data(raw, profiles, name)
    return sheet_from_data(raw, profiles, name)


def load_any_bytes(data: bytes, profiles: Profiles, name: str = "<stdin>") -> AnswerSheet | RaterSheet:
    raw = read_toml_bytes(data, name)
    if is_rating(raw):
        return rating_from_data(raw, profiles, name)
    return sheet_from_data(raw, profiles, name)


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
    "DataError",
    "check_against_profiles",
    "load_any",
    "load_any_bytes",
    "load_sheet",
    "load_sheet_bytes",
    "sheet_from_data",
    "sheet_to_data",
]
