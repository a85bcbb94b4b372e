"""Context sheets through the outside formats: a REDCap survey that shows each level of
staff its own wording, its export imported back (raw codes and labels, a spreadsheet with
one column per question), and the offline form (in Chromium: tests/browser/test_context_form.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path

from conftest import EXAMPLES
from support.forms import check_redcap_rules, choices, export_dictionary, make_form
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.interop.context import context_fields, form_fields, level_code
from qim_cli.interop.redcap import label_headers
from qim_cli.interop.rows import sheet_to_row

runner = CliRunner()
CONTEXT = sorted((EXAMPLES / "context").glob("*.toml"))
EXPORTS = EXAMPLES / "exports"


def _data(path: Path) -> dict:
    """A sheet's data, without the generators' `synthetic = true`: a survey export knows
    nothing of it, so the sheets imported from one never carry it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.pop("synthetic", None)
    return data


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _export(profiles, sheets: list[dict], *, labels: bool = False) -> tuple[list[str], list[list[str]]]:
    """The records as REDCap exports them: one column per wording (raw names, or labels)."""
    fields = context_fields(profiles)
    names = label_headers(profiles, context=True) if labels else {f.var: f.var for f in fields}
    header = ["Record ID" if labels else "record_id", *(names[f.var] for f in fields)]
    rows = [[str(n), *(sheet_to_row(s, fields, labels=labels)[f.var] for f in fields)]
            for n, s in enumerate(sheets, start=1)]
    return header, rows


def _without_comments(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- REDCap


def test_the_context_dictionary_follows_redcap_rules_and_shows_each_level_its_wording(profiles):
    rows = export_dictionary("--context")
    check_redcap_rules(rows)
    assert {r["Form Name"] for r in rows} == {"qim_context"}
    by_name = {r["Variable / Field Name"]: r for r in rows}
    level = by_name["level"]
    assert (level["Field Type"], level["Required Field?"]) == ("dropdown", "y")
    assert choices(level["Choices, Calculations, OR Slider Labels"]) == [
        (k, v.label) for k, v in profiles.staff_levels.items()]
    assert by_name["respondent_id"]["Required Field?"] == "y"
    assert by_name["organisation"]["Required Field?"] == by_name["unit"]["Required Field?"] == ""
    assert by_name["assessed_on"]["Field Annotation"] == "@TODAY @HIDDEN-SURVEY"
    assert not any(r["Identifier?"] for r in rows)  # no name is asked
    scale = [(str(i), label) for i, label in enumerate(profiles.framework.scales.context.labels, 1)]
    # each question: every level sees exactly one wording of it, the one the profile set gives
    for q in profiles.context_items:
        fields = [r for r in rows if r["Variable / Field Name"] == q
                  or r["Variable / Field Name"].startswith(f"{q}_")]
        seen: dict[str, str] = {}
        for r in fields:
            assert r["Field Type"] == "radio" and r["Required Field?"] == "y"
            assert choices(r["Choices, Calculations, OR Slider Labels"]) == scale + [
                ("na", "Don't know")]
            logic = r["Branching Logic (Show field only if...)"]
            shown = re.findall(r"\[level\] = '([a-z_]+)'", logic) or list(profiles.staff_levels)
            for lv in shown:
                assert lv not in seen, (q, lv)
                seen[lv] = r["Field Label"]
        assert seen == {lv: profiles.context_text(q, lv).replace("&", "&amp;")
                        for lv in profiles.staff_levels}, q
    assert by_name["protected_time_fl"]["Branching Logic (Show field only if...)"] == (
        "[level] = 'front_line'")
    assert by_name["protected_time_sl"]["Branching Logic (Show field only if...)"] == (
        "[level] = 'senior_leaders' or [level] = 'board'")
    assert by_name["qi_infrastructure"]["Branching Logic (Show field only if...)"] == ""
    assert level_code("middle_managers") == "mm" and level_code("board") == "b"


def test_rater_and_context_are_two_kinds(tmp_path):
    for args in (["export", "redcap"], ["form"], ["import", "x.csv", "--out", str(tmp_path)]):
        result = runner.invoke(app, [*args, "--rater", "--context"])
        assert result.exit_code == 2, args
        assert result.stderr.splitlines()[-1].endswith(
            "--rater and --context are two different kinds of sheet: give one")


def test_a_redcap_export_of_the_examples_comes_back_as_the_same_sheets(tmp_path, profiles):
    """The round trip: dictionary -> REDCap's raw export -> qim import -> qim validate."""
    originals = {p.stem: _data(p) for p in CONTEXT}
    src = EXPORTS / "redcap-context-raw.csv"
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(src), "--context", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (f"{src}: REDCap export (raw codes); 58 rows read: "
                                             f"58 written to {out}, 0 bad")
    for path in sorted(out.glob("*.toml")):
        assert path.read_text(encoding="utf-8").startswith("# imported by qim import from ")
        assert _without_comments(path) == originals[path.stem], path.name
    check = runner.invoke(app, ["validate", "--complete", "-q", *map(str, sorted(out.glob("*.toml")))])
    assert check.exit_code == 0, check.stderr
    # the label export (headers are the questions' words) reads the same
    header, rows = _export(profiles, list(originals.values())[:12], labels=True)
    labels = _csv(tmp_path / "labels.csv", header, rows)
    again = runner.invoke(app, ["import", str(labels), "--context", "--out", str(tmp_path / "l")])
    assert again.exit_code == 0, again.stderr
    for path in (tmp_path / "l").glob("*.toml"):
        assert _without_comments(path) == originals[path.stem]


def test_a_spreadsheet_with_one_column_per_question_is_read_for_every_level(tmp_path, profiles):
    originals = [_data(p) for p in CONTEXT[:6]]
    fields = [f for f in context_fields(profiles, every_column=True) if not f.levels]
    header = [f.var for f in fields]
    rows = [[sheet_to_row(s, fields)[f.var] for f in fields] for s in originals]
    src = _csv(tmp_path / "sheet.csv", header, rows)
    result = runner.invoke(app, ["import", str(src), "--context", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "spreadsheet (columns named by question id)" in result.stderr
    for s in originals:
        assert _data(tmp_path / "out" / f"{s['respondent']['id']}.toml") == s


def test_an_answer_in_another_levels_column_is_a_bad_row_named_by_its_column(tmp_path, profiles):
    sheets = [_data(p) for p in CONTEXT[:3]]  # board members
    header, rows = _export(profiles, sheets)
    rows[1][header.index("protected_time_fl")] = "2"  # the front line's wording
    rows[2][header.index("protected_time_sl")] = "7"  # their own, out of range
    src = _csv(tmp_path / "export.csv", header, rows)
    result = runner.invoke(app, ["import", str(src), "--context", "--out", str(tmp_path / "out")])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == ('export.csv: row 3, column "protected_time_fl": answered, but this '
                        "wording is for front line, and the row's level is board member (clear "
                        "the answer, or correct the level)").replace("export.csv", str(src))
    assert lines[1] == (f'{src}: row 4, column "protected_time_sl": must be 1–5 or "na" (or a '
                        'label: "Strongly disagree" … "Strongly agree") (got "7")')
    assert sorted(p.name for p in (tmp_path / "out").glob("*.toml")) == [
        f"{sheets[0]['respondent']['id']}.toml"]
    # a column for every level beside a column for one level of the same question: refused
    header.append("protected_time")
    for row in rows:
        row.append("")
    src = _csv(tmp_path / "both.csv", header, rows)
    both = runner.invoke(app, ["import", str(src), "--context", "--out", str(tmp_path / "o2")])
    assert both.exit_code == 65
    assert both.stderr.splitlines()[0] == (
        f'{src}: columns "protected_time_fl" and "protected_time" both hold '
        'context.protected_time; map one of them to "ignore" with --map')


def test_a_context_export_without_context_is_named_and_a_self_assessment_export_with_it(tmp_path, profiles):
    header, rows = _export(profiles, [_data(p) for p in CONTEXT[:2]])
    src = _csv(tmp_path / "export.csv", header, rows)
    result = runner.invoke(app, ["import", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 65
    assert result.stderr == (f"{src}: these are context sheets (there is a column for the level "
                             "of staff): import them with --context\n")
    own = EXPORTS / "redcap-raw.csv"
    wrong = runner.invoke(app, ["import", str(own), "--context", "--out", str(tmp_path / "o")])
    assert wrong.exit_code == 65
    assert wrong.stderr.splitlines()[0] == (
        f'{own}: no column matches a question of the context sheet (by its id, or by the exact '
        "wording of the current framework); name the columns with --map")


# --------------------------------------------------------------------------- the offline form


def test_the_context_form_asks_each_question_once_with_every_levels_wording(tmp_path, profiles):
    html = make_form(tmp_path, "--context").read_text(encoding="utf-8")
    assert "<title>qim questions about your workplace (framework" in html
    config = json.loads(re.search(r'<script type="application/json" id="qim-config">(.*?)</script>',
                                  html, re.S)[1])
    assert config["kind"] == "context"
    keys = [f["key"] for f in config["fields"]]
    assert keys == [f.key for f in form_fields(profiles) if not f.automatic]
    assert len([k for k in keys if k.startswith("context.")]) == len(profiles.context_items)
    assert config["wordings"]["context.protected_time"]["front_line"] == (
        profiles.context_text("protected_time", "front_line"))
    assert 'data-key="respondent.level"' in html and 'data-key="scenarios.' not in html
