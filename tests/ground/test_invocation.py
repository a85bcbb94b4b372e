"""The commands qim prints run as printed: `qim` when the `qim` on PATH is this program,
otherwise the way qim was started (`.venv/bin/qim`, `python -m qim_cli`)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import BIN
from support.assess import DETAILS, expected_sheet, planned, question_keys

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


# --------------------------------------------------------------------------- end to end


def run(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PATH": BARE_PATH, **env})


def test_not_a_terminal_names_commands_that_run_under_python_m(tmp_path):
    venv_home = BIN.parent.parent
    python = os.path.relpath(sys.executable, venv_home)
    done = run(f"echo | {python} -m qim_cli assess", venv_home)
    assert done.returncode == 2
    template = re.search(r"use `([^`]*)`", done.stderr)
    assert template is not None, done.stderr
    assert template.group(1) == f"{python} -m qim_cli template -o sheet.toml"
    # run as printed (from the same folder), writing into a temporary folder
    made = run(template.group(1).replace("sheet.toml", shlex.quote(str(tmp_path / "s.toml"))),
               venv_home)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "s.toml").read_text().startswith("# qim answer sheet")


def test_a_self_check_started_as_venv_bin_qim_prints_commands_that_run(tmp_path, profiles):
    """The README's set-up, in a shell where the environment is not active:
    `.venv/bin/qim assess` prints `.venv/bin/qim assess --resume ...`, and each printed
    command runs."""
    pexpect = pytest.importorskip("pexpect")
    venv_home = BIN.parent.parent  # where the README's set-up leaves you
    program = os.path.relpath(SCRIPT, venv_home)
    env = {**os.environ, "PATH": BARE_PATH, "COLUMNS": "200", "NO_COLOR": "1"}
    sheet = tmp_path / "sheet.toml"
    keys = question_keys(planned(profiles))
    prompt = r"q quit[^\r\n]* > "

    def spawn(command: str):
        child = pexpect.spawn("bash", ["-c", command], env=env, cwd=str(venv_home),
                              encoding="utf-8", timeout=20, dimensions=(30, 200))
        child.delaybeforesend = None
        return child

    child = spawn(f"{program} assess --out {shlex.quote(str(sheet))}")
    for k in DETAILS + keys[:3] + ["q"]:
        child.expect(prompt)
        child.sendline(k)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 75
    printed = child.before.split("Continue with:")[1].strip().splitlines()[0].strip()
    assert printed == f"{program} assess --resume rn-ward7"

    child = spawn(printed)
    for k in keys[3:]:
        child.expect(prompt)
        child.sendline(k)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert tomllib.loads(sheet.read_text()) == expected_sheet(planned(profiles))
    # the commands as printed, a long one continued with a backslash joined again
    flat = " ".join(re.sub(r" \\\r?\n\s*", " ", child.before).split())
    again = f"{program} report {sheet}"
    page = f"{program} report {sheet} --format html -o {sheet.with_suffix('.html')}"
    assert f"See the report again with: {again} For your appraisal, the same report as a page to " \
           f"print or attach: {page} " in flat
    shown = run(again, venv_home)
    assert shown.returncode == 0 and "Development plan" in shown.stdout
    made = run(page, venv_home)
    assert made.returncode == 0, made.stderr
    assert sheet.with_suffix(".html").read_text().startswith("<!DOCTYPE html>")
