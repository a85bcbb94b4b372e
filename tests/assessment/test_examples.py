"""The bundled examples differ in the ways the evidence predicts, through the rules alone."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, make_sheet

from qim_cli.assessment.report import build_result
from qim_cli.sheets.answers import load_sheet


def _result(profiles, name):
    path = EXAMPLES / name
    return build_result(load_sheet(path, profiles), profiles, str(path))


def _top_competencies(result, n=3):
    comps = []
    for rec in result.recommendations[:n]:
        comps.extend(rec.competencies)
    return set(comps)


def test_nurse_report(profiles):
    r = _result(profiles, "nurse-early-career.toml")
    assert len(r.competencies) == len(profiles.competencies)
    assert len(r.recommendations) >= 3
    for rec in r.recommendations:
        assert rec.reasons and all(reason.because and reason.sources for reason in rec.reasons)
    assert _top_competencies(r) & {"systems_thinking", "long_term_thinking"}
    by_id = {c.id: c for c in r.competencies}
    assert by_id["systems_thinking"].background_flag == "overlooked"
    assert by_id["systems_thinking"].priority_label == "high"
    assert by_id["healthcare_context"].gap <= 0


def test_process_engineer_report(profiles):
    r = _result(profiles, "process-engineer-new.toml")
    assert r.respondent.career_stage == "new"
    assert _top_competencies(r) & {"healthcare_context", "external_orientation"}
    by_id = {c.id: c for c in r.competencies}
    assert by_id["qi_methods"].gap < 0  # methods are the strength
    assert by_id["healthcare_context"].background_flag == "known_gap"
    # the study's authors suggest a newcomer from outside healthcare may require socialisation
    assert any(reason.rule == "traditional-healthcare-newcomer-socialisation"
               for rec in r.recommendations for reason in rec.reasons)


def test_physician_keeps_what_clinical_qims_overlook_as_objectives_beside_the_barriers(profiles):
    """Four workplace barriers, and still: long-term and systems thinking are objectives
    of the plan, each with the barriers that may constrain it raised beside it."""
    r = _result(profiles, "physician-experienced.toml")
    assert len(r.barriers) >= 3 and r.plan.profile == "barrier_dominated"
    objectives = {c.id: o for o in r.plan.objectives for c in o.competencies}
    assert {"long_term_thinking", "systems_thinking"} <= set(objectives)
    assert [b.rule for b in objectives["long_term_thinking"].also_raise] == [
        "barrier-no-protected-time", "barrier-too-many-initiatives"]
    assert [b.rule for b in objectives["systems_thinking"].also_raise] == [
        "barrier-middle-managers-not-aligned"]
    assert {d.reason for d in r.plan.deferred} <= {"plan_full", "no_activity", "career_stage"}
    # each barrier names the needs it occurs with, which stay recommendations
    personal = {c for rec in r.recommendations for c in rec.competencies}
    by_rule = {b.rule: b for b in r.barriers}
    assert by_rule["barrier-middle-managers-not-aligned"].with_needs == ["systems_thinking"]
    assert {c for b in r.barriers for c in b.with_needs} <= personal


def test_operations_manager_has_few_needs_and_board_barriers(profiles):
    r = _result(profiles, "operations-manager-experienced.toml")
    nurse = _result(profiles, "nurse-early-career.toml")
    assert len(r.recommendations) < len(nurse.recommendations)
    assert any("board" in b.actors for b in r.barriers)


def test_same_answers_different_background_give_different_advice(profiles):
    """The tailoring comes from the profiles: identical answers, different backgrounds."""
    low = {"systems_thinking": 2, "healthcare_context": 2}
    clinical = build_result(make_sheet(profiles, background="clinical", by_competency=low), profiles, "c")
    traditional = build_result(make_sheet(profiles, background="traditional", by_competency=low),
                               profiles, "t")
    c = {x.id: x for x in clinical.competencies}
    t = {x.id: x for x in traditional.competencies}
    assert c["systems_thinking"].background_flag == "overlooked"
    assert t["systems_thinking"].background_flag is None
    assert t["healthcare_context"].background_flag == "known_gap"
    assert c["healthcare_context"].background_flag is None
    assert [r.training.id for r in clinical.recommendations] != [
        r.training.id for r in traditional.recommendations]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_examples_are_complete(profiles, name):
    sheet = load_sheet(EXAMPLES / name, profiles)
    assert set(sheet.answers) == set(profiles.items)
    assert set(sheet.importance) == set(profiles.competencies)
    assert set(sheet.context) == set(profiles.context_items)
