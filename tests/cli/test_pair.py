"""`qim pair`: each pair explained by what each brings, uneven and one-sided cohorts, mentoring,
the same pairs whatever the order, exit codes and messages, CSV, and the bundled examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
PAIRS = EXAMPLES / "pairs"


def _sheet(profiles, rid: str, background: str, years: float, **by):
    return make_sheet(profiles, background=background, years=years, rid=rid, by_competency=by)


def write(folder: Path, sheet, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or sheet.respondent.id}.toml"
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["pair", *args])


def test_each_pair_is_explained_by_what_each_brings(profiles, tmp_path):
    nurse = _sheet(profiles, "aroha", "clinical", 3, healthcare_context=5, trustworthiness=5,
                   systems_thinking=2, long_term_thinking=2)
    engineer = _sheet(profiles, "ben", "traditional", 1, healthcare_context=1, trustworthiness=2,
                      systems_thinking=5, long_term_thinking=5)
    write(tmp_path, nurse)
    write(tmp_path, engineer)
    result = run(str(tmp_path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    (g,) = doc["groups"]
    assert g["explanation"] == ("aroha brings healthcare context and trust on the wards; "
                                "ben brings a long-term view and systems thinking.")
    assert [m["side"] for m in g["members"]] == ["clinical", "traditional"]
    assert g["members"][0]["brings"][:2] == ["healthcare_context", "trustworthiness"]
    # no numbers unless asked for: pairs are shared with the people in them
    assert "weight" not in g and "brings_points" not in g["members"][0]
    scored = json.loads(run(str(tmp_path), "-f", "json", "--scores").stdout)["groups"][0]
    assert scored["weight"] == round(sum(scored["members"][0]["brings_points"].values())
                                     + sum(scored["members"][1]["brings_points"].values()), 2)
    assert scored["members"][1]["brings_points"]["systems_thinking"] > 0


@pytest.mark.parametrize("columns", ["40", "200"])
def test_with_scores_a_member_who_covers_nothing_is_shown_with_0(profiles, tmp_path, columns):
    # aroha (early career, every score 4) has no gap; ben's 2s in systems and long-term
    # thinking are gaps beyond measurement error that aroha covers. Long ids: at 40
    # columns the table cannot fit and each pair is a block that sums up its cover
    aroha, ben = "aroha-surgical-ward-seven", "ben-operations-improvement-office"
    write(tmp_path, make_sheet(profiles, background="clinical", years=3, rid=aroha, default=4))
    write(tmp_path, _sheet(profiles, ben, "traditional", 3, systems_thinking=2,
                           long_term_thinking=2))
    doc = json.loads(run(str(tmp_path), "-f", "json", "--scores").stdout)
    (g,) = doc["groups"]
    points = {m["id"]: m["brings_points"] for m in g["members"]}
    assert points[ben] == {} and points[aroha]["systems_thinking"] > 0
    result = runner.invoke(app, ["pair", str(tmp_path), "--scores"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert f"{ben} 0" in " ".join(result.stdout.split())


def test_uneven_mixed_sides_make_triads_then_list_the_rest(profiles, tmp_path):
    for i in range(3):
        write(tmp_path, _sheet(profiles, f"c-{i}", "clinical", 3))
    write(tmp_path, _sheet(profiles, "t-0", "traditional", 3))
    doc = json.loads(run(str(tmp_path), "-f", "json").stdout)
    assert [len(g["members"]) for g in doc["groups"]] == [3]
    assert doc["unpaired"] == [{"id": doc["unpaired"][0]["id"], "name": None,
                                "background": "clinical", "career_stage": "early_career",
                                "reason": "every pair already has a third member "
                                          "(3 clinical and 1 traditional QIMs)"}]


def test_one_sided_cohorts_are_listed_with_the_reason(profiles, tmp_path):
    for i in range(2):
        write(tmp_path, _sheet(profiles, f"c-{i}", "clinical", 8))
    doc = json.loads(run(str(tmp_path), "-f", "json").stdout)
    assert doc["groups"] == []
    assert {u["reason"] for u in doc["unpaired"]} == {"no traditional QIM to pair with"}
    doc = json.loads(run(str(tmp_path), "-f", "json", "--mode", "mentoring").stdout)
    assert {u["reason"] for u in doc["unpaired"]} == {
        "more experienced QIMs than new and early-career ones: free to mentor in another round"}


def test_mentoring_gives_a_mentor_a_second_mentee_then_lists_the_rest(profiles, tmp_path):
    write(tmp_path, _sheet(profiles, "mentor", "clinical", 9, systems_thinking=5))
    for i in range(3):
        write(tmp_path, _sheet(profiles, f"new-{i}", "traditional", 1, systems_thinking=2))
    doc = json.loads(run(str(tmp_path), "-f", "json", "-m", "mentoring").stdout)
    (g,) = doc["groups"]
    assert [m["side"] for m in g["members"]] == ["mentor", "mentee", "mentee"]
    assert g["explanation"].startswith("mentor mentors new-")
    assert "systems thinking" in g["explanation"]
    assert [u["reason"] for u in doc["unpaired"]] == [
        "every mentor already has two mentees (1 experienced and 3 new or early-career QIMs)"]


def test_same_sheets_in_any_order_and_name_give_the_same_pairs(profiles, tmp_path):
    people = [_sheet(profiles, f"c-{i}", "clinical", 3) for i in range(4)] + \
        [_sheet(profiles, f"t-{i}", "traditional", 6) for i in range(3)]
    one, two = tmp_path / "one", tmp_path / "two"
    for i, s in enumerate(people):
        write(one, s)
        write(two, s, name=f"{len(people) - i:02d}-sheet")  # another name, reversed order
    for fmt in ("json", "csv", "markdown", "table"):
        a, b = run(str(one), "-f", fmt, "--scores"), run(str(two), "-f", fmt, "--scores")
        assert a.exit_code == b.exit_code == 0
        assert a.stdout == b.stdout, fmt
    # identical people: every pairing is as good; ties are broken by id
    doc = json.loads(run(str(one), "-f", "json").stdout)
    assert [[m["id"] for m in g["members"]] for g in doc["groups"]] == [
        ["c-0", "t-0", "c-3"], ["c-1", "t-1"], ["c-2", "t-2"]]


def test_cli_exit_codes_and_messages(profiles, tmp_path):
    good = tmp_path / "sheets"
    write(good, _sheet(profiles, "c-0", "clinical", 3))
    write(good, _sheet(profiles, "t-0", "traditional", 3))
    (good / "bad.toml").write_text('schema_version = 1\n[respondent]\nid = "x"\n', encoding="utf-8")
    result = run(str(good), "-f", "json")
    assert result.exit_code == 65
    assert len(json.loads(result.stdout)["groups"][0]["members"]) == 2  # the good sheets are paired
    assert f"{good / 'bad.toml'}: respondent.background: required field missing" in result.stderr
    assert "qim pair: 3 files: 2 good, 1 bad" in result.stderr
    (good / "bad.toml").unlink()
    write(good, _sheet(profiles, "c-0", "clinical", 3), name="again")
    result = run(str(good), "-f", "json")
    assert result.exit_code == 65
    # the same person twice: both sheets left out, the others paired (as every batch does)
    assert result.stderr.splitlines() == [
        f'{good / "c-0.toml"}: respondent.id: "c-0" is also the id in {good / "again.toml"}; '
        "no sheet with this id is used (keep one sheet per person and run again)",
        "qim pair: 3 files: 1 good, 0 bad, 2 left out as duplicates"]
    doc = json.loads(result.stdout)
    # one person: a count below the privacy threshold, withheld (the person is named below)
    assert doc["people"] is None and [u["id"] for u in doc["unpaired"]] == ["t-0"]
    assert run(str(tmp_path / "nothing")).exit_code == 66
    assert run(str(good), "--mode", "buddies").exit_code == 2
    out = tmp_path / "pairs.md"
    out.write_text("keep", encoding="utf-8")
    (good / "again.toml").unlink()
    result = run(str(good), "-f", "markdown", "-o", str(out))
    assert result.exit_code == 73 and out.read_text(encoding="utf-8") == "keep"
    assert run(str(good), "-f", "markdown", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Mixed pairs")


def test_csv_has_one_row_per_person_and_numbers_only_with_scores(profiles, tmp_path):
    import csv
    import io

    for i in range(3):
        write(tmp_path, _sheet(profiles, f"c-{i}", "clinical", 3))
    write(tmp_path, _sheet(profiles, "t-0", "traditional", 3))
    out = run(str(tmp_path), "-f", "csv").stdout
    assert out.splitlines()[0] == ("group,id,name,background,career_stage,side,brings,"
                                   "explanation,reason")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4 and "weight" not in rows[0]
    assert [r["group"] for r in rows].count("") == 1
    # the side of the pair (not a job role, which "role" means in every other output)
    assert [r["side"] for r in rows if r["group"]] == ["clinical", "traditional", "clinical"]
    rows = list(csv.DictReader(io.StringIO(run(str(tmp_path), "-f", "csv", "--scores").stdout)))
    assert "weight" in rows[0] and "brings_points" in rows[0]


@pytest.mark.parametrize("mode", ["mixed", "mentoring"])
def test_the_bundled_cohorts_pairs_in_examples_are_current(mode, tmp_path):
    committed = (PAIRS / f"{mode}.md").read_text(encoding="utf-8")
    result = run(str(EXAMPLES / "cohort"), "--mode", mode, "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout == committed
    # and the same when the sheets are read from another folder in another order
    copy = tmp_path / "c"
    shutil.copytree(EXAMPLES / "cohort", copy)
    for path in sorted(copy.glob("*.toml")):
        path.rename(copy / f"z-{path.stem[::-1]}.toml")
    assert run(str(copy), "--mode", mode, "-f", "markdown").stdout == committed
