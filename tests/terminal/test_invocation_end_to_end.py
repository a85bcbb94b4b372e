"""The commands qim prints run as printed, end to end: in a pipe (not a terminal) they run
under `python -m qim_cli`, and a self-check started as .venv/bin/qim on a terminal (pexpect)
prints commands that run."""

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

SCRIPT = BIN / "qim"
#: a PATH on which neither `qim` nor this Python can be found
BARE_PATH = os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir())


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
