"""`qim score`: discovery, every format, bad files in a batch, CSV injection, jobs, -o."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet, signal_when_ready
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.batch import Record, batch_exit_code, default_jobs, score_paths
from qim_cli.cohort.discovery import Discovery
from qim_cli.errors import WriteError
from qim_cli.fileio import atomic_writer
from qim_cli.render.formats import Layout, format_module
from qim_cli.render.score import ScoreFormat, write
from qim_cli.render.spreadsheet import csv_cell
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
COHORT = EXAMPLES / "cohort"
N_COHORT = len(list(COHORT.glob("*.toml")))
#: the examples, one sheet per person (the nurse's sheet of a year later left out)
SINGLES = [str(p) for p in sorted(EXAMPLES.glob("*.toml")) if "2027" not in p.name]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Three good sheets and three bad ones, in nested folders."""
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


def rows(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


# --------------------------------------------------------------------------- discovery


def discover(paths):
    """(the sheets found, in order, as paths; the paths not found)."""
    found = Discovery(paths)
    return [Path(p) for p in found], found.missing


def test_discover_recurses_sorts_and_skips_hidden(tmp_path: Path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("b/deep/z.toml", "b/a.toml", "c.toml", ".hidden/x.toml", ".dot.toml", "notes.txt"):
        (tmp_path / rel).write_text("x")
    files, missing = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "b/a.toml", "b/deep/z.toml", "c.toml"]
    assert missing == []


def test_discover_survives_symlink_loops_and_dedupes(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.toml").write_text("x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # a/loop -> the top again
    (tmp_path / "also-a").symlink_to(tmp_path / "a")
    files, missing = discover([tmp_path, tmp_path / "a" / "one.toml"])
    assert len(files) == 1 and files[0].name == "one.toml"
    assert missing == []


def test_discover_takes_named_files_of_any_extension_and_reports_missing(tmp_path: Path):
    (tmp_path / "sheet.txt").write_text("x")
    files, missing = discover([tmp_path / "sheet.txt", tmp_path / "nope.toml"])
    assert files == [tmp_path / "sheet.txt"]
    assert [m.path for m in missing] == [tmp_path / "nope.toml"]


def test_default_jobs_is_one_for_small_batches_and_all_cores_for_large():
    assert default_jobs(10) == 1
    assert default_jobs(199) == 1
    assert default_jobs(200) >= 1
    assert default_jobs(10_000) == len(os.sched_getaffinity(0))


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


def test_json_of_an_all_bad_batch_is_an_empty_array(tmp_path: Path):
    (tmp_path / "x.toml").write_text("nonsense =")
    result = runner.invoke(app, ["score", str(tmp_path), "--format", "json"])
    assert result.exit_code == 65
    assert json.loads(result.stdout) == []


def test_writers_stream_each_record_before_the_next_is_read(profiles):
    """CSV rows are written as records arrive: nothing is collected first."""
    records = [o.record for o in score_paths(sorted(EXAMPLES.glob("*.toml")), profiles)]
    out = io.StringIO()

    def lazily():
        for i, rec in enumerate(records):
            if i:
                assert records[i - 1].id in out.getvalue(), "previous row not yet written"
            yield rec

    write(ScoreFormat.csv, lazily(), out, profiles, Layout())
    assert len(rows(out.getvalue())) == len(records)


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


def test_batch_exit_code_prefers_invalid_data():
    assert batch_exit_code([]) == 0
    assert batch_exit_code([66]) == 66
    assert batch_exit_code([66, 65]) == 65


# --------------------------------------------------------------------------- CSV injection


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_text_cells_that_look_like_formulas_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", [-0.25, 0.0, 1.75, -1, 12])
def test_numbers_stay_numbers(value):
    assert csv_cell(value) == value


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


def test_score_paths_in_parallel_keeps_order_and_reports_bad_files(batch: Path, profiles):
    files, _ = discover([batch])
    serial = [(o.file, o.record.id if o.record else o.lines[0]) for o in score_paths(files, profiles, 1)]
    parallel = [(o.file, o.record.id if o.record else o.lines[0]) for o in score_paths(files, profiles, 2)]
    assert serial == parallel
    assert [f for f, _ in serial] == [str(p) for p in files]


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


def test_record_is_small_and_picklable(profiles):
    import pickle

    (outcome,) = list(score_paths([EXAMPLES / "physician-experienced.toml"], profiles))
    assert isinstance(outcome.record, Record)
    assert pickle.loads(pickle.dumps(outcome)) == outcome


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_terminated_run_leaves_neither_output_nor_temp_file(tmp_path: Path, jobs: str):
    """SIGTERM in the middle of a batch: exit 130, workers stopped, nothing left behind.

    The last sheet's reading never ends (tests/support/hostile/stuck_qim.py), so the batch is
    stopped deterministically mid-way, after the earlier rows have been scored.
    """
    import signal

    folder = tmp_path / "sheets"
    folder.mkdir()
    for src in sorted(COHORT.glob("*.toml"))[:5]:
        shutil.copy(src, folder / src.name)
    shutil.copy(src, folder / "zzz-stuck.toml")
    out = tmp_path / "scores.csv"
    ready = tmp_path / "ready"
    stuck = Path(__file__).resolve().parents[1] / "support" / "hostile" / "stuck_qim.py"

    def writing() -> None:
        assert list(tmp_path.glob(".scores.csv.*.tmp"))  # it is writing

    code, stderr = signal_when_ready(stuck, ready, ["score", str(folder), "--jobs", jobs,
                                                    "-o", str(out)], signal.SIGTERM, check=writing)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == "qim: interrupted"
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets"]


def test_direct_csv_cells_match_the_json_row(profiles):
    """score_csv_cells (the fast path of CSV) holds what the JSON row holds, each cell as
    csv_cell writes it."""
    from qim_cli.cohort.batch import outcome_for
    from qim_cli.render.score.rows import TOP_TRAININGS, score_columns, score_csv_cells, score_row

    for path in sorted(COHORT.glob("*.toml"))[:10]:
        rec = outcome_for(path, profiles).record
        row = score_row(rec)
        tops = row.pop("top_trainings")
        row |= {f"top_{i + 1}": tops[i] if i < len(tops) else None for i in range(TOP_TRAININGS)}
        assert score_csv_cells(rec) == [csv_cell(row[c]) for c in score_columns(profiles)]


def test_each_detail_keeps_what_its_command_needs_and_the_same_figures(profiles):
    """`qim score` keeps only scores, gaps, recommendations and barriers (Detail.SCORES);
    `qim compare` adds context, needs that occur with a barrier, high needs and calibration; `qim cohort`
    also the item values. Whatever the detail, the shared figures are the same."""
    from qim_cli.cohort.batch import Detail, record_from_sheet
    from qim_cli.sheets.answers import load_sheet

    shared = ("file", "id", "name", "background", "role", "career_stage", "setting",
              "years_as_qim", "scores", "gaps", "recommendations", "barriers")
    paths = sorted(COHORT.glob("*.toml")) + [Path(p) for p in SINGLES]
    seen = {"calibration": 0, "high_needs": 0, "with_barrier": 0, "context": 0}
    for path in paths:
        sheet = load_sheet(path, profiles, path.name)
        lean, mid, full = (record_from_sheet(sheet, profiles, path.name, detail=d)
                           for d in (Detail.SCORES, Detail.COHORT, Detail.ITEMS))
        for key in shared:
            assert getattr(lean, key) == getattr(mid, key) == getattr(full, key), (path, key)
        assert (lean.items, lean.context, lean.with_barrier, lean.high_needs, lean.calibration) \
            == ({}, b"", (), {}, b"")
        assert mid.items == {} and full.items and set(full.items) == set(profiles.items)
        for key in seen:
            assert getattr(mid, key) == getattr(full, key), (path, key)
            seen[key] += bool(getattr(full, key))
    # the corpus exercises every field that the lean record leaves out
    assert all(seen.values()), seen
