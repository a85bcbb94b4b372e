"""qim in a child process, for the tests of where qim runs (odd files, full disks, processes).

A command that could hang runs in a child process with a generous time-out: the time-out
only stops a hung test (it fails as "hung"); no test measures how fast anything is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NURSE = ROOT / "examples" / "nurse-early-career.toml"
COHORT = ROOT / "examples" / "cohort"
#: only a hung command ever comes near this
HANG_GUARD = 120


def qim(*args: str, cwd: Path | None = None, stdin: object = subprocess.DEVNULL,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run qim in a child process; a hang fails the test instead of stalling the suite."""
    try:
        return subprocess.run([sys.executable, "-m", "qim_cli", *args], cwd=cwd, stdin=stdin,
                              capture_output=True, text=True, timeout=HANG_GUARD, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"qim {' '.join(args)} hung")


def sheet(folder: Path, name: str, rid: str) -> Path:
    """The nurse's answer sheet under another respondent id, written as FOLDER/NAME."""
    path = folder / name
    path.write_text(NURSE.read_text().replace('id = "rn-ward7"', f'id = "{rid}"'))
    return path
