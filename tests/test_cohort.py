"""`qim cohort`: group statistics, reliability against hand-computed references, privacy."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.batch import outcome_for, record_from_sheet
from qim_cli.cohort.groups import GroupBy
from qim_cli.cohort.privacy import suppressed_groups
from qim_cli.cohort.reliability import ItemSums, reliability
from qim_cli.cohort.stats import Cohort, counter_median
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

#: Five people, three items. Worked by hand:
#:   item variances (n-1): 2.5, 1.0, 1.3; totals 5, 7, 10, 13, 12 -> variance 11.3
#:   alpha = 3/2 * (1 - 4.8/11.3) = 9.75/11.3 = 0.86283
#:   corrected item-total r: item1 vs (i2+i3): cov 2.5, var 3.8 -> 2.5/sqrt(2.5*3.8) = 0.81111
#:                           item2 vs (i1+i3): cov 1.75, var 6.8 -> 1.75/sqrt(1.0*6.8) = 0.67109
#:                           item3 vs (i1+i2): cov 2.25, var 5.5 -> 2.25/sqrt(1.3*5.5) = 0.84144
REFERENCE = [(1, 2, 2), (2, 2, 3), (3, 4, 3), (4, 4, 5), (5, 3, 4)]


def test_alpha_and_item_total_match_the_hand_computed_reference():
    sums = ItemSums(["i1", "i2", "i3"])
    for row in REFERENCE:
        sums.add(list(row))
    r = reliability(sums, "x")
    assert r.n == 5 and r.k == 3
    assert r.alpha == 0.863
    assert [it.r for it in r.items] == [0.811, 0.671, 0.841]
    assert r.flagged == []


def test_listwise_deletion_and_a_flagged_item():
    sums = ItemSums(["i1", "i2", "i3"])
    for row in REFERENCE:
        sums.add(list(row))
    sums.add([5, None, 1])  # incomplete: left out entirely
    assert sums.n == 5
    # an item that runs against the others is flagged
    odd = ItemSums(["a", "b", "c"])
    for a, b in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]:
        odd.add([a, b, 6 - a])
    r = reliability(odd, "x")
    assert r.flagged == ["c"]
    assert r.items[2].r is not None and r.items[2].r < 0


def test_alpha_is_undefined_without_variance_or_people():
    flat = ItemSums(["a", "b"])
    for _ in range(4):
        flat.add([3, 3])
    r = reliability(flat, "x")
    assert r.alpha is None and "undefined" in (r.note or "")
    few = ItemSums(["a", "b"])
    few.add([1, 2])
    assert reliability(few, "x").alpha is None


def _alpha_two_pass(rows: list[list[int]]) -> float:
    """An independent computation: two-pass sample variances with the statistics module."""
    k = len(rows[0])
    item_vars = [statistics.variance([r[i] for r in rows]) for i in range(k)]
    total_var = statistics.variance([sum(r) for r in rows])
    return k / (k - 1) * (1 - sum(item_vars) / total_var)


def test_alpha_end_to_end_flips_reverse_items(profiles, tmp_path: Path):
    """qi_methods has a reverse-keyed item (qm_04): alpha uses the flipped values."""
    comp = profiles.competencies["qi_methods"]
    ids = [it.id for it in comp.items]
    reverse = [it.reverse for it in comp.items]
    assert any(reverse)
    effective = [[1, 2, 1, 2], [2, 2, 3, 2], [3, 4, 3, 3], [4, 4, 5, 5], [5, 3, 4, 4],
                 [2, 3, 2, 1]]
    for n, row in enumerate(effective):
        raw = {i: (6 - v if rev else v) for i, v, rev in zip(ids, row, reverse, strict=True)}
        write(tmp_path, f"p{n}", make_sheet(profiles, answers=raw, rid=f"p{n}"))
    # one more person with an unanswered qi_methods item: excluded from alpha (listwise)
    write(tmp_path, "p9", make_sheet(profiles, answers={ids[0]: "na"}, rid="p9"))
    doc = cohort_json(str(tmp_path), "--min-group", "1")
    rel = next(r for r in doc["reliability"] if r["competency"] == "qi_methods")
    assert rel["n"] == 6
    assert rel["alpha"] == round(_alpha_two_pass(effective), 3)
    assert doc["n"] == 7


def test_cohort_stats_match_a_two_pass_computation_on_the_example_cohort(profiles):
    records = [outcome_for(p, profiles).record for p in sorted(COHORT.glob("*.toml"))]
    doc = Cohort(profiles).add_all(records).summary().model_dump(mode="json")
    for comp in doc["reliability"]:
        rows = [[r.items[i] for i in (it["item"] for it in comp["item_total"])] for r in records]
        complete = [row for row in rows if None not in row]
        assert comp["n"] == len(complete)
        assert comp["alpha"] == pytest.approx(_alpha_two_pass(complete), abs=0.0005)
    for c in doc["overall"]["competencies"]:
        scores = [r.scores[c["id"]] for r in records if r.scores[c["id"]] is not None]
        assert c["n"] == len(scores)
        assert c["mean"] == round(statistics.fmean(scores), 2)
        assert c["median"] == round(statistics.median(scores), 2)


# --------------------------------------------------------------------------- group statistics


@pytest.mark.parametrize("values", [[3.0], [1.0, 2.0], [5.0, 1.0, 3.0], [2.5, 2.5, 4.0, 1.75]])
def test_counter_median_is_exact(values):
    assert counter_median(Counter(values), len(values)) == round(statistics.median(values), 2)


def test_mean_median_and_share_below_target(profiles, tmp_path: Path):
    # early career: the healthcare_context target is 3.5, whatever the background
    assert profiles.target("early_career", "healthcare_context") == 3.5
    for i, level in enumerate([2, 3, 4, 5, 5]):
        write(tmp_path, f"c{i}", make_sheet(profiles, years=3, rid=f"c{i}",
                                            by_competency={"healthcare_context": level}))
    doc = cohort_json(str(tmp_path), "--min-group", "1")
    hc = next(c for c in doc["overall"]["competencies"] if c["id"] == "healthcare_context")
    assert (hc["n"], hc["mean"], hc["median"]) == (5, 3.8, 4.0)
    assert (hc["below_target"], hc["below_target_share"]) == (2, 0.4)
    # at the default threshold the 2 people below target (and the 3 others) are withheld
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
        alpha = next(r for r in table if r["section"] == "reliability")["alpha"]
        assert 0 < float(alpha) <= 1
    elif fmt is CohortFormat.markdown:
        assert out.startswith("# Cohort by background")
        assert "| Competency |" in out and "## Reliability" in out
    else:
        assert "Reliability" in out and "Training needs" in out and "Clinical QIM" in out


# --------------------------------------------------------------------------- privacy


def test_suppression_rule():
    assert suppressed_groups({"a": 10, "b": 6}, 5) == ([], [])
    # one small group: the smallest shown one is withheld as well
    assert suppressed_groups({"a": 10, "b": 6, "c": 2}, 5) == (["c"], ["b"])
    assert suppressed_groups({"a": 10, "b": 2, "c": 1}, 5) == (["b", "c"], [])


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
    assert doc["overall"] is None and doc["n"] is None and doc["reliability"] == []
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


def test_the_example_cohort_is_what_the_committed_generator_makes(tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_cohort",
                                                  EXAMPLES / "generate_cohort.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    written = gen.generate(gen.DEFAULT_N, tmp_path / "cohort", gen.DEFAULT_SEED)
    committed = sorted(COHORT.glob("*.toml"))
    assert [p.name for p in written] == [p.name for p in committed]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(written, committed, strict=True))
    # any size, any folder, any seed; and never over existing sheets without force
    other = gen.generate(3, tmp_path / "other", 7)
    assert [p.name for p in other] == ["qim-001.toml", "qim-002.toml", "qim-003.toml"]
    with pytest.raises(FileExistsError):
        gen.generate(3, tmp_path / "other", 7)
    assert gen.main(["--n", "2", "--out", str(tmp_path / "cli"), "--seed", "1"]) == 0
    assert len(list((tmp_path / "cli").glob("*.toml"))) == 2


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


def test_a_cohort_added_by_hand_still_says_when_an_id_repeats(profiles, tmp_path: Path):
    """A library user who adds records without the batch rule is told, as before."""
    from qim_cli.cohort.stats import Cohort

    sheet = make_sheet(profiles, rid="x-1")
    cohort = Cohort(profiles).add_all([record_from_sheet(sheet, profiles, "a"),
                                       record_from_sheet(sheet, profiles, "b")])
    doc = cohort.summary(1).model_dump(mode="json")
    assert any("1 respondent id appears in more than one sheet; each sheet counts as one person"
               in n for n in doc["notes"])
