"""The code follows the project's lint rules (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    cmd = [ruff] if shutil.which(ruff) else [sys.executable, "-m", "ruff"]
    out = subprocess.run([*cmd, "check", "qim_cli", "tests", "benchmarks", "examples"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
