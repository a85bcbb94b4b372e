"""Scenario judgement on its own scale: what random picks score, worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from conftest import make_sheet
from support.scenarios import key_of, with_scenarios

from qim_cli.assessment.calibration import (
    beyond_chance,
    calibrate,
    chance_band,
    chance_distribution,
    chance_share,
    judgement_share,
)
from qim_cli.assessment.report import build_result
from qim_cli.assessment.scoring import score_sheet
from qim_cli.render.formats import Layout
from qim_cli.render.person import BINARY, ReportFormat, render


def test_one_scenario_picked_at_random_by_hand():
    # 12 ordered pairs of two different ranks (best, worst); thirds = (4 - best) + (worst - 1)
    # = 3 + worst - best; worst - best is ±1 for 3 pairs each, ±2 for 2, ±3 for 1
    assert chance_distribution(1) == {0: Fraction(1, 12), 1: Fraction(2, 12), 2: Fraction(3, 12),
                                      4: Fraction(3, 12), 5: Fraction(2, 12), 6: Fraction(1, 12)}
    # expectation: (0 + 2 + 6 + 12 + 10 + 6) / 12 = 36 / 12 = 3 thirds of 6 = one half
    assert chance_share() == 0.5


def test_two_scenarios_picked_at_random_by_hand():
    dist = chance_distribution(2)
    assert sum(dist.values()) == 1
    # 0 = 0 + 0: 1/144; 1 = 0 + 1 or 1 + 0: 2 x 1 x 2 = 4/144; 2 = 0 + 2, 2 + 0 (2 x 1 x 3)
    # or 1 + 1 (2 x 2): 10/144
    assert (dist[0], dist[1], dist[2]) == (Fraction(1, 144), Fraction(4, 144), Fraction(10, 144))
    assert (dist[12], dist[11], dist[10]) == (dist[0], dist[1], dist[2])  # symmetric


@pytest.mark.parametrize("scenarios, band", [
    (1, (0.0, 1.0)),      # P(0) = 1/12 = 8.3% > 5%: even 0 is within chance
    (2, (0.167, 0.833)),  # P(<= 1) = 5/144 = 3.5% <= 5%, P(<= 2) = 15/144 = 10.4% > 5%
])
def test_the_chance_band_holds_what_random_picks_reach_nine_times_in_ten(scenarios, band):
    assert chance_band(scenarios) == band


@pytest.mark.parametrize("thirds, scenarios, side", [
    (0, 1, None), (6, 1, None),           # one scenario can never tell a judgement from chance
    (0, 2, "below"), (1, 2, "below"),     # 1/144 and 5/144 at or below
    (2, 2, None), (10, 2, None),          # 15/144 at or below, at or above
    (11, 2, "above"), (12, 2, "above"),
])
def test_beyond_chance_by_hand(thirds, scenarios, side):
    assert beyond_chance(thirds, scenarios) == side


def test_judgement_is_a_share_of_the_best_response_points():
    assert judgement_share(0, 1) == 0.0 and judgement_share(6, 1) == 1.0
    assert judgement_share(5, 1) == 0.833 and judgement_share(6, 2) == 0.5


def test_random_like_answers_never_read_as_proficient(profiles):
    """Picks whose points equal the chance level: 50%, within chance, no note; the 1–5
    figure (3.0, "proficient" on the old reading) is gone."""
    sids = ("sc_systems_thinking_1", "sc_systems_thinking_2")
    picks = {sids[0]: (key_of(profiles, sids[0], 2), key_of(profiles, sids[0], 3)),  # 2 + 2
             sids[1]: (key_of(profiles, sids[1], 3), key_of(profiles, sids[1], 2))}  # 1 + 1
    sheet = with_scenarios(make_sheet(profiles, by_competency={"systems_thinking": 5}), picks)
    (c,) = calibrate(sheet, profiles, score_sheet(sheet, profiles)).competencies
    assert (c.points, c.share, c.beyond_chance, c.note) == (2.0, 0.5, None, None)
    assert not hasattr(c, "judgement")


@pytest.mark.parametrize("fmt", [f for f in ReportFormat if f not in BINARY and f.value != "json"])
def test_reports_show_the_share_and_chance_not_a_self_rating_column(fmt, profiles):
    sids = ("sc_systems_thinking_1", "sc_systems_thinking_2")
    picks = {sid: (key_of(profiles, sid, 4), key_of(profiles, sid, 1)) for sid in sids}
    sheet = with_scenarios(make_sheet(profiles, by_competency={"systems_thinking": 4}), picks)
    text = render(fmt, build_result(sheet, profiles, "x"), profiles, Layout(width=200))
    assert isinstance(text, str)
    flat = " ".join(text.split())
    assert ("Random picks earn 50% of the points on average" in flat
            or "Random picks earn 50% on average" in flat)  # (HTML: in the method, printed small)
    assert "not the 1–5 range of the self-rating" in flat
    assert "17–83%, below" in flat
    assert "self-rating may be generous" in flat
    assert "Scenario judgement | Points" not in flat and "Self-rating |" not in flat
