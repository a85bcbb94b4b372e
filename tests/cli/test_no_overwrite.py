"""No input is ever overwritten: an output named as an answer sheet (the same path, spelt
otherwise, a symbolic or a hard link), a colleague's rating, a file of the profile set, a
column map or the self-check's own draft is refused, and standard output appended to an
input too. Every command that writes files is checked here (a new one fails the last test).

Companions, on where qim runs: test_odd_files.py, test_failing_writes.py, test_processes.py
(and tests/terminal/test_signals.py); test_hostile.py is about hostile *contents*.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.commands import HANG_GUARD, NURSE, ROOT, qim, sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


def _linked(kind: str, target: Path, where: Path) -> Path:
    """The path an output is given as: the input itself, a symbolic or a hard link to it,
    or the input spelt another way."""
    if kind == "same":
        return target
    if kind == "spelt":
        return target.parent / "." / ".." / target.parent.name / target.name
    link = where / f"{kind}.out"
    if kind == "symlink":
        link.symlink_to(target)
    else:
        os.link(target, link)
    return link


def _refusal(out: Path, target: Path) -> str:
    what = "one of the inputs" if str(out) == str(target) else f"the same file as the input {target}"
    return f"{out}: is {what}; choose another output file (--force never replaces an input)\n"


@pytest.mark.parametrize("kind", ["same", "spelt", "symlink", "hardlink"])
@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "table"])
def test_report_never_writes_over_its_answer_sheet(tmp_path, kind, fmt):
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    out = _linked(kind, sheet_path, tmp_path)
    for force in ([], ["--force"]):  # --force replaces an earlier output, never an input
        result = runner.invoke(app, ["report", str(sheet_path), "--format", fmt, "-o", str(out), *force])
        assert result.exit_code == 73
        assert result.stderr == _refusal(out, sheet_path)
        assert result.stdout == ""
    assert sheet_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file


def test_report_never_writes_over_a_colleagues_rating_in_a_360_folder(tmp_path):
    folder = tmp_path / "360"
    import shutil

    shutil.copytree(ROOT / "examples" / "360", folder)
    peer = folder / "rn-ward7-peer-p1.toml"
    before = peer.read_bytes()
    result = runner.invoke(app, ["report", str(folder), "-f", "json", "-o", str(peer), "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(peer, peer)
    assert peer.read_bytes() == before


def test_report_from_standard_input_never_writes_over_the_redirected_file(tmp_path):
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    with sheet_path.open("rb") as stdin:  # qim report - -o s.toml --force < s.toml
        result = qim("report", "-", "-f", "json", "-o", str(sheet_path), "--force", stdin=stdin)
    assert result.returncode == 73
    assert result.stderr == (f"{sheet_path}: is the same file as the input standard input; choose "
                             "another output file (--force never replaces an input)\n")
    assert sheet_path.read_bytes() == before


@pytest.mark.parametrize("command", [["report"], ["score"], ["cohort", "--format", "json"]])
def test_standard_output_appended_to_an_input_is_refused(tmp_path, command):
    """`qim report s.toml >> s.toml` would append the report to the answer sheet."""
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    with sheet_path.open("ab") as stdout:
        proc = subprocess.run([sys.executable, "-m", "qim_cli", *command, str(sheet_path)],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 73
    assert proc.stderr == (f"standard output is {sheet_path}, one of the inputs; write the "
                           "output to another file (qim never writes over an input)\n")
    assert sheet_path.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["score", "cohort", "pair"])
def test_a_batch_never_writes_over_one_of_its_sheets(tmp_path, kind, command):
    folder = tmp_path / "batch"
    (folder / "deep").mkdir(parents=True)
    for i in range(3):
        sheet(folder, f"s{i}.toml", f"p{i}")
    target = sheet(folder / "deep", "z.toml", "deep")
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, [command, str(folder), "-o", str(out), "--force", "--format", "json"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)  # refused before any sheet is scored
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("side", ["before", "after"])
def test_a_programme_compare_never_writes_over_one_of_its_sheets(tmp_path, kind, side):
    folders = {name: tmp_path / name for name in ("before", "after")}
    for folder in folders.values():
        folder.mkdir()
        for j in range(3):
            sheet(folder, f"s{j}.toml", f"p{j}")
    target = folders[side] / "s1.toml"
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, ["compare-cohort", str(folders["before"]), str(folders["after"]),
                                 "-f", "json", "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("side", [0, 1])
def test_a_person_compare_never_writes_over_one_of_its_sheets(tmp_path, kind, side):
    sheets = [sheet(tmp_path, f"{year}.toml", "p1") for year in (2025, 2026)]
    target = sheets[side]
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, ["compare", *map(str, sheets), "-f", "html", "-o", str(out),
                                 "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)
    assert target.read_bytes() == before


@pytest.mark.parametrize("args", [["template"], ["template", "--rater", "peer", "--subject", "x"],
                                  ["report", str(NURSE)], ["score", str(NURSE)],
                                  ["cohort", str(NURSE)],
                                  ["compare-cohort", "--before", str(NURSE), "--after", str(NURSE)],
                                  ["compare", str(NURSE), str(NURSE)],
                                  ["export", "redcap"], ["form"]])
def test_no_command_writes_over_a_file_of_the_profile_set(tmp_path, args):
    import shutil

    from qim_cli.framework.profiles import bundled_profiles_dir

    dest = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), dest)
    for name in ("framework.toml", "rules.toml", "alignment.toml"):
        target = dest / name
        before = target.read_bytes()
        result = runner.invoke(app, [*args, "--profiles", str(dest), "-o", str(target), "--force"])
        assert result.exit_code == 73, result.stderr
        assert result.stderr == _refusal(target, target)
        assert target.read_bytes() == before


def test_an_import_never_writes_a_sheet_over_its_column_map(tmp_path):
    """A respondent whose sheet would take the name of the --map file kept in the output folder."""
    out = tmp_path / "returned"
    out.mkdir()
    column_map = out / "qim-037.toml"  # the first respondent of the export is qim-037
    column_map.write_text('[columns]\n"Timestamp" = "ignore"\n')
    export = ROOT / "examples" / "exports" / "google-forms.csv"
    result = runner.invoke(app, ["import", str(export), "--out", str(out), "--map", str(column_map),
                                 "--force"])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[0] == (
        f"{export}: row 2: {column_map}: is one of the inputs; choose another output file "
        "(--force never replaces an input)")
    assert column_map.read_text() == '[columns]\n"Timestamp" = "ignore"\n'
    assert len(result.stdout.splitlines()) == 11  # every other respondent is written


QUESTIONS_AND_DETAILS = ["rn-ward7", "Aroha Ngata", "1", "1", "3", "2"]


def test_the_self_check_never_writes_its_sheet_over_its_own_draft(tmp_path):
    from qim_cli.framework.profiles import load_profiles

    prof = load_profiles()
    questions = len(prof.items) + len(prof.competencies) + len(prof.context_items)
    first = runner.invoke(app, ["assess", "--interactive"],
                          input="\n".join(QUESTIONS_AND_DETAILS + ["3", "", "", "q"]) + "\n")
    assert first.exit_code == 75, first.stderr  # saved, not finished
    state = Path(os.environ["QIM_STATE_DIR"])
    (draft,) = [p for p in state.rglob("*.json")]
    answers = "\n".join(["3"] * questions) + "\n"
    result = runner.invoke(app, ["assess", "--interactive", "--resume", "rn-ward7", "--out", str(draft),
                                 "--force"], input=answers)
    assert result.exit_code == 73
    def bare(text: str) -> str:  # messages are wrapped to the terminal, paths at a "/" too
        return "".join(text.split())

    after = bare(result.stderr).split(bare(_refusal(draft, draft)), 1)[1]  # after the last prompt
    assert after == bare("Your answers are kept in the draft. Finish with another file: "
                         "qim assess --resume rn-ward7 --out OTHER.toml")  # no --force: refused
    assert draft.exists()
    out = tmp_path / "done.toml"
    done = runner.invoke(app, ["assess", "--interactive", "--resume", "rn-ward7", "--out", str(out)],
                         input="")
    assert done.exit_code == 0, done.stderr
    assert runner.invoke(app, ["validate", "--complete", str(out)]).exit_code == 0


def _writing_commands() -> dict[str, str]:
    """Every command (at any depth) that takes an output file option, and that option."""
    import typer

    def walk(cmd, prefix: str):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, f"{prefix} {name}".strip())
        for param in getattr(cmd, "params", []):
            if any(o in ("-o", "--output", "--out") for o in getattr(param, "opts", [])):
                yield prefix, max(param.opts, key=len)

    return dict(walk(typer.main.get_command(app), ""))


def test_every_command_that_writes_files_is_checked_here():
    """A new command with -o joins the cases above, or this fails."""
    checked = {"report": "--output", "template": "--output", "score": "--output",
               "cohort": "--output", "compare": "--output", "compare-cohort": "--output",
               "assess": "--out",
               "export redcap": "--output", "import": "--out", "form": "--output",
               "pair": "--output"}
    assert _writing_commands() == checked


@pytest.mark.parametrize("command", [["report", str(NURSE)], ["template"], ["score", str(NURSE)],
                                     ["cohort", str(NURSE)]])
def test_an_output_that_is_a_folder_or_in_a_missing_folder_cannot_be_written(tmp_path, command):
    result = runner.invoke(app, [*command, "-o", str(tmp_path)])
    assert result.exit_code == 73
    assert result.stderr == f"{tmp_path}: is a directory, not a file\n"
    missing = tmp_path / "no" / "such.out"
    result = runner.invoke(app, [*command, "-o", str(missing)])
    assert result.exit_code == 73
    assert result.stderr == f"{missing}: folder {missing.parent} does not exist\n"
    assert list(tmp_path.iterdir()) == []
