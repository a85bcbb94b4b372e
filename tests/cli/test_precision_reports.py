"""Numbers with their precision, in the reports: the SEM from precision.toml, gaps and
changes judged against it, reliability within background groups, effect sizes and
adjusted p in the programme compare. Every figure is computed by hand here."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import statistics
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.decisions import decide
from qim_cli.assessment.report import build_result
from qim_cli.assessment.scoring import score_sheet
from qim_cli.cli.app import app
from qim_cli.cohort.inference import feldt_interval
from qim_cli.errors import ProfileError
from qim_cli.framework.profiles import load_profiles_uncached
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"
LATER = EXAMPLES / "nurse-early-career-2027.toml"
#: precision.toml's convention, computed by hand: SEM = 0.70 x sqrt(1 - 0.70) = 0.3834;
#: a score's band 1.96 x 0.3834 = 0.7515; the smallest reliable change
#: 1.96 x sqrt(2) x 0.3834 = 1.0628
SEM = 0.70 * math.sqrt(0.30)
BAND = 1.959964 * SEM
SMALLEST = 1.959964 * math.sqrt(2) * SEM


def write(folder: Path, name: str, sheet) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    return path


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- the profile


def test_every_competency_carries_its_reliability_and_sd(profiles):
    pr = profiles.precision
    assert set(pr.competencies) == set(profiles.competencies)
    assert pr.label == "qim's convention until a validation study"
    assert "No reliability of qim's items has been published" in pr.basis
    assert {"N", "L", "J"} <= set(pr.sources)
    assert round(BAND, 2) == 0.75 and round(SMALLEST, 2) == 1.06


def test_a_profile_set_without_a_competencys_figures_is_refused(tmp_path):
    from conftest import ROOT

    folder = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", folder)
    text = (folder / "precision.toml").read_text(encoding="utf-8")
    (folder / "precision.toml").write_text(
        text.replace("qi_methods = { reliability = 0.70, sd = 0.70 }\n", ""), encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profiles_uncached(folder)
    assert "precision.toml: competencies.qi_methods: missing" in err.value.message
    (folder / "precision.toml").unlink()
    with pytest.raises(ProfileError) as err:
        load_profiles_uncached(folder)
    assert "precision.toml: profile file not found" in err.value.message


# --------------------------------------------------------------------------- one person


def _fired(sheet, profiles) -> set[str]:
    """The development rules that fire for a sheet."""
    return {rule.id for rule, _ in decide(score_sheet(sheet, profiles), profiles).personal}


def test_a_gap_within_measurement_error_is_no_need(profiles):
    """Early career, target 3.5: a score of 3.0 (gap 0.50 < 0.75) is at target within
    measurement error (priority 0, no rule's gap); 2.75 (gap 0.75) is a need."""
    sheet = make_sheet(profiles, default=4, answers={"qm_01": 3, "qm_02": 3, "qm_03": 3,
                                                     "qm_04": 3})
    s = score_sheet(sheet, profiles).scores["qi_methods"]
    assert (s.score, s.gap, s.band, s.within_error, s.priority) == (3.0, 0.5, 0.75, True, 0.0)
    assert "clinical-qi-methods-gap" not in _fired(sheet, profiles)
    result = build_result(sheet, profiles, "x.toml")
    comp = next(c for c in result.competencies if c.id == "qi_methods")
    assert comp.within_error and comp.priority_label == "none"
    assert "qi_methods" not in {c.id for o in result.plan.objectives for c in o.competencies}
    # qm_04 is reverse-keyed: answered 4, it counts 2, so the mean is 2.75
    lower = make_sheet(profiles, default=4, answers={"qm_01": 3, "qm_02": 3, "qm_03": 3,
                                                     "qm_04": 4})
    s = score_sheet(lower, profiles).scores["qi_methods"]
    assert (s.score, s.gap, s.within_error, s.priority) == (2.75, 0.75, False, 1.5)
    assert "clinical-qi-methods-gap" in _fired(lower, profiles)


def test_the_person_report_says_how_precise_a_score_is():
    line = ("Each score is precise to about ±0.75 (95%; qim's convention until a validation "
            "study): a smaller gap is at target within measurement error.")
    md = runner.invoke(app, ["report", str(NURSE), "-f", "markdown"]).stdout
    assert line in md
    assert ("| Leadership | Sense-giving | 3.00 | 3.5 | +0.50 | Proficient | 2 | at target "
            "within measurement error |") in md
    table = " ".join(runner.invoke(app, ["report", str(NURSE)]).stdout.split())
    assert line.replace("error.", "error (≈ target).") in table and "≈ target" in table
    html = runner.invoke(app, ["report", str(NURSE), "-f", "html"]).stdout
    assert "Each score is precise to about ±0.75 (95%; qim&#39;s convention" in html
    doc = run_json("report", str(NURSE))
    assert (doc["precision"]["band_low"], doc["precision"]["band_high"]) == (0.75, 0.75)
    sense = next(c for c in doc["competencies"] if c["id"] == "sense_giving")
    assert (sense["gap"], sense["band"], sense["within_error"], sense["priority"]) == \
        (0.5, 0.75, True, 0.0)


def test_the_nurses_compare_judges_each_change_against_measurement_error():
    """Each change over S_diff = sqrt(2) x 0.3834 = 0.5422: long-term thinking +1.50 ->
    RCI 2.77 (beyond), systems thinking +1.25 -> 2.31 (beyond), QI methods +1.00 -> 1.84
    (within: below 1.96), sense-giving +0.75 -> 1.38 (within)."""
    doc = run_json("compare", str(NURSE), str(LATER))
    got = {c["id"]: (c["change"], c["reliable"]) for c in doc["competencies"]}
    s_diff = math.sqrt(2) * SEM
    for cid, change, verdict in (("long_term_thinking", 1.5, "beyond"),
                                 ("systems_thinking", 1.25, "beyond"),
                                 ("qi_methods", 1.0, "within"), ("sense_giving", 0.75, "within"),
                                 ("motivating", 0.0, "within")):
        assert got[cid][0] == change
        assert got[cid][1] == {"rci": round(change / s_diff, 2), "smallest": 1.06,
                               "verdict": verdict}
    assert [round(1.5 / s_diff, 2), round(1.0 / s_diff, 2)] == [2.77, 1.84]
    csv_rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        runner.invoke(app, ["compare", str(NURSE), str(LATER), "-f", "csv"]).stdout))
        if r["section"] == "competency"}
    assert (csv_rows["qi_methods"]["rci"], csv_rows["qi_methods"]["verdict"]) == ("1.84", "within")
    html = runner.invoke(app, ["compare", str(NURSE), str(LATER), "-f", "html"]).stdout
    assert "changed beyond measurement error" in html and "at target within measurement error" in html


def test_a_drop_beyond_measurement_error_is_a_decline(profiles, tmp_path):
    """An objective whose competency fell by 1.25 (RCI -2.31) declined; one that rose by
    0.25 is within measurement error, not "improved"."""
    old = make_sheet(profiles, rid="a", years=3.0, default=4,
                     by_competency={"systems_thinking": 3, "long_term_thinking": 1})
    new = make_sheet(profiles, rid="a", years=3.5, default=4,
                     by_competency={"systems_thinking": 2, "long_term_thinking": 1})
    new = new.model_copy(update={"answers": {**new.answers, "st_01": 1}})
    paths = [str(write(tmp_path, n, s)) for n, s in (("old", old), ("new", new))]
    doc = run_json("compare", *paths)
    st = next(c for c in doc["competencies"] if c["id"] == "systems_thinking")
    assert st["change"] == -1.25 and st["reliable"]["verdict"] == "beyond"
    review = [c for o in doc["plan_review"]["objectives"] for c in o["competencies"]]
    lt = next(c for c in review if c["id"] == "long_term_thinking")
    assert lt["outcome"] == "within_error" and lt["reliable"]["verdict"] == "within"


# --------------------------------------------------------------------------- the programme


@pytest.fixture()
def programme(tmp_path: Path, profiles) -> tuple[Path, Path]:
    """Five clinical early-career QIMs; systems thinking 2, 2, 3, 3, 4 before and 4, 4, 3,
    4, 4 after; sense-giving 3, 3, 3, 3, 4 before and 3, 3, 3, 4, 4 after."""
    before, after = tmp_path / "before", tmp_path / "after"
    for i, (st0, st1, sg0, sg1) in enumerate(((2, 4, 3, 3), (2, 4, 3, 3), (3, 3, 3, 3),
                                              (3, 4, 3, 4), (4, 4, 4, 4))):
        write(before, f"p{i}", make_sheet(profiles, rid=f"p{i}", default=4,
                                          by_competency={"systems_thinking": st0,
                                                         "sense_giving": sg0}))
        write(after, f"p{i}", make_sheet(profiles, rid=f"p{i}", default=4,
                                         by_competency={"systems_thinking": st1,
                                                        "sense_giving": sg1}))
    return before, after


def test_programme_d_av_holm_and_reliable_counts_by_hand(programme):
    doc = run_json("compare-cohort", *map(str, programme), "--min-group", "2")
    rows = {r["id"]: r for r in doc["competencies"]}
    st, sg = rows["systems_thinking"], rows["sense_giving"]
    before, after = [2, 2, 3, 3, 4], [4, 4, 3, 4, 4]
    diffs = [a - b for b, a in zip(before, after, strict=True)]  # 2, 2, 0, 1, 0
    mean = statistics.fmean(diffs)  # 1.0
    assert st["d_z"] == round(mean / statistics.stdev(diffs), 2) == 1.0
    sd_av = (statistics.stdev(before) + statistics.stdev(after)) / 2  # (0.8367 + 0.4472) / 2
    assert st["d_av"] == round(mean / sd_av, 2) == 1.56
    # the two competencies with a p value form the family (the others never change):
    # Holm multiplies the smaller p by 2 and the larger by 1 (kept at least the smaller's)
    from scipy import stats

    p_st = float(stats.ttest_rel(after, before).pvalue)
    p_sg = float(stats.ttest_rel([3, 3, 3, 4, 4], [3, 3, 3, 3, 4]).pvalue)
    small, large = sorted((p_st, p_sg))
    adjusted = {p_st: None, p_sg: None}
    adjusted[small] = min(1.0, 2 * small)
    adjusted[large] = min(1.0, max(large, 2 * small))
    assert st["p_holm"] == round(adjusted[p_st], 4)
    assert sg["p_holm"] == round(adjusted[p_sg], 4)
    assert "family of 2 competencies" in doc["adjustment"]
    # beyond measurement error: a change of 2 (RCI 3.69) twice; 1 (1.84) is within it
    assert (st["reliable_up"], st["reliable_down"]) == (2, 0)
    assert (sg["reliable_up"], sg["reliable_down"]) == (0, 0)
    # with --min-group 3 the count of 2 is withheld, the 0 is not
    doc3 = run_json("compare-cohort", *map(str, programme), "--min-group", "3")
    st3 = next(r for r in doc3["competencies"] if r["id"] == "systems_thinking")
    assert (st3["reliable_up"], st3["reliable_down"]) == (None, 0)
    md = runner.invoke(app, ["compare-cohort", *map(str, programme), "--min-group", "3",
                             "-f", "markdown"]).stdout
    assert "up fewer than 3, down 0" in md
    assert "regression to the mean" in doc["selection_caution"]


def test_the_bundled_programme_shows_d_av_and_adjusted_p():
    """The issue's figures: QI methods d_z -0.39 against d_av -0.09 (before and after
    correlate 0.97); the traditional QIMs' drop (p 0.027) is not a finding after Holm."""
    doc = run_json("compare-cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "cohort-after"))
    qm = next(r for r in doc["competencies"] if r["id"] == "qi_methods")
    assert (qm["d_z"], qm["d_av"]) == (-0.39, -0.09)
    trad = next(g for g in doc["groups"] if g["group"] == "traditional")
    tq = next(r for r in trad["competencies"] if r["id"] == "qi_methods")
    assert (tq["change_mean"], tq["ci_low"], tq["ci_high"]) == (-0.12, -0.22, -0.02)
    assert tq["p"] < 0.05 < tq["p_holm"]
    for fmt, needle in (("table", "d_av"), ("markdown", "p (Holm)"), ("html", "d<sub>av</sub>"),
                        ("csv", "p_holm")):
        out = runner.invoke(app, ["compare-cohort", str(EXAMPLES / "cohort"),
                                  str(EXAMPLES / "cohort-after"), "-f", fmt]).stdout
        assert needle in out and "regression to the mean" in out.lower()


def test_the_schemas_carry_the_new_fields():
    cc = json.loads(runner.invoke(app, ["schema", "compare-cohort"]).stdout)
    text = json.dumps(cc)
    for field in ("d_av", "p_holm", "reliable_up", "adjustment", "selection_caution"):
        assert f'"{field}"' in text
    co = json.dumps(json.loads(runner.invoke(app, ["schema", "cohort"]).stdout))
    for field in ("ci_low", "min_n", "synthetic", "withheld"):
        assert f'"{field}"' in co


# --------------------------------------------------------------------------- the cohort


def test_a_twelve_person_cohort_shows_no_alpha_and_says_why(tmp_path):
    for p in sorted((EXAMPLES / "cohort").glob("*.toml"))[:12]:
        shutil.copy(p, tmp_path / p.name)
    doc = run_json("cohort", str(tmp_path))
    rel = doc["reliability"]
    assert rel["withheld"].startswith("No alpha is shown: no background group has 30 people")
    assert all(r["alpha"] is None and r["flagged"] == [] and r["item_total"] == []
               for r in rel["rows"])
    table = runner.invoke(app, ["cohort", str(tmp_path)]).stdout
    assert "No alpha is shown" in " ".join(table.split())
    assert "Synthetic data: every sheet of this cohort says it is made up" in " ".join(table.split())


def test_the_bundled_cohort_shows_alpha_by_group_with_feldts_interval():
    """Long-term thinking, clinical QIMs: alpha 0.39 (Feldt -0.06 to 0.68), its weak items
    flagged; every traditional group is under 30 and withheld."""
    doc = run_json("cohort", str(EXAMPLES / "cohort"))
    rel = doc["reliability"]
    rows = {(r["group"], r["competency"]): r for r in rel["rows"]}
    lt = rows[("clinical", "long_term_thinking")]
    ci = feldt_interval(lt["alpha"], lt["n"], lt["items"])
    assert ci is not None
    assert (lt["alpha"], lt["ci_low"], lt["ci_high"]) == (0.387, round(ci.low, 2), round(ci.high, 2))
    assert (lt["ci_low"], lt["ci_high"]) == (-0.06, 0.68)
    assert lt["flagged"]
    trad = [r for (g, _), r in rows.items() if g == "traditional"]
    assert trad and all(r["alpha"] is None and r["n"] < 30 and not r["flagged"] for r in trad)
    assert all(r["note"] == "withheld: fewer than 30 people in the group answered every item"
               for r in trad)
    assert rel["synthetic"] == 48 and rel["note"].startswith("Synthetic data")
    assert "not computed over the whole cohort" in rel["basis"]
    md = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "-f", "markdown"]).stdout
    assert "| Clinical QIM | Long-term thinking | 31 | 0.39 (-0.06 to 0.68) |" in md
    assert "long_term_thinking = { reliability = 0.39, sd = 0.46 }" in md
    assert "SYNTHETIC DATA" in md
    rows_csv = [r for r in csv.DictReader(io.StringIO(runner.invoke(
        app, ["cohort", str(EXAMPLES / "cohort"), "-f", "csv"]).stdout))
        if r["section"] == "reliability" and r["id"] == "long_term_thinking"
        and r["group"] == "clinical"]
    assert (rows_csv[0]["alpha_ci_low"], rows_csv[0]["alpha_ci_high"]) == ("-0.06", "0.68")
    html = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "-f", "html"]).stdout
    assert "0.39 (-0.06 to 0.68)" in html and "Synthetic data" in html


def test_real_sheets_say_nothing_of_synthetic_data(profiles, tmp_path):
    for i in range(6):
        write(tmp_path, f"p{i}", make_sheet(profiles, rid=f"p{i}"))
    rel = run_json("cohort", str(tmp_path))["reliability"]
    assert rel["synthetic"] == 0 and rel["note"] is None
