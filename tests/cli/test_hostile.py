"""Hostile input: a corpus of bad answer sheets and broken profile sets (the loader fuzzed:
tests/sheets/test_fuzz.py; where qim runs: test_no_overwrite.py and its companions).

Every case gets one clear line naming the file (and the field where there is one),
a documented exit code, and never a traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.framework.profiles import bundled_profiles_dir

runner = CliRunner()
HERE = Path(__file__).resolve().parents[1] / "support" / "hostile"
SHEETS = HERE / "sheets"
EXPECTED = json.loads((SHEETS / "expected.json").read_text())
PROFILE_CASES = tomllib.loads((HERE / "profile_cases.toml").read_text())["case"]


def test_corpus_is_large_enough():
    assert len(EXPECTED) >= 30
    assert sorted(EXPECTED) == sorted(p.name for p in SHEETS.glob("*.toml"))
    assert len(PROFILE_CASES) >= 10


def _no_raw_control_chars(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["validate", "report"])
def test_bad_sheet(name, command, monkeypatch):
    monkeypatch.chdir(SHEETS)
    result = runner.invoke(app, [command, name])
    expected = EXPECTED[name]
    assert result.exit_code == expected["exit"]
    lines = result.stderr.splitlines()
    assert lines[0] == f"{name}: {expected['message']}"
    assert all(line.startswith(f"{name}: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert _no_raw_control_chars(result.stderr)
    assert result.stdout == ""


def _broken_profiles(tmp_path: Path, case: dict) -> Path:
    dest = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), dest)
    target = dest / case["file"]
    text = target.read_text()
    if case["find"] == "*":
        text = case["replace"]
    else:
        assert case["find"] in text, case["name"]
        text = text.replace(case["find"], case["replace"], 1)
    target.write_text(text)
    return dest


@pytest.mark.parametrize("case", PROFILE_CASES, ids=[c["name"] for c in PROFILE_CASES])
def test_broken_profile_set(tmp_path, case):
    dest = _broken_profiles(tmp_path, case)
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    assert result.exit_code == 65, result.output
    first = result.stderr.splitlines()[0]
    prefix = f"{dest / case['file']}: "
    assert first.startswith(prefix)
    if "expected" in case:
        assert first[len(prefix):] == case["expected"]
    else:
        assert first[len(prefix):].startswith(case["expected_prefix"])
    assert "Traceback" not in result.stderr
    # every other command that needs profiles refuses the same way
    report = runner.invoke(app, ["report", "--profiles", str(dest),
                                 str(Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml")])
    assert report.exit_code == 65 and report.stderr.splitlines()[0] == first


def test_oversized_file_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:  # a sparse 4 GiB file: reading it whole would take minutes
        fh.truncate(4 * 1024**3)
    result = runner.invoke(app, ["validate", str(big)])
    assert result.exit_code == 65
    assert result.stderr == f"{big}: file is larger than the 1 MiB limit\n"


def test_unreadable_file(tmp_path, monkeypatch):
    import os

    path = tmp_path / "locked.toml"
    path.write_text("schema_version = 1\n")
    real_open = os.open

    def deny(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    # running as root, chmod 000 would not stop a read: make the loader's open() refuse
    monkeypatch.setattr(os, "open", deny)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 65
    assert result.stderr == f"{path}: cannot read (permission denied)\n"


def test_directory_given_as_sheet(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 65
    assert result.stderr == f"{tmp_path}: is a directory, not a file\n"


def test_file_name_with_escape_sequence_is_not_echoed_raw(tmp_path):
    path = tmp_path / "evil\x1b[2Jname.toml"
    path.write_text("schema_version = 1\n[respondent\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 65
    assert "\x1b" not in result.stderr
    assert "evil?[2Jname.toml: TOML syntax error" in result.stderr


def test_names_with_control_characters_are_shown_safely(tmp_path):
    text = (Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml").read_text()
    text = text.replace('name = "Aroha Ngata"', 'name = "A\\u0007B\\u009bC\\r\\nD"')
    path = tmp_path / "bell.toml"
    path.write_text(text)
    for fmt in ("table", "markdown"):
        result = runner.invoke(app, ["report", str(path), "--format", fmt])
        assert result.exit_code == 0
        assert "\x07" not in result.stdout and "\x9b" not in result.stdout and "\r" not in result.stdout


# ---------------------------------------------------------------- fuzzing the loader


# ---------------------------------------------------------------- in a batch


def test_batch_scores_the_good_files_around_the_bad(tmp_path):
    import csv
    import io

    folder = tmp_path / "batch"
    shutil.copytree(SHEETS, folder, ignore=shutil.ignore_patterns("*.json"))
    good = []
    for i in range(3):
        path = folder / f"zz-good-{i}.toml"
        text = (Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml").read_text()
        path.write_text(text.replace('id = "rn-ward7"', f'id = "good-{i}"'))
        good.append(path)
    (folder / "loop").symlink_to(folder)  # a directory symlink loop inside the batch
    result = runner.invoke(app, ["score", str(folder), "--format", "csv"])
    assert result.exit_code == 65
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["good-0", "good-1", "good-2"]
    bad_lines = [line for line in result.stderr.splitlines() if not line.startswith("qim score:")]
    assert len(bad_lines) == len(EXPECTED)
    for name, expected in EXPECTED.items():
        assert any(line.startswith(f"{folder / name}: {expected['message']}") for line in bad_lines), name
    assert "Traceback" not in result.stderr and _no_raw_control_chars(result.stderr)
