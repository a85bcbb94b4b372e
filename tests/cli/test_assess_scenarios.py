"""`qim assess --scenarios`: the scenario steps (sheets/scenario_steps.py), fed keystrokes
through CliRunner like the rest of the self-check."""

from __future__ import annotations

import json

import pytest
from support.assess import DETAILS, assess, draft_file, flat, planned, question_keys, read

from qim_cli.errors import DataError
from qim_cli.sheets import draft_file as d
from qim_cli.sheets import flow, scenario_steps


def picks(profiles) -> dict[str, tuple[str, str]]:
    """Best and worst for every scenario: the ranks vary from one scenario to the next."""
    out = {}
    for n, (sid, sc) in enumerate(profiles.scenarios.items()):
        best, worst = [(1, 4), (2, 3), (4, 1), (1, 3)][n % 4]
        out[sid] = (sc.by_rank(best).key, sc.by_rank(worst).key)
    return out


def scenario_keys(chosen: dict[str, tuple[str, str]]) -> list[str]:
    return [k for best, worst in chosen.values() for k in (best, worst)]


def test_scenarios_are_asked_after_the_questions_and_saved_in_the_sheet(tmp_path, profiles):
    plan, chosen = planned(profiles), picks(profiles)
    out = tmp_path / "s.toml"
    result = assess(["--scenarios", "--out", str(out)],
                    DETAILS + question_keys(plan) + scenario_keys(chosen))
    assert result.exit_code == 0, result.stderr
    sheet = read(out)
    assert sheet["scenarios"] == {sid: {"best": b, "worst": w} for sid, (b, w) in chosen.items()}
    assert list(sheet["scenarios"]) == list(profiles.scenarios)  # the profile set's order
    total = 60 + 2 * len(profiles.scenarios)
    assert f"question 61 of {total}" in result.stderr and f"question {total} of {total}" in result.stderr
    first = next(iter(profiles.scenarios.values()))
    err = flat(result.stderr)
    assert "Scenarios (a reflection aid, not a validated test) › Healthcare context" in err
    assert flat(first.situation) in err
    assert "Which response would you be most likely to give?" in err
    assert f"a {flat(first.by_key('a').text)}" in err
    assert "a–d, back, ? help, q quit" in err
    assert f"{first.title}: which response would you be least likely to give?" in err
    assert "(your most likely)" in err
    # the report carries the scenario section; its figures come from the sheet's picks
    assert "Scenarios: knowing the best response (14 of 14 answered)" in " ".join(result.stdout.split())
    assert "not a validated test" in " ".join(result.stdout.split())


def test_least_likely_cannot_be_the_most_likely_and_letters_are_checked(tmp_path, profiles):
    plan, chosen = planned(profiles), picks(profiles)
    keys = scenario_keys(chosen)
    first_best = keys[0]
    out = tmp_path / "s.toml"
    result = assess(["--scenarios", "--out", str(out)],
                    DETAILS + question_keys(plan) + ["e", keys[0], first_best.upper(), keys[1], *keys[2:]])
    assert result.exit_code == 0, result.stderr
    assert "↳ type a letter a–d; back (or <) goes back, ? help, q save and quit" in result.stderr
    others = ", ".join(k for k in "abcd" if k != first_best)
    assert (f"↳ {first_best} is your most likely response; for the least likely choose another: "
            f"{others}") in flat(result.stderr)
    assert read(out)["scenarios"][next(iter(profiles.scenarios))] == {"best": keys[0], "worst": keys[1]}


def test_changing_the_most_likely_to_the_least_likely_asks_the_least_likely_again(tmp_path, profiles):
    plan, chosen = planned(profiles), picks(profiles)
    keys = scenario_keys(chosen)
    best, worst = keys[0], keys[1]
    out = tmp_path / "s.toml"
    other = next(k for k in "abcd" if k not in (best, worst))
    # best, worst, then back twice (to best), best := the earlier worst; the worst step
    # is asked again (its answer is no longer allowed), and the rest as planned
    flow_keys = [best, worst, "back", "<", worst, other, *keys[2:]]
    result = assess(["--scenarios", "--out", str(out)], DETAILS + question_keys(plan) + flow_keys)
    assert result.exit_code == 0, result.stderr
    first = next(iter(profiles.scenarios))
    assert read(out)["scenarios"][first] == {"best": worst, "worst": other}


def test_a_self_check_begun_with_scenarios_continues_with_them(tmp_path, profiles):
    plan, chosen = planned(profiles), picks(profiles)
    keys = scenario_keys(chosen)
    out = tmp_path / "s.toml"
    first = assess(["--scenarios", "--out", str(out)], DETAILS + question_keys(plan) + keys[:5] + ["q"])
    assert first.exit_code == 75
    saved = json.loads(draft_file().read_text())
    ids = list(profiles.scenarios)
    assert saved["scenarios"] == {f"{ids[0]}.best": keys[0], f"{ids[0]}.worst": keys[1],
                                  f"{ids[1]}.best": keys[2], f"{ids[1]}.worst": keys[3],
                                  f"{ids[2]}.best": keys[4]}
    assert saved["position"] == f"scenarios.{ids[2]}.worst"
    second = assess(["--resume"], keys[5:])  # no --scenarios: the draft has begun them
    assert second.exit_code == 0, second.stderr
    assert f"question {60 + 6} of {60 + 2 * len(ids)}" in second.stderr
    assert read(out)["scenarios"] == {sid: {"best": b, "worst": w} for sid, (b, w) in chosen.items()}


def test_without_scenarios_nothing_changes(profiles):
    steps = flow.build_steps(profiles)
    assert not any(s.section == "scenarios" for s in steps)
    with_them = flow.build_steps(profiles, scenarios=True)
    extra = [s for s in with_them if s.section == "scenarios"]
    assert len(extra) == 2 * len(profiles.scenarios)
    assert [s.kind for s in extra] == ["option"] * len(extra)
    assert extra[0].keys == ("a", "b", "c", "d") and extra[-1].number == extra[-1].total


@pytest.mark.parametrize("table, why", [
    ({"sc_motivating_1.best": "e"}, "scenarios"),
    ({"sc_motivating_1.first": "a"}, "scenarios"),
    ([], "scenarios"),
])
def test_a_damaged_draft_is_named(profiles, table, why):
    data = d.Draft.new(profiles).to_data() | {"scenarios": table}
    with pytest.raises(DataError) as exc:
        d.Draft.from_data(data, "x.json")
    assert exc.value.message == f"x.json: not a usable draft ({why}); `qim assess --restart` discards it"


def test_reconcile_drops_scenarios_the_profile_set_no_longer_has(profiles):
    draft = d.Draft.new(profiles)
    draft.scenarios = {"sc_motivating_1.best": "c", "sc_gone_1.best": "a", "sc_gone_1.worst": "b"}
    done = d.reconcile(draft, profiles)
    assert draft.scenarios == {"sc_motivating_1.best": "c"}
    assert "scenarios.sc_motivating_1.best" in done.kept
    assert done.dropped[:2] == ["scenarios.sc_gone_1.best", "scenarios.sc_gone_1.worst"]


def test_sheet_table_keeps_complete_and_different_picks_only():
    answers = {"sc_a.best": "a", "sc_a.worst": "b", "sc_b.best": "c", "sc_c.best": "d",
               "sc_c.worst": "d"}
    assert scenario_steps.sheet_table(answers, ["sc_b.best", "sc_a.best", "sc_a.worst"]) == {
        "sc_a": {"best": "a", "worst": "b"}}
