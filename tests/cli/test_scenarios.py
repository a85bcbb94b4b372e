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
from support.scenarios import insider, key_of, outsider, with_scenarios
from typer.testing import CliRunner

from qim_cli.assessment.calibration import SELF_HIGH, SELF_LOW, calibrate, pick_points
from qim_cli.assessment.report import build_result
from qim_cli.assessment.scoring import score_sheet
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


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize("best, worst, points", [
    (1, 4, 2.0), (1, 3, 1.67), (2, 4, 1.67), (2, 3, 1.33), (3, 2, 0.67), (4, 1, 0.0), (4, 2, 0.33),
])
def test_pick_points_give_partial_credit_by_rank_distance(best, worst, points):
    assert pick_points(best, worst) == points


def test_random_picks_earn_one_point_on_average():
    total = [pick_points(b, w) for b in range(1, 5) for w in range(1, 5) if b != w]
    assert sum(total) / len(total) == pytest.approx(1.0, abs=0.01)






def test_over_confident_outsider_is_flagged_generous(profiles):
    sheet = outsider(profiles)
    cal = calibrate(sheet, profiles, score_sheet(sheet, profiles))
    assert cal is not None and cal.answered == 3 and cal.offered == 14
    assert cal.chance == 0.5
    by = {c.competency: c for c in cal.competencies}
    assert set(by) == {"healthcare_context", "trustworthiness"}
    hc = by["healthcare_context"]
    # two scenarios, both picked the wrong way round: 0 of 12 thirds; random picks do that
    # 1 time in 144, below the 5% tail: beyond chance, with a self-rating of 5
    assert (hc.scenarios, hc.points, hc.max_points, hc.share, hc.chance_low, hc.chance_high,
            hc.beyond_chance, hc.self_score) == (2, 0.0, 4.0, 0.0, 0.167, 0.833, "below", 5.0)
    assert hc.note == "generous"
    assert hc.prompt.startswith("Your self-rating in Healthcare context (5 of 5) may be generous: "
                                "your scenario answers earned 0% of the best-response points, "
                                "below what random picks give (random picks: 50% on average, "
                                "17%–83% nine times in ten).")
    # one scenario: random picks score 0 one time in 12 (8%): within chance, so no note
    tr = by["trustworthiness"]
    assert (tr.share, tr.chance_low, tr.chance_high, tr.beyond_chance, tr.note, tr.prompt) == \
        (0.0, 0.0, 1.0, None, None, None)
    # the outsider's misstep, chosen as most likely, is pointed out with the known gap
    trips = [s for s in cal.scenarios if s.tripwire]
    assert [s.id for s in trips] == ["sc_healthcare_context_1", "sc_healthcare_context_2",
                                     "sc_trustworthiness_1"]
    assert trips[0].background_note == profiles.known_gaps["traditional"]["healthcare_context"]
    assert ("the misstep that, on qim's reading, the study describes among QIMs of your "
            "background (Traditional QIM)") in trips[0].tripwire


def test_modest_insider_is_flagged_modest(profiles):
    sheet = insider(profiles)
    cal = calibrate(sheet, profiles, score_sheet(sheet, profiles))
    by = {c.competency: c for c in cal.competencies}
    st = by["systems_thinking"]
    # 12 of 12 thirds: random picks do that 1 time in 144
    assert (st.points, st.max_points, st.share, st.beyond_chance, st.self_score, st.note) == \
        (4.0, 4.0, 1.0, "above", 2.0, "modest")
    assert by["long_term_thinking"].note is None  # one scenario: within chance
    assert "may be modest" in st.prompt
    assert not any(s.tripwire for s in cal.scenarios)  # best picks are never the last-ranked


def test_calibrated_profile_is_not_flagged(profiles):
    sheet = make_sheet(profiles, background="clinical", default=4)
    picks = {sid: (key_of(profiles, sid, 1), key_of(profiles, sid, 3)) for sid in profiles.scenarios}
    cal = calibrate(with_scenarios(sheet, picks), profiles, score_sheet(sheet, profiles))
    assert cal.answered == 14 and len(cal.competencies) == 10
    # 5 thirds of 6 per scenario: 83%; with two scenarios 10 of 12, which random picks reach
    # or pass 15 times in 144 (10%): within chance
    assert all(c.share == 0.833 and c.beyond_chance is None and c.note is None
               and c.prompt is None for c in cal.competencies)


def test_a_note_needs_a_judgement_beyond_chance_and_a_self_rating_the_other_way(profiles):
    assert (SELF_HIGH, SELF_LOW) == (3.5, 2.5)
    sids = ("sc_systems_thinking_1", "sc_systems_thinking_2")
    last_first = {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1)) for sid in sids}
    for level, note in ((4, "generous"), (3, None)):  # 0 of 12 thirds: below chance
        sheet = with_scenarios(make_sheet(profiles, by_competency={"systems_thinking": level}),
                               last_first)
        (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
        assert (c.beyond_chance, c.note) == ("below", note), level
    best_first = {sid: (key_of(profiles, sid, 1), key_of(profiles, sid, 4)) for sid in sids}
    for level, note in ((2, "modest"), (3, None)):  # 12 of 12: above chance
        sheet = with_scenarios(make_sheet(profiles, by_competency={"systems_thinking": level}),
                               best_first)
        (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
        assert (c.beyond_chance, c.note) == ("above", note), level
    # one scenario picked the wrong way round is within chance (1 in 12), whatever the rating
    sid = "sc_motivating_1"
    sheet = with_scenarios(make_sheet(profiles, by_competency={"motivating": 5}),
                           {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1))})
    (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
    assert (c.share, c.beyond_chance, c.note) == (0.0, None, None)


def test_insufficient_self_rating_gets_a_judgement_but_no_note(profiles):
    comp = profiles.competencies["systems_thinking"]
    sheet = make_sheet(profiles, answers={i.id: "na" for i in comp.items})
    sids = ("sc_systems_thinking_1", "sc_systems_thinking_2")
    sheet = with_scenarios(sheet, {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1))
                                   for sid in sids})
    (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
    assert (c.self_score, c.share, c.beyond_chance, c.note) == (None, 0.0, "below", None)


def test_calibration_never_changes_scores_or_plan(profiles):
    sheet = outsider(profiles)
    plain = sheet.model_copy(update={"scenarios": {}})
    with_cal, without = build_result(sheet, profiles, "x"), build_result(plain, profiles, "x")
    assert without.calibration is None and with_cal.calibration is not None
    assert with_cal.model_dump(exclude={"calibration"}) == without.model_dump(exclude={"calibration"})


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
    assert doc["calibration"]["chance"] == 0.5
    assert [c["note"] for c in doc["calibration"]["competencies"]] == ["generous", None]
    assert not {"judgement", "difference"} & set(doc["calibration"]["competencies"][0])


def test_html_scenarios_section_is_escaped_and_labelled(outsider_file):
    html = runner.invoke(app, ["report", str(outsider_file), "-f", "html"]).stdout
    assert '<section id="scenarios" aria-labelledby="sc-h">' in html
    assert "&#34;The efficiency police&#34;" in html or "&quot;The efficiency police&quot;" in html
    assert html.count('data-note="generous"') == 1
