"""The batch in the library: discovery (recursive, sorted, hidden files skipped, symlink
loops survived), how many jobs, records (small, picklable, what each command needs) and
the writers that stream them."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from conftest import EXAMPLES

from qim_cli.cohort.batch import batch_exit_code, default_jobs, score_paths
from qim_cli.cohort.discovery import Discovery
from qim_cli.cohort.records import Record
from qim_cli.render.formats import Layout
from qim_cli.render.score import ScoreFormat, write
from qim_cli.render.spreadsheet import csv_cell

COHORT = EXAMPLES / "cohort"
SINGLES = [str(p) for p in sorted(EXAMPLES.glob("*.toml")) if "2027" not in p.name]


def rows(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


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


def test_batch_exit_code_prefers_invalid_data():
    assert batch_exit_code([]) == 0
    assert batch_exit_code([66]) == 66
    assert batch_exit_code([66, 65]) == 65


def test_score_paths_in_parallel_keeps_order_and_reports_bad_files(batch: Path, profiles):
    files, _ = discover([batch])
    serial = [(o.file, o.record.id if o.record else o.lines[0]) for o in score_paths(files, profiles, 1)]
    parallel = [(o.file, o.record.id if o.record else o.lines[0]) for o in score_paths(files, profiles, 2)]
    assert serial == parallel
    assert [f for f, _ in serial] == [str(p) for p in files]


def test_record_is_small_and_picklable(profiles):
    import pickle

    (outcome,) = list(score_paths([EXAMPLES / "physician-experienced.toml"], profiles))
    assert isinstance(outcome.record, Record)
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_direct_csv_cells_match_the_json_row(profiles):
    """score_csv_cells (the fast path of CSV) holds what the JSON row holds, each cell as
    csv_cell writes it."""
    from qim_cli.cohort.records import outcome_for
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
    from qim_cli.cohort.records import Detail, record_from_sheet
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
