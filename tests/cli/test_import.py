"""`qim import`: survey exports in, one checked sheet per respondent out. (The habits of
the tools that write exports: test_import_formats.py; the scenario answers:
test_import_scenarios.py.)"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, make_sheet
from support.exports import export_rows, read_toml, run_import, write_csv
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.interop.fields import build_fields
from qim_cli.interop.importer import safe_stem
from qim_cli.interop.redcap import label_headers
from qim_cli.interop.rows import sheet_to_row
from qim_cli.sheets.answers import load_any, sheet_to_data

runner = CliRunner()
EXPORTS = EXAMPLES / "exports"
COHORT = sorted((EXAMPLES / "cohort").glob("qim-*.toml"))


# --- the examples: one export per tool, each back to the sheets it was made from ----------

@pytest.mark.parametrize("name,first,kind", [
    ("redcap-raw.csv", 0, "REDCap export (raw codes)"),
    ("redcap-labels.csv", 12, "REDCap export (labels)"),
    ("microsoft-forms.xlsx", 24, "Microsoft Forms export"),
    ("google-forms.csv", 36, "Google Forms export"),
])
def test_each_example_export_imports_to_the_sheets_it_came_from(tmp_path, name, first, kind):
    out = tmp_path / "sheets"
    result = run_import(str(EXPORTS / name), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"{kind}" in result.stderr and "12 rows read: 12 written" in result.stderr
    assert "ignored" not in result.stderr
    for original in COHORT[first:first + 12]:
        written = read_toml(out / original.name)
        # the day of answering comes from the tool (REDCap's @TODAY field, or the
        # completion time of Microsoft Forms and Google Forms)
        assert datetime.date(2026, 3, 2) <= written.pop("assessed_on") <= datetime.date(2026, 3, 31)
        assert written == read_toml(original), original.name
    assert len(result.stdout.split()) == 12
    # the scenario answers came back too (most of the cohort answered them, some did not)
    answered = [p for p in COHORT[first:first + 12] if "scenarios" in read_toml(p)]
    assert 0 < len(answered) < 12
    if "Forms" in kind:
        assert "(assessed_on from " in result.stderr


def test_example_ratings_spreadsheet_imports_as_rating_sheets(tmp_path, profiles):
    out = tmp_path / "ratings"
    result = run_import(str(EXPORTS / "ratings-spreadsheet.csv"), "--out", str(out), "--rater")
    assert result.exit_code == 0, result.stderr
    assert 'separator ";"' in result.stderr
    originals = sorted(p for p in (EXAMPLES / "360").glob("*.toml") if "self" not in p.name)
    written = sorted(out.glob("*.toml"))
    assert len(written) == len(originals) == 6
    assert sorted(str(read_toml(p)) for p in written) == sorted(str(read_toml(p)) for p in originals)
    # the 360 report reads them with the self-assessment
    report = runner.invoke(app, ["report", str(EXAMPLES / "360" / "rn-ward7-self.toml"), str(out),
                                 "--format", "json"])
    assert report.exit_code == 0, report.stderr


def test_example_exports_are_generated_from_the_current_framework(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(EXPORTS / "generate.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in EXPORTS.iterdir() if p.name != "generate.py")
    for made in tmp_path.iterdir():
        if made.suffix == ".csv":
            assert made.read_bytes() == (EXPORTS / made.name).read_bytes(), made.name
    from python_calamine import CalamineWorkbook

    def cells(p):
        return CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()

    assert cells(tmp_path / "microsoft-forms.xlsx") == cells(EXPORTS / "microsoft-forms.xlsx")


# --- the rules: bad rows, duplicates, unknown columns -------------------------------------

def test_bad_rows_are_named_by_row_and_column_and_the_others_are_written(tmp_path, profiles):
    sheets = [read_toml(p) for p in COHORT[:4]]
    header, rows = export_rows(profiles, sheets, labels=True)
    col = {h: i for i, h in enumerate(header)}
    hc01 = label_headers(profiles)["hc_01"]
    rows[1][col[hc01]] = "Every single day"
    rows[2][col["Years in a quality improvement role"]] = "seventy"
    rows[3][col["Your role before (or besides) quality improvement"]] = "Process or industrial engineer"
    src = write_csv(tmp_path / "g.csv", ["Timestamp", *header], [["x", *r] for r in rows])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    lines = result.stderr
    assert f'g.csv: row 3, column "{hc01[:59]}…": must be 1–5 or "na" (or a label: "Rarely or never" … "Almost always") (got "Every single day")' in lines
    assert 'g.csv: row 4, column "Years in a quality improvement role": must be a number (got "seventy")' in lines
    assert 'g.csv: row 5, column "Your role before (or besides) quality improvement": "process_engineer" is a traditional role, not clinical' in lines
    assert "4 rows read: 1 written to" in result.stderr and "3 bad" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["qim-001.toml"]


def test_out_of_range_years_is_reported_like_validate(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])])
    rows[0][header.index("years_as_qim")] = "75"
    src = write_csv(tmp_path / "x.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert 'x.csv: row 2, column "years_as_qim": must be at most 60 (got 75)' in result.stderr


def test_duplicated_respondents_are_reported_and_not_merged(tmp_path, profiles):
    sheets = [read_toml(p) for p in COHORT[:3]]
    sheets[1]["respondent"]["id"] = "qim-001"  # the same person twice
    sheets[2]["respondent"]["id"] = "QIM-001"  # differs only in case: the same file on many systems
    header, rows = export_rows(profiles, sheets + [read_toml(COHORT[3])])
    src = write_csv(tmp_path / "d.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert ('d.csv: row 2: respondent id "qim-001" and the ones on rows 3, 4 would share one file '
            "name (qim-001.toml, whatever the case); none of them is written (keep the right one "
            "and import again)") in result.stderr
    assert ('d.csv: row 4: respondent id "QIM-001" and the ones on rows 2, 3 would share one file '
            "name (qim-001.toml, whatever the case); none of them is written") in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["qim-004.toml"]


def test_unknown_columns_are_listed_and_known_tool_columns_skipped(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])], labels=True)
    header = ["Timestamp", "Email address", *header, "Favourite ward?"]
    rows = [["3/2/2026 9:00:00", "a@example.org", *rows[0], "Renal"]]
    src = write_csv(tmp_path / "g.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert ('g.csv: 1 column ignored (no question matches it; name it with --map): '
            '"Favourite ward?"') in result.stderr
    assert 'skipped the form\'s own columns: "Timestamp", "Email address"' in result.stderr


def test_a_reworded_question_is_ignored_and_said_so_then_mapped(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])], labels=True)
    hc01 = label_headers(profiles)["hc_01"]
    i = header.index(hc01)
    header[i] = "Q1. I find out how the work is done before proposing a change"
    src = write_csv(tmp_path / "g.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "a"))
    assert result.exit_code == 0
    assert '1 column ignored' in result.stderr and '"Q1. I find out how' in result.stderr
    assert "1 question has no column (left unanswered): \"hc_01\"" in result.stderr
    assert "hc_01" not in read_toml(tmp_path / "a" / "qim-001.toml")["answers"]
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Q1. I find out how the work is done before proposing a change" = "hc_01"\n')
    result = run_import(str(src), "--out", str(tmp_path / "b"), "--map", str(mapping))
    assert result.exit_code == 0, result.stderr
    assert read_toml(tmp_path / "b" / "qim-001.toml") == read_toml(COHORT[0])


def test_a_map_naming_an_unknown_question_is_refused(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])])
    src = write_csv(tmp_path / "x.csv", header, rows)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Q1" = "hc_1"\n')
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--map", str(mapping))
    assert result.exit_code == 65
    assert 'map.toml: columns."Q1": unknown question "hc_1" (did you mean "hc_01"?)' in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_with_no_question_or_no_respondent_id_is_refused_whole(tmp_path, profiles):
    src = write_csv(tmp_path / "x.csv", ["a", "b"], [["1", "2"]])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert "x.csv: no column matches a question of the self-assessment" in result.stderr
    header, rows = export_rows(profiles, [read_toml(COHORT[0])])
    i = header.index("respondent_id")
    src = write_csv(tmp_path / "y.csv", header[:i] + header[i + 1:], [rows[0][:i] + rows[0][i + 1:]])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert ('y.csv: no column holds "Your id for this self-check" (respondent_id), which every '
            "sheet needs") in result.stderr


def test_missing_file_is_66(tmp_path):
    result = run_import(str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 66 and "nope.csv: no such file" in result.stderr


# --- writing: never overwrite, safe names ----------------------------------------------------

def test_existing_sheets_are_kept_without_force(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(p) for p in COHORT[:2]])
    src = write_csv(tmp_path / "x.csv", header, rows)
    out = tmp_path / "out"
    out.mkdir()
    (out / "qim-001.toml").write_text("# my own edits\n")
    result = run_import(str(src), "--out", str(out))
    assert result.exit_code == 73
    assert "qim-001.toml already exists; kept it (use --force to overwrite)" in result.stderr
    assert (out / "qim-001.toml").read_text() == "# my own edits\n"
    assert (out / "qim-002.toml").is_file()
    result = run_import(str(src), "--out", str(out), "--force")
    assert result.exit_code == 0
    assert read_toml(out / "qim-001.toml") == read_toml(COHORT[0])


@pytest.mark.parametrize("text,expected", [
    ("qim-001", "qim-001"), ("../../etc/passwd", "etc_passwd"), ("con", "_con"),
    ("NUL.txt", "_NUL.txt"), ("a/b\\c:d", "a_b_c_d"), ("Zoë", "Zoe"), (".hidden", "hidden"),
    ("\x00\x1b[31m", "31m"), ("", "sheet"), ("x" * 200, "x" * 80),
])
def test_file_names_are_safe_whatever_the_ids_contain(text, expected):
    assert safe_stem(text) == expected


def test_rating_file_names_hold_subject_role_and_rater(tmp_path, profiles):
    sheets = [read_toml(p) for p in sorted((EXAMPLES / "360").glob("*peer*.toml"))]
    sheets[0]["rater"]["id"] = "p1"
    sheets[1]["rater"]["id"] = "p1"  # the same rater twice
    header, rows = export_rows(profiles, sheets, rater=True)
    src = write_csv(tmp_path / "r.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "out"), "--rater")
    assert result.exit_code == 65
    assert 'rating of "rn-ward7" by peer "p1" is also on row 3' in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["rn-ward7-peer-row4.toml"]


def test_importing_ratings_without_rater_explains_and_says_nothing_else(tmp_path):
    result = run_import(str(EXPORTS / "ratings-spreadsheet.csv"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 65
    assert result.stderr == (f"{EXPORTS / 'ratings-spreadsheet.csv'}: these are colleagues' "
                             "ratings (there is a column for the rater's role): import them "
                             "with --rater\n")


def test_a_mistyped_header_is_refused_with_a_suggestion(tmp_path):
    """hc_02 typed hc_2: every sheet would lack hc_02, so nothing is written (exit 65)."""
    text = (EXPORTS / "redcap-raw.csv").read_text(encoding="utf-8")
    src = tmp_path / "typo.csv"
    src.write_text(text.replace(",hc_02,", ",hc_2,", 1), encoding="utf-8")
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert result.stderr == (f'{src}: column "hc_2": no question has this name (did you mean '
                             '"hc_02"?); nothing is written: correct the header, or map it to '
                             '"hc_02" with --map\n')
    assert result.stdout == "" and not (tmp_path / "out").exists()


def test_a_question_with_a_word_mistyped_is_refused_with_the_question(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])], labels=True)
    hc01 = label_headers(profiles)["hc_01"]
    header[header.index(hc01)] = hc01.replace("work", "wrok")
    src = write_csv(tmp_path / "g.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert result.stderr == (
        f'{src}: column "Before I propose a change, I find out how the wrok is actua…": no '
        'question has this wording (did you mean the question "Before I propose a change, I '
        'find out how the work is actua…" (hc_01)?); nothing is written: correct the header, '
        'or map it to "hc_01" with --map\n')


def test_a_csv_named_xlsx_is_said_to_be_text(tmp_path):
    src = tmp_path / "answers.xlsx"
    src.write_bytes((EXPORTS / "redcap-raw.csv").read_bytes())
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert result.stderr == (f"{src}: this is text (CSV?), not an Excel or OpenDocument "
                             "workbook; name it .csv\n")


def test_the_redcap_data_dictionary_is_named_as_such(tmp_path):
    src = EXPORTS / "redcap-data-dictionary.csv"
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert result.stderr == (f"{src}: this is a REDCap data dictionary (the questions), not "
                             "the answers; import the records exported from REDCap (Data "
                             "Exports: CSV, raw data or labels)\n")


def test_out_naming_a_file_cannot_be_written_73(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("keep")
    result = run_import(str(EXPORTS / "redcap-raw.csv"), "--out", str(afile))
    assert result.exit_code == 73
    assert result.stderr == f"{afile}: not a folder (--out names the folder for the sheets)\n"
    assert afile.read_text() == "keep"


def test_written_sheets_pass_validate_and_report(tmp_path):
    out = tmp_path / "out"
    assert run_import(str(EXPORTS / "google-forms.csv"), "--out", str(out)).exit_code == 0
    check = runner.invoke(app, ["validate", *map(str, sorted(out.iterdir()))])
    assert check.exit_code == 0 and check.stdout.count(": valid (") == 12
    cohort = runner.invoke(app, ["cohort", str(out), "--format", "json"])
    assert cohort.exit_code == 0, cohort.stderr


def test_round_trip_of_a_made_sheet(tmp_path, profiles):
    sheet = make_sheet(profiles, answers={"hc_01": "na"}, context={"protected_time": "na"}, years=1.25,
                       setting="rural")
    data = sheet_to_data(sheet)
    header, rows = export_rows(profiles, [data])
    src = write_csv(tmp_path / "x.csv", header, rows)
    assert run_import(str(src), "--out", str(tmp_path / "out")).exit_code == 0
    assert load_any(tmp_path / "out" / "t-1.toml", profiles) == sheet


def test_the_guide_documents_import_and_export():
    guide = ROOT / "docs" / "guides" / "collecting"
    assert "qim import" in (guide / "import.md").read_text(encoding="utf-8")
    assert "qim export redcap" in (guide / "redcap.md").read_text(encoding="utf-8")


def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    import os

    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    result = run_import(str(fifo), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert "export.csv: is a named pipe (FIFO), not a regular file" in result.stderr


def test_dates_in_an_assessed_on_column_and_from_a_tool_timestamp(tmp_path, profiles):
    sheets = [read_toml(p) for p in COHORT[:4]]
    header, rows = export_rows(profiles, sheets)
    col = header.index("assessed_on")
    rows[0][col] = "14/03/2026"     # day first: the column is day/month/year...
    rows[1][col] = "02/03/2026"     # ...so this is 2 March
    rows[2][col] = "46083"          # an Excel day number (2026-03-02)
    rows[3][col] = "2026-02-30"
    src = write_csv(tmp_path / "d.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "a"))
    assert result.exit_code == 65
    assert 'd.csv: row 5, column "assessed_on": is not a real date (got "2026-02-30")' in result.stderr
    got = [read_toml(tmp_path / "a" / f"qim-00{i}.toml")["assessed_on"] for i in (1, 2, 3)]
    assert got == [datetime.date(2026, 3, 14), datetime.date(2026, 3, 2), datetime.date(2026, 3, 2)]
    # nothing in the column tells day from month: asked to write it plainly
    rows = [r[:] for r in rows[:2]]
    rows[0][col], rows[1][col] = "03/04/2026", "2026-03-05"
    src = write_csv(tmp_path / "e.csv", header, rows)
    result = run_import(str(src), "--out", str(tmp_path / "b"))
    assert result.exit_code == 65
    assert ('e.csv: row 2, column "assessed_on": "03/04/2026" could be day/month or month/day; '
            "write it as 2026-03-02") in result.stderr
    # without the column, a tool's completion time gives the date; an undecidable one is left out
    header, rows = export_rows(profiles, sheets[:2], labels=True)
    i = header.index("The date of this self-check")
    header, rows = header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows]
    src = write_csv(tmp_path / "g.csv", ["Timestamp", *header],
                     [["3/4/2026 10:00:00", *rows[0]], ["", *rows[1]]])
    result = run_import(str(src), "--out", str(tmp_path / "c"))
    assert result.exit_code == 0, result.stderr
    assert ('(assessed_on from "Timestamp", except 2 rows whose date is missing or could be '
            "day/month or month/day)") in result.stderr
    assert "assessed_on" not in read_toml(tmp_path / "c" / "qim-001.toml")


# --- the optional scenarios ------------------------------------------------------------------

def _calibration(path: Path) -> dict:
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["calibration"]


@pytest.mark.parametrize("name", ["redcap-raw.csv", "redcap-labels.csv", "microsoft-forms.xlsx",
                                  "google-forms.csv"])
def test_imported_scenarios_give_the_same_calibration_notes_as_the_original(tmp_path, name):
    out = tmp_path / "sheets"
    assert run_import(str(EXPORTS / name), "--out", str(out)).exit_code == 0
    compared = judged = 0
    for written in sorted(out.iterdir()):
        original = EXAMPLES / "cohort" / written.name
        if "scenarios" not in read_toml(original):
            assert "scenarios" not in read_toml(written)  # none answered: no [scenarios] at all
            assert _calibration(written) is None
            continue
        mine = _calibration(written)
        assert mine == _calibration(original) and mine["answered"] > 0, written.name
        judged += len(mine["competencies"])  # shares, chance bands and notes alike
        compared += 1
    assert compared >= 6 and judged > compared


def test_scenario_columns_are_named_by_variable_and_by_question(profiles):
    fields = {f.key: f for f in build_fields(profiles)}
    raw = (EXPORTS / "redcap-raw.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    best, worst = fields["scenarios.sc_qi_methods_1.best"], fields["scenarios.sc_qi_methods_1.worst"]
    assert (best.var, worst.var) == ("sc_qi_methods_1_best", "sc_qi_methods_1_worst")
    assert raw.index(best.var) + 1 == raw.index(worst.var)
    assert raw.index(best.var) > raw.index(next(f.var for f in fields.values() if f.table == "context"))
    google = next(csv.reader(io.StringIO((EXPORTS / "google-forms.csv").read_text(encoding="utf-8"))))
    assert ("Hand hygiene audits that look perfect. Which response would you be most likely to "
            "give?") in google


def _scenario_rows(profiles, tmp_path: Path, changes: dict[int, dict[str, str]], *, labels=False):
    sheets = [read_toml(p) for p in COHORT if "scenarios" in read_toml(p)][:5]
    header, rows = export_rows(profiles, sheets, labels=labels)
    names = {f.var: (label_headers(profiles)[f.var] if labels else f.var) for f in build_fields(profiles)}
    for i, cells in changes.items():
        for var, value in cells.items():
            rows[i][header.index(names[var])] = value
    return sheets, write_csv(tmp_path / "s.csv", header, rows)


# a bad scenario, a lone scenario column, labels and messages: tests/test_import_scenarios.py


def test_scenarios_by_option_text_and_capital_letters_and_none_at_all(tmp_path, profiles):
    sc = profiles.scenarios["sc_qi_methods_1"]
    text = {o.key: o.text for o in sc.option}
    sheets, src = _scenario_rows(profiles, tmp_path, {
        0: {"sc_qi_methods_1_best": text["d"].upper(), "sc_qi_methods_1_worst": " A "},
        1: {f.var: "" for f in build_fields(profiles) if f.kind == "option"},  # none answered
    })
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    first = read_toml(tmp_path / "out" / f"{sheets[0]['respondent']['id']}.toml")
    assert first["scenarios"]["sc_qi_methods_1"] == {"best": "d", "worst": "a"}
    second = read_toml(tmp_path / "out" / f"{sheets[1]['respondent']['id']}.toml")
    assert "scenarios" not in second  # a sheet without scenarios, valid as ever
    assert "no column" not in result.stderr  # optional: unanswered scenarios are not listed


def test_an_export_without_scenario_columns_imports_as_before(tmp_path, profiles):
    fields = [f for f in build_fields(profiles) if f.kind != "option"]
    data = read_toml(COHORT[0])
    row = sheet_to_row(data, fields)
    src = write_csv(tmp_path / "old.csv", [f.var for f in fields], [[row[f.var] for f in fields]])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    data.pop("scenarios")
    assert read_toml(tmp_path / "out" / "qim-001.toml") == data
