"""Reading TOML files safely and turning validation problems into one-line messages."""

from __future__ import annotations

import datetime
import difflib
import os
import re
import stat
import tomllib
import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import DataError, NotFoundError

try:  # the compiled parser; qim gives the same answers without it, only slower
    import rtoml as _rtoml
except ImportError:  # pragma: no cover - a platform without its wheel
    _rtoml = None  # type: ignore[assignment]

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
    # the answer and scale values of sheets/models.py and framework/models.py
    "answer_value": 'must be 1–5 or "na" (got {got})',
    "scale_value": "must be 1–5 (got {got})",
}


def display_name(path: str | Path) -> str:
    """How a file is named in messages; control characters never reach the terminal."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def read_toml_bytes(data: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes; every problem becomes a DataError naming the file."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{name}: {_too_large(MAX_FILE_BYTES)}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data or data.isspace():
        raise DataError(f"{name}: file is empty")
    if _utf16(data):
        raise DataError(f"{name}: not UTF-8 but UTF-16 text; save it as UTF-8 (in Notepad: "
                        "File, Save as, Encoding UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if "\x00" in text:
        raise DataError(f"{name}: not a text file (contains NUL bytes)")
    return parse_toml(text, name)


def _utf16(data: bytes) -> bool:
    """Text saved as UTF-16 (Windows' "Unicode"): its byte-order mark, or, without one,
    a NUL byte beside each character of plain text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:64]
    return len(head) >= 8 and (not any(head[1::2]) or not any(head[0::2]))


def toml_parser() -> str:
    """The TOML parser in use, in words (for `qim --version --verbose`)."""
    if _rtoml is None:
        return "tomllib (standard library; rtoml is not installed, so batches are slower)"
    return f"rtoml {_rtoml.__version__}, checked by tomllib (standard library)"


def version_text(*, verbose: bool = False) -> str:
    """`qim --version`, and with --verbose the Python and the TOML parser in use."""
    from . import __version__

    text = f"qim {__version__}\n"
    if verbose:
        import platform

        text += (f"Python: {platform.python_implementation()} {platform.python_version()}\n"
                 f"TOML parser: {toml_parser()}\n")
    return text


#: a digit, a colon, a digit: part of every time, datetime and offset
_TIME = re.compile(r"\d:\d")
#: TOML's strings and comments, in the order a TOML reader tries them at a position
_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^\\]|\\[\s\S])*?"""(?!")'      # multi-line basic string
    r"|'''[\s\S]*?'''(?!')"               # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'                  # basic string
    r"|'[^'\n]*'"                         # literal string
    r"|#[^\n]*"                             # comment
)
#: the brackets of arrays, tables and inline tables, and line breaks
_BRACKETS = re.compile(r"[][{}\n]")
#: a comma before the closing brace of an inline table
_TRAILING_COMMA = re.compile(r",\s*\}")


def _inline_tables_1_1(bare: str) -> bool:
    """Whether an inline table uses TOML 1.1: a line break directly inside its braces (one
    inside an array in it is TOML 1.0), or a trailing comma. `bare` is the document
    without its strings and comments."""
    if _TRAILING_COMMA.search(bare):
        return True
    open_: list[str] = []
    for match in _BRACKETS.finditer(bare):
        char = match.group()
        if char == "\n":
            if open_ and open_[-1] == "{":
                return True
        elif char in "[{":
            open_.append(char)
        elif open_:
            open_.pop()
    return False


def _reference_only(text: str) -> bool:
    """Whether a document may hold something on which the two parsers could disagree,
    so that only the reference parser (tomllib) may read it.

    rtoml reads TOML 1.1, tomllib TOML 1.0: the escapes \\e and \\xHH, inline tables
    across lines or with a trailing comma, and times without seconds are 1.1 only.
    rtoml also accepts a byte-order mark that tomllib refuses, and gives dates and
    times with an offset another tzinfo type. So a document goes to tomllib when it holds
    a backslash before e or x or a byte-order mark anywhere, or, outside its strings and
    comments, a digit:digit (any time) or an inline table that is 1.1's. Plain substring
    tests first: they cost far less than the parse they may save, and answer sheets
    rarely hold a colon or a brace.
    """
    if "\\e" in text or "\\x" in text or "\ufeff" in text:
        return True
    time = ":" in text and _TIME.search(text) is not None
    brace = "{" in text
    if not (time or brace):
        return False
    bare = _STRINGS_AND_COMMENTS.sub('""', text)
    return (time and _TIME.search(bare) is not None) or (brace and _inline_tables_1_1(bare))


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """Parse TOML text with tomllib's meaning, through the compiled parser when it can.

    The outcome is always the one tomllib gives (the same values, or the same error
    with its line and column): rtoml reads only documents on which the two are known to
    agree (see `_reference_only`), and whatever rtoml refuses is read again by tomllib,
    which then decides: a value rtoml rejects but tomllib accepts (1e400 is infinity in
    tomllib; very deep nesting past rtoml's recursion limit) is accepted, and an error
    is reported with tomllib's words, line and column.
    """
    if _rtoml is not None and not _reference_only(text):
        try:
            return _rtoml.loads(text)  # type: ignore[no-any-return]
        except Exception:  # whatever rtoml refuses, tomllib decides (and words the error)
            pass
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: TOML syntax error: {exc}") from None
    except RecursionError:
        raise DataError(f"{name}: TOML is nested too deeply") from None


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a directory"
    return next((words for test, words in _NOT_REGULAR if test(mode)), "not a regular file")


def _too_large(limit: int) -> str:
    return f"file is larger than the {limit / (1024 * 1024):g} MiB limit"


def _check_regular(st: os.stat_result, name: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{name}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise DataError(f"{name}: is {file_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise DataError(f"{name}: {_too_large(limit)}")


def read_flags() -> int:
    """os.open() flags for reading an input: never wait (a FIFO swapped in after the check
    opens at once), never take a terminal as the controlling one, never leak into a child
    process; on Windows, binary (os.open is text mode there: CR LF would become LF and a
    Ctrl-Z byte would end the file). Each flag only where the system has it."""
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    return flags


_READ_FLAGS = read_flags()


def read_file_bytes(path: str | Path, name: str | None = None, *,
                    limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, refusing anything else without ever waiting on it.

    A named pipe, device or socket is refused from its status alone: it is never opened,
    so a FIFO without a writer cannot block and a device is never touched. The file is
    then opened non-blocking and checked again (it may have been swapped in between), and
    a file larger than `limit` is refused without being read whole.
    """
    name = name or display_name(path)
    try:
        _check_regular(os.stat(path), name, limit)  # noqa: PTH116 (paths stay str in batches)
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise NotFoundError(f"{name}: no such file") from None
    except PermissionError:
        raise DataError(f"{name}: cannot read (permission denied)") from None
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        _check_regular(st, name, limit)
        # the size is known: ask for it in one read (no 1 MiB buffer per file), then read
        # on to the end or just past the limit (a file may grow while it is read)
        chunks: list[bytes] = []
        total = 0
        request = st.st_size + 1
        while total <= limit:
            chunk = os.read(fd, request)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if len(chunk) < request and stat.S_ISREG(st.st_mode):
                break  # a short read of a regular file is its end (no second call)
            request = min(limit + 1 - total, 8192)
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise DataError(f"{name}: {_too_large(limit)}")
    return b"".join(chunks)


def read_toml_file(path: str | Path, name: str | None = None) -> dict[str, Any]:
    """Read and parse a TOML file (a regular file only: see `read_file_bytes`)."""
    name = name or display_name(path)
    return read_toml_bytes(read_file_bytes(path, name), name)


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
