"""The self-check's core, without a terminal: its steps (sheets/flow.py), what a typed line
means, and its draft (sheets/draft_file.py: saved atomically, a malformed one refused, kept
where QIM_STATE_DIR says)."""

from __future__ import annotations

import json

import pytest
from support.assess import item_order

from qim_cli.errors import DataError
from qim_cli.sheets import draft_file as d
from qim_cli.sheets import flow


def _step(profiles, key: str) -> flow.Step:
    return next(s for s in flow.build_steps(profiles) if s.key == key)


def test_steps_cover_every_question_in_order(profiles):
    steps = flow.build_steps(profiles)
    questions = [s for s in steps if s.is_question]
    assert len(questions) == len(profiles.items) + len(profiles.competencies) + len(profiles.context_items)
    assert [s.number for s in questions] == list(range(1, len(questions) + 1))
    assert [s.id for s in questions if s.section == "answers"] == item_order(profiles)
    assert [s.section for s in steps[:6]] == ["respondent"] * 6


@pytest.mark.parametrize(("line", "action", "value"), [
    ("3", "answer", 3), (" 5 ", "answer", 5), ("n", "answer", "na"), ("NA", "answer", "na"),
    ("b", "back", None), ("B", "back", None), ("?", "help", None), ("q", "quit", None),
    ("", "invalid", None), ("6", "invalid", None), ("3.0", "invalid", None),
])
def test_interpret_a_scale_line(profiles, line, action, value):
    step = _step(profiles, f"answers.{item_order(profiles)[0]}")
    reply = flow.interpret(step, line, has_earlier=False)
    assert (reply.action, reply.value) == (action, value)


def test_interpret_enter_keeps_an_earlier_answer_or_skips_an_optional_detail(profiles):
    item = _step(profiles, f"answers.{item_order(profiles)[0]}")
    assert flow.interpret(item, "", has_earlier=True).action == "keep"
    name = _step(profiles, "respondent.name")
    assert (flow.interpret(name, "", has_earlier=False).action, flow.interpret(name, "", has_earlier=False).value) == ("answer", None)
    assert flow.interpret(name, "-", has_earlier=True).action == "answer"  # clears an earlier name
    assert flow.interpret(name, "-", has_earlier=True).value is None
    assert flow.interpret(_step(profiles, "respondent.id"), "-", has_earlier=False).action == "invalid"
    years = _step(profiles, "respondent.years_as_qim")
    assert flow.interpret(years, "1,5", has_earlier=False).value == 1.5
    assert flow.interpret(years, "nan", has_earlier=False).action == "invalid"
    assert flow.interpret(years, "61", has_earlier=False).action == "invalid"


def test_save_is_atomic_and_round_trips(tmp_path, profiles):
    draft = d.Draft.new(profiles)
    draft.set("respondent.id", "x1")
    draft.set("answers.hc_01", "na")
    draft.out, draft.format = str(tmp_path / "me.toml"), "json"
    path = tmp_path / "deep" / "x1.json"
    d.save_draft(draft, path)
    d.save_draft(draft, path)
    assert [p.name for p in path.parent.iterdir()] == ["x1.json"]  # no temp file left
    loaded = d.load_draft(path)
    assert loaded is not None and loaded.answers == {"hc_01": "na"}
    assert loaded.respondent == {"id": "x1"}
    assert (loaded.out, loaded.format) == (str(tmp_path / "me.toml"), "json")
    assert d.load_draft(tmp_path / "none.json") is None


@pytest.mark.parametrize("bad", [
    {"qim_draft": 1},
    {"qim_draft": 2, "framework_version": "x", "fingerprint": "y", "created": "", "updated": ""},
    {"qim_draft": 1, "framework_version": "x", "fingerprint": "y", "created": "", "updated": "",
     "answers": {"hc_01": 9}},
    {"qim_draft": 1, "framework_version": "x", "fingerprint": "y", "created": "", "updated": "",
     "importance": {"qi_methods": "na"}},
    {"qim_draft": 1, "framework_version": "x", "fingerprint": "y", "created": "", "updated": "",
     "respondent": {"years_as_qim": "three"}},
])
def test_a_malformed_draft_is_refused(tmp_path, bad):
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(DataError, match="not a usable draft"):
        d.load_draft(path)


def test_next_index_steps_through_reviewed_answers_then_skips_answered_ones(profiles):
    steps = flow.build_steps(profiles)
    draft = d.Draft.new(profiles)
    for s in steps[:10]:
        draft.set(s.key, "x1" if s.id == "id" else None)
    # within what was visited this session: one step at a time
    assert flow.next_index(steps, draft, profiles, 3, furthest=8) == 4
    # beyond it: the next unanswered (here every answered step is skipped)
    draft.set(steps[12].key, 3)
    assert flow.next_index(steps, draft, profiles, 11, furthest=11) == 13


def test_state_dir_follows_the_environment(tmp_path, monkeypatch):
    from qim_cli.sheets.draft_store import DraftStore

    monkeypatch.setenv("QIM_STATE_DIR", str(tmp_path / "s"))
    assert DraftStore().path_for("RN-Ward7") == tmp_path / "s" / "drafts" / "rn-ward7.json"
    monkeypatch.delenv("QIM_STATE_DIR")
    assert d.state_dir().name == "qim"
