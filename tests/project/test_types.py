"""The type checker, run over the package as CI runs it: mypy, strict, with pydantic's
plugin (the settings are in pyproject.toml, [tool.mypy])."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_error():
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Success: no issues found"), proc.stdout


def test_every_type_ignore_names_its_error_and_says_why():
    """A silenced error names its code (`# type: ignore[arg-type]`) and a reason follows it,
    so that neither a bare ignore nor an unexplained one hides a second error."""
    loose = []
    for path in sorted((ROOT / "qim_cli").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for m in re.finditer(r"type:\s*ignore(\[[a-z-, ]+\])?(.*)", line):
                if not m.group(1) or not m.group(2).strip(" #-()"):
                    loose.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not loose, "\n".join(loose)
