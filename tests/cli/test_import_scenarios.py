"""`qim import` and the scenario answers: imported, they give the calibration notes of the
sheets they came from (columns found by variable, by question, by option text); a bad
scenario costs only itself, every message says which scenario and which pick, a lone column
is reported once, labels stay unique."""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from support.exports import export_rows, read_toml, run_import, write_csv
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.framework.profiles import load_profiles_uncached
from qim_cli.interop.fields import build_fields, title_key
from qim_cli.interop.redcap import dictionary_rows, label_headers
from qim_cli.interop.rows import sheet_to_row

runner = CliRunner()
COHORT = sorted((EXAMPLES / "cohort").glob("qim-*.toml"))
EXPORTS = EXAMPLES / "exports"
QI = "Hand hygiene audits that look perfect"  # the title of sc_qi_methods_1


def _answered() -> list[dict]:
    return [d for d in map(read_toml, COHORT) if "scenarios" in d]


def _export(profiles, tmp_path: Path, sheets: list[dict], changes: dict[int, dict[str, str]],
            *, labels: bool = False, drop: tuple[str, ...] = (), name: str = "s.csv") -> Path:
    """A CSV of ``sheets`` as a tool exports them, with some cells changed (by variable name)
    and some columns dropped."""
    fields = [f for f in build_fields(profiles) if f.var not in drop]
    heads = label_headers(profiles) if labels else {f.var: f.var for f in fields}
    rows = []
    for i, data in enumerate(sheets):
        row = {**sheet_to_row(data, fields, labels=labels), **changes.get(i, {})}
        rows.append([row[f.var] for f in fields])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heads[f.var] for f in fields])
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _lines(result, tmp_path: Path) -> list[str]:
    return [line.removeprefix(f"{tmp_path}/") for line in result.stderr.splitlines()]


def _without(data: dict, *sids: str) -> dict:
    out = {**data, "scenarios": {k: v for k, v in data["scenarios"].items() if k not in sids}}
    if not out["scenarios"]:
        out.pop("scenarios")
    return out


# --- a bad scenario is left out; the person's other answers are written -------------------

def test_a_bad_scenario_is_reported_and_left_out_and_the_rest_of_the_row_is_written(tmp_path, profiles):
    sheets = _answered()[:5]
    src = _export(profiles, tmp_path, sheets, {
        0: {"sc_qi_methods_1_worst": ""},                                 # best only
        1: {"sc_motivating_1_best": ""},                                  # worst only
        2: {"sc_sense_giving_1_best": "e"},                               # no such option
        3: {"sc_approachability_1_best": "b", "sc_approachability_1_worst": "B"},  # the same one
    })
    out = tmp_path / "out"
    result = run_import(str(src), "--out", str(out))
    assert result.exit_code == 65
    given = [s["scenarios"] for s in sheets]
    end = "; the sheet is written without this scenario"
    assert [line for line in _lines(result, tmp_path) if ": row " in line] == [
        's.csv: row 2, column "sc_qi_methods_1_worst" (scenario sc_qi_methods_1, least likely '
        f'response): missing, while the most likely is "{given[0]["sc_qi_methods_1"]["best"]}" '
        f"(give both or neither){end}",
        's.csv: row 3, column "sc_motivating_1_best" (scenario sc_motivating_1, most likely '
        f'response): missing, while the least likely is "{given[1]["sc_motivating_1"]["worst"]}" '
        f"(give both or neither){end}",
        's.csv: row 4, column "sc_sense_giving_1_best" (scenario sc_sense_giving_1, most likely '
        "response): must be one of the letters a, b, c, d, or an option's text (got \"e\")" + end,
        's.csv: row 5, column "sc_approachability_1_worst" (scenario sc_approachability_1, least '
        'likely response): "b", the same as the most likely (give two different responses)' + end,
    ]
    assert (f"5 rows read: 5 written to {out} (4 without a scenario reported above), 0 bad"
            in result.stderr)
    # every sheet is written: the statements, importance and context of each person kept,
    # only the bad scenario left out
    for sheet, bad in zip(sheets, ["sc_qi_methods_1", "sc_motivating_1", "sc_sense_giving_1",
                                   "sc_approachability_1", None], strict=True):
        written = out / f"{sheet['respondent']['id']}.toml"
        data = read_toml(written)
        assert data == (_without(sheet, bad) if bad else sheet)
        assert runner.invoke(app, ["validate", str(written)]).exit_code == 0
    # what was typed for the scenario left out stays in the sheet, as a commented table
    text = (out / f"{sheets[3]['respondent']['id']}.toml").read_text(encoding="utf-8")
    assert text.endswith(
        "\n# left out by qim import (both picks or neither, two different ones); as given:\n"
        '# [scenarios.sc_approachability_1]\n# best = "b"\n# worst = "B"\n')
    text = (out / f"{sheets[0]['respondent']['id']}.toml").read_text(encoding="utf-8")
    assert text.endswith(f'# [scenarios.sc_qi_methods_1]\n# best = "{given[0]["sc_qi_methods_1"]["best"]}"\n')


def test_a_row_bad_for_another_reason_is_not_written_and_its_scenario_is_reported_too(tmp_path, profiles):
    sheets = _answered()[:2]
    src = _export(profiles, tmp_path, sheets, {0: {"years_as_qim": "seventy",
                                                   "sc_qi_methods_1_worst": ""}})
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert [line for line in _lines(result, tmp_path) if ": row " in line] == [
        's.csv: row 2, column "years_as_qim": must be a number (got "seventy")',
        's.csv: row 2, column "sc_qi_methods_1_worst" (scenario sc_qi_methods_1, least likely '
        f'response): missing, while the most likely is "{sheets[0]["scenarios"]["sc_qi_methods_1"]["best"]}" '
        "(give both or neither)",
    ]
    assert f"2 rows read: 1 written to {tmp_path / 'out'}, 1 bad" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{sheets[1]['respondent']['id']}.toml"]


def test_an_existing_sheet_is_kept_and_its_bad_scenario_still_reported(tmp_path, profiles):
    sheets = _answered()[:1]
    src = _export(profiles, tmp_path, sheets, {0: {"sc_qi_methods_1_best": ""}})
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{sheets[0]['respondent']['id']}.toml").write_text("# mine\n", encoding="utf-8")
    result = run_import(str(src), "--out", str(out))
    assert result.exit_code == 65  # the data problem outranks the kept sheet (73)
    sid = sheets[0]["respondent"]["id"]
    assert [line for line in _lines(result, tmp_path) if ": row " in line] == [
        's.csv: row 2, column "sc_qi_methods_1_best" (scenario sc_qi_methods_1, most likely '
        f'response): missing, while the least likely is "{sheets[0]["scenarios"]["sc_qi_methods_1"]["worst"]}" '
        "(give both or neither)",  # not "written without this scenario": it was not written
        f"s.csv: row 2: {out}/{sid}.toml already exists; kept it (use --force to overwrite)",
    ]
    assert f"1 row read: 0 written to {out}, 0 bad, 1 kept (already there)" in result.stderr
    assert (out / f"{sid}.toml").read_text(encoding="utf-8") == "# mine\n"


def test_the_same_person_twice_with_a_bad_scenario_is_held_back_with_both_lines(tmp_path, profiles):
    sheet = _answered()[0]
    src = _export(profiles, tmp_path, [sheet, sheet], {0: {"sc_qi_methods_1_best": "x"}})
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    who = f'respondent id "{sheet["respondent"]["id"]}"'
    assert [line for line in _lines(result, tmp_path) if ": row " in line] == [
        's.csv: row 2, column "sc_qi_methods_1_best" (scenario sc_qi_methods_1, most likely '
        "response): must be one of the letters a, b, c, d, or an option's text (got \"x\")",
        f"s.csv: row 2: {who} is also on row 3; none of them is written (keep the right one "
        "and import again)",
        f"s.csv: row 3: {who} is also on row 2; none of them is written (keep the right one "
        "and import again)",
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- which scenario, which pick, whatever the header --------------------------------------

def test_a_label_export_message_names_the_scenario_and_the_pick_though_the_header_is_cut(tmp_path, profiles):
    sheets = _answered()[:2]
    src = _export(profiles, tmp_path, sheets, {0: {"sc_qi_methods_1_best": "e"},
                                               1: {"sc_qi_methods_1_worst": ""}}, labels=True)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    header = f"{QI}. Which response would you be most likely to give?"
    assert len(header) > 60  # cut in the message before "most" or "least"
    cut = header[:59] + "…"
    assert "most" not in cut
    assert [line for line in _lines(result, tmp_path) if ": row " in line] == [
        f's.csv: row 2, column "{cut}" (scenario sc_qi_methods_1, most likely response): must be '
        "one of the letters a, b, c, d, or an option's text (got \"e\"); the sheet is written "
        "without this scenario",
        f's.csv: row 3, column "{cut}" (scenario sc_qi_methods_1, least likely response): missing, '
        f'while the most likely is "{sheets[1]["scenarios"]["sc_qi_methods_1"]["best"]}" (give both '
        "or neither); the sheet is written without this scenario",
    ]


# --- a file with one column of a pair ----------------------------------------------------

def test_a_lone_scenario_column_is_reported_once_and_every_other_answer_kept(tmp_path, profiles):
    sheets = _answered()[:4]
    src = _export(profiles, tmp_path, sheets, {}, drop=("sc_qi_methods_1_worst",))
    out = tmp_path / "out"
    result = run_import(str(src), "--out", str(out))
    assert result.exit_code == 65
    assert _lines(result, tmp_path)[0] == (
        "s.csv: no column holds the least likely response of scenario sc_qi_methods_1 "
        '(sc_qi_methods_1_worst), so column "sc_qi_methods_1_best" is left out (4 rows answered '
        "it); add the missing column, or name it with --map")
    assert ": row " not in result.stderr  # no row is blamed for a column the file lacks
    assert f"4 rows read: 4 written to {out}, 0 bad" in result.stderr
    for sheet in sheets:
        assert read_toml(out / f"{sheet['respondent']['id']}.toml") == _without(sheet, "sc_qi_methods_1")


def test_a_lone_column_that_no_row_answers_is_reported_without_failing(tmp_path, profiles):
    sheets = [_without(s, "sc_motivating_1") for s in _answered()[:2]]
    src = _export(profiles, tmp_path, sheets, {}, drop=("sc_motivating_1_best",), labels=True)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    title = profiles.scenarios["sc_motivating_1"].title
    assert _lines(result, tmp_path)[0] == (
        "s.csv: no column holds the most likely response of scenario sc_motivating_1 "
        f'(sc_motivating_1_best), so column "{(title + ". Which response would you be least likely to give?")[:59]}…" '
        "is left out (no row answers it); add the missing column, or name it with --map")


def test_a_map_naming_one_pick_only_is_a_lone_column_too(tmp_path, profiles):
    sheets = _answered()[:1]
    src = _export(profiles, tmp_path, sheets, {}, drop=("sc_qi_methods_1_worst",))
    text = src.read_text(encoding="utf-8").replace("sc_qi_methods_1_best", "Q99")
    src.write_text(text, encoding="utf-8")
    (tmp_path / "map.toml").write_text('[columns]\n"Q99" = "sc_qi_methods_1_best"\n', encoding="utf-8")
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--map", str(tmp_path / "map.toml"))
    assert result.exit_code == 65
    assert ('so column "Q99" is left out (1 row answered it); add the missing column'
            in result.stderr)


# --- custom profile sets: labels that only differ in case or a full stop; "|" in a text --

def _custom(tmp_path: Path, *replace: tuple[str, str]) -> Path:
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    path = dest / "scenarios.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return dest


def test_titles_the_importer_would_confuse_get_the_scenario_id(tmp_path):
    dest = _custom(tmp_path, ('title = "The bundle is slipping, the next project is waiting"',
                              f'title = "{QI.upper()}  ."'))
    profiles = load_profiles_uncached(dest)
    sids = [sid for sid, sc in profiles.scenarios.items() if title_key(sc.title) == title_key(QI)]
    assert len(sids) == 2
    labels = {f.key: f.label for f in build_fields(profiles) if f.kind == "option"}
    for sid in sids:
        title = profiles.scenarios[sid].title
        assert labels[f"scenarios.{sid}.best"] == (
            f"{title} ({sid}). Which response would you be most likely to give?")
    others = [k for k in labels if k.split(".")[1] not in sids]
    assert labels[others[0]].startswith(profiles.scenarios[others[0].split(".")[1]].title + ". ")
    # a label export of that profile set reads back, both scenarios included
    sheets = [d for d in _answered() if set(sids) <= set(d["scenarios"])][:3]
    assert sheets
    src = _export(profiles, tmp_path, sheets, {}, labels=True)
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--profiles", str(dest))
    assert result.exit_code == 0, result.stderr
    for sheet in sheets:
        assert read_toml(tmp_path / "out" / f"{sheet['respondent']['id']}.toml") == sheet


def test_an_option_with_a_bar_is_read_as_redcap_writes_it_and_as_written(tmp_path):
    text = "Run a refresher session on the five moments of hand hygiene for all ward staff."
    dest = _custom(tmp_path, (text, "Run a refresher | a poster on the five moments."))
    profiles = load_profiles_uncached(dest)
    row = next(r for r in dictionary_rows(profiles) if r["Variable / Field Name"] == "sc_qi_methods_1_best")
    assert "a, Run a refresher / a poster on the five moments. | b, " in (
        row["Choices, Calculations, OR Slider Labels"])
    sheets = _answered()[:2]
    as_redcap = "Run a refresher / a poster on the five moments."
    src = _export(profiles, tmp_path, sheets, {
        0: {"sc_qi_methods_1_best": as_redcap, "sc_qi_methods_1_worst": "d"},
        1: {"sc_qi_methods_1_best": "run a refresher | A POSTER on the five moments.",
            "sc_qi_methods_1_worst": "b"}}, labels=True)
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--profiles", str(dest))
    assert result.exit_code == 0, result.stderr
    picks = [read_toml(tmp_path / "out" / f"{s['respondent']['id']}.toml")["scenarios"]["sc_qi_methods_1"]
             for s in sheets]
    assert picks == [{"best": "a", "worst": "d"}, {"best": "a", "worst": "b"}]


@pytest.mark.parametrize("cell", ["Run a refresher / a poster", "Run a refresher"])
def test_a_bar_is_no_wildcard(tmp_path, cell):
    dest = _custom(tmp_path, ("Run a refresher session on the five moments of hand hygiene for "
                              "all ward staff.", "Run a refresher | a poster on the five moments."))
    profiles = load_profiles_uncached(dest)
    sheets = _answered()[:1]
    src = _export(profiles, tmp_path, sheets, {0: {"sc_qi_methods_1_best": cell,
                                                   "sc_qi_methods_1_worst": "d"}})
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--profiles", str(dest))
    assert result.exit_code == 65
    assert f"must be one of the letters a, b, c, d, or an option's text (got \"{cell}\")" in result.stderr


def _calibration(path: Path) -> dict:
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["calibration"]


@functools.cache
def _original_calibration(path: Path) -> dict:
    """A bundled example's calibration, worked out once for the four exports made from it."""
    return _calibration(path)


@pytest.mark.parametrize("name", ["redcap-raw.csv", "redcap-labels.csv", "microsoft-forms.xlsx",
                                  "google-forms.csv"])




def _scenario_rows(profiles, tmp_path: Path, changes: dict[int, dict[str, str]], *, labels=False):
    sheets = [read_toml(p) for p in COHORT if "scenarios" in read_toml(p)][:5]
    header, rows = export_rows(profiles, sheets, labels=labels)
    names = {f.var: (label_headers(profiles)[f.var] if labels else f.var) for f in build_fields(profiles)}
    for i, cells in changes.items():
        for var, value in cells.items():
            rows[i][header.index(names[var])] = value
    return sheets, write_csv(tmp_path / "s.csv", header, rows)




