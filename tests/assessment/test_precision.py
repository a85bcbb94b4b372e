"""The precision formulas, each checked against a worked example from its source."""

from __future__ import annotations

import math

import pytest

from qim_cli.assessment.precision import (
    gap_within_error,
    reliable_change,
    s_diff,
    score_band,
    sem,
    smallest_reliable_change,
    z_value,
)
from qim_cli.cohort.inference import feldt_interval, holm, paired_effect


def test_z_is_the_two_sided_normal_quantile():
    assert z_value() == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.90) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError):
        z_value(1.0)


def test_sem_from_sd_and_reliability():
    # SEM = SD x sqrt(1 - r): SD 10, r .91 -> 3.0 (the textbook case of Lord & Novick)
    assert sem(10, 0.91) == pytest.approx(3.0)
    assert sem(0.7, 0.8) == pytest.approx(0.313, abs=1e-3)  # qim's own scale: about 0.3
    with pytest.raises(ValueError):
        sem(1, 1.2)


def test_reliable_change_worked_example():
    """Wodrich, *Social-Emotional Assessment in Schools* (open textbook, University of
    Arizona), Appendix E, Table A.3.1: SEM 3.07 -> S_diff 4.34 -> 1.96 x 4.34 = 8.51; a
    change from 24 to 35 (11 points) is a reliable change."""
    assert s_diff(3.07) == pytest.approx(4.34, abs=0.005)
    assert smallest_reliable_change(3.07) == pytest.approx(8.51, abs=0.01)
    rc = reliable_change(24, 35, 3.07)
    assert rc.change == 11 and rc.beyond and rc.words == "changed beyond measurement error"
    assert rc.rci == pytest.approx(11 / 4.3417, abs=1e-3)
    small = reliable_change(24, 31, 3.07)  # 7 points < 8.51
    assert not small.beyond and small.words == "within measurement error"


def test_reliable_change_on_qims_scale():
    """With alpha .8 and SD .7 the SEM is about .31, so a change must be about .87 to be
    beyond measurement error at 95%; a change of .25 is not."""
    s = sem(0.7, 0.8)
    assert smallest_reliable_change(s) == pytest.approx(0.868, abs=1e-3)
    assert not reliable_change(3.0, 3.25, s).beyond
    assert reliable_change(3.0, 3.9, s).beyond
    assert reliable_change(3.9, 3.0, s).beyond  # a drop counts the same
    # exactly at the threshold: beyond
    assert reliable_change(0.0, smallest_reliable_change(s), s).beyond


def test_a_perfectly_reliable_scale_has_no_index():
    rc = reliable_change(3.0, 3.5, 0.0)
    assert rc.rci is None and rc.beyond and rc.threshold == 0.0
    assert not reliable_change(3.0, 3.0, 0.0).beyond


def test_a_gap_inside_the_score_band():
    s = sem(0.7, 0.8)  # band: 1.96 x .313 = .61
    assert score_band(s) == pytest.approx(0.614, abs=1e-3)
    assert gap_within_error(0.17, s)      # the 360 plan's sense-giving gap
    assert gap_within_error(-0.5, s)
    assert not gap_within_error(0.75, s)


def test_feldt_interval_worked_example():
    """Chris Evans's R function feldt1.return (MRC CBU statistics wiki, 'R code for
    computing confidence intervals for Cronbach's alpha'): alpha .913, n 873, k 20 ->
    0.9044024 to 0.9211588 (Feldt, Woodruff & Salih, 1987, formulas 6 and 7)."""
    ci = feldt_interval(0.913, 873, 20)
    assert ci is not None
    assert ci.low == pytest.approx(0.9044024, abs=1e-6)
    assert ci.high == pytest.approx(0.9211588, abs=1e-6)


def test_feldt_interval_small_group_is_wide():
    # the clinical QIMs' long-term thinking in the example cohort: alpha .39 from a
    # small group spans zero
    ci = feldt_interval(0.39, 24, 4)
    assert ci is not None and ci.low < 0 < ci.high
    assert feldt_interval(0.8, 1, 4) is None and feldt_interval(0.8, 10, 1) is None


MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def test_paired_effects_worked_example():
    """Lakens (2013), Front. Psychol. 4:863, Table 1: ratings of two movies by the same ten
    people (8.7 and 7.7): d_z = 1.50 and d_av = 1.13."""
    e = paired_effect(MOVIE_2, MOVIE_1)
    assert e.n == 10 and e.mean_change == pytest.approx(1.0)
    assert round(e.d_z, 2) == 1.50
    assert round(e.d_av, 2) == 1.13


def test_paired_effects_degenerate():
    assert paired_effect([3.0], [4.0]).d_z is None
    same = paired_effect([3.0, 4.0, 5.0], [3.5, 4.5, 5.5])
    assert same.d_z is None and same.d_av == pytest.approx(0.5)
    assert math.isnan(paired_effect([], []).mean_change)
    with pytest.raises(ValueError):
        paired_effect([1.0], [1.0, 2.0])


def test_holm_worked_example():
    """Holm's step-down method on four p values (.01, .04, .03, .005) at 5%: the smallest
    (.005) is compared with .05/4, the next (.01) with .05/3, then .03 with .05/2 fails
    and the procedure stops; adjusted: .03, .06, .06, .02."""
    adjusted = holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [p < 0.05 for p in adjusted] == [True, False, False, True]


def test_holm_leaves_missing_values_out_of_the_family():
    assert holm([None, 0.01, None, 0.04]) == pytest.approx([None, 0.02, None, 0.04])
    assert holm([None]) == [None]
    assert holm([]) == []
