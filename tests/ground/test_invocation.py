"""The commands qim prints run as printed: `qim` when the `qim` on PATH is this program,
otherwise the way qim was started (`.venv/bin/qim`, `python -m qim_cli`). (End to end, in a
pipe and on a terminal: tests/terminal/test_invocation_end_to_end.py.)"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest
from conftest import BIN

from qim_cli import invocation

SCRIPT = BIN / "qim"
#: a PATH on which neither `qim` nor this Python can be found
BARE_PATH = os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir())


@pytest.fixture(autouse=True)
def _forget(monkeypatch):
    """Each test records its own start; qim in the test process is a library again after."""
    monkeypatch.setattr(invocation, "_started", None)
    monkeypatch.setattr(invocation, "_program", None)


def fake_qim(folder: Path) -> Path:
    """Another program called qim (another installation, say)."""
    folder.mkdir(exist_ok=True)
    script = folder / "qim"
    script.write_text("#!/bin/sh\necho another qim\n")
    script.chmod(0o755)
    return folder


def test_as_a_library_the_program_is_qim(monkeypatch):
    monkeypatch.setenv("PATH", BARE_PATH)
    assert invocation.program() == "qim"
    assert invocation.command("report me.toml") == "qim report me.toml"


def test_the_qim_on_path_that_is_this_program_is_written_qim(monkeypatch):
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{BARE_PATH}")
    invocation.started(str(SCRIPT), module=False)
    assert invocation.program() == "qim"
    invocation.started(str(Path(invocation.__file__).with_name("__main__.py")), module=True)
    assert invocation.program() == "qim"  # python -m qim_cli, with this qim on PATH


def test_without_qim_on_path_the_script_is_named_as_typed(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", BARE_PATH)
    monkeypatch.chdir(BIN.parent.parent)
    invocation.started(str(SCRIPT), module=False)
    assert invocation.program() == os.path.relpath(SCRIPT)  # e.g. .venv/bin/qim
    # from elsewhere: the whole path
    monkeypatch.chdir(tmp_path)
    invocation.started(str(SCRIPT), module=False)
    assert invocation.program() == shlex.quote(str(SCRIPT))
    # another program called qim on PATH is not this one
    monkeypatch.setenv("PATH", f"{fake_qim(tmp_path / 'other')}{os.pathsep}{BARE_PATH}")
    invocation.started(str(SCRIPT), module=False)
    assert invocation.program() == shlex.quote(str(SCRIPT))
    # a bare name was found on PATH by the shell
    invocation.started("qim", module=False)
    assert invocation.program() == "qim"


def test_python_m_qim_cli_is_named_with_its_python(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", BARE_PATH)
    monkeypatch.chdir(BIN.parent.parent)
    invocation.started("/x/qim_cli/__main__.py", module=True)
    assert invocation.program() == f"{os.path.relpath(sys.executable)} -m qim_cli"
    # the same python found on PATH by its name
    monkeypatch.setenv("PATH", f"{fake_qim(tmp_path / 'other')}{os.pathsep}{BIN}")
    invocation.started("/x/qim_cli/__main__.py", module=True)
    assert invocation.program() == f"{Path(sys.executable).name} -m qim_cli"


def test_paths_are_written_for_a_shell(monkeypatch, tmp_path):
    home = tmp_path / "home"
    (home / "my tools").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert invocation.typed_path(tmp_path / "qim", program=True) == "./qim"
    assert invocation.typed_path(tmp_path / "me.toml") == "me.toml"
    monkeypatch.chdir(home / "my tools")
    assert invocation.typed_path(home / "bin" / "qim") == "~/bin/qim"
    assert invocation.typed_path(home / "a b" / "qim") == shlex.quote(str(home / "a b" / "qim"))
    assert invocation.typed_path("/opt/x y/qim") == "'/opt/x y/qim'"


def test_a_pip_shebang_for_a_long_path_names_its_python(tmp_path):
    script = tmp_path / "qim"
    script.write_text(f"#!/bin/sh\n'''exec' \"{sys.executable}\" \"$0\" \"$@\"\n' '''\n")
    assert invocation._runs_this_python(str(script))
    script.write_text("#!/usr/bin/env python3\n")
    assert not invocation._runs_this_python(str(script))
