"""What differs on Windows and macOS, tested here: process start methods, and the fallbacks
qim takes where a POSIX call is missing."""

from __future__ import annotations

import ctypes
import io
import os
import stat
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- process pools

_SCORE = textwrap.dedent(
    """
    import multiprocessing
    import sys

    method = sys.argv[1]
    if method != "none":
        multiprocessing.set_start_method(method, force=True)
    import qim_cli.cohort.batch as batch

    batch.available_cores = lambda: 2  # a pool of two even on a one-core machine
    pools = []
    real_pool = multiprocessing.Pool

    def pool(*args, **kwargs):
        pools.append(multiprocessing.get_start_method())
        return real_pool(*args, **kwargs)

    multiprocessing.Pool = pool
    sys.argv = ["qim", "score", "examples/cohort", "--jobs", sys.argv[2]]
    from qim_cli.entry import main

    try:
        main()
    finally:
        sys.stderr.write(f"pools: {pools}\\n")
    """
)


def _score(method: str, jobs: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _SCORE, method, str(jobs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})


def test_score_in_parallel_gives_the_same_csv_under_every_start_method():
    # spawn is the default on Windows and macOS, forkserver from Python 3.14 on Linux
    alone = _score("none", 1)
    assert alone.returncode == 0, alone.stderr
    assert "pools: []" in alone.stderr
    assert alone.stdout.count("\n") == 49  # the header and 48 people
    for method in ("spawn", "forkserver", "fork"):
        run = _score(method, 2)
        assert run.returncode == 0, f"{method}: {run.stderr[-2000:]}"
        assert f"pools: ['{method}']" in run.stderr, run.stderr[-500:]
        assert run.stdout == alone.stdout, method


# --------------------------------------------------------------------------- files


def test_an_atomic_write_without_fchmod_keeps_the_mode(tmp_path, monkeypatch):
    # Windows before Python 3.13 has no os.fchmod: the temp file gets its mode by name
    from qim_cli.fileio import write_atomic

    target = tmp_path / "out.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    monkeypatch.delattr(os, "fchmod")
    chmods = []
    real_chmod = os.chmod
    monkeypatch.setattr(os, "chmod", lambda p, m: (chmods.append(m), real_chmod(p, m)))
    write_atomic(target, "a,b\n1,2\n", force=True, inputs=())
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert chmods == [0o640]


def test_inputs_are_opened_binary_where_the_system_has_o_binary(monkeypatch):
    # os.open is text mode on Windows unless O_BINARY is given
    from qim_cli.reading import read_flags

    monkeypatch.delattr(os, "O_BINARY", raising=False)
    posix = read_flags()
    assert posix & os.O_NONBLOCK and posix & os.O_NOCTTY and posix & os.O_CLOEXEC
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    monkeypatch.delattr(os, "O_NONBLOCK")  # Windows has neither of these
    monkeypatch.delattr(os, "O_NOCTTY")
    windows = read_flags()
    assert windows & 0x8000 and not windows & 0o4000


# --------------------------------------------------------------------------- colours


class _Console:
    """A stand-in for kernel32's console functions."""

    def __init__(self, mode: int | None, can_set: bool = True) -> None:
        self.mode = mode
        self.can_set = can_set
        self.set_to: int | None = None

    def GetConsoleMode(self, handle, ref):  # noqa: N802 (the Windows API's name)
        if self.mode is None:
            return 0  # not a console (a pipe or a file)
        ref._obj.value = self.mode
        return 1

    def SetConsoleMode(self, handle, mode):  # noqa: N802
        if not self.can_set:
            return 0
        self.set_to = mode
        return 1


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1


@pytest.fixture
def windows(monkeypatch):
    """Pretend to be a Windows console; returns a function that installs kernel32."""
    from qim_cli.cli import common

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setitem(sys.modules, "msvcrt", types.SimpleNamespace(get_osfhandle=lambda fd: 7))

    def install(console: _Console) -> None:
        monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=console), raising=False)

    def use_color() -> bool:
        # set here, not at set-up: pytest puts its own sys.stdout back before each test
        monkeypatch.setattr(sys, "stdout", _TTY())
        return common.use_color()

    return use_color, install


def test_windows_colours_when_the_console_interprets_ansi(windows):
    use_color, install = windows
    console = _Console(mode=0x0007)
    install(console)
    assert use_color() is True and console.set_to is None


def test_windows_colours_switched_on_where_the_console_allows(windows):
    use_color, install = windows
    console = _Console(mode=0x0003)
    install(console)
    assert use_color() is True and console.set_to == 0x0007


def test_no_colour_codes_for_an_old_windows_console(windows):
    use_color, install = windows
    install(_Console(mode=0x0003, can_set=False))
    assert use_color() is False


def test_no_colour_codes_when_windows_says_it_is_no_console(windows):
    use_color, install = windows
    install(_Console(mode=None))
    assert use_color() is False


def test_no_colour_codes_where_the_console_cannot_be_asked(windows, monkeypatch):
    use_color, _ = windows
    monkeypatch.delitem(sys.modules, "msvcrt")  # as on this system: no such module
    monkeypatch.setattr("builtins.__import__", _refusing("msvcrt"))
    assert use_color() is False


def _refusing(name: str):
    real = __import__

    def imp(module, *args, **kwargs):
        if module == name:
            raise ImportError(module)
        return real(module, *args, **kwargs)

    return imp
