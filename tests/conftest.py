"""Shared fixtures: no test touches a real home folder or the user's profile settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from qim_cli.framework.profiles import Profiles, bundled_profiles_dir, load_profiles
from qim_cli.sheets.models import AnswerSheet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: the folder of this Python's scripts, where `qim` is installed
BIN = Path(sys.executable).parent

# browser, HTML-checker and PDF helpers and their fixtures: tests/browser.py
pytest_plugins = ["browser"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("QIM_PROFILES", raising=False)
    monkeypatch.delenv("QIM_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # `qim` on PATH is the qim under test, as after an install, so the commands qim prints
    # read `qim` (tests/test_invocation.py covers the other ways qim is started)
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture(scope="session")
def profiles() -> Profiles:
    return load_profiles(bundled_profiles_dir())


def make_sheet(
    profiles: Profiles,
    *,
    background: str = "clinical",
    role: str | None = None,
    years: float = 3.0,
    default: int | str = 3,
    answers: dict[str, Any] | None = None,
    by_competency: dict[str, int | str] | None = None,
    importance: dict[str, int] | None = None,
    context: dict[str, Any] | None = None,
    context_default: int | str = 4,
    setting: str | None = None,
    rid: str = "t-1",
) -> AnswerSheet:
    """A complete answer sheet; `by_competency` sets the *effective* level of every item
    of a competency (reverse items are written flipped so the score comes out as given)."""
    if role is None:
        role = next(r.id for r in profiles.roles.values() if r.background == background)
    values: dict[str, Any] = {}
    for cid, comp in profiles.competencies.items():
        level = (by_competency or {}).get(cid, default)
        for item in comp.items:
            if isinstance(level, int) and item.reverse:
                values[item.id] = 6 - level
            else:
                values[item.id] = level
    values.update(answers or {})
    ctx: dict[str, Any] = {c: context_default for c in profiles.context_items}
    ctx.update(context or {})
    data: dict[str, Any] = {
        "schema_version": 1,
        "respondent": {"id": rid, "background": background, "role": role,
                       "years_as_qim": float(years)},
        "answers": values,
        "importance": {c: 4 for c in profiles.competencies} | (importance or {}),
        "context": ctx,
    }
    if setting:
        data["respondent"]["setting"] = setting
    return AnswerSheet.model_validate(data)


def signal_when_ready(harness: Path, ready: Path, args: list[str], sig: int, *,
                      cwd: Path | None = None, check: Any = None) -> tuple[int, str]:
    """Run qim through a harness of tests/hostile/ that writes `ready` at a known point of
    the run and then waits, send `sig` there, and return (exit code, standard error).
    `check` (no argument) runs first, while qim waits: to look at its files mid-run."""
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, str(harness), str(ready), *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, f"qim never reached the point {harness.name} marks"
            time.sleep(0.02)
        if check is not None:
            check()
        ready.unlink()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, stderr
