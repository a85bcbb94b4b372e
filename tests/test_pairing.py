"""`qim pair`: optimality against brute force, uneven sides, determinism, explanations, CLI."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.pairing import Person, cover, pair_people, weight
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
PAIRS = EXAMPLES / "pairs"


def _person(rng: random.Random, pid: str, background: str, stage: str, n: int) -> Person:
    scores, gaps = [], []
    for _ in range(n):
        if rng.random() < 0.1:  # insufficient evidence now and then
            scores.append(None)
            gaps.append(None)
            continue
        score = rng.choice([1.5, 2.0, 2.25, 2.75, 3.0, 3.5, 4.0, 4.5, 5.0])
        target = rng.choice([2.5, 3.0, 3.5, 4.0])
        scores.append(score)
        gaps.append(round(target - score, 2))
    role = "nurse" if background == "clinical" else "process_engineer"
    return Person(pid, None, f"{pid}.toml", background, role, stage, tuple(scores), tuple(gaps))


def _cohort(rng, n_a: int, n_b: int, mode: str, n: int) -> list[Person]:
    if mode == "mixed":
        sides = [("clinical", "early_career")] * n_a + [("traditional", "experienced")] * n_b
    else:
        sides = [("clinical", "experienced")] * n_a + [("traditional", "new")] * n_b
    people = [_person(rng, f"p{i:02d}", bg, st, n) for i, (bg, st) in enumerate(sides)]
    rng.shuffle(people)
    return people


def _best_total(a: list[Person], b: list[Person], mode: str) -> int:
    """Every matching of the smaller side into the larger one, enumerated."""
    best = 0
    if len(a) <= len(b):
        for cols in itertools.permutations(range(len(b)), len(a)):
            best = max(best, sum(weight(a[i], b[j], mode) for i, j in enumerate(cols)))
    else:
        for rows in itertools.permutations(range(len(a)), len(b)):
            best = max(best, sum(weight(a[i], b[j], mode) for j, i in enumerate(rows)))
    return best


@pytest.mark.parametrize("mode", ["mixed", "mentoring"])
def test_pairs_are_a_maximum_weight_matching_checked_by_brute_force(profiles, mode):
    rng = random.Random(17)
    n = len(profiles.competencies)
    for trial in range(80):
        n_a, n_b = rng.randint(0, 5), rng.randint(0, 5)
        people = _cohort(rng, n_a, n_b, mode, n)
        result = pair_people(people, profiles, mode)  # type: ignore[arg-type]
        first = "clinical" if mode == "mixed" else "mentor"
        a = [p for p in people if (p.background == "clinical" if mode == "mixed"
                                   else p.career_stage == "experienced")]
        b = [p for p in people if p not in a]
        # as many pairs as the smaller side allows, each with one of each side
        assert len(result.groups) == min(n_a, n_b), trial
        for g in result.groups:
            assert g.members[0].side == first and g.members[1].side != first
        chosen = sum(weight(g.members[0].person, g.members[1].person, mode) for g in result.groups)
        assert chosen == _best_total(a, b, mode), (trial, n_a, n_b)
        # everyone is placed once: in a group or unpaired
        placed = [m.person.id for g in result.groups for m in g.members] + \
            [u.person.id for u in result.unpaired]
        assert sorted(placed) == sorted(p.id for p in people)


def test_third_members_join_the_pairs_they_add_most_to(profiles):
    """The second stage (extra people into pairs) is checked against brute force too."""
    rng = random.Random(5)
    n = len(profiles.competencies)
    for trial in range(60):
        n_a, n_b = rng.randint(1, 3), rng.randint(4, 7)
        mode = rng.choice(["mixed", "mentoring"])
        people = _cohort(rng, n_a, n_b, mode, n)
        result = pair_people(people, profiles, mode)  # type: ignore[arg-type]
        triads = [g for g in result.groups if len(g.members) == 3]
        assert len(triads) == min(n_a, n_b - n_a), trial
        pairs = [(g.members[0].person, g.members[1].person) for g in result.groups]
        extras = [g.members[2].person for g in triads] + [
            u.person for u in result.unpaired if u.person.id not in
            {m.person.id for g in result.groups for m in g.members}]

        def gain(x: Person, pair: tuple[Person, Person], mode: str = mode) -> int:
            # the extra is of side b: matched with the pair's side-a member
            return weight(pair[0], x, mode)

        if len(extras) <= len(pairs):
            best = max(sum(gain(extras[i], pairs[j]) for i, j in enumerate(cols))
                       for cols in itertools.permutations(range(len(pairs)), len(extras)))
        else:
            best = max(sum(gain(extras[i], pairs[j]) for j, i in enumerate(rows))
                       for rows in itertools.permutations(range(len(extras)), len(pairs)))
        chosen = sum(gain(g.members[2].person, (g.members[0].person, g.members[1].person))
                     for g in triads)
        assert chosen == best, trial


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


def test_cover_counts_only_the_part_of_a_gap_the_other_spans(profiles):
    n = len(profiles.competencies)
    giver = Person("g", None, "g", "traditional", "x", "experienced", (4.5,) + (3.0,) * (n - 1),
                   (0.0,) * n)
    taker = Person("t", None, "t", "clinical", "x", "new", (2.0, 3.0, None) + (3.0,) * (n - 3),
                   (1.0, -0.5, None) + (0.5,) * (n - 3))
    got = cover(giver, taker)
    assert got[0] == 100  # gap 1.0, giver 2.5 above: the whole gap
    assert got[1] == 0  # no gap
    assert got[2] == 0  # insufficient evidence
    assert got[3:] == (0,) * (n - 3)  # the giver is not above the taker


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
