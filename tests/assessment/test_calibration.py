"""Scenario judgement beside the self-rating (assessment/calibration.py): partial credit by
rank distance, judgement on the self-rating's range, the notes (generous, modest, none), and
calibration never changes a score or the plan."""

from __future__ import annotations

import pytest
from conftest import make_sheet
from support.scenarios import key_of, with_scenarios

from qim_cli.assessment.calibration import MARKED, calibrate, judgement
from qim_cli.assessment.scoring import score_sheet


@pytest.mark.parametrize("best, worst, points", [
    (1, 4, 2.0), (1, 3, 1.67), (2, 4, 1.67), (2, 3, 1.33), (3, 2, 0.67), (4, 1, 0.0), (4, 2, 0.33),
])




def test_judgement_puts_points_on_the_self_rating_range():
    assert judgement(0, 1) == 1.0 and judgement(6, 1) == 5.0 and judgement(6, 2) == 3.0
    assert judgement(5, 1) == 4.33








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




