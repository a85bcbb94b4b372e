"""Property tests: scoring invariants hold for arbitrary valid sheets."""

from __future__ import annotations

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from qim_cli.assessment.report import build_result
from qim_cli.assessment.scoring import score_sheet
from qim_cli.framework.profiles import bundled_profiles_dir, load_profiles
from qim_cli.sheets.models import AnswerSheet

PROFILES = load_profiles(bundled_profiles_dir())
ITEMS = list(PROFILES.items)
answer = st.one_of(st.integers(1, 5), st.just("na"))


@st.composite
def sheets(draw):
    background = draw(st.sampled_from(list(PROFILES.backgrounds)))
    role = draw(st.sampled_from([r.id for r in PROFILES.roles.values() if r.background == background]))
    answers = draw(st.dictionaries(st.sampled_from(ITEMS), answer))
    importance = draw(st.dictionaries(st.sampled_from(list(PROFILES.competencies)), st.integers(1, 5)))
    context = draw(st.dictionaries(st.sampled_from(list(PROFILES.context_items)), answer))
    years = draw(st.floats(0, 40, allow_nan=False))
    return AnswerSheet.model_validate({
        "schema_version": 1,
        "respondent": {"id": "p", "background": background, "role": role, "years_as_qim": years},
        "answers": answers, "importance": importance, "context": context,
    })


@settings(max_examples=examples(150), deadline=None)
@given(sheets())
def test_scores_stay_on_the_scale(sheet):
    for s in score_sheet(sheet, PROFILES).scores.values():
        if s.score is not None:
            assert 1 <= s.score <= 5
            assert s.priority >= 0
        else:
            assert s.gap is None and s.priority == 0


@settings(max_examples=examples(150), deadline=None)
@given(sheets(), st.sampled_from(ITEMS))
def test_raising_an_answer_never_lowers_its_competency(sheet, item_id):
    comp, item = PROFILES.items[item_id]
    current = sheet.answers.get(item_id)
    if not isinstance(current, int) or current == 5:
        return
    data = sheet.model_dump()
    # "raising" an answer means more of the competency: up on normal items, down on reverse ones
    if item.reverse:
        if current == 1:
            return
        data["answers"][item_id] = current - 1
    else:
        data["answers"][item_id] = current + 1
    before = score_sheet(sheet, PROFILES).scores[comp.id].score
    after = score_sheet(AnswerSheet.model_validate(data), PROFILES).scores[comp.id].score
    if before is not None:
        assert after >= before


@settings(max_examples=examples(60), deadline=None)
@given(sheets())
def test_same_input_same_output(sheet):
    a = build_result(sheet, PROFILES, "x").model_dump()
    b = build_result(AnswerSheet.model_validate(sheet.model_dump()), PROFILES, "x").model_dump()
    assert a == b


@settings(max_examples=examples(60), deadline=None)
@given(sheets())
def test_recommendations_are_unique_and_ranked(sheet):
    r = build_result(sheet, PROFILES, "x")
    ids = [rec.training.id for rec in r.recommendations]
    assert len(ids) == len(set(ids))
    prios = [rec.priority for rec in r.recommendations]
    assert prios == sorted(prios, reverse=True)
    assert [rec.rank for rec in r.recommendations] == list(range(1, len(ids) + 1))


@settings(max_examples=examples(100), deadline=None)
@given(sheets())
def test_fast_ranking_matches_full_recommendations(sheet):
    """The ranking a batch row keeps (the decisions alone) is the report's."""
    from qim_cli.assessment.decisions import decide
    from qim_cli.assessment.report import recommend

    a = score_sheet(sheet, PROFILES)
    recs, _ = recommend(a, PROFILES)
    assert decide(a, PROFILES).ranked == [(r.training.id, r.priority) for r in recs]


@settings(max_examples=examples(100), deadline=None)
@given(sheets())
def test_decisions_follow_the_rules_as_written(sheet):
    """The one decision path against the rules' definitions, spelled out plainly."""
    from qim_cli.assessment.decisions import decide
    from qim_cli.assessment.rules import holds

    a = score_sheet(sheet, PROFILES)
    d = decide(a, PROFILES)
    fired = [r for r in PROFILES.rules if holds(r.when, a)]
    barriers = [r for r in fired if r.kind == "barrier"]
    assert d.barriers == barriers
    best: dict[str, float] = {}
    personal = []
    for r in fired:  # every development rule that fires is a need: no barrier removes one
        if r.kind != "development":
            continue
        base = a.scores[r.competency].priority if r.competency else 0.0
        need = (r, round(base + r.weight, 2))
        personal.append(need)
        for tid in r.trainings:
            best[tid] = max(best.get(tid, 0.0), need[1])
    assert d.personal == personal
    assert d.with_barrier() == tuple(
        (b.id, r.id) for r, _ in personal for b in barriers
        if r.competency is not None and r.competency in b.constrains)
    assert d.ranked == sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
