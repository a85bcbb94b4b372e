"""`qim assess` in real processes on a pseudo-terminal (pexpect): two sessions at once keep
every answer of both, and SIGTERM keeps the draft."""

from __future__ import annotations

import json
import os
import signal
import sys
import tomllib
from pathlib import Path

import pytest
from support.assess import DETAILS, OTHER, draft_file, expected_sheet, other_sheet, planned, question_keys

from qim_cli.sheets.draft_store import DraftStore

pexpect = pytest.importorskip("pexpect")


def spawn(args: list[str], cwd: Path):
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    child = pexpect.spawn(sys.executable, ["-m", "qim_cli", "assess", *args], env=env,
                          cwd=str(cwd), encoding="utf-8", timeout=90, dimensions=(30, 100))
    child.delaybeforesend = None
    return child


def step(child, key: str) -> None:
    child.expect(r"> $")
    child.sendline(key)


def test_two_sessions_at_once_keep_every_answer_of_both(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    a = spawn(["--out", str(tmp_path / "a.toml")], tmp_path)
    for k in DETAILS:
        step(a, k)
    b = spawn(["--out", str(tmp_path / "b.toml")], tmp_path)
    try:
        # b is shown a's self-check, open in another session, and starts a new one
        step(b, "")
        assert "rn-ward7: 0 of 60 answered" in b.before
        assert "open in another session" in " ".join(b.before.split())
        for k in OTHER:
            step(b, k)
        # a third session cannot take either draft while they are in use
        third = spawn(["--resume", "pt-ortho"], tmp_path)
        third.expect(pexpect.EOF)
        third.close()
        assert third.exitstatus == 75
        assert "open in another qim session" in " ".join(third.before.split())
        for n, k in enumerate(keys):
            step(a, k)
            if n < 30:
                step(b, k)
        step(b, "q")  # b stops half-way: saved, not finished
        a.expect(pexpect.EOF)
        b.expect(pexpect.EOF)
    finally:
        a.close()
        b.close()
    assert (a.exitstatus, b.exitstatus) == (0, 75)
    assert tomllib.loads((tmp_path / "a.toml").read_text()) == expected_sheet(plan)
    saved = json.loads(draft_file("pt-ortho").read_text())
    assert saved["respondent"]["id"] == "pt-ortho" and len(saved["answers"]) == 30
    # b finishes later, with the --out it started with
    c = spawn(["--resume", "pt-ortho"], tmp_path)
    try:
        for k in keys[30:]:
            step(c, k)
        c.expect(pexpect.EOF)
    finally:
        c.close()
    assert c.exitstatus == 0
    assert tomllib.loads((tmp_path / "b.toml").read_text()) == other_sheet(plan)


def test_sigterm_during_assess_keeps_the_draft(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    child = spawn([], tmp_path)
    try:
        for k in DETAILS + keys[:9]:
            step(child, k)
        child.expect(r"> $")
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    assert "Stopped: 9 of 60 questions answered" in " ".join(child.before.split())
    assert len(json.loads(draft_file().read_text())["answers"]) == 9
    # the session ended: its lock file went with it
    assert sorted(p.name for p in draft_file().parent.iterdir()) == ["rn-ward7.json"]
    DraftStore().take("rn-ward7").release()
