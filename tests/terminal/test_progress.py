"""The progress bar of long runs: on a terminal's standard error only, never in a pipe or
a log, silenced by --quiet, and the output the same with or without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
COHORT = ROOT / "examples" / "cohort"
N = len(list(COHORT.glob("*.toml")))

#: run qim with the bar drawn at once (a short run shows none otherwise)
NOW = ("import sys; import qim_cli.cli.progress as p; p.DELAY = 0.0; p.REFRESH = 0.0; "
       "from qim_cli.entry import main; sys.argv = ['qim'] + sys.argv[1:]; main()")


def on_a_terminal(*args: str) -> tuple[str, int]:
    """Run qim in a pseudo-terminal (standard output and error both on it)."""
    child = pexpect.spawn(sys.executable, ["-c", NOW, *args], encoding="utf-8", timeout=120,
                          dimensions=(24, 120),
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
    out = child.read()
    child.close()
    return out, child.exitstatus


def test_a_terminal_shows_files_done_rate_and_time_left(tmp_path):
    out, code = on_a_terminal("score", str(COHORT), "--jobs", "1", "-o", str(tmp_path / "a.csv"))
    assert code == 0
    assert f"{N}/{N}" in out and "files/s" in out and " left" in out
    assert f"qim score: {N} files: {N} good, 0 bad" in out
    # the same rows as without a bar
    plain = subprocess.run([sys.executable, "-m", "qim_cli", "score", str(COHORT), "--jobs", "1"],
                           capture_output=True, text=True, check=True)
    assert (tmp_path / "a.csv").read_text() == plain.stdout
    assert "files/s" not in plain.stderr


def test_quiet_silences_the_bar(tmp_path):
    out, code = on_a_terminal("score", str(COHORT), "-o", str(tmp_path / "a.csv"), "--quiet")
    assert code == 0
    assert "files/s" not in out and f"{N}/{N}" not in out
    assert out.replace("\r\n", "\n") == f"wrote {tmp_path / 'a.csv'}\nqim score: {N} files: {N} good, 0 bad\n"


def test_no_bar_while_rows_stream_to_the_same_terminal():
    out, code = on_a_terminal("score", str(COHORT), "--jobs", "1", "--format", "csv")
    assert code == 0
    assert "files/s" not in out
    assert out.count("\n") == N + 2  # header, rows, summary


def test_cohort_shows_the_bar_and_reports_bad_files_above_it(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("")
    out, code = on_a_terminal("cohort", str(COHORT), str(bad), "--format", "json", "-o",
                              str(tmp_path / "c.json"), "--jobs", "2")
    assert code == 65
    assert f"{N + 1}/{N + 1}" in out and "files/s" in out
    assert f"{bad}: file is empty" in out
    assert f"qim cohort: {N + 1} files: {N} good, 1 bad" in out


def test_import_shows_rows_done(tmp_path):
    out, code = on_a_terminal("import", str(ROOT / "examples" / "exports" / "google-forms.csv"),
                              "--out", str(tmp_path / "sheets"))
    assert code == 0
    assert "rows/s" in out
    assert len(list((tmp_path / "sheets").glob("*.toml"))) == 12


def test_never_when_standard_error_is_not_a_terminal(tmp_path):
    result = subprocess.run([sys.executable, "-c", NOW, "cohort", str(COHORT), "--format", "json",
                             "-o", str(tmp_path / "c.json")], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == f"wrote {tmp_path / 'c.json'}\nqim cohort: {N} files: {N} good, 0 bad\n"
