"""The words of qim's messages about what a file holds: a pydantic validation problem as
one line naming the file and the field (`alice.toml: answers.systems_01: must be 1–5 (got
7)`), a value shown short and safe, and did-you-mean for a close id."""

from __future__ import annotations

import datetime
import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .printable import printable

if TYPE_CHECKING:
    from pydantic import ValidationError

_TYPE_WORDS = {
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be an array",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "literal_error": "must be {expected}",
    "string_pattern_mismatch": "",
    "missing": "required field missing",
    "extra_forbidden": "unknown field",
    "too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_long": "has too many entries (at most {max_length})",
    "greater_than_equal": "must be at least {ge} (got {got})",
    "greater_than": "must be more than {gt} (got {got})",
    "less_than_equal": "must be at most {le} (got {got})",
    "less_than": "must be less than {lt} (got {got})",
    "finite_number": "must be a finite number",
    # the answer and scale values of sheets/models.py and framework/models.py
    "answer_value": 'must be 1–5 or "na" (got {got})',
    "scale_value": "must be 1–5 (got {got})",
}


def _element_label(raw: Any, parts: Sequence[Any]) -> Any:
    """Walk the raw data along the location so list entries can be named by their id."""
    node = raw
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def render_loc(loc: Sequence[Any], raw: Any = None) -> str:
    """('rules', 3, 'when', 'all', 0) -> 'rules[clinical-gap].when.all[0]'."""
    out = ""
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int):
            element = _element_label(raw, loc[: i + 1]) if raw is not None else None
            eid = element.get("id") if isinstance(element, dict) else None
            if isinstance(eid, str) and eid and len(eid) <= 64 and eid.isprintable():
                out += f"[{eid}]"
            else:
                out += f"[{part}]"
        else:
            text = str(part)
            if text == "not_":
                text = "not"
            out += ("." if out else "") + printable(text)
    return out or "(top level)"


def _message(err: dict[str, Any]) -> str:
    etype = err["type"]
    ctx = dict(err.get("ctx") or {})
    got = shown_value(err.get("input"))
    if etype in _TYPE_WORDS:
        template = _TYPE_WORDS[etype]
        if etype == "string_pattern_mismatch":
            if "._-" in str(ctx.get("pattern", "")):
                template = ('must start with a letter or digit and use only letters, digits, '
                            '".", "_" or "-" (got {got})')
            else:
                template = "must be lower-case letters, digits and _ (got {got})"
        elif etype == "literal_error":
            ctx["expected"] = str(ctx.get("expected", "")).replace("'", '"')
            template = "must be {expected} (got {got})"
        elif etype.endswith("_type") and etype not in ("model_type", "model_attributes_type"):
            template += " (got {got})"
        elif etype in ("model_type", "model_attributes_type"):
            template += " (got {got})"
        for key, value in list(ctx.items()):
            if isinstance(value, float):
                ctx[key] = f"{value:g}"
        try:
            return template.format(got=got, **ctx)
        except (KeyError, IndexError):
            return template
    if "[key]" in err.get("loc", ()):
        return f"is not a valid id (got {got})"
    msg = str(err.get("msg", "is not valid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg[:1].lower() + msg[1:]


def problem_text(err: dict[str, Any]) -> str:
    """One pydantic problem in the words of qim's messages ("must be at least 1 (got 0)")."""
    return _message(err)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds directly (`Rater`, `Rater | None`), else None."""
    if isinstance(annotation, type):
        return annotation if issubclass(annotation, BaseModel) else None
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [m for a in typing.get_args(annotation) if (m := _model_of(a)) is not None]
        return models[0] if len(models) == 1 else None
    return None


def field_names(model: type[BaseModel] | None, loc: Sequence[Any]) -> list[str]:
    """The keys a table at `loc` of a `model` document may hold (empty when unknown: a
    table of ids, or a list)."""
    for part in loc:
        field = model.model_fields.get(part) if model is not None and isinstance(part, str) \
            else None
        model = _model_of(field.annotation) if field is not None else None
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def validation_problems(name: str, exc: ValidationError, raw: Any = None,
                        model: type[BaseModel] | None = None
                        ) -> list[tuple[tuple[Any, ...], Any, str]]:
    """Each problem as (location, the value found there, its line 'file: loc: message'),
    in pydantic's order; two may have the same line (see `validation_lines`). Given the
    `model`, an unknown key gets the did-you-mean of a close known one."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        line = f"{name}: {render_loc(loc, raw)}: {_message(dict(err))}"
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            line += suggest(loc[-1], field_names(model, loc[:-1]))
        out.append((loc, err.get("input"), line))
    return out


def validation_lines(name: str, exc: ValidationError, raw: Any = None) -> list[str]:
    """One line per problem: 'file: loc: message'."""
    # keep order, drop exact duplicates (unions can repeat a problem)
    return list(dict.fromkeys(line for _loc, _value, line in validation_problems(name, exc, raw)))


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f' (did you mean "{match[0]}"?)' if match else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)


def shown_value(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return '"' + printable(text) + '"'
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
