"""The programme proposal's promise: a need is met only at the tier the person's plan asks
for; a lighter activity is preparation."""

from __future__ import annotations

import json

from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.plan import TIERS
from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.cohort.proposal import MET, Needs, propose
from qim_cli.cohort.records import record_from_sheet
from qim_cli.sheets.answers import load_sheet

runner = CliRunner()


def test_a_lighter_activity_prepares_but_never_meets(profiles):
    needs = Needs(profiles)
    # two people whose plans ask for the practitioner course in systems thinking; the
    # awareness reading list was recommended to them too
    for _ in range(2):
        needs.add({"systems_thinking": (("systems_thinking_course",), ("qi_culture_reading",))})
    # one person whose only recommended activity for long-term thinking is lighter than the
    # plan asks: not met, prepared for
    needs.add({"long_term_thinking": ((), ("qi_culture_reading",))})
    prop = propose(needs)
    assert [(s.id, s.tier, s.people) for s in prop.sessions] == [
        ("systems_thinking_course", "practitioner", 2)]
    assert [(c.id, c.people) for c in prop.sessions[0].competencies] == [("systems_thinking", 2)]
    assert prop.sessions[0].prepares == []
    # the reading list meets nothing, and is listed as preparation for three needs
    (reading,) = prop.preparation
    assert (reading.id, reading.people, reading.competencies) == ("qi_culture_reading", 0, [])
    assert [(c.id, c.people) for c in reading.prepares] == [("systems_thinking", 2),
                                                           ("long_term_thinking", 1)]
    assert [(u.id, u.people) for u in prop.unmet] == [("long_term_thinking", 1)]
    assert (prop.people, prop.needs, prop.hours) == (2, 2, 24.0)
    assert prop.met_means == MET == (
        "A need counts as met only by an activity at the tier that person's own plan asks "
        "for (the plan's own activity, or one of the same tier or higher); a lighter activity "
        "recommended for it is preparation, not meeting the need.")


def test_where_the_plan_asks_for_awareness_the_reading_list_meets_the_need(profiles):
    needs = Needs(profiles)
    needs.add({"systems_thinking": (("qi_culture_reading", "systems_thinking_course"), ())})
    prop = propose(needs)
    # one session either way: the fewest hours (4 against 24) wins
    assert [s.id for s in prop.sessions] == ["qi_culture_reading"] and prop.preparation == []


def test_a_record_splits_each_need_by_the_tier_of_the_persons_own_plan(profiles):
    """An experienced clinical QIM low in systems and long-term thinking: the plan's own
    activities set the tier; every recommended activity below it is only preparation."""

    sheet = make_sheet(profiles, background="clinical", years=8,
                       by_competency={"systems_thinking": 1, "long_term_thinking": 1})
    result = build_result(sheet, profiles, "x")
    planned = {c.id: o.how for o in result.plan.objectives for c in o.competencies}
    rec = record_from_sheet(sheet, profiles, "x")
    assert set(rec.high_needs) == {"systems_thinking", "long_term_thinking"}
    tier = {t.id: TIERS.index(t.tier) for t in profiles.trainings.values()}
    for cid, (meets, lighter) in rec.high_needs.items():
        wanted = tier[planned[cid].training]
        assert planned[cid].training in meets
        assert all(tier[t] >= wanted for t in meets) and all(tier[t] < wanted for t in lighter)
    # the plan asks for the expert train-the-trainer course in long-term thinking: the two
    # practitioner courses also recommended for it only prepare
    assert rec.high_needs["long_term_thinking"] == (
        ("train_the_trainer",), ("holistic_qi_course", "sustaining_improvement_course"))
    assert rec.high_needs["systems_thinking"] == (
        ("cross_department_project", "systems_thinking_course"), ())


def test_the_bundled_cohorts_reading_list_meets_only_awareness_plans(profiles):
    prop = json.loads(runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "-f", "json",
                                          "--min-group", "1"]).stdout)["proposal"]
    # who the reading list may serve: people whose plan asks for awareness tier there
    awareness = {"long_term_thinking": 0, "systems_thinking": 0, "sense_giving": 0}
    lighter = dict(awareness)
    for f in sorted((EXAMPLES / "cohort").glob("*.toml")):
        res = build_result(load_sheet(f, profiles), profiles, f.name)
        planned = {c.id: o.how.tier for o in res.plan.objectives for c in o.competencies}
        recommended = {c for r in res.recommendations if r.training.id == "qi_culture_reading"
                       for c in r.competencies}
        for c in res.competencies:
            if c.priority_label == "high" and c.id in awareness and c.id in recommended:
                if planned.get(c.id, "awareness") == "awareness":
                    awareness[c.id] += 1
                else:
                    lighter[c.id] += 1
    everything = {s["id"]: s for s in prop["sessions"] + prop["preparation"]}
    reading = everything["qi_culture_reading"]
    assert {c["id"]: c["people"] for c in reading["competencies"]} == \
        {k: v for k, v in awareness.items() if v}
    assert {c["id"]: c["people"] for c in reading["prepares"]} == \
        {k: v for k, v in lighter.items() if v}
    assert sum(lighter.values()) > sum(awareness.values())  # most plans ask for more
