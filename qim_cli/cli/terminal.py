"""The terminal a person sees: its width, text wrapped to it at word boundaries, and
lines read with the platform's line editing.

The questions of `qim assess` go to standard error and the report to standard output,
which is often a file (`qim assess > report.txt`). So the width of the prompts comes
from the terminal on standard error (or standard input), never from standard output,
and the width of a report from standard output (COLUMNS or 80 when it is not a
terminal). Nothing here moves the cursor, and nothing is coloured.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import IO

MAX_WIDTH = 100  # longer lines are hard to read
MIN_WIDTH = 20


def _terminal_columns(*streams: IO[str] | None) -> int | None:
    for stream in streams:
        if stream is None:
            continue
        try:
            fd = stream.fileno()
            if os.isatty(fd):
                return os.get_terminal_size(fd).columns or None
        except (AttributeError, OSError, ValueError):
            continue
    return None


def _env_columns() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def person_width() -> int:
    """The width for prompts and messages: the terminal the person reads (standard
    error, else standard input), else COLUMNS, else 80; at most 100."""
    columns = _terminal_columns(sys.stderr, sys.stdin) or _env_columns() or 80
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def dumb_terminal() -> bool:
    return os.environ.get("TERM", "") == "dumb"


class _Wrapper(textwrap.TextWrapper):
    """Breaks between words, never at a hyphen. A path moves to the next line whole; only
    one longer than a whole line is broken, and then only after a "/"."""

    def _split(self, text: str) -> list[str]:
        room = self.width - max(len(self.initial_indent), len(self.subsequent_indent))
        chunks: list[str] = []
        for chunk in re.split(r"(\s+)", text):
            if len(chunk) > room and "/" in chunk:
                chunks.extend(part for part in re.split(r"(?<=/)(?=[^\s/])", chunk) if part)
            elif chunk:
                chunks.append(chunk)
        return chunks


def wrap(text: str, width: int | None = None, indent: str = "", hang: str | None = None) -> list[str]:
    """Lines of at most `width` characters, broken at spaces; each line of `text` starts
    a new paragraph. A word longer than a whole line is the only thing ever split."""
    width = width or person_width()
    wrapper = _Wrapper(width, initial_indent=indent,
                       subsequent_indent=indent if hang is None else hang,
                       break_on_hyphens=False, break_long_words=True)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(wrapper.wrap(paragraph) if paragraph.strip() else [""])
    return lines


def say(text: str = "", indent: str = "", hang: str | None = None) -> None:
    """A message for the person (standard error), wrapped to their terminal."""
    put(wrap(text, indent=indent, hang=hang))


def put(lines: list[str]) -> None:
    """Lines already fitted to the terminal, to standard error."""
    sys.stderr.write("".join(line + "\n" for line in lines))
    sys.stderr.flush()


def home_short(path: Path | str) -> str:
    """A path as a person would type it: `~/...` under the home folder."""
    from ..reading import display_name

    text = str(path)
    home = str(Path.home())
    if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
        text = "~" + text[len(home):]
    return display_name(text)


def shown_path(path: Path | str) -> str:
    """A file the person named or will open: relative inside the current folder, else
    as `home_short`."""
    return home_short(local_path(Path(path)))


def local_path(path: Path) -> Path:
    """The path relative to the current folder when it is inside it (so that messages
    name it as the person would)."""
    try:
        return path.relative_to(Path.cwd())
    except (OSError, ValueError):
        return path


def stdout_file() -> str | None:
    """The file standard output was redirected to (`> report.txt`), when the system
    says so (Linux), shown relative to the current folder when inside it."""
    try:
        if sys.stdout.isatty():
            return None
        target = str(Path(f"/proc/self/fd/{sys.stdout.fileno()}").readlink())
    except (AttributeError, OSError, ValueError):
        return None
    if not target.startswith("/") or not Path(target).is_file():
        return None
    try:
        return os.path.relpath(target) if not os.path.relpath(target).startswith("..") else target
    except ValueError:
        return target


class LineReader:
    """Reads a line after a prompt. In a terminal it edits the line with `readline`
    (arrow keys, Home/End, Ctrl-A/E/U, and the answers given earlier in this session
    with up and down; nothing is written to disk). Elsewhere, and with TERM=dumb, a
    plain line is read. End of input raises EOFError."""

    def __init__(self) -> None:
        self.editing = self._can_edit()

    @staticmethod
    def _can_edit() -> bool:
        try:
            if not (sys.stdin.isatty() and sys.stderr.isatty()) or dumb_terminal():
                return False
            import readline  # noqa: F401  (loading it gives input() its line editing)
        except (ImportError, AttributeError, OSError, ValueError):
            return False
        return True

    def read(self, prompt: str) -> str:
        try:
            if self.editing:
                with _prompt_on_the_terminal():
                    return input(prompt)  # EOFError at the end of input
            sys.stderr.write(prompt)
            sys.stderr.flush()
            line = sys.stdin.readline()
        except OSError as exc:  # the terminal is gone (EIO after a hang-up)
            raise EOFError from exc
        if line == "":
            raise EOFError
        return line.rstrip("\r\n")


@contextlib.contextmanager
def _prompt_on_the_terminal() -> Iterator[None]:
    """input() edits lines only when file descriptor 1 is a terminal, and writes its
    prompt there. While it reads, point descriptor 1 at the person's terminal (that of
    standard error); then give standard output (perhaps the report file) back."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(sys.stderr.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def prompt_lines(keys: str, tail: str = "", indent: str = "  ", room: int = 4) -> tuple[list[str], str]:
    """Split a prompt into lines to print and the last one to read after. The whole
    prompt stays on one line when it fits with `room` columns left to type in.
    Otherwise the keys are wrapped above, and the answer is typed after the `tail`
    (e.g. `[Enter keeps 3 Sometimes]`, never split when it fits a line) or a bare `> `."""
    width = person_width()
    whole = f"{indent}{keys}{' ' + tail if tail else ''} > "
    if len(whole) + room <= width:
        return [], whole
    lead = wrap(keys, width, indent=indent, hang=indent + "  ")
    if not tail:
        return lead, f"{indent}> "
    last = f"{indent}{tail} > "
    if len(last) + room <= width:
        return lead, last
    return lead + wrap(tail, width, indent=indent, hang=indent + "  "), f"{indent}> "


def command_lines(command: str, indent: str = "  ") -> list[str]:
    """A command to copy, at most the width of the terminal: a long one is continued on
    the next line with a backslash, as a shell reads it."""
    width = person_width()
    if len(indent) + len(command) <= width:
        return [indent + command]
    wrapper = textwrap.TextWrapper(width - 2, initial_indent=indent,
                                   subsequent_indent=indent + "    ", break_long_words=False,
                                   break_on_hyphens=False)
    # a redirection stays with its file (textwrap never breaks at a no-break space)
    lines = [ln.replace("\xa0", " ") for ln in wrapper.wrap(command.replace(" > ", " >\xa0"))]
    return [line + " \\" for line in lines[:-1]] + lines[-1:]
