"""Organisation and unit: optional on every sheet (a QIM's and a colleague's), carried by
every way in (template, the self-check, its draft, the form, REDCap, import), checked by
validate and the JSON Schemas, and by every way out (score, report); a cohort is grouped by
them under --min-group like by any other detail."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import DataError
from qim_cli.interop.fields import build_fields
from qim_cli.interop.rows import sheet_to_row
from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.draft_file import Draft

runner = CliRunner()
COHORT = EXAMPLES / "cohort"


def _placed(profiles, rid: str, organisation: str | None, unit: str | None = None, **kw) -> dict:
    data = sheet_to_data(make_sheet(profiles, rid=rid, **kw))
    if organisation is not None:
        data["respondent"]["organisation"] = organisation
    if unit is not None:
        data["respondent"]["unit"] = unit
    return data


def _write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- every way in


def test_templates_offer_them_and_validate_and_the_schemas_check_them(tmp_path, profiles):
    assert '# organisation = ""    # optional: your organisation' in runner.invoke(app, ["template"]).stdout
    rater = runner.invoke(app, ["template", "--rater", "peer", "--subject", "x"]).stdout
    assert '# unit = ""             # optional: your service or department' in rater
    good = _placed(profiles, "a-1", "Northbridge Health", "Ward 7")
    path = _write(tmp_path, "good", good)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    answers = json.loads(runner.invoke(app, ["schema", "answers"]).stdout)
    assert list(jsonschema.Draft202012Validator(answers).iter_errors(
        json.loads(json.dumps(good, default=str)))) == []
    for bad_value, message in (("  ", 'must be a name on one line, printable, without spaces at '
                                      'either end (got "  ")'),
                               ("Ward\t7", 'must be a name on one line, printable, without spaces '
                                           'at either end (got "Ward?7")'),
                               ("W" * 101, "is too long (at most 100 characters)")):
        bad = _placed(profiles, "a-1", "Northbridge Health", bad_value)
        path = _write(tmp_path, "bad", bad)
        result = runner.invoke(app, ["validate", str(path)])
        assert result.exit_code == 65
        assert result.stderr == f"{path}: respondent.unit: {message}\n"
        assert list(jsonschema.Draft202012Validator(answers).iter_errors(
            json.loads(json.dumps(bad, default=str)))), bad_value
    # a colleague's rating names where the colleague works
    rating = tomllib.loads((EXAMPLES / "360" / "rn-ward7-peer-p1.toml").read_text(encoding="utf-8"))
    rating["rater"]["organisation"] = "Northbridge Health"
    path = _write(tmp_path, "peer", rating)
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    rating_schema = json.loads(runner.invoke(app, ["schema", "rating"]).stdout)
    assert list(jsonschema.Draft202012Validator(rating_schema).iter_errors(rating)) == []
    rating["rater"]["organisation"] = " "
    assert list(jsonschema.Draft202012Validator(rating_schema).iter_errors(rating))
    # a self-assessment's [rater] is only who filled it in
    own = {**good, "rater": {"role": "self", "organisation": "Northbridge Health"}}
    path = _write(tmp_path, "own", own)
    assert runner.invoke(app, ["validate", str(path)]).stderr == (
        f"{path}: rater.organisation: unknown field\n")


def test_the_draft_keeps_them_and_refuses_a_number(profiles):
    draft = Draft.new(profiles)
    draft.respondent.update({"id": "a-1", "organisation": "Northbridge Health", "unit": None})
    again = Draft.from_data(json.loads(json.dumps(draft.to_data())), "d.json")
    assert again.respondent["organisation"] == "Northbridge Health"
    data = draft.to_data()
    data["respondent"]["unit"] = 7
    with pytest.raises(DataError, match=r"respondent\.unit"):
        Draft.from_data(data, "d.json")


def test_the_self_check_refuses_a_name_too_long_and_leaves_them_out_on_enter():
    from qim_cli.sheets.flow import Step, interpret

    step = Step("respondent.organisation", "respondent", "organisation", "text", "x", "y",
                optional=True)
    assert interpret(step, "", has_earlier=False).action == "answer"
    assert interpret(step, "", has_earlier=False).value is None
    too_long = interpret(step, "N" * 101, has_earlier=False)
    assert (too_long.action, too_long.hint) == ("invalid", "at most 100 printable characters")
    assert interpret(step, "  Northbridge Health ", has_earlier=False).value == "Northbridge Health"


def test_redcap_form_and_import_carry_them_for_self_assessments_and_ratings(tmp_path, profiles):
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", "redcap"]).stdout)))
    by_name = {r["Variable / Field Name"]: r for r in rows}
    for var in ("organisation", "unit"):
        assert (by_name[var]["Field Type"], by_name[var]["Required Field?"]) == ("text", "")
    rater_rows = runner.invoke(app, ["export", "redcap", "--rater"]).stdout
    assert "rater_organisation,qim_rating" in rater_rows and "rater_unit,qim_rating" in rater_rows
    form = tmp_path / "form.html"
    assert runner.invoke(app, ["form", "-o", str(form)]).exit_code == 0
    assert 'data-key="respondent.organisation"' in form.read_text(encoding="utf-8")
    # an export with the columns: given, left blank, and one that is not a name on one line
    fields = build_fields(profiles)
    header = [f.var for f in fields]
    sheets = [_placed(profiles, "o-1", "Northbridge Health", "Ward 7"),
              _placed(profiles, "o-2", None), _placed(profiles, "o-3", "Ridgeway Health")]
    table = [[sheet_to_row(s, fields)[v] for v in header] for s in sheets]
    table[2][header.index("unit")] = " Ward 9"  # a cell's spaces are trimmed, as for any text
    bad = list(table[0])
    bad[header.index("respondent_id")] = "o-4"
    bad[header.index("organisation")] = "Line\none"
    src = tmp_path / "export.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *table, bad])
    src.write_text(buf.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 65
    assert (f'{src}: row 5, column "organisation": must be a name on one line, printable, '
            'without spaces at either end (got "Line?one")') in result.stderr.splitlines()
    written = {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))["respondent"]
               for p in (tmp_path / "out").glob("*.toml")}
    assert (written["o-1"]["organisation"], written["o-1"]["unit"]) == ("Northbridge Health", "Ward 7")
    assert "organisation" not in written["o-2"] and written["o-3"]["unit"] == "Ward 9"
    # ratings: the rater's organisation and unit
    rater_fields = build_fields(profiles, rater=True)
    rating = tomllib.loads((EXAMPLES / "360" / "rn-ward7-peer-p1.toml").read_text(encoding="utf-8"))
    rating["rater"].update({"organisation": "Northbridge Health", "unit": "Ward 7"})
    row = sheet_to_row(rating, rater_fields)
    src = tmp_path / "ratings.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[f.var for f in rater_fields],
                                                      [row[f.var] for f in rater_fields]])
    src.write_text(buf.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "--rater", "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.stderr
    (made,) = (tmp_path / "r").glob("*.toml")
    assert tomllib.loads(made.read_text(encoding="utf-8"))["rater"] == {
        "role": "peer", "organisation": "Northbridge Health", "unit": "Ward 7"}


# --------------------------------------------------------------------------- every way out


def test_score_and_report_carry_them():
    result = runner.invoke(app, ["score", str(COHORT / "qim-001.toml"), str(COHORT / "qim-002.toml")])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[header.index("setting") + 1:header.index("setting") + 3] == ["organisation", "unit"]
    assert (rows[0]["organisation"], rows[0]["unit"]) == ("Ridgeway Health", "Medicine")
    scored = json.loads(runner.invoke(app, ["score", str(COHORT / "qim-001.toml"), "-f", "json"]).stdout)
    assert (scored[0]["organisation"], scored[0]["unit"]) == ("Ridgeway Health", "Medicine")
    plain = json.loads(runner.invoke(app, ["score", str(EXAMPLES / "nurse-early-career.toml"),
                                           "-f", "jsonl"]).stdout)
    assert plain["organisation"] is None and plain["unit"] is None
    report = json.loads(runner.invoke(app, ["report", str(COHORT / "qim-001.toml"), "-f", "json"]).stdout)
    assert (report["respondent"]["organisation"], report["respondent"]["unit"]) == (
        "Ridgeway Health", "Medicine")
    schema = json.loads(runner.invoke(app, ["schema", "result"]).stdout)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(report)) == []


def test_a_formula_in_an_organisation_is_neutralised_in_the_csv(tmp_path, profiles):
    path = _write(tmp_path, "f", _placed(profiles, "f-1", "=HYPERLINK(1)", "@unit"))
    row = next(csv.DictReader(io.StringIO(runner.invoke(app, ["score", str(path)]).stdout)))
    assert (row["organisation"], row["unit"]) == ("'=HYPERLINK(1)", "'@unit")


def _cohort(*args: str) -> dict:
    result = runner.invoke(app, ["cohort", *args, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_cohort_by_organisation_is_a_grouping_like_the_others_under_min_group(tmp_path, profiles):
    folder = tmp_path / "c"
    sizes = {"Northbridge Health": 6, "Ridgeway Health": 5, "Eastbay Health": 2}
    for org, n in sizes.items():
        for i in range(n):
            _write(folder, f"{org[:2]}-{i}", _placed(profiles, f"{org[:2]}-{i}", org))
    _write(folder, "none", _placed(profiles, "none-1", None))
    doc = _cohort(str(folder), "--by", "organisation", "--min-group", "5")
    assert doc["by"] == "organisation" and doc["n"] == 14
    # Eastbay (2) and "not given" (1) are too small; no complement is needed for two
    assert [(g["label"], g["n"]) for g in doc["groups"]] == [("Northbridge Health", 6),
                                                             ("Ridgeway Health", 5)]
    assert doc["suppressed"] == ["Eastbay Health", "not_given"]
    # one small group alone: the smallest shown one is withheld with it
    (folder / "none.toml").unlink()
    for i in range(2):
        (folder / f"Ea-{i}.toml").unlink()
    _write(folder, "Ea-0", _placed(profiles, "Ea-0", "Eastbay Health"))
    doc = _cohort(str(folder), "--by", "organisation", "--min-group", "5")
    assert [g["label"] for g in doc["groups"]] == ["Northbridge Health"]
    assert doc["suppressed"] == ["Eastbay Health", "Ridgeway Health"]
    assert any("so that the hidden group cannot be worked out" in n for n in doc["notes"])
    # every count shown rests on at least --min-group people
    for g in doc["groups"]:
        assert g["n"] >= 5 and all(c["n"] in (0,) or c["n"] >= 5 for c in g["competencies"])


def test_cohort_by_unit_keeps_two_organisations_units_apart():
    doc = _cohort(str(COHORT), "--by", "unit")
    assert [(g["label"], g["n"]) for g in doc["groups"]] == [
        ("Northbridge Health: Medicine", 12), ("Northbridge Health: Quality improvement office", 5),
        ("Northbridge Health: Surgery and critical care", 8), ("Ridgeway Health: Medicine", 8),
        ("Ridgeway Health: Quality improvement office", 6),
        ("Ridgeway Health: Surgery and critical care", 9)]
    by_org = _cohort(str(COHORT), "--by", "organisation")
    assert [(g["label"], g["n"]) for g in by_org["groups"]] == [("Northbridge Health", 25),
                                                               ("Ridgeway Health", 23)]
    # the default grouping is as it was: the organisations change nothing else
    assert [g["group"] for g in _cohort(str(COHORT))["groups"]] == ["clinical", "traditional"]


def test_compare_cohort_groups_by_organisation_too():
    result = runner.invoke(app, ["compare-cohort", str(COHORT), str(EXAMPLES / "cohort-after"),
                                 "--by", "organisation", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [g["group"] for g in doc["groups"]] == ["Northbridge Health", "Ridgeway Health"]
