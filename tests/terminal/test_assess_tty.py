"""`qim assess` in a real terminal (pexpect): Ctrl-C keeps the draft, --resume finishes it."""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path

import pytest
from support.assess import DETAILS, expected_sheet, planned, question_keys
from typer.testing import CliRunner

from qim_cli.cli.app import app

pexpect = pytest.importorskip("pexpect")

PROMPT = r"q quit[^\r\n]* > "


def spawn(args: list[str], state: Path, cwd: Path):
    env = {**os.environ, "QIM_STATE_DIR": str(state), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("QIM_PROFILES", None)
    child = pexpect.spawn(sys.executable, ["-m", "qim_cli", "assess", *args], env=env,
                          cwd=str(cwd), encoding="utf-8", timeout=10, dimensions=(30, 100))
    child.delaybeforesend = None  # we wait for each prompt anyway; keeps the test fast
    return child


def answer(child, keys: list[str]) -> None:
    for k in keys:
        child.expect(PROMPT)
        child.sendline(k)


def finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_ctrl_c_then_resume_gives_the_same_sheet_as_an_uninterrupted_run(tmp_path, profiles):
    keys = DETAILS + question_keys(planned(profiles))
    split = len(DETAILS) + 20  # the details and 20 questions, then Ctrl-C

    # an uninterrupted run
    whole = tmp_path / "whole.toml"
    child = spawn(["--out", str(whole)], tmp_path / "state-a", tmp_path)
    answer(child, keys)
    finish(child)
    assert child.exitstatus == 0

    # the same answers, interrupted by Ctrl-C at question 21
    state = tmp_path / "state-b"
    parts = tmp_path / "parts.toml"
    child = spawn(["--out", str(parts)], state, tmp_path)
    answer(child, keys[:split])
    child.expect(PROMPT)
    assert "question 21 of 60" in child.before
    child.sendintr()
    tail = finish(child)
    assert child.exitstatus == 130, tail
    assert "Stopped: 20 of 60 questions answered" in " ".join(tail.split())
    assert "qim assess --resume rn-ward7" in tail
    assert not parts.exists()
    draft = json.loads((state / "drafts" / "rn-ward7.json").read_text())
    assert len(draft["answers"]) == 20
    assert draft["fingerprint"] == profiles.fingerprint

    # resume and finish (the --out it started with is remembered)
    child = spawn(["--resume"], state, tmp_path)
    child.expect(PROMPT)
    assert "question 21 of 60" in child.before
    child.sendline(keys[split])
    answer(child, keys[split + 1:])
    report = finish(child)
    assert child.exitstatus == 0, report
    assert "Development plan" in report
    assert not (state / "drafts" / "rn-ward7.json").exists()

    sheet = tomllib.loads(parts.read_text())
    assert sheet == tomllib.loads(whole.read_text()) == expected_sheet(planned(profiles))
    check = CliRunner().invoke(app, ["validate", "--complete", str(parts)])
    assert check.exit_code == 0, check.stderr


def test_a_self_check_begun_with_scenarios_asks_them_when_resumed_before_any_is_answered(tmp_path, profiles):
    """`--scenarios`, q after two questions (no scenario answered yet), then `--resume`
    without `--scenarios`: the scenarios are still asked, and end up in the sheet."""
    from test_assess_scenarios import picks, scenario_keys

    state = tmp_path / "state"
    out = tmp_path / "sc.toml"
    keys = question_keys(planned(profiles))
    chosen = picks(profiles)
    total = 60 + 2 * len(chosen)
    child = spawn(["sc-test", "--scenarios", "--out", str(out)], state, tmp_path)
    answer(child, DETAILS[1:] + keys[:2] + ["q"])
    said = finish(child)
    assert child.exitstatus == 75, said
    assert f"2 of {total} questions answered" in " ".join(said.split())

    child = spawn(["--resume", "sc-test"], state, tmp_path)
    child.expect(PROMPT)
    assert f"question 3 of {total}" in child.before
    child.sendline(keys[2])
    answer(child, keys[3:] + scenario_keys(chosen))
    report = finish(child)
    assert child.exitstatus == 0, report[-2000:]
    sheet = tomllib.loads(out.read_text())
    assert sheet["scenarios"] == {sid: {"best": b, "worst": w} for sid, (b, w) in chosen.items()}
    assert "Scenarios: knowing the best response" in report
