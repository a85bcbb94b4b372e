"""What every command shares: options, error handling, output helpers."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from ..errors import ExitCode, QimError, WriteError
from .streams import windows_ansi, write_data

P = ParamSpec("P")
R = TypeVar("R")

ProfilesOpt = Annotated[
    Path | None,
    typer.Option(
        "--profiles",
        envvar="QIM_PROFILES",
        help="Use the profile set in this folder instead of the bundled one.",
        show_default=False,
        file_okay=False,
        metavar="DIR",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite an existing output file.")
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output "
                 "(never over an existing file without --force, never over an input).",
                 show_default=False, metavar="FILE"),
]


def err(line: str) -> None:
    """A message for people: standard error, plain text (no markup interpretation)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn QimError into its documented exit code; never show a traceback for bad input."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except QimError as exc:
            for line in exc.lines:
                err(line)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err("qim: interrupted")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            # a closed pipe (e.g. `qim report x | head`) is not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # the last resort: one line, no locals, no traceback
            if isinstance(exc, OSError) and exc.errno in _FULL:
                # files are written through fileio, which names them: this is standard output
                _silence_stdout()
                err(f"standard output: cannot write ({exc.strerror or exc})")
                raise typer.Exit(int(ExitCode.CANNOT_WRITE)) from None
            if os.environ.get("QIM_DEBUG"):
                raise
            err(f"qim: unexpected error ({type(exc).__name__}: {exc}); "
                "set QIM_DEBUG=1 to see the traceback and please report it")
            raise typer.Exit(int(ExitCode.UNEXPECTED)) from None

    return wrapper


def for_people(format: Enum) -> bool:
    """Whether a --format value is text for people (the terminal table) rather than data."""
    return str(format.value) == "table"


def emit(text: str | bytes, output: Path | None, force: bool, *, inputs: Iterable[str | Path],
         human: bool = False) -> None:
    """Output to standard output, or atomically to a file (never overwriting without --force).

    Data (`human` false) goes out as UTF-8 bytes, on standard output too, so `> FILE` and
    `-o FILE` hold the same bytes; text for people is written in the stream's encoding,
    whose error handler shows a plain equivalent of what it cannot encode (streams.py).
    Both end with a newline. Bytes (a PDF) go out as they are.

    `inputs` are the files the command read (answer sheets, "-" for standard input, the
    profile set's files): neither the output file nor standard output may be one of them.
    """
    from ..fileio import refuse_inputs, write_atomic

    if isinstance(text, str) and text and not text.endswith("\n"):
        text += "\n"
    if output is None or str(output) == "-":
        refuse_inputs(stdout_fd(), inputs)
        with stdout_guard():
            if isinstance(text, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(text)
                sys.stdout.buffer.flush()
            elif human:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                write_data(text)
        return
    write_atomic(output, text, force=force, inputs=inputs)
    err(f"wrote {output}")


#: errors that only a write can meet: a full disk, a quota, a file too large
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _silence_stdout() -> None:
    """Standard output failed: point it at the null device, so that the interpreter's
    last flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def stdout_guard() -> Iterator[None]:
    """A failed write to standard output (a full disk behind `> file`) is exit 73, said in
    one line; a closed pipe stays quiet (see `handle_errors`)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout()
        raise WriteError(f"standard output: cannot write ({exc.strerror or exc})") from None


def stdout_fd() -> int:
    """The descriptor behind standard output, or -1 when there is none (captured output)."""
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return -1


def refuse_binary_on_a_terminal(format: Enum, output: Path | None) -> None:
    """A PDF goes to a file: with -o, or standard output redirected to a file or a pipe;
    never onto a terminal, where it would show as garbage (usage error, exit 2)."""
    if format.value != "pdf" or (output is not None and str(output) != "-"):
        return
    if sys.stdout.isatty():
        from ..errors import UsageError

        raise UsageError("a PDF is not for the terminal: write it to a file with "
                         "-o plan.pdf, or redirect standard output (> plan.pdf)")


def use_color() -> bool:
    """Colour only on a terminal that shows it: standard output is a terminal, NO_COLOR is
    unset, TERM is not "dumb", and on Windows the console interprets ANSI escapes
    (switched on where it can be)."""
    if not sys.stdout.isatty() or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return sys.platform != "win32" or windows_ansi(sys.stdout)


#: the narrowest text qim lays out (a narrower terminal wraps its lines)
NARROWEST = 40


def terminal_width(default: int = 80, widest: int = 120) -> int:
    """The width of text for people on standard output: COLUMNS when set, else the
    terminal's, else `default` (a file or a pipe); kept to NARROWEST–`widest`."""
    import shutil

    columns = shutil.get_terminal_size((0, 0)).columns or default
    return max(NARROWEST, min(widest, columns))


def table_width() -> int:
    """The width of the trainers' tables (`qim score`, `cohort`, `compare`): the
    terminal's or COLUMNS, else (a file or a pipe) as wide as their columns need, up to
    200."""
    return terminal_width(default=200, widest=200)
