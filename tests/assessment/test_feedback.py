"""360° feedback merged (assessment/feedback.py): scores by hand, self higher, hidden strengths,
anonymity. (Through the commands: tests/cli/test_feedback_command.py.)"""

from __future__ import annotations

import pytest
from conftest import make_sheet
from support.feedback import hand_built_set, rating

from qim_cli.assessment.feedback import merge


@pytest.fixture
def hand_built(profiles):
    return hand_built_set(profiles)


def test_merged_scores_by_hand(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "self.toml")
    rows = {c.id: c for c in fb.competencies}
    # others = mean over the six raters, each counting once: (3+3+4+2+4+3)/6
    assert rows["systems_thinking"].others_score == round(19 / 6, 2) == 3.17
    assert rows["systems_thinking"].others_raters == 6
    assert rows["systems_thinking"].self_score == 3.0
    assert rows["systems_thinking"].by_group == {"peer": round(10 / 3, 2)}
    assert rows["supportiveness"].others_score == round(25 / 6, 2)
    # the others' view drives the scores used for recommendations
    merged = {c.id: c for c in fb.result.competencies}
    assert merged["systems_thinking"].score == 3.17
    assert merged["supportiveness"].score == round(25 / 6, 2)


def test_self_higher_and_hidden_strengths(profiles, hand_built):
    self_sheet, ratings = hand_built
    rows = {c.id: c for c in merge(self_sheet, ratings, profiles, "s").competencies}
    assert rows["healthcare_context"].difference == round(19 / 6 - 5, 2)
    assert rows["healthcare_context"].agreement == "self_higher"
    assert rows["supportiveness"].difference == round(25 / 6 - 2, 2)
    assert rows["supportiveness"].agreement == "hidden_strength"
    assert rows["systems_thinking"].agreement == "agree"
    assert {c.id for c in rows.values() if c.agreement == "self_higher"} == {"healthcare_context"}
    assert {c.id for c in rows.values() if c.agreement == "hidden_strength"} == {"supportiveness"}


def test_small_groups_are_merged_into_others(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "s")
    shown = {g.group: g.shown for g in fb.groups}
    assert shown == {"line_manager": False, "peer": True, "frontline": False}
    assert all(set(c.by_group) == {"peer"} for c in fb.competencies)
    assert fb.notices[0] == ('Groups with fewer than 3 raters are not shown on their own, only within '
                             '"others": line managers (1) and front-line staff (2).')
    # the threshold is configurable
    fb2 = merge(self_sheet, ratings, profiles, "s", min_raters=2)
    assert {g.group for g in fb2.groups if g.shown} == {"peer", "frontline"}
    assert {c.id: c for c in fb2.competencies}["systems_thinking"].by_group["frontline"] == 3.0


def test_line_manager_shown_apart_only_when_chosen(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "s", show_line_manager=True)
    assert {g.group for g in fb.groups if g.shown} == {"peer", "line_manager"}
    assert {c.id: c for c in fb.competencies}["systems_thinking"].by_group["line_manager"] == 3.0
    assert any("Line managers' ratings are shown apart because the organisation chose to" in n
               for n in fb.notices)


def test_too_few_raters_keeps_the_self_view(profiles):
    self_sheet = make_sheet(profiles, by_competency={"systems_thinking": 2})
    ratings = [rating(profiles, "peer", {}, 5), rating(profiles, "peer", {}, 5)]
    fb = merge(self_sheet, ratings, profiles, "s")
    row = {c.id: c for c in fb.competencies}["systems_thinking"]
    assert row.others_score is None and row.basis == "self" and row.agreement is None
    assert {c.id: c for c in fb.result.competencies}["systems_thinking"].score == 2.0
    assert any("the self view is used there" in n for n in fb.notices)
