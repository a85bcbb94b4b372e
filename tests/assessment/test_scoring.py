"""Scores computed from answers: reverse keys, missing answers, gaps, levels, priorities."""

from __future__ import annotations

import pytest
from conftest import make_sheet

from qim_cli.assessment.scoring import min_required, score_sheet
from qim_cli.sheets.models import AnswerSheet


def _reverse_item(profiles):
    for cid, comp in profiles.competencies.items():
        for item in comp.items:
            if item.reverse:
                return cid, comp, item
    raise AssertionError("the framework has no reverse-keyed item")


def test_score_is_mean_of_answered_items(profiles):
    comp = profiles.competencies["systems_thinking"]
    sheet = make_sheet(profiles)
    answers = dict(sheet.answers)
    plain = [i for i in comp.items if not i.reverse]
    rev = [i for i in comp.items if i.reverse]
    # set raw answers 1, 2, 4, 5 ... and compute the expected mean by hand
    raw = [1, 2, 4, 5, 3][: len(comp.items)]
    effective = []
    for item, value in zip(plain + rev, raw, strict=False):
        answers[item.id] = value
        effective.append(6 - value if item.reverse else value)
    data = sheet.model_dump()
    data["answers"] = answers
    result = score_sheet(AnswerSheet.model_validate(data), profiles).scores["systems_thinking"]
    assert result.score == round(sum(effective) / len(effective), 2)
    assert result.answered == len(comp.items)


def test_reverse_keyed_item_is_flipped(profiles):
    cid, comp, item = _reverse_item(profiles)
    low = make_sheet(profiles, by_competency={cid: 3}, answers={item.id: 5})
    high = make_sheet(profiles, by_competency={cid: 3}, answers={item.id: 1})
    s_low = score_sheet(low, profiles).scores[cid].score
    s_high = score_sheet(high, profiles).scores[cid].score
    n = len(comp.items)
    assert s_low == round((3 * (n - 1) + 1) / n, 2)
    assert s_high == round((3 * (n - 1) + 5) / n, 2)


def test_na_answers_are_not_counted(profiles):
    comp = profiles.competencies["motivating"]
    ids = [i.id for i in comp.items]
    sheet = make_sheet(profiles, by_competency={"motivating": 4},
                       answers={ids[0]: "na"})
    s = score_sheet(sheet, profiles).scores["motivating"]
    assert s.answered == len(ids) - 1
    assert s.score == 4.0


def test_too_few_answers_is_insufficient_never_zero(profiles):
    comp = profiles.competencies["trustworthiness"]
    need = min_required(len(comp.items))
    ids = [i.id for i in comp.items]
    answers = {i: "na" for i in ids[: len(ids) - need + 1]}
    sheet = make_sheet(profiles, answers=answers)
    s = score_sheet(sheet, profiles).scores["trustworthiness"]
    assert s.answered == need - 1
    assert s.score is None and s.gap is None
    assert s.level == "insufficient"
    assert s.priority == 0


@pytest.mark.parametrize(("n", "need"), [(3, 2), (4, 2), (5, 3)])
def test_min_required(n, need):
    assert min_required(n) == need


@pytest.mark.parametrize(
    ("years", "stage"),
    [(0, "new"), (1.99, "new"), (2, "early_career"), (5, "early_career"),
     (5.5, "experienced"), (30, "experienced")],
)
def test_career_stage_boundaries(profiles, years, stage):
    assert profiles.career_stage(years).id == stage


def test_gap_is_target_minus_score(profiles):
    sheet = make_sheet(profiles, background="clinical", years=3,
                       by_competency={"systems_thinking": 2})
    s = score_sheet(sheet, profiles).scores["systems_thinking"]
    target = profiles.target("early_career", "systems_thinking")
    assert s.target == target
    assert s.gap == round(target - 2.0, 2)


def test_levels_follow_thresholds(profiles):
    for value in (1, 2, 3, 4, 5):
        sheet = make_sheet(profiles, by_competency={"approachability": value})
        s = score_sheet(sheet, profiles).scores["approachability"]
        expected = [lv for lv in profiles.framework.levels if lv.min <= value][-1]
        assert s.level == expected.id


def test_priority_rises_with_gap_what_the_background_overlooks_and_low_importance(profiles):
    # the study says clinical QIMs overlook systems thinking; traditional QIMs do not
    assert profiles.background_flag("clinical", "systems_thinking") == "overlooked"
    assert profiles.background_flag("traditional", "systems_thinking") is None

    def prio(background, level, importance):
        sheet = make_sheet(profiles, background=background, years=3,
                           by_competency={"systems_thinking": level},
                           importance={"systems_thinking": importance})
        return score_sheet(sheet, profiles).scores["systems_thinking"]

    bigger_gap = prio("clinical", 1, 4)
    smaller_gap = prio("clinical", 2, 4)
    assert bigger_gap.priority > smaller_gap.priority
    unimportant = prio("clinical", 2, 1)
    assert unimportant.priority == pytest.approx(smaller_gap.priority + 1.0)
    # same target and gap for a background that does not overlook it: one point lower
    sheet = make_sheet(profiles, background="traditional", years=3,
                       by_competency={"systems_thinking": 2})
    trad = score_sheet(sheet, profiles).scores["systems_thinking"]
    assert (trad.target, trad.gap) == (smaller_gap.target, smaller_gap.gap)
    assert trad.priority == pytest.approx(2 * trad.gap)
    assert smaller_gap.priority == pytest.approx(2 * smaller_gap.gap + 1.0)


def test_a_known_gap_is_flagged_but_weighs_nothing_more(profiles):
    """Traditional QIMs name context, trust and approachability themselves: flagged as a
    known gap for QIMs from outside healthcare, with the same target and priority as anyone's."""
    def score(background):
        sheet = make_sheet(profiles, background=background, years=3,
                           by_competency={"trustworthiness": 2})
        return score_sheet(sheet, profiles).scores["trustworthiness"]

    trad, clin = score("traditional"), score("clinical")
    assert (trad.flag, clin.flag) == ("known_gap", None)
    assert (trad.target, trad.gap, trad.priority) == (clin.target, clin.gap, clin.priority)


def test_no_gap_no_priority(profiles):
    sheet = make_sheet(profiles, default=5)
    for s in score_sheet(sheet, profiles).scores.values():
        assert s.gap is not None and s.gap <= 0
        assert s.priority == 0
        assert s.priority_label == "none"


def test_fast_score_sheet_equals_the_reference_functions(profiles):
    """score_sheet inlines competency_mean + make_score for speed; both must agree."""
    from qim_cli.assessment.scoring import competency_mean, make_score

    def score_competency(sheet, profiles, competency, stage):
        score, answered = competency_mean(sheet.answers, profiles, competency)
        return make_score(profiles, competency, background=sheet.respondent.background,
                          stage=stage, score=score, answered=answered,
                          importance=sheet.importance.get(competency))

    for background in profiles.backgrounds:
        for default in (1, 2, 3, 4, 5, "na"):
            sheet = make_sheet(profiles, background=background, default=default,
                               answers={"hc_01": "na", "st_02": 1},
                               importance={"systems_thinking": 1, "healthcare_context": 2})
            a = score_sheet(sheet, profiles)
            for cid in profiles.competencies:
                assert a.scores[cid] == score_competency(sheet, profiles, cid, a.career_stage)
