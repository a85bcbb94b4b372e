"""A programme's before and after: `qim compare-cohort BEFORE AFTER` (figures computed by
hand)."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from conftest import ROOT, make_sheet
from support.programme import write, write_programme
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.compare import LIMITATIONS, paired_change

runner = CliRunner()
COHORT = ROOT / "examples" / "cohort"
T_975_DF4 = 2.7764451051977987  # t table: two-sided 95%, 4 degrees of freedom


def run_json(*args: str) -> dict[str, Any]:
    """The JSON document; every count shown (--min-group 1) unless the test sets its own
    threshold, so that each figure can be checked by hand (the small-cell rule:
    tests/test_small_cells.py)."""
    if "--min-group" not in args:
        args = (*args, "--min-group", "1")
    result = runner.invoke(app, ["compare-cohort", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def row(rows: list[dict[str, Any]], key: str, field: str = "id") -> dict[str, Any]:
    return next(r for r in rows if r[field] == key)


# --------------------------------------------------------------------------- statistics


def test_paired_change_matches_a_hand_computation():
    before = [2.0, 2.5, 3.0, 3.5, 4.0]
    after = [2.5, 3.5, 3.0, 4.25, 4.5]
    diffs = [a - b for b, a in zip(before, after, strict=True)]
    mean = statistics.fmean(diffs)  # 0.55
    sd = statistics.stdev(diffs)
    half = T_975_DF4 * sd / math.sqrt(5)
    got = paired_change(before, after)
    assert got.change_mean == round(mean, 2) == 0.55
    assert got.before_mean == 3.0 and got.after_mean == 3.55
    assert got.change_sd == pytest.approx(sd, abs=0.005)
    assert got.ci_low == pytest.approx(mean - half, abs=0.005)
    assert got.ci_high == pytest.approx(mean + half, abs=0.005)
    assert got.d_z == pytest.approx(mean / sd, abs=0.005)
    # p from the t statistic by hand, against the t distribution's tail
    from scipy import stats

    t = mean / (sd / math.sqrt(5))
    assert got.p == pytest.approx(2 * stats.t.sf(abs(t), 4), abs=1e-4)


def test_no_change_gives_a_zero_interval_and_no_effect_size():
    got = paired_change([3.0, 3.5, 4.0], [3.0, 3.5, 4.0])
    assert (got.change_mean, got.ci_low, got.ci_high, got.d_z, got.p) == (0.0, 0.0, 0.0, None, None)
    one = paired_change([3.0], [4.0])
    assert one.change_mean == 1.0 and one.ci_low is None and one.d_z is None


# --------------------------------------------------------------------------- a small programme


@pytest.fixture
def programme(tmp_path: Path, profiles) -> tuple[Path, Path]:
    return write_programme(tmp_path, profiles)


def test_people_are_paired_by_id_and_the_unpaired_are_reported(programme):
    doc = run_json(*map(str, programme))
    assert doc["counts"] == {"before": 6, "after": 6, "paired": 5, "only_before": 1,
                             "only_after": 1, "repeated_before": 0, "repeated_after": 0,
                             "withheld": {}}


def test_competency_change_by_hand(programme, profiles):
    doc = run_json(*map(str, programme))
    st = row(doc["competencies"], "systems_thinking")
    # paired p1–p5: before 2, 2, 3, 3, 4; after 3, 4, 3, 4, 4; changes 1, 2, 0, 1, 0
    diffs = [1, 2, 0, 1, 0]
    mean, sd = statistics.fmean(diffs), statistics.stdev(diffs)  # 0.8, √0.7
    half = T_975_DF4 * sd / math.sqrt(5)
    assert (st["n"], st["before_mean"], st["after_mean"], st["change_mean"]) == (5, 2.8, 3.6, 0.8)
    assert st["ci_low"] == round(mean - half, 2) == -0.24
    assert st["ci_high"] == round(mean + half, 2) == 1.84
    assert st["d_z"] == round(mean / sd, 2) == 0.96
    # target 3.5 (early career, every background); a 3 is 0.5 below it, inside its band
    # of measurement error (1.96 x 0.7 x sqrt(1 - 0.7) = 0.75), so at target as in the
    # person's report: 3 of 5 before (p3, p4, p5), 5 of 5 after; a 2 (gap 1.5) is not
    assert profiles.target("early_career", "systems_thinking") == 3.5
    prec = profiles.precision.competencies["systems_thinking"]
    assert (prec.reliability, prec.sd) == (0.7, 0.7)
    assert (st["at_target_before"], st["at_target_after"]) == (0.6, 1.0)
    hc = row(doc["competencies"], "healthcare_context")
    assert (hc["change_mean"], hc["ci_low"], hc["ci_high"], hc["d_z"]) == (0.0, 0.0, 0.0, None)


def test_needs_resolved_new_and_barriers(programme):
    doc = run_json(*map(str, programme))
    course = row(doc["training_needs"], "systems_thinking_course")
    # needed before by p1 and p2 (gap 1.5; the gap of 0.5 of p3 and p4 is within
    # measurement error, so no need); after by no one (p1 and p3 at 3: within error of
    # the target): resolved for p1 and p2
    assert (course["before"], course["after"], course["resolved"], course["new"]) == (2, 0, 2, 0)
    assert "held_back" not in course
    time = row(doc["barriers"], "barrier-no-protected-time", "rule")
    assert (time["before"], time["after"], time["resolved"], time["new"]) == (1, 0, 1, 0)
    managers = row(doc["barriers"], "barrier-middle-managers-not-aligned", "rule")
    assert (managers["before"], managers["after"], managers["resolved"], managers["new"]) == (0, 1, 0, 1)


def test_sets_of_files_with_before_and_after(programme):
    before, after = programme
    args = []
    for p in sorted(before.glob("*.toml"))[:5]:
        args += ["--before", str(p)]
    args += ["--after", str(after)]
    doc = run_json(*args)
    assert doc["counts"]["before"] == 5 and doc["counts"]["paired"] == 5
    assert doc["counts"]["only_before"] == 0 and doc["counts"]["only_after"] == 1


def test_a_repeated_id_is_never_paired(programme, profiles):
    before, after = programme
    twin = make_sheet(profiles, rid="p2", years=3.0, default=4)
    data = twin.model_dump(mode="json", exclude_none=True)
    (before / "p2-again.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["compare-cohort", str(before), str(after), "--min-group", "1",
                                 "-f", "json"])
    assert result.exit_code == 65
    doc = json.loads(result.stdout)
    assert doc["counts"]["repeated_before"] == 1 and doc["counts"]["paired"] == 4
    assert doc["counts"]["before"] == 7  # the sheets given, the two left out too
    assert any("more than once before" in n for n in doc["notes"])
    assert result.stderr.splitlines() == [
        f'{before / "p2.toml"}: respondent.id: "p2" is also the id in {before / "p2-again.toml"}; '
        "no sheet with this id is used (keep one sheet per person and run again)",
        "qim compare-cohort (before): 7 files: 5 good, 0 bad, 2 left out as duplicates",
        "qim compare-cohort (after): 6 files: 6 good, 0 bad"]


def test_too_few_pairs_show_no_figures(programme):
    doc = run_json(*map(str, programme), "--min-group", "6")
    assert all(r["suppressed"] and r["change_mean"] is None for r in doc["competencies"])
    assert doc["training_needs"] == [] and doc["barriers"] == [] and doc["groups"] == []
    assert "Fewer than 6 people are paired" in doc["notes"][-1]


def test_groups_follow_the_privacy_rule(tmp_path: Path, profiles):
    before, after = tmp_path / "b", tmp_path / "a"
    roles = ["nurse"] * 6 + ["physician"] * 5 + ["allied_health"] * 2
    for i, role in enumerate(roles):
        for folder, level in ((before, 2), (after, 3 + i % 2)):
            write(folder, make_sheet(profiles, rid=f"q{i}", role=role, years=3.0, default=4,
                                     by_competency={"systems_thinking": level}))
    doc = run_json(str(before), str(after), "--by", "role", "--min-group", "5")
    # allied health (2) is withheld, and physician (5, the smallest shown) with it
    assert doc["suppressed"] == ["allied_health", "physician"]
    assert [g["group"] for g in doc["groups"]] == ["nurse"]
    nurse = row(doc["groups"][0]["competencies"], "systems_thinking")
    # nurses are q0–q5: after 3, 4, 3, 4, 3, 4 from 2
    assert nurse["n"] == 6 and nurse["change_mean"] == 1.5


def test_a_folder_compared_with_itself_shows_zero_change():
    doc = run_json(str(COHORT), str(COHORT))
    assert doc["counts"]["paired"] == 48 and doc["counts"]["only_before"] == 0
    for r in doc["competencies"] + [c for g in doc["groups"] for c in g["competencies"]]:
        assert (r["change_mean"], r["ci_low"], r["ci_high"]) == (0.0, 0.0, 0.0)
        assert r["at_target_before"] == r["at_target_after"]
    assert all(t["resolved"] == t["new"] == 0 and t["before"] == t["after"]
               for t in doc["training_needs"])
    assert all(b["resolved"] == b["new"] == 0 for b in doc["barriers"])


# --------------------------------------------------------------------------- formats


def test_json_follows_the_programme_schema(programme):
    schema = json.loads(runner.invoke(app, ["schema", "programme"]).stdout)
    doc = run_json(*map(str, programme))
    jsonschema.validate(doc, schema)
    doc["counts"]["paired"] = "five"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_every_format_says_what_the_design_cannot_show(programme):
    for fmt in ("table", "json", "csv", "markdown", "html"):
        result = runner.invoke(app, ["compare-cohort", *map(str, programme), "--format", fmt])
        assert result.exit_code == 0, (fmt, result.stderr)
        flat = " ".join(result.stdout.split())
        for text in LIMITATIONS:
            assert text.split(":")[0] in flat, (fmt, text)
        assert "regression to the mean" in flat.lower()


def test_csv_is_long_format_with_the_figures(programme):
    out = runner.invoke(app, ["compare-cohort", *map(str, programme), "-f", "csv",
                              "--min-group", "1"]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    st = next(r for r in rows if r["section"] == "competency" and r["group"] == "overall"
              and r["id"] == "systems_thinking")
    assert (st["n"], st["change_mean"], st["ci_low"], st["ci_high"], st["d_z"]) == ("5", "0.8", "-0.24", "1.84", "0.96")
    assert next(r for r in rows if r["section"] == "count" and r["id"] == "only_after")["n"] == "1"


def test_html_has_a_before_after_chart_and_no_script(programme):
    html = runner.invoke(app, ["compare-cohort", *map(str, programme), "-f", "html"]).stdout
    assert html.count('class="before-dot"') == 10 and html.count('class="after-dot"') == 10
    assert "Systems thinking: 2.80 before, 3.60 after (+0.80; 95% CI -0.24 to +1.84; n = 5)" in html
    assert "<script" not in html
    assert "What this design cannot show" in html


def test_output_file_is_written_atomically_and_not_overwritten(programme, tmp_path: Path):
    out = tmp_path / "programme.md"
    ok = runner.invoke(app, ["compare-cohort", *map(str, programme), "-f", "markdown", "-o", str(out)])
    assert ok.exit_code == 0, ok.stderr
    assert out.read_text(encoding="utf-8").startswith("# Did the programme work?")
    again = runner.invoke(app, ["compare-cohort", *map(str, programme), "-f", "markdown", "-o", str(out)])
    assert again.exit_code == 73


def test_usage_errors(programme, tmp_path: Path):
    before, after = programme
    both = runner.invoke(app, ["compare-cohort", str(before), str(after), "--before", str(before)])
    assert both.exit_code == 2
    assert both.stderr == ("qim compare-cohort: give the earlier sheets either as BEFORE or with "
                           "--before, and the later ones as AFTER or with --after\n")
    one = runner.invoke(app, ["compare-cohort", str(before)])
    assert one.exit_code == 2
    assert one.stderr == "qim compare-cohort: give both the earlier and the later sheets\n"
    missing = runner.invoke(app, ["compare-cohort", str(before), str(tmp_path / "nowhere")])
    assert missing.exit_code == 66
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in missing.stderr


def test_compare_given_folders_still_compares_a_cohort_with_a_note(programme):
    """The spelling of earlier versions: qim compare BEFORE/ AFTER/ (and --before/--after)."""
    before, after = programme
    new = runner.invoke(app, ["compare-cohort", str(before), str(after), "-f", "json"])
    note = ("qim compare: a cohort's before and after is now qim compare-cohort BEFORE AFTER "
            "(this spelling still works)")
    for args in ([str(before), str(after)], ["--before", str(before), "--after", str(after)]):
        old = runner.invoke(app, ["compare", *args, "-f", "json"])
        assert old.exit_code == 0, old.stderr
        assert old.stdout == new.stdout
        assert old.stderr.splitlines() == [note, "qim compare (before): 6 files: 6 good, 0 bad",
                                           "qim compare (after): 6 files: 6 good, 0 bad"]


def test_a_bad_sheet_is_reported_and_the_rest_compared(programme):
    before, after = programme
    (after / "broken.toml").write_text("schema_version = 1\n[respondent]\nid = 3\n", encoding="utf-8")
    result = runner.invoke(app, ["compare-cohort", str(before), str(after), "-f", "json",
                                 "--min-group", "1"])
    assert result.exit_code == 65
    assert json.loads(result.stdout)["counts"]["paired"] == 5
    assert "broken.toml" in result.stderr


def test_scipy_is_imported_only_when_a_programme_is_compared():
    import subprocess
    import sys

    code = ("import sys; from qim_cli.cli.app import app; import qim_cli.cohort.compare; "
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_the_follow_up_example_is_what_its_committed_generator_makes(tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_followup",
                                                  ROOT / "examples" / "generate_followup.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    written = gen.generate(tmp_path / "after", gen.DEFAULT_SEED)
    committed = sorted((ROOT / "examples" / "cohort-after").glob("*.toml"))
    assert [p.name for p in written] == [p.name for p in committed]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(written, committed, strict=True))
    with pytest.raises(FileExistsError):
        gen.generate(tmp_path / "after", gen.DEFAULT_SEED)


def test_the_example_programme_improved_where_it_aimed():
    doc = run_json(str(COHORT), str(ROOT / "examples" / "cohort-after"))
    c = doc["counts"]
    assert c["paired"] > 0 and c["only_before"] > 0 and c["only_after"] > 0
    aimed = {"systems_thinking", "long_term_thinking", "sense_giving"}
    for r in doc["competencies"]:
        if r["id"] in aimed:  # where the programme aimed for clinical QIMs
            assert r["ci_low"] > 0 and r["d_z"] >= 0.5, r
    course = row(doc["training_needs"], "systems_thinking_course")
    assert course["resolved"] > course["new"]
