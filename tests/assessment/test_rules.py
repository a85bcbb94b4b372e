"""The rule engine: conditions that fire and do not fire, explanations, dedupe, barriers."""

from __future__ import annotations

import pytest
from conftest import make_sheet

from qim_cli.assessment.explain import because
from qim_cli.assessment.report import recommend
from qim_cli.assessment.rules import holds
from qim_cli.assessment.scoring import score_sheet
from qim_cli.framework.models import Condition, Rule, RulesFile
from qim_cli.framework.profiles import Profiles


def evaluate(c, a, profiles):
    """Whether a condition holds, and (as a report explains it) the parts that made it so."""
    ok = holds(c, a)
    return ok, because(c, a, profiles) if ok else []


def cond(data) -> Condition:
    return Condition.model_validate(data)


@pytest.fixture
def nurse(profiles):
    sheet = make_sheet(
        profiles, background="clinical", role="nurse", years=3, setting="rural",
        by_competency={"systems_thinking": 2, "healthcare_context": 5},
        importance={"systems_thinking": 2},
        context={"protected_time": 1, "board_quality_time": "na"},
    )
    return score_sheet(sheet, profiles)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"background": "clinical"}, True),
        ({"background": ["traditional"]}, False),
        ({"role": ["nurse", "physician"]}, True),
        ({"career_stage": "early_career"}, True),
        ({"career_stage": ["new", "experienced"]}, False),
        ({"setting": "rural"}, True),
        ({"setting": "metropolitan"}, False),
        ({"competency": "systems_thinking", "score_below": 2.5}, True),
        ({"competency": "systems_thinking", "score_below": 2.0}, False),
        ({"competency": "systems_thinking", "score_at_least": 2}, True),
        ({"competency": "systems_thinking", "gap_at_least": 1.5}, True),
        ({"competency": "systems_thinking", "gap_at_least": 1.51}, False),
        ({"competency": "systems_thinking", "gap_below": 0.5}, False),
        ({"competency": "systems_thinking", "level": "developing"}, True),
        ({"competency": "systems_thinking", "level": ["advanced", "exemplary"]}, False),
        ({"competency": "systems_thinking", "insufficient": True}, False),
        ({"competency": "healthcare_context", "gap_below": 0}, True),
        ({"importance": "systems_thinking", "at_most": 2}, True),
        ({"importance": "systems_thinking", "at_least": 3}, False),
        ({"context": "protected_time", "at_most": 2}, True),
        ({"context": "protected_time", "at_least": 2}, False),
        ({"context": "board_quality_time", "at_most": 5}, False),  # "na" never matches
        ({"all": [{"background": "clinical"}, {"setting": "rural"}]}, True),
        ({"all": [{"background": "clinical"}, {"setting": "metropolitan"}]}, False),
        ({"any": [{"background": "traditional"}, {"setting": "rural"}]}, True),
        ({"any": [{"background": "traditional"}, {"setting": "metropolitan"}]}, False),
        ({"not": {"background": "traditional"}}, True),
        ({"not": {"background": "clinical"}}, False),
    ],
)
def test_condition(profiles, nurse, condition, expected):
    ok, fired = evaluate(cond(condition), nurse, profiles)
    assert ok is expected
    assert bool(fired) is expected


def test_explanation_carries_actual_values(profiles, nurse):
    ok, fired = evaluate(
        cond({"all": [{"background": "clinical"},
                      {"competency": "systems_thinking", "gap_at_least": 0.5},
                      {"importance": "systems_thinking", "at_most": 2},
                      {"context": "protected_time", "at_most": 2}]}),
        nurse, profiles,
    )
    assert ok
    target = profiles.target("early_career", "systems_thinking")
    imp = profiles.framework.scales.importance.labels[1]
    ctx = profiles.framework.scales.context.labels[0]
    assert [(f.condition, f.value) for f in fired] == [
        ("background is clinical", "clinical"),
        ("Systems thinking: gap to target ≥ 0.5",
         f"score 2.00, target {target:g}, gap {target - 2:+.2f}, level developing"),
        ("self-rated importance of Systems thinking ≤ 2", f"rated 2 ({imp})"),
        (f"context “{profiles.context_items['protected_time'].text}” ≤ 2", f"answered 1 ({ctx})"),
    ]


def test_any_reports_only_the_branches_that_held(profiles, nurse):
    ok, fired = evaluate(cond({"any": [{"setting": "metropolitan"}, {"role": "nurse"}]}),
                         nurse, profiles)
    assert ok and [f.condition for f in fired] == ["role is nurse"]


def test_not_reports_the_value_it_checked(profiles, nurse):
    ok, fired = evaluate(cond({"not": {"career_stage": "new"}}), nurse, profiles)
    assert ok
    assert fired[0].condition == "not (career stage is new)"
    assert fired[0].value == "early_career (3 years as a QIM)"


def test_insufficient_condition(profiles):
    comp = profiles.competencies["external_orientation"]
    sheet = make_sheet(profiles, answers={i.id: "na" for i in comp.items})
    a = score_sheet(sheet, profiles)
    ok, fired = evaluate(cond({"competency": "external_orientation", "insufficient": True}), a, profiles)
    assert ok
    assert fired[0].value == f"0 of {len(comp.items)} items answered"
    # and no score comparison ever holds on missing evidence
    ok, _ = evaluate(cond({"competency": "external_orientation", "score_below": 5}), a, profiles)
    assert not ok


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"background": "clinical", "role": "nurse"}, "exactly one of"),
        ({}, "exactly one of"),
        ({"competency": "systems_thinking"}, "needs insufficient = true"),
        ({"importance": "systems_thinking"}, "needs at_most and/or at_least"),
        ({"context": "protected_time", "at_most": 9}, "must be 1–5"),
        ({"background": "clinical", "at_most": 2}, "takes no comparison keys"),
        ({"competency": "x", "score_below": 2, "at_least": 2}, "needs insufficient"),
        ({"eval": "__import__('os')"}, "Extra inputs"),
    ],
)
def test_malformed_conditions_are_refused(data, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as info:
        cond(data)
    assert message in str(info.value)


def _with_rules(profiles: Profiles, rules: list[dict]) -> Profiles:
    """The bundled profile set with its rules replaced (for engine tests)."""
    from dataclasses import replace

    rf = RulesFile.model_validate({"schema_version": 1, "rules": rules})
    return replace(profiles, rules_file=rf)


def _rule(rid, **kw):
    base = {"id": rid, "kind": "development", "title": rid, "message": "m", "sources": ["A"],
            "trainings": [], "when": {"background": ["clinical", "traditional"]}}
    base.update(kw)
    return base


def test_training_named_by_several_rules_appears_once_at_highest_priority(profiles):
    t1, t2 = list(profiles.trainings)[:2]
    prof = _with_rules(profiles, [
        _rule("low", trainings=[t1], weight=1.0),
        _rule("high", trainings=[t1, t2], weight=3.0,
              competency="systems_thinking"),
    ])
    sheet = make_sheet(prof, background="clinical", by_competency={"systems_thinking": 2})
    a = score_sheet(sheet, prof)
    recs, barriers = recommend(a, prof)
    assert barriers == []
    assert [r.training.id for r in recs].count(t1) == 1
    rec = next(r for r in recs if r.training.id == t1)
    expected = a.scores["systems_thinking"].priority + 3.0
    assert rec.priority == pytest.approx(expected)
    assert [reason.rule for reason in rec.reasons] == ["high", "low"]
    # equal priorities are ordered by training id, ranks start at 1
    assert [r.rank for r in recs] == [1, 2]
    assert [r.training.id for r in recs] == sorted([t1, t2])


def test_rule_that_does_not_fire_gives_nothing(profiles):
    t1 = next(iter(profiles.trainings))
    prof = _with_rules(profiles, [
        _rule("never", trainings=[t1], when={"background": "traditional"}),
    ])
    a = score_sheet(make_sheet(prof, background="clinical"), prof)
    assert recommend(a, prof) == ([], [])


def test_a_barrier_never_removes_a_need_it_may_constrain(profiles):
    """The need stays a recommendation, and the barrier lists it beside itself: the same
    person rates both, and no source says a barrier explains their own behaviour."""
    from qim_cli.assessment.decisions import decide

    action = next(t.id for t in profiles.trainings.values() if t.kind == "organisational_action")
    course = next(t.id for t in profiles.trainings.values() if t.kind == "course")
    prof = _with_rules(profiles, [
        _rule("need", trainings=[course], competency="supportiveness",
              when={"competency": "supportiveness", "gap_at_least": 0.5}),
        _rule("no-time", kind="barrier", trainings=[action], constrains=["supportiveness"],
              when={"context": "protected_time", "at_most": 2}),
    ])
    sheet = make_sheet(prof, by_competency={"supportiveness": 1}, context={"protected_time": 1})
    recs, barriers = recommend(score_sheet(sheet, prof), prof)
    assert [r.training.id for r in recs] == [course]
    assert [b.rule for b in barriers] == ["no-time"]
    assert barriers[0].constrains == ["supportiveness"]
    assert barriers[0].with_needs == ["supportiveness"]
    assert decide(score_sheet(sheet, prof), prof).with_barrier() == (("no-time", "need"),)

    # with protected time, the same need, and no barrier beside it
    sheet = make_sheet(prof, by_competency={"supportiveness": 1}, context={"protected_time": 4})
    recs, barriers = recommend(score_sheet(sheet, prof), prof)
    assert [r.training.id for r in recs] == [course]
    assert barriers == []


def test_constrains_only_on_barrier_rules_and_explains_is_renamed():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="constrains is only allowed on barrier rules"):
        Rule.model_validate(_rule("x", trainings=["a"], constrains=["supportiveness"]))
    with pytest.raises(ValidationError, match="explains: renamed constrains"):
        Rule.model_validate(_rule("x", kind="barrier", trainings=["a"],
                                  explains=["supportiveness"]))


@pytest.mark.parametrize("background", ["clinical", "traditional"])
@pytest.mark.parametrize("years", [0.5, 3, 9])
def test_the_report_explains_exactly_the_rules_that_decided(profiles, background, years):
    """The explained report is built on the batch's decisions: the same rules, each with
    a reason per condition that held, and the rules that did not fire nowhere."""
    from qim_cli.assessment.decisions import decide
    from qim_cli.assessment.report import build_result
    from qim_cli.assessment.rules import holds

    fired_somewhere = set()
    for level in (1, 3, 5):
        sheet = make_sheet(profiles, background=background, years=years, default=level,
                           importance={c: level for c in profiles.competencies},
                           context_default=level, setting="rural")
        d = decide(score_sheet(sheet, profiles), profiles)
        result = build_result(sheet, profiles, "x")
        shown = {b.rule for b in result.barriers}
        shown |= {r.rule for rec in result.recommendations for r in rec.reasons}
        # a personal need is shown through its trainings (a rule naming none shows nowhere)
        decided = {r.id for r in d.barriers} | {r.id for r, _ in d.personal if r.trainings}
        assert shown == decided
        a = score_sheet(sheet, profiles)
        for rule in profiles.rules:
            if holds(rule.when, a) and rule.id in shown:
                ok, because = evaluate(rule.when, a, profiles)
                assert ok and because, rule.id
            elif rule.id not in decided:
                assert rule.id not in shown
        fired_somewhere |= decided
    assert fired_somewhere  # the sheets above do fire rules
