"""Reading TOML files safely and turning validation problems into one-line messages."""

from __future__ import annotations

import datetime
import difflib
import os
import stat
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import DataError, NotFoundError

#: Answer sheets and profile files larger than this are refused without being read whole.
MAX_FILE_BYTES = 1024 * 1024

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
}


def display_name(path: str | Path) -> str:
    """How a file is named in messages; control characters never reach the terminal."""
    text = str(path)
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def read_toml_bytes(data: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes; every problem becomes a DataError naming the file."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{name}: file is larger than the 1 MiB limit")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data or data.isspace():
        raise DataError(f"{name}: file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if "\x00" in text:
        raise DataError(f"{name}: not a text file (contains NUL bytes)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: TOML syntax error: {exc}") from None
    except RecursionError:
        raise DataError(f"{name}: TOML is nested too deeply") from None


def read_toml_file(path: Path, name: str | None = None) -> dict[str, Any]:
    """Read and parse a TOML file, refusing huge files without reading them whole."""
    name = name or display_name(path)
    try:
        with open(path, "rb") as fh:  # noqa: PTH123 (builtin open: measurably faster per file)
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode):
                if st.st_size > MAX_FILE_BYTES:
                    raise DataError(f"{name}: file is larger than the 1 MiB limit")
                # the size is known: no 1 MiB buffer per file (it costs more than parsing)
                data = fh.read(st.st_size + 1)
            else:  # a pipe or device: read no more than the limit allows
                data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise DataError(f"{name}: cannot read (permission denied)") from None
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return read_toml_bytes(data, name)


def _shown(value: Any) -> str:
    from .loading import _show

    return _show(value)


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
            text = "".join(ch if ch.isprintable() else "?" for ch in text)
            out += ("." if out else "") + text
    return out or "(top level)"


def _message(err: dict[str, Any]) -> str:
    etype = err["type"]
    ctx = dict(err.get("ctx") or {})
    got = _shown(err.get("input"))
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


def validation_lines(name: str, exc: ValidationError, raw: Any = None) -> list[str]:
    """One line per problem: 'file: loc: message'."""
    lines: list[str] = []
    for err in exc.errors(include_url=False):
        loc = err.get("loc", ())
        lines.append(f"{name}: {render_loc(loc, raw)}: {_message(dict(err))}")
    # keep order, drop exact duplicates (unions can repeat a problem)
    return list(dict.fromkeys(lines))


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f' (did you mean "{match[0]}"?)' if match else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(choices)


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
