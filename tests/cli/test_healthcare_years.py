"""Years in healthcare: an optional respondent field that every way of answering carries,
and on which the advice for newcomers to healthcare depends (not the background alone).

An operations manager new to the QIM role but ten years in a hospital is not sent to the
induction for newcomers; a process engineer in their first year in healthcare is. Without
the field, the years as a QIM are taken as years in healthcare, and the report says so.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from support.assess import DETAILS, assess, planned, question_keys, read
from typer.testing import CliRunner

from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.errors import DataError
from qim_cli.interop.fields import build_fields
from qim_cli.interop.rows import sheet_to_row
from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.draft_file import Draft

runner = CliRunner()
INDUCTION = "healthcare_socialisation"
NEWCOMER_RULES = {"traditional-healthcare-newcomer-socialisation",
                  "traditional-healthcare-context-gap-newcomer"}


def _ops_manager(profiles, years_in_healthcare: float | None):
    """A traditional QIM in their first year in the role, weak in healthcare context."""
    sheet = make_sheet(profiles, background="traditional", role="operations_manager", years=0.5,
                       by_competency={"healthcare_context": 2})
    if years_in_healthcare is None:
        return sheet
    respondent = sheet.respondent.model_copy(update={"years_in_healthcare": years_in_healthcare})
    return sheet.model_copy(update={"respondent": respondent})


def _fired(result) -> set[str]:
    return {r.rule for rec in result.recommendations for r in rec.reasons}


def _trainings(result) -> set[str]:
    return {rec.training.id for rec in result.recommendations}


def test_ten_years_in_a_hospital_is_not_sent_to_the_induction_for_newcomers(profiles):
    veteran = build_result(_ops_manager(profiles, 10), profiles, "x")
    assert veteran.respondent.career_stage == "new" and veteran.respondent.years_in_healthcare == 10
    assert INDUCTION not in _trainings(veteran)
    assert not _fired(veteran) & NEWCOMER_RULES
    # the context gap still gets advice, the kind for someone who knows healthcare
    assert "traditional-healthcare-context-gap" in _fired(veteran)
    assert "clinical_shadowing" in _trainings(veteran)
    # the known gap is still flagged, and the target is the one every QIM at the stage has
    hc = next(c for c in veteran.competencies if c.id == "healthcare_context")
    assert hc.background_flag == "known_gap" and hc.target == profiles.target("new", "healthcare_context")


@pytest.mark.parametrize("years", [None, 0.5, 1.9])
def test_a_newcomer_to_healthcare_is_offered_the_induction(profiles, years):
    newcomer = build_result(_ops_manager(profiles, years), profiles, "x")
    assert INDUCTION in _trainings(newcomer)
    assert NEWCOMER_RULES <= _fired(newcomer)
    reason = next(r for rec in newcomer.recommendations for r in rec.reasons
                  if r.rule == "traditional-healthcare-newcomer-socialisation")
    (years_fired,) = [f for f in reason.because if f.condition == "years in healthcare < 2"]
    if years is None:  # the report says which figure it used, and how to give the real one
        assert years_fired.value.startswith("0.5 (not given: taken as the years as a QIM")
    else:
        assert years_fired.value == f"{years:g}"
    assert "whatever the scores: that is qim's own choice" in reason.message


def test_the_induction_never_depends_on_the_background_label_alone(profiles):
    """The same answers as a clinical QIM: no rule for newcomers from outside healthcare."""
    sheet = make_sheet(profiles, background="clinical", years=0.5,
                       by_competency={"healthcare_context": 2})
    assert INDUCTION not in _trainings(build_result(sheet, profiles, "x"))


# --------------------------------------------------------------------------- every way in


def test_template_json_schema_and_validate_carry_it(tmp_path):
    template = runner.invoke(app, ["template"]).stdout
    assert '# years_in_healthcare = ""' in template
    schema = json.loads(runner.invoke(app, ["schema", "answers"]).stdout)
    prop = json.dumps(schema)
    assert '"years_in_healthcare"' in prop
    sheet = tomllib.loads((EXAMPLES / "nurse-early-career.toml").read_text(encoding="utf-8"))
    sheet["respondent"]["years_in_healthcare"] = 75
    bad = tmp_path / "bad.toml"
    bad.write_text(tomli_w.dumps(sheet), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 65
    assert result.stderr == f"{bad}: respondent.years_in_healthcare: must be at most 60 (got 75)\n"
    sheet["respondent"]["years_in_healthcare"] = 14
    bad.write_text(tomli_w.dumps(sheet), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(bad)]).exit_code == 0
    doc = json.loads(runner.invoke(app, ["report", str(bad), "-f", "json"]).stdout)
    assert doc["respondent"]["years_in_healthcare"] == 14
    result_schema = json.loads(runner.invoke(app, ["schema", "result"]).stdout)
    assert "years_in_healthcare" in json.dumps(result_schema)


def test_assess_asks_it_after_the_years_as_a_qim_and_may_leave_it_out(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    given = DETAILS[:5] + ["12"] + DETAILS[6:]
    out = tmp_path / "with.toml"
    result = assess(["--out", str(out)], given + keys)
    assert result.exit_code == 0, result.stderr
    assert "Years working in healthcare, in any role (optional; Enter or - to leave it out)" in result.stderr
    assert read(out)["respondent"]["years_in_healthcare"] == 12.0
    # left out (Enter), it is not written; "ten" is refused with the keys to use
    out = tmp_path / "without.toml"
    result = assess(["--out", str(out)], DETAILS[:5] + ["ten", "-"] + DETAILS[6:] + keys)
    assert result.exit_code == 0, result.stderr
    assert "type a number of years from 0 to 60 (or - to leave it out)" in result.stderr
    assert "years_in_healthcare" not in read(out)["respondent"]


def test_a_draft_keeps_it_and_refuses_a_word(profiles):
    draft = Draft.new(profiles)
    draft.respondent.update({"id": "om-1", "background": "traditional", "role": "operations_manager",
                             "years_as_qim": 1, "years_in_healthcare": 10, "setting": None})
    again = Draft.from_data(json.loads(json.dumps(draft.to_data())), "d.json")
    assert again.respondent["years_in_healthcare"] == 10
    data = draft.to_data()
    data["respondent"]["years_in_healthcare"] = "ten"
    with pytest.raises(DataError, match=r"respondent\.years_in_healthcare"):
        Draft.from_data(data, "d.json")


def test_redcap_dictionary_form_and_import_carry_it(tmp_path, profiles):
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", "redcap"]).stdout)))
    row = next(r for r in rows if r["Variable / Field Name"] == "years_in_healthcare")
    assert row["Field Type"] == "text" and row["Text Validation Type OR Show Slider Number"] == "number"
    assert (row["Text Validation Min"], row["Text Validation Max"], row["Required Field?"]) == ("0", "60", "")
    # the offline form asks it, not required
    form = tmp_path / "form.html"
    assert runner.invoke(app, ["form", "-o", str(form)]).exit_code == 0
    assert 'data-key="respondent.years_in_healthcare"' in form.read_text(encoding="utf-8")
    # an export with the column: one sheet with it, one left blank, one bad row named
    fields = build_fields(profiles)
    header = [f.var for f in fields]
    sheets = [_ops_manager(profiles, 10), _ops_manager(profiles, None)]
    sheets = [s.model_copy(update={"respondent": s.respondent.model_copy(update={"id": f"om-{i}"})})
              for i, s in enumerate(sheets)]
    table = [[sheet_to_row(sheet_to_data(s), fields)[v] for v in header] for s in sheets]
    bad = list(table[0])
    bad[header.index("respondent_id")] = "om-bad"
    bad[header.index("years_in_healthcare")] = "ten"
    src = tmp_path / "export.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *table, bad])
    src.write_text(buf.getvalue(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 65
    assert 'export.csv: row 4, column "years_in_healthcare": must be a number (got "ten")' in result.stderr
    written = {p.name: tomllib.loads(p.read_text(encoding="utf-8"))
               for p in (tmp_path / "out").glob("*.toml")}
    assert written["om-0.toml"]["respondent"]["years_in_healthcare"] == 10
    assert "years_in_healthcare" not in written["om-1.toml"]["respondent"]
    assert sheet_to_data(sheets[0])["respondent"]["years_in_healthcare"] == 10


def test_the_bundled_examples_say_it_where_it_matters(profiles):
    engineer = tomllib.loads((EXAMPLES / "process-engineer-new.toml").read_text(encoding="utf-8"))
    manager = tomllib.loads((EXAMPLES / "operations-manager-experienced.toml").read_text(encoding="utf-8"))
    assert engineer["respondent"]["years_in_healthcare"] == engineer["respondent"]["years_as_qim"]
    assert manager["respondent"]["years_in_healthcare"] == 12
    path = Path(EXAMPLES / "process-engineer-new.toml")
    doc = json.loads(runner.invoke(app, ["report", str(path), "-f", "json"]).stdout)
    assert INDUCTION in {r["training"]["id"] for r in doc["recommendations"]}
