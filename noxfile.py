"""qim's test suite on each supported Python: `nox` (all), `nox -s tests-3.12` (one).

`bash scripts/test` runs the default interpreter in .venv itself and calls this for the
others it finds, with QIM_MATRIX_SECONDARY=1 (the browser tier skipped there), every
tier selected as there. Arguments after `--` go to pytest (without any: every tier, two
workers). The virtual environments live in .nox/ and are reused;
qim is installed in them (editable) again only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import nox

PYTHONS = ["3.11", "3.12", "3.13"]  # keep in step with scripts/test
ROOT = Path(__file__).resolve().parent

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    stamp = Path(session.virtualenv.location) / ".qim-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text() != wanted:
        session.install("-q", "-e", ".[test]")
        stamp.write_text(wanted)
    # byte-compiled once for this Python (see scripts/test): the suite starts qim many times
    session.run("python", "-m", "compileall", "-q", "qim_cli", silent=True)
    every_tier = ["-m", "unit or cli or terminal or browser or project"]  # tests/conftest.py: ALL_TIERS
    session.run("python", "-m", "pytest", *(session.posargs or ["-q", *every_tier, "-n", "2"]))
