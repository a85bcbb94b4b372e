"""TOML to data, with tomllib's meaning: bytes checked (size, encoding, a text file at
all), then parsed by the compiled parser where the two are known to agree and by tomllib
for everything else and for every error message."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import DataError
from .reading import MAX_FILE_BYTES, display_name, read_file_bytes, too_large

try:  # the compiled parser; qim gives the same answers without it, only slower
    import rtoml

    _rtoml: ModuleType | None = rtoml
except ImportError:  # pragma: no cover - a platform without its wheel
    _rtoml = None


def read_toml_bytes(data: bytes, name: str) -> dict[str, Any]:
    """Parse TOML bytes; every problem becomes a DataError naming the file."""
    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{name}: {too_large(MAX_FILE_BYTES)}")
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
            data: dict[str, Any] = _rtoml.loads(text)
            return data
        except Exception:  # whatever rtoml refuses, tomllib decides (and words the error)
            pass
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: TOML syntax error: {exc}") from None
    except RecursionError:
        raise DataError(f"{name}: TOML is nested too deeply") from None


def read_toml_file(path: str | Path, name: str | None = None) -> dict[str, Any]:
    """Read and parse a TOML file (a regular file only: see `read_file_bytes`)."""
    name = name or display_name(path)
    return read_toml_bytes(read_file_bytes(path, name), name)
