"""The rules every batch command shares (cohort/runner.py): which files are sheets, the
other files counted, the same respondent twice, and the library call they all make."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.runner import Batch, Purpose
from qim_cli.errors import NotFoundError
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()


def write(path: Path, sheet) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    return path


@pytest.fixture
def cohort(profiles, tmp_path: Path) -> Path:
    """Six people, clinical and traditional, one of whom answered twice."""
    folder = tmp_path / "cohort"
    for i in range(3):
        write(folder / f"c-{i}.toml", make_sheet(profiles, rid=f"c-{i}", background="clinical"))
        write(folder / f"t-{i}.toml", make_sheet(profiles, rid=f"t-{i}", background="traditional"))
    write(folder / "late" / "c-1-again.toml", make_sheet(profiles, rid="c-1", background="clinical"))
    return folder


DUPLICATE = ('{folder}/late/c-1-again.toml: respondent.id: "c-1" is also the id in {folder}/c-1.toml; '
             "no sheet with this id is used (keep one sheet per person and run again)")

#: each batch command, and how it is asked for JSON with one set of sheets
COMMANDS = {
    "score": ["score", "--format", "json"],
    "cohort": ["cohort", "--format", "json", "--min-group", "1"],
    "pair": ["pair", "--format", "json"],
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_the_same_respondent_twice_is_left_out_by_every_batch_command(command, jobs, cohort):
    result = runner.invoke(app, [*COMMANDS[command], str(cohort), "--jobs", jobs])
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        DUPLICATE.format(folder=cohort),
        f"qim {command}: 7 files: 5 good, 0 bad, 2 left out as duplicates"]
    doc = json.loads(result.stdout)
    ids = {"score": lambda: [r["id"] for r in doc],
           "cohort": lambda: ["x"] * doc["n"],
           "pair": lambda: [m["id"] for g in doc["groups"] for m in g["members"]]
           + [u["id"] for u in doc["unpaired"]]}[command]()
    assert len(ids) == 5 and "c-1" not in ids


def test_compare_cohort_leaves_the_same_person_out_of_each_set(cohort, tmp_path: Path):
    after = tmp_path / "after"
    shutil.copytree(cohort, after)
    result = runner.invoke(app, ["compare-cohort", str(cohort), str(after), "-f", "json",
                                 "--min-group", "1"])
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        DUPLICATE.format(folder=cohort), DUPLICATE.format(folder=after),
        "qim compare-cohort (before): 7 files: 5 good, 0 bad, 2 left out as duplicates",
        "qim compare-cohort (after): 7 files: 5 good, 0 bad, 2 left out as duplicates"]
    counts = json.loads(result.stdout)["counts"]
    assert (counts["paired"], counts["repeated_before"], counts["repeated_after"]) == (5, 1, 1)


def test_a_360_set_with_the_same_person_or_rater_twice_is_refused(tmp_path: Path):
    folder = tmp_path / "360"
    shutil.copytree(EXAMPLES / "360", folder)
    shutil.copy(folder / "rn-ward7-self.toml", folder / "rn-ward7-self-copy.toml")
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 65 and result.stdout == ""
    assert result.stderr == (
        f'{folder}/rn-ward7-self.toml: respondent.id: "rn-ward7" is also the id in '
        f"{folder}/rn-ward7-self-copy.toml; no sheet with this id is used (keep one sheet per "
        "person and run again)\n")
    (folder / "rn-ward7-self-copy.toml").unlink()
    peer = folder / "rn-ward7-peer-p1.toml"
    peer.write_text(peer.read_text().replace('role = "peer"', 'role = "peer"\nid = "p1"'))
    shutil.copy(peer, folder / "rn-ward7-peer-p1-again.toml")
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 65 and result.stdout == ""
    assert result.stderr == (
        f'{folder}/rn-ward7-peer-p1.toml: rater.id: "p1" also rated "rn-ward7" in '
        f"{folder}/rn-ward7-peer-p1-again.toml; neither rating is used (keep one rating per "
        "colleague and run again)\n")


# --------------------------------------------------------------------------- discovery


def test_other_files_are_counted_and_listed_on_request(profiles, tmp_path: Path):
    folder = tmp_path / "returned"
    write(folder / "a.toml", make_sheet(profiles, rid="a"))
    write(folder / "qim-007.TOML", make_sheet(profiles, rid="qim-007"))  # a sheet: any case
    for name in ("notes.csv", "x.toml.bak", "sub/readme.txt", ".DS_Store", ".hidden/b.toml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("not a sheet")
    result = runner.invoke(app, ["score", str(folder)])
    assert result.exit_code == 0
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["a", "qim-007"]
    assert result.stderr == ("qim score: 2 files: 2 good, 0 bad; 3 other files skipped "
                             "(--verbose lists them)\n")
    verbose = runner.invoke(app, ["score", str(folder), "--verbose"])
    assert verbose.stderr.splitlines() == [
        f"{folder}/notes.csv: skipped (not an answer sheet: *.toml)",
        f"{folder}/sub/readme.txt: skipped (not an answer sheet: *.toml)",
        f"{folder}/x.toml.bak: skipped (not an answer sheet: *.toml)",
        "qim score: 2 files: 2 good, 0 bad; 3 other files skipped (listed above)"]
    one = runner.invoke(app, ["cohort", str(folder / "sub"), str(folder / "a.toml"), "-f", "json"])
    assert one.stderr.endswith("qim cohort: 1 file: 1 good, 0 bad; 1 other file skipped "
                               "(--verbose lists them)\n")


def test_report_finds_a_360_set_as_every_batch_does(tmp_path: Path):
    """A hidden copy of a rating is not a rater, and other files are counted."""
    folder = tmp_path / "360"
    shutil.copytree(EXAMPLES / "360", folder)
    plain = runner.invoke(app, ["report", str(folder), "-f", "json"])
    shutil.copy(folder / "rn-ward7-peer-p1.toml", folder / ".hidden-copy.toml")
    (folder / "notes.txt").write_text("met on Tuesday")
    result = runner.invoke(app, ["report", str(folder), "-f", "json"])
    assert result.exit_code == 0
    assert result.stdout == plain.stdout
    assert json.loads(result.stdout)["raters"] == 6
    assert result.stderr == "qim report: 1 other file skipped (--verbose lists them)\n"
    empty = tmp_path / "empty"
    (empty / "x").mkdir(parents=True)
    none = runner.invoke(app, ["report", str(empty)])
    assert none.exit_code == 66
    assert none.stderr == f"{empty}: no answer sheets (*.toml) found\n"


# --------------------------------------------------------------------------- the library


def test_one_library_call_runs_a_batch(cohort, profiles):
    said: list[str] = []
    batch = Batch([cohort], profiles, Purpose.COHORT, notify=said.append)
    ids = [r.id for r in batch.records()]
    assert ids == ["c-0", "c-2", "t-0", "t-1", "t-2"]
    assert said == [DUPLICATE.format(folder=cohort)]
    t = batch.tally
    assert (t.good, t.bad, t.duplicates, t.repeated_ids, t.repeated_sheets, t.exit_code) == \
        (5, 0, 2, 1, 2, 65)
    assert t.line() == "qim cohort: 7 files: 5 good, 0 bad, 2 left out as duplicates"
    (cohort / "empty").mkdir()
    with pytest.raises(NotFoundError, match="no answer sheets"):
        Batch([cohort / "empty"], profiles, Purpose.SCORE)


def test_records_keep_what_their_purpose_needs(cohort, profiles):
    scores = next(Batch([cohort], profiles, Purpose.SCORE).records())
    items = next(Batch([cohort], profiles, Purpose.COHORT).records())
    assert scores.items == {} and scores.context == b""
    assert items.items and items.context
