"""examples/onboarding.sh: the HR pipeline runs end to end and acts on qim's exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

SCRIPT = EXAMPLES / "onboarding.sh"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def run(workdir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    qim = shutil.which("qim", path=str(BIN)) or shutil.which("qim")
    assert qim, "qim is not installed next to this Python"
    full = {**os.environ, "PATH": f"{Path(qim).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            **env}
    full.pop("QIM_PROFILES", None)
    return subprocess.run(["bash", str(SCRIPT), str(workdir)], capture_output=True, text=True,
                          env=full, timeout=60, check=False)


def test_the_pipeline_stores_a_valid_json_result(tmp_path: Path):
    work = tmp_path / "hr"
    done = run(work, HIRE_ID="jsmith-2026", BACKGROUND="traditional", ROLE="process_engineer",
               YEARS="1")
    assert done.returncode == 0, done.stderr
    blank = (work / "outbox" / "jsmith-2026.toml").read_text()
    assert 'background = "traditional"' in blank and 'hc_01 = ""' in blank
    result = json.loads((work / "results" / "jsmith-2026.json").read_text())
    assert result["respondent"]["id"] == "jsmith-2026"
    assert result["respondent"]["role"] == "process_engineer"
    assert result["respondent"]["career_stage"] == "new"
    assert result["unanswered"] == {"items": [], "importance": [], "context": []}
    assert "onboarding: result stored" in done.stderr


def test_a_second_run_never_overwrites_the_stored_result(tmp_path: Path):
    assert run(tmp_path).returncode == 0
    stored = tmp_path / "results" / "new-hire-001.json"
    before = stored.read_bytes()
    again = run(tmp_path)
    assert again.returncode == 73
    assert "already exists" in again.stderr and "kept as is" in again.stderr
    assert stored.read_bytes() == before


def test_an_invalid_returned_sheet_is_sent_back_with_exit_65(tmp_path: Path):
    done = run(tmp_path, SIMULATE="bad", HIRE_ID="rushed")
    assert done.returncode == 65
    assert 'rushed.toml: answers.hc_01: must be 1–5 or "na" (got 7)' in done.stderr
    assert "sending it back to rushed" in done.stderr
    assert not (tmp_path / "results" / "rushed.json").exists()


@pytest.mark.parametrize(("background", "role"), [("clinical", "nurse"),
                                                  ("traditional", "operations_manager")])
def test_without_a_role_the_first_role_of_the_background_is_used(tmp_path: Path, background, role):
    done = run(tmp_path, BACKGROUND=background, HIRE_ID="hire")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "results" / "hire.json").read_text())
    assert (result["respondent"]["background"], result["respondent"]["role"]) == (background, role)


def _plain_path() -> str:
    """A PATH without qim: the system's folders only."""
    return os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir())


@pytest.mark.skipif(not (EXAMPLES.parent / ".venv" / "bin" / "qim").exists(),
                    reason="the README's set-up (.venv in the repository) was not run")
def test_after_the_readmes_set_up_it_runs_without_activating_the_environment(tmp_path):
    """The README installs into .venv; in a shell where that environment is not active, qim
    is not on PATH, and the script finds the one in .venv."""
    env = {"PATH": _plain_path(), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run(["bash", str(SCRIPT), str(tmp_path / "hr")], capture_output=True,
                          text=True, env=env, timeout=60, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "onboarding: result stored" in done.stderr
    assert json.loads((tmp_path / "hr" / "results" / "new-hire-001.json").read_text())


def test_qim_set_in_the_environment_is_used_and_none_found_is_exit_69(tmp_path):
    # a copy of the script outside the repository, with no qim anywhere it looks
    alone = tmp_path / "onboarding.sh"
    alone.write_text(SCRIPT.read_text())
    env = {"PATH": _plain_path(), "HOME": str(tmp_path)}
    if shutil.which("python3", path=env["PATH"]) and \
            Path(shutil.which("python3", path=env["PATH"])).with_name("qim").exists():  # type: ignore[arg-type]
        pytest.skip("a qim is installed next to the system's python3")
    missing = subprocess.run(["bash", str(alone), str(tmp_path / "a")], capture_output=True,
                             text=True, env=env, timeout=60, check=False)
    assert missing.returncode == 69
    assert missing.stderr == ("onboarding: qim not found: install it (see the README) or set "
                              "QIM, e.g. QIM=/path/to/qim\n")
    qim = shutil.which("qim", path=str(BIN))
    assert qim
    given = subprocess.run(["bash", str(alone), str(tmp_path / "b")], capture_output=True,
                           text=True, env={**env, "QIM": qim}, timeout=60, check=False)
    assert given.returncode == 0, given.stderr
