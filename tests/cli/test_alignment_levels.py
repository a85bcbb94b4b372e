"""The levels' own answers in `qim cohort`: context sheets from staff at every level set
beside the QIMs' perception, organisation by organisation, with the alignment findings and
the board summary read from them (measured) where there are enough, each level withheld
under --min-group with complementary suppression."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.alignment import DISAGREE_AT_LEAST, Measured
from qim_cli.render.cohort import CohortFormat
from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.context import ContextRecord

runner = CliRunner()
COHORT, CONTEXT = EXAMPLES / "cohort", EXAMPLES / "context"
ORGS = ["Northbridge Health", "Ridgeway Health"]


def _cohort(*paths: Path | str, fmt: str = "json", extra: tuple[str, ...] = ()) -> str:
    result = runner.invoke(app, ["cohort", *map(str, paths), "-f", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _record(profiles, rid: str, level: str, org: str | None = "Acme", default: int = 3,
            **answers: int) -> ContextRecord:
    values = bytes(answers.get(q, default) for q in profiles.context_items)
    return ContextRecord(f"{rid}.toml", rid, level, org, None, values)


def _staff(profiles, counts: dict[str, int], org: str | None = "Acme",
           **answers: dict[str, int]) -> list[ContextRecord]:
    """`counts` people at each level; `answers[level]` their answers (default 3)."""
    return [_record(profiles, f"{lv}-{i}", lv, org, **answers.get(lv, {}))
            for lv, k in counts.items() for i in range(k)]


# --------------------------------------------------------------------------- two organisations


@pytest.fixture(scope="module")
def with_context() -> dict:
    return json.loads(_cohort(COHORT, CONTEXT))


def test_a_cohort_of_two_organisations_gets_one_view_each_in_json(with_context):
    doc = with_context
    assert [o["label"] for o in doc["organisations"]] == ORGS
    assert [o["organisation"] for o in doc["organisations"]] == ORGS
    assert [o["qims"] for o in doc["organisations"]] == [25, 23]
    assert sum(o["qims"] for o in doc["organisations"]) == doc["n"] == 48
    # the whole cohort's view is the QIMs' perception: no levels compared across organisations
    assert doc["organisation"]["compared"] is None
    assert {f["basis"] for f in doc["organisation"]["findings"]} == {"perceived"}
    assert any("more than one organisation" in n for n in doc["notes"])


@pytest.mark.parametrize("fmt", [f.value for f in CohortFormat])
def test_every_format_shows_each_organisation(fmt):
    out = _cohort(COHORT, CONTEXT, fmt=fmt, extra=("--title", "Two organisations"))
    if fmt == "json":
        assert [o["label"] for o in json.loads(out)["organisations"]] == ORGS
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        for section in ("board", "alignment", "level_answers", "level_spread"):
            assert {r["organisation"] for r in rows if r["section"] == section} >= set(ORGS)
        nb = [r for r in rows if r["section"] == "level_answers" and r["id"] == "protected_time"
              and r["organisation"] == "Northbridge Health"]
        assert [(r["level"], r["basis"], r["n"], r["share"]) for r in nb] == [
            ("front_line", "measured", "14", "1.0"), ("middle_managers", "measured", "6", "0.833"),
            ("senior_leaders", "measured", "5", "0.0"), ("board", "measured", "5", "0.0"),
            ("qims", "perceived", "23", "0.348")]
    elif fmt == "html":
        for i, org in enumerate(ORGS, start=1):
            assert f'<h2 id="org{i}-h">{org} (' in out
            assert f'id="org{i}-levels"' in out
    elif fmt == "markdown":
        assert "## Northbridge Health (25 QIMs)" in out and "## Ridgeway Health (23 QIMs)" in out
        assert out.index("## Northbridge Health") < out.index("## Ridgeway Health")
    else:
        assert "Northbridge Health (25 QIMs)" in out and "Ridgeway Health (23 QIMs)" in out


def test_without_context_sheets_each_organisation_is_the_qims_perception():
    doc = json.loads(_cohort(COHORT))
    assert [o["label"] for o in doc["organisations"]] == ORGS
    for o in doc["organisations"]:
        assert o["compared"] is None
        assert {f["basis"] for f in o["findings"]} == {"perceived"}
        assert {b["basis"] for b in o["board_summary"]} == {"perceived"}
        assert all(b["n"] == o["qims"] for b in o["board_summary"])


def test_one_organisation_keeps_one_view_with_its_levels(tmp_path, profiles):
    """Sheets naming one organisation: no split, the levels compared in the cohort's view."""
    for i in range(5):
        sheet = sheet_to_data(make_sheet(profiles, rid=f"q-{i}"))
        sheet["respondent"]["organisation"] = "Acme"
        (tmp_path / f"q-{i}.toml").write_text(tomli_w.dumps(sheet), encoding="utf-8")
    for lv in ("front_line", "board"):
        for i in range(5):
            value = 1 if lv == "front_line" else 5
            data = {"schema_version": 1, "kind": "context",
                    "respondent": {"id": f"{lv}-{i}", "level": lv, "organisation": "Acme"},
                    "context": {q: value for q in profiles.context_items}}
            (tmp_path / f"{lv}-{i}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    doc = json.loads(_cohort(tmp_path))
    assert doc["organisations"] == []
    cmp = doc["organisation"]["compared"]
    assert [c["id"] for c in cmp["levels"]] == ["front_line", "board", "qims"]
    row = next(q for q in cmp["questions"] if q["id"] == "protected_time")
    assert row["disagree"] and row["spread"] == 1.0
    assert row["finding"].startswith("In place in the view of board members, not of the front "
                                     "line: a barrier to 100% of the front line (5 answering)")


# --------------------------------------------------------------------------- perceived -> measured


def test_the_example_context_sheets_turn_a_perceived_finding_into_a_measured_one(with_context):
    """Northbridge's QIMs do not see the front line without time while managers back
    improvement; the front line and the middle managers themselves say so."""
    before = json.loads(_cohort(COHORT))["organisations"][0]
    after = with_context["organisations"][0]
    fid = "managers-aligned-frontline-without-time"
    was = next(f for f in before["findings"] if f["id"] == fid)
    now = next(f for f in after["findings"] if f["id"] == fid)
    assert (was["basis"], was["fired"], was["in_place"]["levels"]) == ("perceived", False, [])
    assert (now["basis"], now["fired"]) == ("measured", True)
    assert now["in_place"]["levels"] == ["middle_managers"]
    assert (now["in_place"]["n"], now["in_place"]["share"]) == (6, 0.0)
    assert now["barrier"]["levels"] == ["front_line"]
    assert (now["barrier"]["n"], now["barrier"]["share"]) == (14, 1.0)
    # the board summary is read from the staff's own answers
    assert [(b["rule"], b["people"], b["n"], b["basis"]) for b in after["board_summary"]][0] == (
        "barrier-no-protected-time", 19, 32, "measured")


def test_a_finding_whose_levels_are_withheld_stays_perceived_and_says_so(with_context):
    """Ridgeway's senior leaders (4) and, as their complement, its board members are
    withheld: a finding about the board is read from the QIMs."""
    ridgeway = with_context["organisations"][1]
    basis = {f["id"]: f["basis"] for f in ridgeway["findings"]}
    assert basis["board-attends-no-infrastructure"] == "perceived"
    assert basis["frontline-engaged-too-many-initiatives"] == "measured"
    md = _cohort(COHORT, CONTEXT, fmt="markdown")
    assert "*Measured: the levels' own answers. 0% of 6 at the middle manager level" in md


# --------------------------------------------------------------------------- suppression


def test_a_small_level_is_withheld_with_its_complement(profiles):
    staff = _staff(profiles, {"front_line": 7, "middle_managers": 6, "senior_leaders": 3,
                              "board": 5})
    m = Measured(staff, profiles, 5)
    cols = {c.id: (c.n, c.suppressed, c.reason) for c in m.columns()}
    assert cols == {"front_line": (7, False, None), "middle_managers": (6, False, None),
                    "senior_leaders": (None, True, "fewer_than_min_group"),
                    "board": (None, True, "complementary")}
    cells = {c.level: c for c in (m.cell(lv, 0) for lv in m.levels)}
    assert cells["senior_leaders"].model_dump() == {
        "level": "senior_leaders", "n": None, "barrier": None, "share": None, "mean": None,
        "suppressed": True, "reason": "fewer_than_min_group"}
    assert cells["board"].suppressed and cells["board"].reason == "complementary"
    assert cells["front_line"].n == 7 and not cells["front_line"].suppressed


def test_no_complement_when_nothing_is_small(profiles):
    m = Measured(_staff(profiles, {"front_line": 5, "board": 5}), profiles, 5)
    assert [c.suppressed for c in m.columns()] == [False, False]
    m1 = Measured(_staff(profiles, {"front_line": 5, "board": 5}), profiles, 6)
    assert [c.reason for c in m1.columns()] == ["fewer_than_min_group", "fewer_than_min_group"]


def test_a_cell_on_too_few_answers_is_withheld_with_the_next_smallest(profiles):
    """Front line 6 and board 5 people, but two of the front line answer "na" on one question."""
    staff = _staff(profiles, {"front_line": 6, "middle_managers": 7, "board": 5})
    for i in (0, 1):
        r = staff[i]
        answers = bytearray(r.answers)
        answers[0] = 0  # "na" on the first question
        staff[i] = ContextRecord(r.file, r.id, r.level, r.organisation, r.unit, bytes(answers))
    m = Measured(staff, profiles, 5)
    first = {lv: m.cell(lv, 0) for lv in m.levels}
    assert (first["front_line"].suppressed, first["front_line"].reason) == (
        True, "fewer_than_min_group")
    assert (first["board"].suppressed, first["board"].reason) == (True, "complementary")
    assert not first["middle_managers"].suppressed
    second = {lv: m.cell(lv, 1) for lv in m.levels}
    assert not any(c.suppressed for c in second.values())
    # a finding's measured side never reads a withheld cell: protected_time is the first
    q0 = list(profiles.context_items)[0]
    side = m.side([q0])
    assert side is None or "front_line" not in side[0]


def test_a_measured_side_reads_only_the_levels_shown(profiles):
    staff = _staff(profiles, {"front_line": 6, "middle_managers": 6, "senior_leaders": 3,
                              "board": 5},
                   senior_leaders={"strategic_selection": 1})
    m = Measured(staff, profiles, 5)
    levels, n, share = m.side(["strategic_selection"])  # the organisation's: every level
    assert levels == ["front_line", "middle_managers"]  # not the 3 nor their complement
    assert (n, share) == (12, 0.0)


def test_withheld_levels_read_fewer_than_n_in_every_format(tmp_path, profiles):
    for i in range(5):
        sheet = sheet_to_data(make_sheet(profiles, rid=f"q-{i}"))
        (tmp_path / f"q-{i}.toml").write_text(tomli_w.dumps(sheet), encoding="utf-8")
    for lv, k in (("front_line", 6), ("middle_managers", 5), ("board", 2)):
        for i in range(k):
            data = {"schema_version": 1, "kind": "context",
                    "respondent": {"id": f"{lv}-{i}", "level": lv},
                    "context": {q: 2 for q in profiles.context_items}}
            (tmp_path / f"{lv}-{i}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    doc = json.loads(_cohort(tmp_path))
    levels = {c["id"]: c for c in doc["organisation"]["compared"]["levels"]}
    assert levels["board"]["n"] is None and levels["board"]["suppressed"]
    assert levels["middle_managers"]["reason"] == "complementary"
    assert levels["front_line"]["n"] == 6
    assert "Board member (fewer than 5)" in _cohort(tmp_path, fmt="markdown")
    assert "Middle manager (withheld)" in _cohort(tmp_path, fmt="markdown")
    assert "fewer than 5" in _cohort(tmp_path, fmt="table")
    rows = list(csv.DictReader(io.StringIO(_cohort(tmp_path, fmt="csv"))))
    board = [r for r in rows if r["section"] == "level_answers" and r["level"] == "board"]
    assert board and {(r["n"], r["share"], r["text"]) for r in board} == {("", "", "fewer than 5")}
    html = _cohort(tmp_path, fmt="html")
    assert "Board member (fewer than 5)" in html
    # with --min-group 2 the board is shown
    doc2 = json.loads(_cohort(tmp_path, extra=("--min-group", "2")))
    assert {c["id"]: c["n"] for c in doc2["organisation"]["compared"]["levels"]}["board"] == 2


# --------------------------------------------------------------------------- disagreement


def test_disagreement_is_a_spread_of_forty_points_or_more(profiles):
    assert DISAGREE_AT_LEAST == 0.4
    # front line: 2 of 5 report a barrier (40%); board: none (0%) -> disagree
    fl = {"protected_time": 1}
    staff = [_record(profiles, f"fl-{i}", "front_line", **(fl if i < 2 else {})) for i in range(5)]
    staff += _staff(profiles, {"board": 5})
    row = next(q for q in Measured(staff, profiles, 5).comparison(*_qims(profiles)).questions
               if q.id == "protected_time")
    assert (row.spread, row.disagree) == (0.4, True)
    assert row.finding == ("a barrier to 40% of the front line (5 answering), against 0% of "
                           "board members (5).")
    # one fewer: 1 of 5 (20%) -> not a disagreement
    staff[1] = _record(profiles, "fl-1", "front_line")
    row = next(q for q in Measured(staff, profiles, 5).comparison(*_qims(profiles)).questions
               if q.id == "protected_time")
    assert (row.spread, row.disagree, row.finding) == (0.2, False, None)


def _qims(profiles):
    from qim_cli.cohort.alignment_results import LevelCell, StaffLevelColumn

    col = StaffLevelColumn(id="qims", label="QIMs' perception", measured=False, n=0,
                           suppressed=False, reason=None)
    return col, {q: LevelCell(level="qims", n=0, barrier=None, share=None, mean=None,
                              suppressed=False, reason=None) for q in profiles.context_items}


def test_the_board_summary_counts_staff_by_the_barrier_rules(profiles):
    """The rule on two questions (too many initiatives: either one) counts a person once."""
    staff = _staff(profiles, {"front_line": 5, "board": 5},
                   front_line={"strategic_selection": 1, "manageable_change_load": 2})
    staff[0] = _record(profiles, "x", "front_line", manageable_change_load=1)
    m = Measured(staff, profiles, 5)
    rules = [r for r in profiles.rules if r.kind == "barrier"]
    counts = {r.id: (people, n) for r, people, n in m.board(rules)}
    assert counts["barrier-too-many-initiatives"] == (5, 10)
    assert counts["barrier-no-protected-time"] == (0, 10)


# --------------------------------------------------------------------------- schema


def test_the_json_keeps_to_the_cohort_schema(with_context):
    result = runner.invoke(app, ["schema", "cohort"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.validate(with_context, schema)
    defs = schema.get("$defs", {})
    assert {"LevelComparison", "LevelCell", "LevelQuestion", "StaffLevelColumn"} <= set(defs)
    assert "organisations" in schema["properties"]
