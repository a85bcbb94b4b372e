"""`qim cohort`: group statistics, reliability end to end, every grouping and format, privacy,
bad files in a batch. (The statistics in the library: tests/cohort/test_stats.py.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from support.reference import alpha_two_pass
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.groups import GroupBy
from qim_cli.render.cohort import CohortFormat
from qim_cli.render.formats import format_module
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
COHORT = EXAMPLES / "cohort"


def write(folder: Path, name: str, sheet) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    return path


def people(profiles, folder: Path, n: int, background: str, start: int = 0, **kw) -> None:
    for i in range(start, start + n):
        write(folder, f"{background}-{i:02d}",
              make_sheet(profiles, background=background, rid=f"{background}-{i}", **kw))


def cohort_json(*args: str) -> dict:
    result = runner.invoke(app, ["cohort", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- reliability


def test_alpha_end_to_end_flips_reverse_items(profiles, tmp_path: Path):
    """qi_methods has a reverse-keyed item (qm_04): alpha uses the flipped values."""
    comp = profiles.competencies["qi_methods"]
    ids = [it.id for it in comp.items]
    reverse = [it.reverse for it in comp.items]
    assert any(reverse)
    effective = [[1, 2, 1, 2], [2, 2, 3, 2], [3, 4, 3, 3], [4, 4, 5, 5], [5, 3, 4, 4],
                 [2, 3, 2, 1]]
    effective = effective * 5  # 30 people: alpha is withheld below 30 in a group
    for n, row in enumerate(effective):
        raw = {i: (6 - v if rev else v) for i, v, rev in zip(ids, row, reverse, strict=True)}
        write(tmp_path, f"p{n}", make_sheet(profiles, answers=raw, rid=f"p{n}"))
    # one more person with an unanswered qi_methods item: excluded from alpha (listwise)
    write(tmp_path, "p99", make_sheet(profiles, answers={ids[0]: "na"}, rid="p99"))
    doc = cohort_json(str(tmp_path), "--min-group", "1")
    rel = next(r for r in doc["reliability"]["rows"] if r["competency"] == "qi_methods")
    assert rel["n"] == 30
    assert rel["alpha"] == round(alpha_two_pass(effective), 3)
    assert doc["n"] == 31


# --------------------------------------------------------------------------- group statistics


def test_mean_median_and_share_below_target(profiles, tmp_path: Path):
    # early career: the healthcare_context target is 3.5, whatever the background
    assert profiles.target("early_career", "healthcare_context") == 3.5
    for i, level in enumerate([2, 3, 4, 5, 5]):
        write(tmp_path, f"c{i}", make_sheet(profiles, years=3, rid=f"c{i}",
                                            by_competency={"healthcare_context": level}))
    doc = cohort_json(str(tmp_path), "--min-group", "1")
    hc = next(c for c in doc["overall"]["competencies"] if c["id"] == "healthcare_context")
    assert (hc["n"], hc["mean"], hc["median"]) == (5, 3.8, 4.0)
    # the 2 (gap 1.5) is below target; the 3 (gap 0.5) is inside its band of measurement
    # error (reliability 0.7, SD 0.7: 1.96 x 0.7 x sqrt(0.3) = 0.75), at target as in
    # that person's report
    assert profiles.precision.competencies["healthcare_context"].reliability == 0.7
    assert (hc["below_target"], hc["below_target_share"]) == (1, 0.2)
    assert doc["standard"]["within_error"] == ("A score below its target by less than its "
                                               "measurement error counts as at target, as "
                                               "in each person's report.")
    # at the default threshold the 1 person below target (and the 4 others) is withheld
    hc = next(c for c in cohort_json(str(tmp_path))["overall"]["competencies"]
              if c["id"] == "healthcare_context")
    assert (hc["n"], hc["mean"], hc["below_target"], hc["below_target_share"]) == \
        (5, 3.8, None, None)
    assert hc["suppressed"] and hc["withheld"] == {"below_target": "fewer"}
    assert doc["standard"]["basis"].startswith("qim's own convention, not a finding of the study")
    (group,) = doc["groups"]
    assert group["group"] == "clinical" and group["n"] == 5


def test_training_needs_are_ranked_by_people(profiles):
    doc = cohort_json(str(COHORT), "--min-group", "1")
    needs = doc["overall"]["training_needs"]
    counts = [t["people"] for t in needs]
    assert counts == sorted(counts, reverse=True)
    assert all(0 < t["share"] <= 1 for t in needs)
    assert needs[0]["people"] <= doc["n"]


def test_example_cohort_reflects_the_backgrounds(profiles):
    doc = cohort_json(str(COHORT))
    assert doc["n"] >= 40
    groups = {g["group"]: {c["id"]: c["mean"] for c in g["competencies"]} for g in doc["groups"]}
    clin, trad = groups["clinical"], groups["traditional"]
    assert clin["healthcare_context"] > trad["healthcare_context"]
    assert clin["trustworthiness"] > trad["trustworthiness"]
    assert clin["systems_thinking"] < trad["systems_thinking"]
    assert clin["long_term_thinking"] < trad["long_term_thinking"]


@pytest.mark.parametrize("by", [g.value for g in GroupBy])
def test_every_grouping(by):
    doc = cohort_json(str(COHORT), "--by", by, "--min-group", "1")
    assert doc["by"] == by
    assert sum(g["n"] for g in doc["groups"]) == doc["n"]


@pytest.mark.parametrize("fmt", list(CohortFormat))
def test_every_format_has_a_renderer_and_works(fmt):
    assert callable(format_module("qim_cli.render.cohort", fmt).render)
    result = runner.invoke(app, ["cohort", str(COHORT), "--format", fmt.value])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt is CohortFormat.json:
        assert json.loads(out)["overall"]["n"] >= 40
    elif fmt is CohortFormat.csv:
        table = list(csv.DictReader(io.StringIO(out)))
        sections = {r["section"] for r in table}
        assert {"competency", "training", "reliability"} <= sections
        alpha = next(r for r in table if r["section"] == "reliability" and r["alpha"])["alpha"]
        assert 0 < float(alpha) <= 1
    elif fmt is CohortFormat.markdown:
        assert out.startswith("# Cohort by background")
        assert "| Competency |" in out and "## Reliability" in out
    else:
        assert "Reliability" in out and "Training needs" in out and "Clinical QIM" in out


# --------------------------------------------------------------------------- privacy


def test_small_groups_are_not_shown_and_the_output_says_so(profiles, tmp_path: Path):
    people(profiles, tmp_path, 7, "clinical")
    people(profiles, tmp_path, 3, "traditional")
    doc = cohort_json(str(tmp_path))
    assert doc["n"] == 10 and doc["overall"]["n"] == 10
    # traditional (3) is below 5; clinical would then reveal it by subtraction
    assert doc["groups"] == []
    assert doc["suppressed"] == ["clinical", "traditional"]
    assert any("fewer than 5 people" in note and "(Traditional QIM)" in note
               for note in doc["notes"])
    table = runner.invoke(app, ["cohort", str(tmp_path)])
    assert table.exit_code == 0
    assert "n=3" not in table.stdout and "n=7" not in table.stdout
    assert "not shown on its own" in table.stdout
    md = runner.invoke(app, ["cohort", str(tmp_path), "--format", "markdown"]).stdout
    assert "Traditional QIM (n=" not in md and "> 1 group with fewer than 5" in md
    assert "(Traditional QIM); their people are counted" in md and "traditional)" not in md


def test_groups_at_the_threshold_are_shown(profiles, tmp_path: Path):
    people(profiles, tmp_path, 7, "clinical")
    people(profiles, tmp_path, 5, "traditional")
    doc = cohort_json(str(tmp_path))
    assert [(g["group"], g["n"]) for g in doc["groups"]] == [("clinical", 7), ("traditional", 5)]
    assert doc["suppressed"] == [] and doc["notes"] == []
    doc = cohort_json(str(tmp_path), "--min-group", "6")
    assert doc["groups"] == []


def test_a_cohort_below_the_threshold_shows_nothing(profiles, tmp_path: Path):
    people(profiles, tmp_path, 3, "clinical")
    doc = cohort_json(str(tmp_path))
    assert doc["overall"] is None and doc["n"] is None and doc["reliability"] is None
    assert any("fewer than 5 people, so no figures" in note for note in doc["notes"])
    csv_out = runner.invoke(app, ["cohort", str(tmp_path), "--format", "csv"]).stdout
    assert "competency" not in {r["section"] for r in csv.DictReader(io.StringIO(csv_out))}


# --------------------------------------------------------------------------- batch behaviour


def test_bad_files_are_reported_and_the_cohort_is_still_shown(profiles, tmp_path: Path):
    people(profiles, tmp_path, 5, "clinical")
    (tmp_path / "broken.toml").write_text("schema_version = 1\n[respondent]\nid = 3\n")
    result = runner.invoke(app, ["cohort", str(tmp_path), "--format", "json"])
    assert result.exit_code == 65
    assert json.loads(result.stdout)["n"] == 5
    lines = result.stderr.splitlines()
    assert "broken.toml: respondent.id: must be a string" in lines[0]
    assert lines[-1] == "qim cohort: 6 files: 5 good, 1 bad"


def test_cohort_jobs_2_matches_jobs_1():
    one = runner.invoke(app, ["cohort", str(COHORT), "--format", "json", "--jobs", "1"])
    two = runner.invoke(app, ["cohort", str(COHORT), "--format", "json", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_cohort_output_file_refuses_to_overwrite(tmp_path: Path):
    out = tmp_path / "cohort.md"
    out.write_text("mine")
    result = runner.invoke(app, ["cohort", str(COHORT), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 73 and out.read_text() == "mine"
    result = runner.invoke(app, ["cohort", str(COHORT), "-f", "markdown", "-o", str(out),
                                 "--force"])
    assert result.exit_code == 0 and out.read_text().startswith("# Cohort")


def test_cohort_csv_is_spreadsheet_safe(profiles, tmp_path: Path):
    people(profiles, tmp_path, 3, "clinical")
    out = runner.invoke(app, ["cohort", str(tmp_path), "--format", "csv"]).stdout
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell


def test_repeated_respondents_are_left_out_and_said(profiles, tmp_path: Path):
    """The same person twice (the id in other capitals too): neither sheet is counted."""
    people(profiles, tmp_path, 6, "clinical")
    write(tmp_path, "again", make_sheet(profiles, rid="Clinical-0"))
    result = runner.invoke(app, ["cohort", str(tmp_path), "--format", "json"])
    assert result.exit_code == 65
    doc = json.loads(result.stdout)
    assert doc["n"] == 5
    assert ("Fewer than 5 respondent ids appear in more than one sheet; their sheets are left "
            "out, because which one is right cannot be known (keep one sheet per person).") \
        in doc["notes"]
    assert result.stderr.splitlines() == [
        f'{tmp_path / "clinical-00.toml"}: respondent.id: "clinical-0" is also the id in '
        f'{tmp_path / "again.toml"} (as "Clinical-0"); no sheet with this id is used (keep one '
        "sheet per person and run again)",
        "qim cohort: 7 files: 5 good, 0 bad, 2 left out as duplicates"]
