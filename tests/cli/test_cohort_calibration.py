"""`qim cohort`: self-rating against scenario judgement per group, under the privacy rule.
(The records of a batch: tests/cohort/test_calibration_records.py.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import tomli_w
from conftest import EXAMPLES, make_sheet
from hypothesis import given
from hypothesis import strategies as st
from support.scenarios import cohort_calibrated, cohort_insider, cohort_outsider
from typer.testing import CliRunner

from qim_cli.assessment.calibration import (
    beyond_chance,
    calibration_bytes,
    chance_band,
    decode_judgements,
)
from qim_cli.assessment.scoring import score_sheet
from qim_cli.cli.app import app
from qim_cli.cohort.calibration import kind_of
from qim_cli.cohort.records import record_from_sheet
from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.models import AnswerSheet

runner = CliRunner()


def write(folder: Path, sheet: AnswerSheet) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sheet.respondent.id}.toml").write_text(tomli_w.dumps(sheet_to_data(sheet)),
                                                         encoding="utf-8")


def cohort(folder: Path, *args: str, fmt: str = "json") -> str:
    # the table as wide as its columns need, as in a file (a terminal's width may wrap cells)
    result = runner.invoke(app, ["cohort", str(folder), "--format", fmt, *args],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_record_keeps_three_bytes_per_competency_only_when_scenarios_were_answered(profiles):
    plain = record_from_sheet(make_sheet(profiles), profiles, "x")
    assert plain.calibration == b""
    rec = record_from_sheet(cohort_outsider(profiles, 1), profiles, "x")
    assert len(rec.calibration) == 3 * len(profiles.competencies)
    judged = dict(zip(profiles.competencies, decode_judgements(rec.calibration), strict=True))
    # (scenarios, points in thirds, note): two scenarios at 0 beyond chance with a self-rating
    # of 5; one scenario at 0 within chance
    assert judged["healthcare_context"] == (2, 0, "generous")
    assert judged["trustworthiness"] == (1, 0, None)
    assert all(v is None for k, v in judged.items()
               if k not in ("healthcare_context", "trustworthiness"))


def test_batch_bytes_agree_with_the_report(profiles):
    for sheet in (cohort_outsider(profiles, 1), cohort_insider(profiles, 1), cohort_calibrated(profiles, 1)):
        a = score_sheet(sheet, profiles)
        from qim_cli.assessment.calibration import calibrate

        report = {c.competency: c for c in calibrate(sheet, profiles, a).competencies}
        for cid, judged in zip(profiles.competencies, decode_judgements(
                calibration_bytes(sheet, profiles, a)), strict=True):
            if cid in report:
                c = report[cid]
                assert judged == (c.scenarios, round(c.points * 3), c.note)
            else:
                assert judged is None


@given(st.integers(1, 3), st.integers(0, 18))
def test_beyond_chance_is_outside_the_chance_band(scenarios, thirds):
    thirds = min(thirds, 6 * scenarios)
    low, high = chance_band(scenarios)
    top = 6 * scenarios
    side = beyond_chance(thirds, scenarios)
    assert (side == "below") == (thirds < round(low * top))
    assert (side == "above") == (thirds > round(high * top))


def test_kind_of_a_person_follows_their_notes():
    assert kind_of([None, None]) == "calibrated"
    assert kind_of(["generous", None]) == "generous"
    assert kind_of(["modest"]) == "modest"
    assert kind_of(["generous", "modest"]) == "mixed"


def test_groups_show_who_rates_above_and_below_their_judgement(profiles, tmp_path):
    for i in range(5):
        write(tmp_path, cohort_outsider(profiles, i))
        write(tmp_path, cohort_insider(profiles, i))
        write(tmp_path, cohort_calibrated(profiles, i))
    write(tmp_path, make_sheet(profiles, rid="no-scenarios"))
    # every count worked by hand, the smallest shown too (the privacy rule: a test of its own)
    doc = json.loads(cohort(tmp_path, "--min-group", "1"))["calibration"]
    assert doc["people"] == 15 and doc["withheld"] == [] and doc["note"] is None
    cols = {c["group"]: c for c in doc["columns"]}
    assert list(cols) == ["overall", "clinical", "traditional"]
    trad, clin = cols["traditional"], cols["clinical"]
    assert (trad["people"], trad["generous"], trad["modest"], trad["calibrated"]) == (5, 5, 0, 0)
    assert (clin["people"], clin["generous"], clin["modest"], clin["calibrated"]) == (10, 0, 5, 5)
    assert clin["modest_share"] == 0.5
    assert trad["share"] == 0.0 and cols["overall"]["share"] is not None
    by = {c["id"]: c for c in trad["competencies"]}
    assert by["healthcare_context"] == {"id": "healthcare_context", "label": "Healthcare context",
                                        "answered": 5, "share": 0.0, "below_chance": 5,
                                        "above_chance": 0, "generous": 5, "modest": 0,
                                        "suppressed": False, "withheld": {}}
    assert by["trustworthiness"]["below_chance"] == 0  # one scenario: never beyond chance
    assert by["qi_methods"]["answered"] == 0 and by["qi_methods"]["share"] is None
    st_clin = {c["id"]: c for c in clin["competencies"]}["systems_thinking"]
    # five insiders at 12 of 12 thirds (above chance), five calibrated people at 10 of 12
    # (within): (60 + 50) / 120
    assert (st_clin["answered"], st_clin["share"], st_clin["above_chance"],
            st_clin["below_chance"], st_clin["modest"]) == (10, 0.917, 5, 0, 5)
    assert doc["chance"] == 0.5
    assert not any("mean_difference" in c for c in doc["columns"])
    # the overall figures count everyone who answered scenarios
    assert cols["overall"]["people"] == 15 and cols["overall"]["mixed"] == 0


def test_small_groups_are_withheld_with_a_complement(profiles, tmp_path):
    for i in range(6):
        write(tmp_path, cohort_insider(profiles, i))
    for i in range(2):
        write(tmp_path, cohort_outsider(profiles, i))
    for i in range(6):  # traditional people enough for the group, but only two answered scenarios
        write(tmp_path, make_sheet(profiles, background="traditional", rid=f"t-{i}"))
    doc = json.loads(cohort(tmp_path))
    assert doc["suppressed"] == []  # both groups are shown elsewhere in the report
    cal = doc["calibration"]
    # traditional (2 with scenarios) is withheld, and clinical with it, or it could be worked out
    assert cal["withheld"] == ["clinical", "traditional"]
    assert [c["group"] for c in cal["columns"]] == ["overall"]
    assert cal["columns"][0]["people"] == 8
    assert "not shown on their own" in cal["note"]
    for fmt in ("markdown", "table", "html"):
        text = cohort(tmp_path, fmt=fmt)
        section = text[text.index("Scenario judgement, and"):].split("Reliability")[0]
        # named in the note that says it is withheld, never as a column
        assert "Clinical QIM, Traditional QIM: not shown on their own" in " ".join(
            section.split()), fmt
        assert "Traditional QIM</th>" not in section and "| Traditional QIM |" not in section
    rows = list(csv.DictReader(io.StringIO(cohort(tmp_path, fmt="csv"))))
    assert {r["group"] for r in rows if r["section"].startswith("calibration")} == {"overall"}


def test_nothing_is_shown_when_too_few_answered_scenarios(profiles, tmp_path):
    for i in range(3):
        write(tmp_path, cohort_insider(profiles, i))
    for i in range(5):
        write(tmp_path, make_sheet(profiles, rid=f"p-{i}"))
    cal = json.loads(cohort(tmp_path))["calibration"]
    assert cal["people"] is None and cal["columns"] == []
    assert cal["note"] == "Fewer than 5 people answered scenarios, so no calibration figures are shown."
    assert json.loads(cohort(tmp_path, "--min-group", "3"))["calibration"]["people"] == 3


def test_no_calibration_section_without_scenarios(profiles, tmp_path):
    for i in range(5):
        write(tmp_path, make_sheet(profiles, rid=f"p-{i}"))
    assert json.loads(cohort(tmp_path))["calibration"] is None
    assert "scenario judgement" not in cohort(tmp_path, fmt="markdown")


def test_every_cohort_format_shows_the_example_cohorts_calibration():
    folder = EXAMPLES / "cohort"
    doc = json.loads(cohort(folder))
    schema = json.loads(runner.invoke(app, ["schema", "cohort"]).stdout)
    import jsonschema

    jsonschema.validate(doc, schema)
    cal = doc["calibration"]
    overall = cal["columns"][0]
    assert overall["people"] == sum(c["people"] for c in cal["columns"][1:])
    kinds = [overall[k] for k in ("calibrated", "generous", "modest", "mixed")]
    # a kind with fewer than 5 people is withheld, and another with it (they add up to people)
    assert kinds.count(None) != 1
    assert all(k is None or k >= 5 for k in kinds)
    assert sum(k for k in kinds if k is not None) <= overall["people"]
    for fmt in ("table", "markdown", "html"):
        text = " ".join(cohort(folder, fmt=fmt).split())
        assert "not a validated test" in text and "may be generous" in text, fmt
    rows = [r for r in csv.DictReader(io.StringIO(cohort(folder, fmt="csv")))
            if r["section"] == "calibration" and r["group"] == "overall"]
    assert [(r["id"], int(r["people"]) if r["people"] else None) for r in rows] == [
        (k, overall[k]) for k in ("calibrated", "generous", "modest", "mixed")]
