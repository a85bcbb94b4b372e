"""`qim cohort`: self-rating against scenario judgement per group, under the privacy rule.
(The records of a batch: tests/cohort/test_calibration_records.py.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import tomli_w
from conftest import EXAMPLES, make_sheet
from support.scenarios import cohort_calibrated, cohort_insider, cohort_outsider
from typer.testing import CliRunner

from qim_cli.cli.app import app
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


def test_groups_show_who_rates_above_and_below_their_judgement(profiles, tmp_path):
    for i in range(5):
        write(tmp_path, cohort_outsider(profiles, i))
        write(tmp_path, cohort_insider(profiles, i))
        write(tmp_path, cohort_calibrated(profiles, i))
    write(tmp_path, make_sheet(profiles, rid="no-scenarios"))
    doc = json.loads(cohort(tmp_path))["calibration"]
    assert doc["people"] == 15 and doc["withheld"] == [] and doc["note"] is None
    cols = {c["group"]: c for c in doc["columns"]}
    assert list(cols) == ["overall", "clinical", "traditional"]
    trad, clin = cols["traditional"], cols["clinical"]
    assert (trad["people"], trad["generous"], trad["modest"], trad["calibrated"]) == (5, 5, 0, 0)
    assert (clin["people"], clin["generous"], clin["modest"], clin["calibrated"]) == (10, 0, 5, 5)
    assert clin["modest_share"] == 0.5
    by = {c["id"]: c for c in trad["competencies"]}
    assert by["healthcare_context"] == {"id": "healthcare_context", "label": "Healthcare context",
                                        "compared": 5, "mean_difference": 4.0, "generous": 5,
                                        "modest": 0}
    assert by["qi_methods"]["compared"] == 0 and by["qi_methods"]["mean_difference"] is None
    st_clin = {c["id"]: c for c in clin["competencies"]}["systems_thinking"]
    # five insiders at 2 - 5 = -3, five calibrated people at 4 - 4.33 = -0.33
    assert (st_clin["compared"], st_clin["modest"], st_clin["mean_difference"]) == (10, 5, -1.67)
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
        section = text[text.index("against scenario judgement"):]
        assert "Traditional QIM" not in section.split("Reliability")[0], fmt
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
    assert sum(overall[k] for k in ("calibrated", "generous", "modest", "mixed")) == overall["people"]
    for fmt in ("table", "markdown", "html"):
        text = " ".join(cohort(folder, fmt=fmt).split())
        assert "not a validated test" in text and "may be generous" in text, fmt
    rows = [r for r in csv.DictReader(io.StringIO(cohort(folder, fmt="csv")))
            if r["section"] == "calibration" and r["group"] == "overall"]
    assert [(r["id"], int(r["people"])) for r in rows] == [
        (k, overall[k]) for k in ("calibrated", "generous", "modest", "mixed")]
