"""`qim score`: every format, bad files in a batch, CSV injection, jobs, -o. (The batch in the
library: tests/cohort/test_batch.py; SIGTERM mid-batch: tests/terminal/test_signals.py.)"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import WriteError
from qim_cli.fileio import atomic_writer
from qim_cli.render.formats import format_module
from qim_cli.render.score import ScoreFormat
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
COHORT = EXAMPLES / "cohort"
N_COHORT = len(list(COHORT.glob("*.toml")))
#: the examples, one sheet per person (the nurse's sheet of a year later left out)
SINGLES = [str(p) for p in sorted(EXAMPLES.glob("*.toml")) if "2027" not in p.name]


def rows(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


# --------------------------------------------------------------------------- discovery


# --------------------------------------------------------------------------- formats


def test_csv_has_one_row_per_sheet_with_every_competency(profiles):
    result = runner.invoke(app, ["score", str(COHORT)])
    assert result.exit_code == 0, result.stderr
    table = rows(result.stdout)
    assert len(table) == N_COHORT >= 40
    header = next(csv.reader(io.StringIO(result.stdout)))
    for cid in profiles.competencies:
        assert f"{cid}_score" in header and f"{cid}_gap" in header
    assert header[:6] == ["file", "id", "name", "background", "role", "career_stage"]
    assert {"recommendations", "top_1", "top_2", "top_3"} <= set(header)
    assert [r["file"] for r in table] == sorted(r["file"] for r in table)
    assert f"{N_COHORT} good, 0 bad" in result.stderr


def test_csv_values_match_the_individual_report():
    result = runner.invoke(app, ["score", str(EXAMPLES / "nurse-early-career.toml")])
    assert result.exit_code == 0, result.stderr
    (row,) = rows(result.stdout)
    report = json.loads(runner.invoke(
        app, ["report", str(EXAMPLES / "nurse-early-career.toml"), "--format", "json"]).stdout)
    comps = {c["id"]: c for c in report["competencies"]}
    for cid, c in comps.items():
        assert float(row[f"{cid}_score"]) == c["score"]
        assert float(row[f"{cid}_gap"]) == c["gap"]
    assert int(row["recommendations"]) == len(report["recommendations"])
    assert [row["top_1"], row["top_2"], row["top_3"]] == [
        r["training"]["id"] for r in report["recommendations"][:3]]
    assert row["career_stage"] == "early_career" and row["id"] == "rn-ward7"


@pytest.mark.parametrize("fmt", list(ScoreFormat))
def test_every_format_has_a_writer_and_works(fmt):
    assert callable(format_module("qim_cli.render.score", fmt).write)
    result = runner.invoke(app, ["score", *SINGLES, str(COHORT), "--format", fmt.value])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    n = len(SINGLES) + N_COHORT
    if fmt is ScoreFormat.json:
        doc = json.loads(out)
        assert len(doc) == n and doc[0]["top_trainings"]
    elif fmt is ScoreFormat.jsonl:
        lines = out.splitlines()
        assert len(lines) == n
        assert all(isinstance(json.loads(line)["healthcare_context_gap"], float | None)
                   for line in lines)
    elif fmt is ScoreFormat.csv:
        assert len(rows(out)) == n
    else:
        flat = " ".join(out.split())  # the footnote wraps at the table's width
        assert "rn-ward7" in out and "below the target of the person's career stage" in flat
        assert "not a finding of the study" in flat
        assert "hc Healthcare context" in out


def test_the_table_marks_a_gap_beyond_measurement_error_and_not_one_within_it(
        profiles, tmp_path: Path):
    # early career, target 3.5, band 0.75 (reliability 0.7, SD 0.7): a 2 is 1.5 below
    # (marked), a 3 is 0.5 below (at target within measurement error: not marked), a 4 above
    assert profiles.target("early_career", "healthcare_context") == 3.5
    for rid, level in (("low", 2), ("near", 3), ("above", 4)):
        sheet = make_sheet(profiles, years=3, rid=rid, default=4,
                           by_competency={"healthcare_context": level})
        (tmp_path / f"{rid}.toml").write_text(tomli_w.dumps(sheet_to_data(sheet)))
    # wide enough for the table whatever the temporary folder's path: a row per person
    result = runner.invoke(app, ["score", str(tmp_path), "-f", "table"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    cells = {rid: line for line in result.stdout.splitlines()
             for rid in ("low", "near", "above") if rid in line.split()}
    assert "2.00*" in cells["low"]
    assert "3.00" in cells["near"] and "3.00*" not in cells["near"]
    assert "4.00" in cells["above"] and "*" not in cells["above"]
    flat = " ".join(result.stdout.split())
    assert "* below the target of the person's career stage, beyond measurement error" in flat
    assert ("A score below its target by less than its measurement error counts as at "
            "target, as in each person's report.") in flat
    # the gap itself is given as measured in the machine formats
    csv_rows = rows(runner.invoke(app, ["score", str(tmp_path), "-f", "csv"]).stdout)
    assert {r["id"]: r["healthcare_context_gap"] for r in csv_rows} == \
        {"low": "1.5", "near": "0.5", "above": "-0.5"}


def test_json_of_an_all_bad_batch_is_an_empty_array(tmp_path: Path):
    (tmp_path / "x.toml").write_text("nonsense =")
    result = runner.invoke(app, ["score", str(tmp_path), "--format", "json"])
    assert result.exit_code == 65
    assert json.loads(result.stdout) == []


# --------------------------------------------------------------------------- bad files


def test_bad_files_are_reported_one_line_each_and_the_batch_goes_on(batch: Path):
    result = runner.invoke(app, ["score", str(batch), str(batch / "missing.toml")])
    assert result.exit_code == 65
    assert [r["id"] for r in rows(result.stdout)] == ["rn-ward7", "md-medsvc", "pe-newhire"]
    err = result.stderr.splitlines()
    assert any("bad-answer.toml: answers.st_01: must be 1–5" in line for line in err)
    assert any("broken.toml: TOML syntax error" in line for line in err)
    assert any('unknown-role.toml: respondent.role: unknown role "nurz"' in line for line in err)
    assert any("missing.toml: no such file or folder" in line for line in err)
    assert err[-1] == "qim score: 7 files: 3 good, 3 bad, 1 not found"
    assert len(err) == 5  # one line per bad file, then the summary
    assert "Traceback" not in result.output


def test_only_missing_input_exits_66(tmp_path: Path):
    result = runner.invoke(app, ["score", str(tmp_path / "nope")])
    assert result.exit_code == 66
    assert result.stderr.splitlines() == [f"{tmp_path / 'nope'}: no such file or folder",
                                          "qim score: 1 file: 0 good, 0 bad, 1 not found"]


def test_folder_without_sheets_exits_66(tmp_path: Path):
    result = runner.invoke(app, ["score", str(tmp_path)])
    assert result.exit_code == 66
    assert "no answer sheets (*.toml) found" in result.stderr


# --------------------------------------------------------------------------- CSV injection


def test_csv_neutralises_names_and_file_names_but_not_negative_gaps(
    profiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    # scores above target give negative gaps
    sheet = make_sheet(profiles, default=5, rid="evil-1")
    data = sheet_to_data(sheet)
    data["respondent"]["name"] = '=HYPERLINK("http://attacker","click")'
    Path("=cmd.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    data["respondent"]["id"] = "plain-2"
    data["respondent"]["name"] = "-2+3"
    Path("plain.toml").write_text(tomli_w.dumps(data), encoding="utf-8")

    result = runner.invoke(app, ["score", "=cmd.toml", "plain.toml"])
    assert result.exit_code == 0, result.stderr
    first, second = rows(result.stdout)
    assert first["file"] == "'=cmd.toml"
    assert first["name"] == "'=HYPERLINK(\"http://attacker\",\"click\")"
    assert second["name"] == "'-2+3"
    assert second["file"] == "plain.toml" and second["id"] == "plain-2"
    gap = first["healthcare_context_gap"]
    assert gap.startswith("-") and float(gap) < 0  # a number, not neutralised
    assert not any(v.startswith("'") for k, v in first.items() if k.endswith(("_gap", "_score")))


# --------------------------------------------------------------------------- jobs


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_jobs_2_gives_the_same_output_as_jobs_1(batch: Path, fmt: str):
    for src in sorted(COHORT.glob("*.toml"))[:12]:
        shutil.copy(src, batch / src.name)
    one = runner.invoke(app, ["score", str(batch), "--format", fmt, "--jobs", "1"])
    two = runner.invoke(app, ["score", str(batch), "--format", fmt, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 65
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr
    assert len(one.stdout.splitlines()) >= 15


@pytest.mark.parametrize("command", ["score", "cohort", "pair", "compare-cohort"])
def test_jobs_must_be_positive_said_plainly(command):
    result = runner.invoke(app, [command, *SINGLES[:2], "--jobs", "0"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("Error: Invalid value for '--jobs' / '-j': must be "
                                              "at least 1 (got 0)")


# --------------------------------------------------------------------------- output files


def test_output_file_is_written_and_never_overwritten_without_force(tmp_path: Path):
    out = tmp_path / "scores.csv"
    first = runner.invoke(app, ["score", str(COHORT), "-o", str(out)])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert len(rows(out.read_text())) == N_COHORT
    out.write_text("keep me")
    again = runner.invoke(app, ["score", str(COHORT), "-o", str(out)])
    assert again.exit_code == 73
    assert "already exists" in again.stderr
    assert out.read_text() == "keep me"
    forced = runner.invoke(app, ["score", str(COHORT), "-o", str(out), "--force",
                                 "--format", "jsonl"])
    assert forced.exit_code == 0, forced.stderr
    assert len(out.read_text().splitlines()) == N_COHORT
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]  # no temp files left


def test_output_into_a_missing_folder_exits_73_before_scoring(tmp_path: Path):
    result = runner.invoke(app, ["score", str(COHORT), "-o", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 73
    assert "does not exist" in result.stderr
    assert "good" not in result.stderr  # nothing was scored


def test_an_interrupted_write_leaves_no_file_under_the_final_name(tmp_path: Path):
    out = tmp_path / "scores.csv"
    with pytest.raises(KeyboardInterrupt), atomic_writer(out, inputs=()) as fh:
        fh.write("file,id\nhalf")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    out.write_text("old")
    with pytest.raises(WriteError), atomic_writer(out, inputs=()):
        pass
    with atomic_writer(out, force=True, inputs=()) as fh:
        fh.write("new")
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]
