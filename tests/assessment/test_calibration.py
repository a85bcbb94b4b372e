"""Scenario judgement beside the self-rating (assessment/calibration.py): partial credit by
rank distance, judgement on the self-rating's range, the notes (generous, modest, none), and
calibration never changes a score or the plan."""

from __future__ import annotations

import pytest
from conftest import make_sheet
from support.scenarios import insider, key_of, outsider, with_scenarios

from qim_cli.assessment.calibration import MARKED, calibrate, judgement, pick_points
from qim_cli.assessment.report import build_result
from qim_cli.assessment.scoring import score_sheet


@pytest.mark.parametrize("best, worst, points", [
    (1, 4, 2.0), (1, 3, 1.67), (2, 4, 1.67), (2, 3, 1.33), (3, 2, 0.67), (4, 1, 0.0), (4, 2, 0.33),
])
def test_pick_points_give_partial_credit_by_rank_distance(best, worst, points):
    assert pick_points(best, worst) == points


def test_random_picks_earn_one_point_on_average():
    total = [pick_points(b, w) for b in range(1, 5) for w in range(1, 5) if b != w]
    assert sum(total) / len(total) == pytest.approx(1.0, abs=0.01)


def test_judgement_puts_points_on_the_self_rating_range():
    assert judgement(0, 1) == 1.0 and judgement(6, 1) == 5.0 and judgement(6, 2) == 3.0
    assert judgement(5, 1) == 4.33


def test_over_confident_outsider_is_flagged_generous(profiles):
    sheet = outsider(profiles)
    cal = calibrate(sheet, profiles, score_sheet(sheet, profiles))
    assert cal is not None and cal.answered == 3 and cal.offered == 14
    by = {c.competency: c for c in cal.competencies}
    assert set(by) == {"healthcare_context", "trustworthiness"}
    hc = by["healthcare_context"]
    assert (hc.scenarios, hc.points, hc.max_points, hc.judgement, hc.self_score, hc.difference) == \
        (2, 0.0, 4.0, 1.0, 5.0, 4.0)
    assert hc.note == "generous" and by["trustworthiness"].note == "generous"
    assert hc.prompt.startswith("Your self-rating in Healthcare context (5) may be generous")
    # the outsider's misstep, chosen as most likely, is pointed out with the known gap
    trips = [s for s in cal.scenarios if s.tripwire]
    assert [s.id for s in trips] == ["sc_healthcare_context_1", "sc_healthcare_context_2",
                                     "sc_trustworthiness_1"]
    assert trips[0].background_note == profiles.known_gaps["traditional"]["healthcare_context"]
    assert ("the misstep that, on qim's reading, the study describes among QIMs of your "
            "background (Traditional QIM)") in trips[0].tripwire


def test_modest_insider_is_flagged_modest(profiles):
    sheet = insider(profiles)
    cal = calibrate(sheet, profiles, score_sheet(sheet, profiles))
    by = {c.competency: c for c in cal.competencies}
    st = by["systems_thinking"]
    assert (st.points, st.max_points, st.judgement, st.self_score, st.difference, st.note) == \
        (4.0, 4.0, 5.0, 2.0, -3.0, "modest")
    assert by["long_term_thinking"].note == "modest"
    assert "may be modest" in st.prompt
    assert not any(s.tripwire for s in cal.scenarios)  # best picks are never the last-ranked


def test_calibrated_profile_is_not_flagged(profiles):
    sheet = make_sheet(profiles, background="clinical", default=4)
    picks = {sid: (key_of(profiles, sid, 1), key_of(profiles, sid, 3)) for sid in profiles.scenarios}
    cal = calibrate(with_scenarios(sheet, picks), profiles, score_sheet(sheet, profiles))
    assert cal.answered == 14 and len(cal.competencies) == 10
    assert all(c.judgement == 4.33 and c.note is None and c.prompt is None for c in cal.competencies)


def test_marked_is_a_difference_of_two_either_way(profiles):
    assert MARKED == 2.0
    sid = "sc_motivating_1"
    last_first = {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1))}  # judgement 1.0
    for level, note in ((3, "generous"), (2, None)):  # 3 - 1 = 2 is marked; 2 - 1 = 1 is not
        sheet = with_scenarios(make_sheet(profiles, by_competency={"motivating": level}), last_first)
        (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
        assert c.note == note, level
    best_first = {sid: (key_of(profiles, sid, 1), key_of(profiles, sid, 4))}  # judgement 5.0
    for level, note in ((3, "modest"), (4, None)):
        sheet = with_scenarios(make_sheet(profiles, by_competency={"motivating": level}), best_first)
        (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
        assert c.note == note, level


def test_insufficient_self_rating_gets_a_judgement_but_no_note(profiles):
    comp = profiles.competencies["motivating"]
    sheet = make_sheet(profiles, answers={i.id: "na" for i in comp.items})
    sid = "sc_motivating_1"
    sheet = with_scenarios(sheet, {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1))})
    (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
    assert (c.self_score, c.judgement, c.difference, c.note) == (None, 1.0, None, None)


def test_calibration_never_changes_scores_or_plan(profiles):
    sheet = outsider(profiles)
    plain = sheet.model_copy(update={"scenarios": {}})
    with_cal, without = build_result(sheet, profiles, "x"), build_result(plain, profiles, "x")
    assert without.calibration is None and with_cal.calibration is not None
    assert with_cal.model_dump(exclude={"calibration"}) == without.model_dump(exclude={"calibration"})
