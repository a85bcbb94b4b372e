"""A sheet against the profile set: ids it does not know, a role of another background.

These checks read the sheet as written (plain data), so they run whether or not its
values passed the strict models: one run names every problem a sheet has. What the
models rejected is not checked a second time (an id with the wrong characters is not
also "unknown"), and a part too broken to read (a `[respondent]` that is not a table,
`answers = 3`) is skipped; the models have already named it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..framework.profiles import Profiles
from ..messages import one_of, render_loc, suggest

Loc = tuple[Any, ...]

#: the respondent's fields chosen from the profile set: left blank (""), they are
#: answered with the choices rather than with the characters an id may use
CHOICES = frozenset({("respondent", "background"), ("respondent", "role"), ("respondent", "setting")})

#: the sections keyed by an id of the profile set, with how an unknown key is named
_SECTIONS = (
    ("answers", "items", "unknown item"),
    ("importance", "competencies", "unknown competency"),
    ("context", "context_items", "unknown context item"),
)


def split_rejected(problems: list[tuple[Loc, Any, str]]) -> tuple[list[str], set[Loc]]:
    """The models' problems as lines (each once: unions can repeat a problem, and two
    keys can be shown alike), and every location they rejected. A blank choice
    (`role = ""`) is left to `profile_problems`, which words it with the choices."""
    lines: dict[str, None] = {}
    rejected: set[Loc] = set()
    for loc, value, line in problems:
        if loc in CHOICES and isinstance(value, str) and not value:
            continue
        lines[line] = None
        rejected.add(loc)
    return list(lines), rejected


def _chosen(respondent: Mapping[str, Any], key: str, rejected: Collection[Loc]) -> str | None:
    value = respondent.get(key)
    if isinstance(value, str) and ("respondent", key) not in rejected:
        return value
    return None


def respondent_problems(respondent: Mapping[str, Any], profiles: Profiles, name: str,
                        rejected: Collection[Loc] = ()) -> list[str]:
    """The background, role and setting against the profile set."""
    errs: list[str] = []
    backgrounds = profiles.backgrounds
    bg = _chosen(respondent, "background", rejected)
    if bg is not None and bg not in backgrounds:
        errs.append(f'{name}: respondent.background: must be one of {one_of(backgrounds)} (got "{bg}")')
    role = _chosen(respondent, "role", rejected)
    if role == "":
        roles = [r.id for r in profiles.roles.values() if bg in backgrounds and r.background == bg]
        errs.append(f'{name}: respondent.role: must be one of {one_of(roles or profiles.roles)} (got "")')
    elif role is not None:
        known = profiles.roles.get(role)
        if known is None:
            errs.append(
                f'{name}: respondent.role: unknown role "{role}"{suggest(role, profiles.roles)}'
                f" (known: {one_of(profiles.roles)})"
            )
        elif bg in backgrounds and known.background != bg:
            errs.append(f'{name}: respondent.role: "{role}" is a {known.background} role, not {bg}')
    setting = _chosen(respondent, "setting", rejected)
    if setting is not None and setting not in profiles.settings:
        errs.append(
            f'{name}: respondent.setting: must be one of {one_of(profiles.settings)} (got "{setting}")'
        )
    return errs


def unknown_keys(section: str, given: Any, known: Mapping[str, Any], what: str, name: str,
                 rejected: Collection[Loc] = ()) -> list[str]:
    """`section.key: unknown ...` for each key of a table that the profile set lacks."""
    if not isinstance(given, dict) or given.keys() <= known.keys():
        return []  # (the subset test first: every sheet of a batch passes through here)
    return [
        f"{name}: {render_loc((section, key))}: {what}{suggest(key, known)}"
        for key in given
        if key not in known and isinstance(key, str) and (section, key, "[key]") not in rejected
    ]


def profile_problems(raw: Mapping[str, Any], profiles: Profiles, name: str,
                     rejected: Collection[Loc] = ()) -> list[str]:
    """Problems of a self-assessment that only the profile set reveals, in field order."""
    errs: list[str] = []
    respondent = raw.get("respondent")
    if isinstance(respondent, dict):
        errs += respondent_problems(respondent, profiles, name, rejected)
    for section, attribute, what in _SECTIONS:
        errs += unknown_keys(section, raw.get(section), getattr(profiles, attribute), what, name,
                             rejected)
    none = "" if profiles.scenarios else " (this profile set has no scenarios.toml)"
    errs += [line + none for line in unknown_keys(
        "scenarios", raw.get("scenarios"), profiles.scenarios, "unknown scenario", name, rejected)]
    return errs


def rating_problems(raw: Mapping[str, Any], profiles: Profiles, name: str,
                    rejected: Collection[Loc] = ()) -> list[str]:
    """A colleague's rating: answers to items the profile set does not know."""
    return unknown_keys("answers", raw.get("answers"), profiles.items, "unknown item", name, rejected)


def unanswered(raw: Mapping[str, Any], profiles: Profiles, name: str, *,
               rating: bool = False) -> list[str]:
    """`section.id: not answered` for each question a sheet leaves out (`qim validate
    --complete`; "na" is an answer, and so is a value named as not valid). A rating has
    no importance or context questions; a section that is not a table is skipped."""
    sections: list[tuple[str, Mapping[str, Any]]] = [("answers", profiles.items)]
    if not rating:
        sections += [("importance", profiles.competencies), ("context", profiles.context_items)]
    errs: list[str] = []
    for section, known in sections:
        given = raw.get(section, {})
        if isinstance(given, dict):
            errs += [f"{name}: {section}.{key}: not answered" for key in known if key not in given]
    return errs
