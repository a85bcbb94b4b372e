"""Shared fixtures (no test touches a real home folder or the user's profile settings), and
each test's tier, from its folder.

The folders of tests/ that mirror the package (assessment/, cohort/, framework/, interop/,
render/, sheets/, and ground/ for the modules at the package's top) hold unit tests;
cli/, terminal/, browser/ and project/ are tiers of their own. A test is marked with the
tier of its folder here, so a new file gets its tier by where it is put; a file left at
the top of tests/ counts as a unit test until it is moved. `pytest` alone runs the fast
tier (`-m "(unit or cli) and not slow"`, in pyproject.toml), `pytest PATH` every test of
PATH; scripts/test runs every tier (`ALL_TIERS`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing

from qim_cli.framework.profiles import Profiles, bundled_profiles_dir, load_profiles
from qim_cli.sheets.models import AnswerSheet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: the folder of this Python's scripts, where `qim` is installed
BIN = Path(sys.executable).parent

# browser, HTML-checker and PDF helpers and their fixtures: tests/support/browser.py
pytest_plugins = ["support.browser"]

TESTS = Path(__file__).resolve().parent
#: the folders that are tiers of their own; every other folder mirrors the package (unit)
TIER_FOLDERS = {"cli": "cli", "terminal": "terminal", "browser": "browser", "project": "project"}
#: every tier, as scripts/test selects them all: `pytest -m "unit or cli or ..."`
ALL_TIERS = ("unit", "cli", "terminal", "browser", "project")


def _names_tests(arg: str) -> bool:
    """Whether a command-line argument names tests inside tests/ (a folder, a file, a test)."""
    if arg.startswith("-"):
        return False
    path = Path(arg.split("::")[0]).resolve()
    return path.exists() and path != TESTS and TESTS in path.parents


#: whether this run is the fast default tier (plain `pytest`): property tests then try a
#: quarter of their examples; every other run (scripts/test, CI, a path named) tries them all
FAST_TIER = False


def pytest_configure(config: pytest.Config) -> None:
    """`pytest PATH` runs every test of PATH whatever its tier, `pytest` alone the fast tier
    (pyproject.toml's -m), and a -m given on the command line is used as given."""
    global FAST_TIER
    args = [str(a) for a in config.invocation_params.args]
    if not any(a.startswith("-m") for a in args) and any(_names_tests(a) for a in args):
        config.option.markexpr = ""
    FAST_TIER = "not slow" in (config.option.markexpr or "")


def examples(n: int) -> int:
    """Hypothesis's max_examples for a property test that tries `n` in the full run: a
    quarter of them (at least 10) in the fast tier, where a developer runs it often."""
    return max(10, n // 4) if FAST_TIER else n


def tier_of(path: Path) -> str:
    """The tier of a test file, from the first folder of its path under tests/."""
    parts = path.resolve().relative_to(TESTS).parts
    return TIER_FOLDERS.get(parts[0], "unit") if len(parts) > 1 else "unit"


def _command_built_once() -> None:
    """typer's CliRunner builds the Click command from the app on every invoke: the
    annotations of every command evaluated again, about 50 ms, a third of a typical command
    test. A Click command holds no state between runs (`qim` itself builds it once per
    process), so the runner here builds it once per app and reuses it."""
    built: dict[int, tuple[typer.Typer, Any]] = {}

    def get_command(app: typer.Typer) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, typer.main.get_command(app))  # the app kept: its id stays its own
        return built[id(app)][1]

    typer.testing._get_command = get_command


_command_built_once()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test gets its folder's tier, unless it has one (before -m deselects anything: this conftest's hook
    runs before pytest's own). On the secondary interpreters of scripts/test's matrix
    (QIM_MATRIX_SECONDARY=1) the browser tier is skipped: it runs on the default one."""
    secondary = bool(os.environ.get("QIM_MATRIX_SECONDARY"))
    skip = pytest.mark.skip(reason="browser tests run on the default interpreter only "
                                   "(QIM_MATRIX_SECONDARY is set)")
    for item in items:
        # a case marked with a tier of its own keeps it (a format that needs pdftotext, a
        # test that uses the browser fixture: support/browser.py marks those)
        if not any(item.get_closest_marker(tier) for tier in ALL_TIERS):
            item.add_marker(getattr(pytest.mark, tier_of(item.path)))
        if secondary and item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("QIM_PROFILES", raising=False)
    monkeypatch.delenv("QIM_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # `qim` on PATH is the qim under test, as after an install, so the commands qim prints
    # read `qim` (tests/ground/test_invocation.py covers the other ways qim is started)
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture(scope="session")
def profiles() -> Profiles:
    return load_profiles(bundled_profiles_dir())


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A returned batch: three good sheets and three bad ones, in nested folders."""
    folder = tmp_path / "returned"
    (folder / "ward").mkdir(parents=True)
    for name in ("nurse-early-career", "physician-experienced"):
        shutil.copy(EXAMPLES / f"{name}.toml", folder / f"{name}.toml")
    shutil.copy(EXAMPLES / "process-engineer-new.toml", folder / "ward" / "pe.toml")
    text = (EXAMPLES / "nurse-early-career.toml").read_text()
    (folder / "bad-answer.toml").write_text(text.replace("st_01 = 2", "st_01 = 7"))
    (folder / "ward" / "broken.toml").write_text("[respondent\nid = 1\n")
    (folder / "unknown-role.toml").write_text(text.replace('role = "nurse"', 'role = "nurz"'))
    return folder


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
    """Run qim through a harness of tests/support/hostile/ that writes `ready` at a known point of
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
