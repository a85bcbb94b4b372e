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
    assert by_id["systems_thinking"].blind_spot and by_id["systems_thinking"].priority_label == "high"
    assert by_id["healthcare_context"].gap <= 0


def test_process_engineer_report(profiles):
    r = _result(profiles, "process-engineer-new.toml")
    assert r.respondent.career_stage == "new"
    assert _top_competencies(r) & {"healthcare_context", "trustworthiness"}
    by_id = {c.id: c for c in r.competencies}
    assert by_id["qi_methods"].gap < 0  # methods are the strength
    # the evidence says a newcomer from outside healthcare needs socialisation
    assert any(reason.rule == "traditional-new-socialisation"
               for rec in r.recommendations for reason in rec.reasons)


def test_physician_needs_held_back_by_workplace_barriers(profiles):
    r = _result(profiles, "physician-experienced.toml")
    assert r.barriers
    held = {h.competency for b in r.barriers for h in b.held_back}
    assert held  # low scores the workplace may explain are not shown as personal needs
    personal = {c for rec in r.recommendations for c in rec.competencies}
    assert not (held & {c for b in r.barriers for c in b.explains} & personal - {None})


def test_operations_manager_has_few_needs_and_board_barriers(profiles):
    r = _result(profiles, "operations-manager-experienced.toml")
    nurse = _result(profiles, "nurse-early-career.toml")
    assert len(r.recommendations) < len(nurse.recommendations)
    assert any("board" in b.actors for b in r.barriers)


def test_same_answers_different_background_give_different_priorities(profiles):
    """The tailoring comes from the profiles: identical answers, different backgrounds."""
    low = {"systems_thinking": 2, "healthcare_context": 2}
    clinical = build_result(make_sheet(profiles, background="clinical", by_competency=low), profiles, "c")
    traditional = build_result(make_sheet(profiles, background="traditional", by_competency=low),
                               profiles, "t")
    c = {x.id: x for x in clinical.competencies}
    t = {x.id: x for x in traditional.competencies}
    assert c["systems_thinking"].blind_spot and not t["systems_thinking"].blind_spot
    assert t["healthcare_context"].blind_spot and not c["healthcare_context"].blind_spot
    assert [r.training.id for r in clinical.recommendations] != [
        r.training.id for r in traditional.recommendations]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_examples_are_complete(profiles, name):
    sheet = load_sheet(EXAMPLES / name, profiles)
    assert set(sheet.answers) == set(profiles.items)
    assert set(sheet.importance) == set(profiles.competencies)
    assert set(sheet.context) == set(profiles.context_items)
