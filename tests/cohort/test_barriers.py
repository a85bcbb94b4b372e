"""The organisation's view of a cohort: barrier shares, levels and QUASER challenges,
privacy, alignment findings, the board summary and the needs that occur with a barrier
(hand-computed). (Through `qim cohort`: tests/cli/test_cohort_organisation.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import ROOT, make_sheet
from support.organisation import by_id, by_role, cell, cohort_doc

from qim_cli.cohort.groups import GroupBy
from qim_cli.cohort.privacy import hidden_cells
from qim_cli.framework.organisation import barrier_values
from qim_cli.framework.profiles import Profiles, load_profiles_uncached

# --------------------------------------------------------------------------- thresholds


def test_the_barrier_threshold_is_read_from_the_barrier_rules(profiles):
    values = barrier_values(profiles.rules_file)
    # every bundled barrier rule says `at_most = 2`; both questions of the any-rule count
    assert values["protected_time"] == frozenset({1, 2})
    assert values["strategic_selection"] == values["manageable_change_load"] == frozenset({1, 2})
    assert set(values) == set(profiles.context_items)


def test_an_edited_rule_moves_the_cohort_threshold_too(tmp_path: Path, profiles):
    copy = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", copy)
    rules = copy / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('when = { context = "protected_time", at_most = 2 }',
                                  'when = { context = "protected_time", at_most = 3 }'),
                     encoding="utf-8")
    edited = load_profiles_uncached(copy)
    answers = [1, 2, 3, 4, 5]
    sheets = [make_sheet(edited, rid=f"p{i}", context={"protected_time": v})
              for i, v in enumerate(answers)]
    row = by_id(cohort_doc(edited, sheets)["organisation"]["questions"], "protected_time")
    assert cell(row)["barrier"] == 3  # 1, 2 and now 3
    assert row["barrier_answers"] == "1 (Strongly disagree), 2 (Disagree), 3 (Neither agree nor disagree)"
    bundled = by_id(cohort_doc(profiles, [make_sheet(profiles, rid=f"p{i}", context={"protected_time": v})
                                          for i, v in enumerate(answers)])["organisation"]["questions"],
                    "protected_time")
    assert cell(bundled)["barrier"] == 2


# --------------------------------------------------------------------------- shares and grouping


def test_question_level_and_quaser_figures_by_hand(profiles):
    # five people; protected_time answered 1, 2, 3, 4 and "na"; every other question 4
    # (--min-group 4, so that the four answers to protected_time are enough to show)
    sheets = [make_sheet(profiles, rid=f"p{i}", context={"protected_time": v})
              for i, v in enumerate([1, 2, 3, 4, "na"])]
    org = cohort_doc(profiles, sheets, min_group=4)["organisation"]
    q = cell(by_id(org["questions"], "protected_time"))
    assert (q["n"], q["barrier"], q["share"], q["mean"]) == (4, 2, 0.5, 2.5)
    other = cell(by_id(org["questions"], "qi_infrastructure"))
    assert (other["n"], other["barrier"], other["share"], other["mean"]) == (5, 0, 0.0, 4.0)

    # front line = protected_time, frontline_engaged, tools_adapted_locally: everyone answered
    # one of them, two reported a barrier; the mean pools all 14 answers: (1+2+3+4 + 10×4)/14
    front = by_id(org["levels"], "front_line")
    assert front["questions"] == ["protected_time", "frontline_engaged", "tools_adapted_locally"]
    assert front["label"] == "Front line"
    c = cell(front)
    assert (c["n"], c["barrier"], c["share"], c["mean"]) == (5, 2, 0.4, round(50 / 14, 2))
    board = cell(by_id(org["levels"], "board"))
    assert (board["n"], board["barrier"], board["share"], board["mean"]) == (5, 0, 0.0, 4.0)

    # QUASER "educational" = protected_time and qi_infrastructure: (1+2+3+4 + 5×4)/9
    edu = by_id(org["quaser"], "educational")
    assert edu["questions"] == ["protected_time", "qi_infrastructure"]
    c = cell(edu)
    assert (c["n"], c["barrier"], c["share"], c["mean"]) == (5, 2, 0.4, round(30 / 9, 2))
    assert by_id(org["quaser"], "physical_technological")["label"] == "Physical and technological"


def test_a_person_counts_once_per_level_however_many_barriers(profiles):
    sheets = [make_sheet(profiles, rid=f"p{i}",
                         context={"board_quality_time": 1, "leaders_role_model": 2} if i < 2 else {})
              for i in range(5)]
    org = cohort_doc(profiles, sheets)["organisation"]
    c = cell(by_id(org["levels"], "board"))
    assert (c["n"], c["barrier"], c["share"]) == (5, 2, 0.4)
    # and the barrier rules fired for the same two people, each its own row
    bars = {b["rule"]: cell(b) for b in org["barriers"]}
    assert bars["barrier-board-not-attending-to-quality"]["people"] == 2
    assert bars["barrier-leaders-not-role-modelling"]["people"] == 2
    assert bars["barrier-no-protected-time"]["people"] == 0


# --------------------------------------------------------------------------- privacy


def test_hidden_cells_withholds_the_complement():
    assert hidden_cells({"a": 6, "b": 7, "c": 3}, 5) == {"c", "a"}
    assert hidden_cells({"a": 6, "b": 7, "c": 3, "d": 2}, 5) == {"c", "d"}
    assert hidden_cells({"a": 6, "b": 7}, 5) == set()
    # groups withheld as a whole count: two already hidden, so no complement is needed
    assert hidden_cells({"a": 6, "b": 7, "c": 1, "d": 2}, 5, {"c", "d"}) == {"c", "d"}


def test_a_cell_on_too_few_answers_is_withheld_with_its_complement(profiles):
    # nurse 6, physician 7, allied health 5 people: all shown as groups; but only 3 allied
    # health staff answered protected_time, so that cell goes, and with it the smallest
    # other cell (nurse, 6), or allied health could be worked out from the overall figure
    sheets = by_role(profiles, {"nurse": 6, "physician": 7, "allied_health": 5},
                      {"allied_health": 2})
    org = cohort_doc(profiles, sheets, by=GroupBy.role)["organisation"]
    assert org["columns"] == ["overall", "allied_health", "nurse", "physician"]
    row = by_id(org["questions"], "protected_time")
    assert cell(row, "allied_health")["suppressed"] and cell(row, "allied_health")["share"] is None
    assert cell(row, "nurse")["suppressed"] and cell(row, "nurse")["n"] is None
    phys = cell(row, "physician")
    assert not phys["suppressed"] and (phys["n"], phys["barrier"]) == (7, 3)
    overall = cell(row)
    assert (overall["n"], overall["barrier"]) == (16, 3 + 3 + 1)
    # a question everyone answered shows every cell
    assert not any(c["suppressed"] for c in by_id(org["questions"], "qi_infrastructure")["cells"])


def test_a_small_group_is_withheld_everywhere_with_its_complement(profiles):
    sheets = by_role(profiles, {"nurse": 6, "physician": 7, "allied_health": 3}, {})
    doc = cohort_doc(profiles, sheets, by=GroupBy.role)
    org = doc["organisation"]
    assert set(doc["suppressed"]) == {"allied_health", "nurse"}
    assert org["columns"] == ["overall", "physician"]
    for section in ("questions", "levels", "quaser", "barriers"):
        for row in org[section]:
            assert [c["group"] for c in row["cells"]] == ["overall", "physician"]
    text = json.dumps(org)
    assert "allied_health" not in text and "nurse" not in text


def test_nothing_organisational_is_shown_for_a_cohort_below_the_threshold(profiles):
    doc = cohort_doc(profiles, [make_sheet(profiles, rid=f"p{i}") for i in range(4)])
    assert doc["organisation"] is None


# --------------------------------------------------------------------------- alignment


def _alignment_cohort(profiles: Profiles, managers_barrier: int, frontline_barrier: int = 0,
                      n: int = 8) -> dict[str, Any]:
    sheets = []
    for i in range(n):
        ctx = {"middle_managers_aligned": 1 if i < managers_barrier else 4,
               "frontline_engaged": 2 if i >= n - frontline_barrier else 5}
        sheets.append(make_sheet(profiles, rid=f"p{i}", context=ctx))
    org = cohort_doc(profiles, sheets)["organisation"]
    return by_id(org["findings"], "frontline-ready-middle-managers-not")


def test_the_alignment_finding_fires_when_levels_disagree(profiles):
    f = _alignment_cohort(profiles, managers_barrier=5)
    assert f["fired"] and f["evaluated"]
    assert (f["in_place"]["n"], f["in_place"]["share"]) == (8, 0.0)
    assert (f["barrier"]["n"], f["barrier"]["share"]) == (8, 0.625)  # 5 of 8
    assert f["sources"] == ["P"]
    assert "middle managers" in f["message"]


def test_the_alignment_finding_does_not_fire_without_disagreement(profiles):
    # too few report middle managers as a barrier: 3 of 8 < 0.5
    assert not _alignment_cohort(profiles, managers_barrier=3)["fired"]
    # both levels reported as barriers: that is not a disagreement (3 of 8 > 0.25)
    both = _alignment_cohort(profiles, managers_barrier=5, frontline_barrier=3)
    assert both["in_place"]["share"] == 0.375 and not both["fired"]
    # exactly at the thresholds it fires: 2 of 8 = 0.25 in place, 4 of 8 = 0.5 barrier
    assert _alignment_cohort(profiles, managers_barrier=4, frontline_barrier=2)["fired"]


def test_a_finding_is_not_evaluated_on_too_few_answers(profiles):
    sheets = [make_sheet(profiles, rid=f"p{i}",
                         context={"middle_managers_aligned": 1,
                                  "frontline_engaged": 5 if i < 4 else "na"})
              for i in range(6)]
    org = cohort_doc(profiles, sheets)["organisation"]
    f = by_id(org["findings"], "frontline-ready-middle-managers-not")
    assert not f["evaluated"] and not f["fired"] and f["in_place"]["share"] is None


# --------------------------------------------------------------------------- board summary


def test_the_board_summary_ranks_barriers_by_people(profiles):
    # qi_infrastructure reported by 4, protected_time by 3, board_quality_time by 3,
    # tools_adapted_locally by 1: the tie goes to the rule listed first in rules.toml
    plan = {"qi_infrastructure": 4, "board_quality_time": 3, "protected_time": 3,
            "tools_adapted_locally": 1}
    sheets = [make_sheet(profiles, rid=f"p{i}",
                         context={q: 1 for q, k in plan.items() if i < k}) for i in range(6)]
    org = cohort_doc(profiles, sheets)["organisation"]
    board = org["board_summary"]
    assert [b["rule"] for b in board] == ["barrier-no-qi-infrastructure", "barrier-no-protected-time",
                                          "barrier-board-not-attending-to-quality"]
    assert [b["people"] for b in board] == [4, 3, 3]
    assert board[0]["share"] == round(4 / 6, 3)
    assert board[0]["actors"] == ["board"]
    assert board[1]["actors"] == ["front_line", "middle_managers"]
    assert board[1]["actor_labels"] == ["front-line staff", "middle managers"]
    assert [a["id"] for a in board[0]["actions"]] == ["org_qi_infrastructure"]
    assert board[0]["actions"][0]["sources"] == ["Q"] and board[0]["sources"] == ["Q"]


# --------------------------------------------------------------------------- needs with a barrier


def _with_cohort(profiles: Profiles, protected_time: int, min_group: int = 5) -> dict[str, Any]:
    # clinical, early career, long-term thinking far below target, everything else high
    sheets = [make_sheet(profiles, rid=f"p{i}", years=3.0, default=5,
                         by_competency={"long_term_thinking": 1},
                         context={"protected_time": protected_time}) for i in range(5)]
    return cohort_doc(profiles, sheets, min_group=min_group)


def test_needs_that_occur_with_a_barrier_are_a_subset_of_the_training_needs(profiles):
    """A barrier never removes a need: the same five people need the same course with or
    without the barrier; with it, the organisation's view counts them as a subset."""
    barred = _with_cohort(profiles, protected_time=1)
    free = _with_cohort(profiles, protected_time=4)
    for doc in (barred, free):
        needs = {t["id"]: t for t in doc["overall"]["training_needs"]}
        # 5 of 5: the 0 who do not need it would be given away, so the count is withheld
        assert needs["sustaining_improvement_course"]["withheld"] == {"people": "complement"}
    # every count shown (the organisation's view has a rule of its own)
    for doc in (_with_cohort(profiles, 1, 1), _with_cohort(profiles, 4, 1)):
        needs = {t["id"]: t["people"] for t in doc["overall"]["training_needs"]}
        assert needs["sustaining_improvement_course"] == 5
    assert barred["proposal"]["needs"] == free["proposal"]["needs"]
    org = barred["organisation"]
    assert org["with_barrier"]["people"] == 5
    # each person's long-term needs (the gap rule and the experienced-only capability
    # rule does not fire at this stage), once per person and development rule
    assert org["with_barrier"]["needs"] == 5
    (bar,) = org["with_barrier"]["by_barrier"]
    assert (bar["rule"], bar["people"], bar["needs"]) == ("barrier-no-protected-time", 5, 5)
    assert bar["competencies"] == [{"id": "long_term_thinking", "label": "Long-term thinking",
                                    "people": 5, "note": None}]
    assert free["organisation"]["with_barrier"] == {"people": 0, "needs": 0, "by_barrier": []}
