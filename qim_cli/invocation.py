"""How qim was started, so that a command it prints for the person to run does run.

`qim` when the `qim` found on PATH is this program (the same file, or a script that
runs this Python); otherwise the way it was started: the script's path
(`.venv/bin/qim`) or `python -m qim_cli`. The console script and `python -m qim_cli`
record how they were started (`started`); for qim used as a library, and until then,
the program is `qim`. Standard library only: every layer may use it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys

_started: tuple[str, bool] | None = None  # (sys.argv[0], run as `python -m qim_cli`)
_program: str | None = None


def started(argv0: str, *, module: bool) -> None:
    """Record how qim was started (the console script or `python -m qim_cli`)."""
    global _started, _program
    _started = (argv0, module)
    _program = None


def program() -> str:
    """The command that runs this qim, as the person can type it."""
    global _program
    if _program is None:
        _program = _find_program()
    return _program


def command(rest: str) -> str:
    """A qim command line to print, e.g. `command("report me.toml")`."""
    return f"{program()} {rest}"


def _find_program() -> str:
    if _started is None:
        return "qim"
    argv0, module = _started
    on_path = shutil.which("qim")
    if on_path is not None and (_runs_this_python(on_path)
                                or (not module and _same_file(on_path, argv0))):
        return "qim"
    if not module:  # a bare name was found on PATH by the shell
        return argv0 if os.sep not in argv0 else typed_path(argv0, program=True)
    return f"{python()} -m qim_cli"


def python() -> str:
    """This Python as the person can type it: its name when PATH finds this very one,
    else its path."""
    name = os.path.basename(sys.executable) or "python3"
    found = shutil.which(name)
    if found is None or not _same_python(found, sys.executable):
        return typed_path(sys.executable, program=True)
    return name


def pip_install(requirement: str) -> str:
    """The command that installs `requirement` where this qim is installed."""
    return f"{python()} -m pip install {shlex.quote(requirement)}"


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


#: the interpreter a console script names: `#!/path/python`, or, for a long path, pip's
#: `#!/bin/sh` followed by `'''exec' "/path/python" "$0" "$@"`
_SHEBANG = re.compile(rb"\A#!\s*(\S+)(?:[^\n]*\n'''exec' \"?([^\"\n]+?)\"? \"\$0\")?")


def _runs_this_python(script: str) -> bool:
    """Whether a console script runs this interpreter (a virtual environment's python
    is compared by its own path: every environment links the same base interpreter)."""
    try:
        with open(script, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    match = _SHEBANG.match(head)
    if match is None:
        return False
    named = (match.group(2) or match.group(1)).decode(errors="replace")
    return _same_python(named, sys.executable)


def _same_python(a: str, b: str) -> bool:
    """The same interpreter in the same folder (`python` and `python3` of one virtual
    environment; another environment's links lead to the same file but another folder)."""
    return (os.path.dirname(os.path.abspath(a)) == os.path.dirname(os.path.abspath(b))
            and _same_file(a, b))


def typed_path(path: str | os.PathLike[str], *, program: bool = False) -> str:
    """A path as a person types it in a shell: relative inside the current folder (a
    `program` with a "/", so that the shell does not look it up on PATH), `~/...` under
    the home folder, else whole; quoted where the shell needs it."""
    full = os.path.abspath(path)
    try:
        inside = os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        inside = os.pardir
    if not inside.startswith(os.pardir):
        shown = inside if os.sep in inside or not program else os.curdir + os.sep + inside
        return shlex.quote(shown)
    home = os.path.expanduser("~")
    if home not in ("", os.sep, "~") and full.startswith(home + os.sep):
        rest = full[len(home) + 1:]
        if shlex.quote(rest) == rest:
            return "~" + os.sep + rest
    return shlex.quote(full)
