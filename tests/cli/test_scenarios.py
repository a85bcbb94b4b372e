"""The situational-judgement scenarios through the commands: `qim framework check` and its
linter, answer sheets, and the calibration notes in every report format. (The bundled file:
tests/framework/test_scenarios_file.py; the scoring: tests/assessment/test_calibration.py.)"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, make_sheet
from support.scenarios import outsider
from typer.testing import CliRunner

from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.render.formats import Layout
from qim_cli.render.person import BINARY, ReportFormat, render

runner = CliRunner()


# --------------------------------------------------------------------------- the bundled file


def test_framework_check_counts_the_scenarios_and_warns_about_none():
    result = runner.invoke(app, ["framework", "check"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip().endswith("14 scenarios")
    assert "scenarios.toml" not in result.stderr


# --------------------------------------------------------------------------- the linter


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    return dest


def _edit(dest: Path, old: str, new: str, count: int = 1) -> None:
    path = dest / "scenarios.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _check(dest: Path) -> tuple[int, list[str], str]:
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    return result.exit_code, result.stderr.splitlines(), result.stdout


@pytest.mark.parametrize("old, new, line", [
    ('competency = "systems_thinking"', 'competency = "system_thinking"',
     'scenario[sc_systems_thinking_1].competency: unknown competency "system_thinking" '
     '(did you mean "systems_thinking"?)'),
    ('key = "b"\n  text = "Introduce a quick-changeover', 'key = "a"\n  text = "Introduce a quick-changeover',
     "scenario[sc_healthcare_context_1].option: keys must be a, b, c and d, each once (got a, a, c, d)"),
    ("rank = 4\n  rationale = \"A manufacturing target imposed", "rank = 1\n  rationale = \"A manufacturing target imposed",
     "scenario[sc_healthcare_context_1].option: ranks must be 1, 2, 3 and 4, each once (got 2, 1, 1, 3)"),
    ('tripwire = "traditional"', 'tripwire = "manager"',
     'scenario[sc_healthcare_context_1].tripwire: unknown background "manager" (known: clinical, traditional)'),
    ('source = ["A"]\n  passage = "A: Discussion, contextual competence and insiders"',
     'source = ["A", "Z"]\n  passage = "A: Discussion, contextual competence and insiders"',
     'scenario[sc_healthcare_context_1].option[a].source: unknown source id "Z" (known: A, D, P, Q)'),
    ('passage = "A: Discussion, contextual competence and insiders"',
     'passage = "P: Discussion, contextual competence and insiders"',
     "scenario[sc_healthcare_context_1].option[a].passage: points into source \"P\", which the "
     "option's source does not list"),
    ('id = "sc_qi_methods_1"', 'id = "sc_healthcare_context_2"',
     'scenario id "sc_healthcare_context_2" is defined twice'),
    ('question = "What would you do first?"', 'question = "What would you do first?"\nhint = "x"',
     "scenario[sc_healthcare_context_1].hint: unknown field"),
    ("rank = 2\n  rationale = \"Bringing in clinical", "rank = 5\n  rationale = \"Bringing in clinical",
     "scenario[sc_healthcare_context_1].option[0].rank: must be at most 4 (got 5)"),
])
def test_linter_names_file_and_entry(tmp_path, old, new, line):
    dest = _copy(tmp_path)
    _edit(dest, old, new)
    code, lines, out = _check(dest)
    assert code == 65 and out == ""
    assert f"{dest / 'scenarios.toml'}: {line}" in lines, lines
    assert all(" line " not in x and "Traceback" not in x for x in lines)


def test_linter_warns_about_style_and_a_competency_without_scenario(tmp_path):
    dest = _copy(tmp_path)
    data = (dest / "scenarios.toml").read_text(encoding="utf-8")
    # drop the only motivating scenario
    start = data.index('[[scenario]]\nid = "sc_motivating_1"')
    end = data.index("[[scenario]]", start + 10)
    (dest / "scenarios.toml").write_text(data[:start] + data[end:], encoding="utf-8")
    _edit(dest, "The theatre nurses and anaesthetic technicians have not met you yet.",
          "The theatre nurses have not met you yet. Nor have the technicians. Nor the porters.")
    code, lines, out = _check(dest)
    assert code == 0 and out.rstrip().endswith("13 scenarios")
    name = dest / "scenarios.toml"
    assert f'warning: {name}: no scenario for competency "motivating"' in lines
    assert f"warning: {name}: scenario[sc_healthcare_context_1].situation: 6 sentences (3–5 read best)" in lines


def test_scenarios_are_optional(tmp_path, profiles):
    dest = _copy(tmp_path)
    (dest / "scenarios.toml").unlink()
    code, _lines, out = _check(dest)
    assert code == 0 and out.rstrip().endswith("0 scenarios")
    sheet = tmp_path / "s.toml"
    text = (ROOT / "examples" / "nurse-early-career.toml").read_text(encoding="utf-8")
    sheet.write_text(text + '\n[scenarios.sc_motivating_1]\nbest = "c"\nworst = "b"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(sheet), "--profiles", str(dest)])
    assert result.exit_code == 65
    assert result.stderr == (f"{sheet}: scenarios.sc_motivating_1: unknown scenario "
                             "(this profile set has no scenarios.toml)\n")


# --------------------------------------------------------------------------- answer sheets


def _sheet_text(extra: str) -> str:
    return (ROOT / "examples" / "nurse-early-career.toml").read_text(encoding="utf-8") + "\n" + extra


@pytest.mark.parametrize("extra, message", [
    ('[scenarios.sc_motivating_1]\nbest = "c"\nworst = "c"\n',
     'scenarios.sc_motivating_1: best and worst must be two different options (both "c")'),
    ('[scenarios.sc_motivating_1]\nbest = "e"\nworst = "b"\n',
     'scenarios.sc_motivating_1.best: must be "a", "b", "c" or "d" (got "e")'),
    ('[scenarios.sc_motivating_1]\nbest = "c"\n', "scenarios.sc_motivating_1.worst: required field missing"),
    ('[scenarios.sc_motivation_1]\nbest = "c"\nworst = "b"\n',
     'scenarios.sc_motivation_1: unknown scenario (did you mean "sc_motivating_1"?)'),
])
def test_bad_scenario_answers_are_one_line(extra, message):
    result = runner.invoke(app, ["validate", "-"], input=_sheet_text(extra))
    assert result.exit_code == 65
    assert result.stderr == f"<stdin>: {message}\n"


def test_sheet_schema_knows_the_scenarios(profiles):
    schema = json.loads(runner.invoke(app, ["schema", "answers"]).stdout)
    data = tomllib.loads(_sheet_text('[scenarios.sc_motivating_1]\nbest = "c"\nworst = "b"\n'))
    data["assessed_on"] = data["assessed_on"].isoformat()
    jsonschema.validate(data, schema)
    for bad in ({"best": "c", "worst": "c"}, {"best": "c"}, {"best": "c", "worst": "b", "x": 1}):
        data["scenarios"]["sc_motivating_1"] = bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema)
    data["scenarios"] = {"sc_nothing": {"best": "a", "worst": "b"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_template_offers_the_scenarios_commented_out(profiles):
    blank = runner.invoke(app, ["template", "--background", "clinical"]).stdout
    for sc in profiles.scenarios.values():
        assert f"# [scenarios.{sc.id}]" in blank
        assert f"# -- {sc.title} (" in blank
    assert "not a validated test" in blank
    assert not any(line.startswith("[scenarios") for line in blank.splitlines())


# --------------------------------------------------------------------------- reports


@pytest.fixture
def outsider_file(tmp_path, profiles) -> Path:
    import tomli_w

    from qim_cli.sheets.answers import sheet_to_data

    path = tmp_path / "outsider.toml"
    path.write_text(tomli_w.dumps(sheet_to_data(outsider(profiles))), encoding="utf-8")
    return path


# the PDF's words are read with pdftotext: that case is in the browser tier
@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.browser) if f is ReportFormat.pdf else f
                                 for f in ReportFormat])
def test_every_report_format_shows_the_scenarios_and_says_not_validated(fmt, outsider_file, tmp_path):
    if fmt is ReportFormat.pdf:  # the words of the PDF (tests/browser/test_pdf.py: the PDF itself)
        from support.browser import need_weasyprint, pdf_text

        need_weasyprint()
        out = tmp_path / "r.pdf"
        result = runner.invoke(app, ["report", str(outsider_file), "--format", "pdf", "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        text = " ".join(pdf_text(out).split())
    else:
        result = runner.invoke(app, ["report", str(outsider_file), "--format", fmt.value])
        assert result.exit_code == 0, result.stderr
        text = " ".join(result.stdout.split())
    assert "not a validated test" in text
    assert "may be generous" in text
    assert "Theatre turnaround in your first month" in text


def test_report_without_scenarios_has_no_scenario_section(profiles):
    sheet = make_sheet(profiles)
    result = build_result(sheet, profiles, "x")
    for fmt in ReportFormat:
        if fmt in BINARY:  # the PDF is the HTML printed (tests/browser/test_pdf.py)
            continue
        text = render(fmt, result, profiles, Layout())
        assert isinstance(text, str) and "validated test" not in text
    assert json.loads(render(ReportFormat.json, result, profiles, Layout()))["calibration"] is None


def test_json_report_with_scenarios_matches_the_result_schema(outsider_file):
    schema = json.loads(runner.invoke(app, ["schema", "result"]).stdout)
    doc: dict[str, Any] = json.loads(runner.invoke(app, ["report", str(outsider_file), "-f", "json"]).stdout)
    jsonschema.validate(doc, schema)
    assert doc["calibration"]["marked"] == 2.0
    assert {c["note"] for c in doc["calibration"]["competencies"]} == {"generous"}


def test_html_scenarios_section_is_escaped_and_labelled(outsider_file):
    html = runner.invoke(app, ["report", str(outsider_file), "-f", "html"]).stdout
    assert '<section id="scenarios" aria-labelledby="sc-h">' in html
    assert "&#34;The efficiency police&#34;" in html or "&quot;The efficiency police&quot;" in html
    assert html.count('data-note="generous"') == 2
