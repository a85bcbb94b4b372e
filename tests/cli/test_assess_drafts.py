"""No answer of a self-check is lost: drafts per respondent, locked while a session uses
them (two sessions at once on one computer keep every answer of both), a full disk
during an autosave, SIGTERM, and the draft of earlier versions.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from support.assess import (
    DETAILS,
    OTHER,
    assess,
    draft_file,
    expected_sheet,
    flat,
    planned,
    question_keys,
    read,
)

from qim_cli.errors import ExitCode
from qim_cli.sheets import draft_file as d
from qim_cli.sheets.draft_store import DraftInUse, DraftStore, Session
from qim_cli.sheets.flow import build_steps


def state() -> Path:
    return Path(os.environ["QIM_STATE_DIR"])


def leave(details: list[str], keys: list[str], n: int, *args: str) -> None:
    """A new self-check stopped with q after n questions (Enter at the list of saved
    ones, if any, starts it)."""
    listed = [""] if list(state().glob("drafts/*.json")) else []
    result = assess(list(args), listed + details + keys[:n] + ["q"])
    assert result.exit_code == ExitCode.NOT_FINISHED, result.stderr


# --------------------------------------------------------------------------- which draft


def test_drafts_are_kept_per_respondent_and_listed_latest_first(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    leave(OTHER, keys, 7)
    assert json.loads(draft_file("rn-ward7").read_text())["respondent"]["id"] == "rn-ward7"
    assert len(json.loads(draft_file("pt-ortho").read_text())["answers"]) == 7

    # plain `qim assess` lists both, latest first, and q changes nothing
    listed = assess([], ["9", "q"])
    assert listed.exit_code == 0
    text = flat(listed.stderr)
    assert "Saved self-checks on this computer, the latest first:" in text
    assert text.index("1 pt-ortho: 7 of 60 answered") < text.index("2 rn-ward7: 3 of 60 answered")
    assert "type a number from 1 to 2, or an id from the list" in text
    assert "Nothing changed." in text

    # a number continues that one ...
    out = tmp_path / "a.toml"
    done = assess(["--out", str(out)], ["2", *keys[3:]])
    assert done.exit_code == 0, done.stderr
    assert "Continuing the self-check of rn-ward7: 3 of 60 questions answered" in flat(done.stderr)
    assert read(out) == expected_sheet(planned(profiles))
    assert not draft_file("rn-ward7").exists() and draft_file("pt-ortho").exists()

    # ... and Enter starts a new one, the other draft untouched
    before = draft_file("pt-ortho").read_bytes()
    new = assess(["--out", str(tmp_path / "b.toml")], ["", *DETAILS, *keys[:2], "q"])
    assert new.exit_code == ExitCode.NOT_FINISHED
    assert draft_file("pt-ortho").read_bytes() == before
    assert len(json.loads(draft_file("rn-ward7").read_text())["answers"]) == 2


def test_resume_picks_the_only_draft_asks_among_several_and_takes_an_id(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    only = assess(["--resume"], ["q"])
    assert only.exit_code == ExitCode.NOT_FINISHED
    assert "Continuing the self-check of rn-ward7" in flat(only.stderr)
    assert "Saved self-checks" not in only.stderr

    leave(OTHER, keys, 5)
    several = assess(["--resume"], ["rn-ward7", "q"])  # by id
    assert "Saved self-checks on this computer" in several.stderr
    assert "Enter for a new self-check" not in flat(several.stderr)
    assert "Continuing the self-check of rn-ward7" in flat(several.stderr)

    named = assess(["--resume", "PT-ORTHO"], ["q"])  # ids are matched whatever the case
    assert named.exit_code == ExitCode.NOT_FINISHED
    assert "Continuing the self-check of pt-ortho: 5 of 60" in flat(named.stderr)
    assert "Saved self-checks" not in named.stderr

    missing = assess(["--resume", "nobody"], [])
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert ("there is no saved self-check of nobody (saved: pt-ortho, rn-ward7); "
            "`qim assess nobody` starts one") in flat(missing.stderr)


def test_an_id_on_the_command_line_starts_or_continues_that_self_check(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    out = tmp_path / "s.toml"
    first = assess(["rn-ward7", "--out", str(out)], DETAILS[1:] + keys[:4] + ["q"])
    assert first.exit_code == ExitCode.NOT_FINISHED
    assert "About you · 1 of 9" not in first.stderr  # the id is not asked
    again = assess(["rn-ward7"], keys[4:])
    assert again.exit_code == 0, again.stderr
    assert read(out) == expected_sheet(planned(profiles))
    bad = assess(["no good"], [])
    assert bad.exit_code == 2 and "the id 'no good' is not usable" in flat(bad.stderr)


INTRO = ("qim self-check: 8 details about you, then 60 questions (about 15 min). Every answer "
         "is saved as you go")
KEYS = "Keys: 1–5 answer, n not applicable / don't know, b back, ? what the question is about"


def test_starting_under_an_id_still_shows_the_introduction(tmp_path, profiles):
    # the id on the command line: the question count, the time and the keys, then the
    # first detail not yet given
    fresh = assess(["nurse-c"], ["q"])
    assert fresh.exit_code == ExitCode.NOT_FINISHED
    text = flat(fresh.stderr)
    assert INTRO in text and KEYS in text
    assert text.index(KEYS) < text.index("About you · 2 of 9")
    # --restart ID, answered y: the new self-check is introduced too
    leave(DETAILS, question_keys(planned(profiles)), 3)
    again = assess(["--restart", "rn-ward7"], ["y", "q"])
    assert again.exit_code == ExitCode.NOT_FINISHED
    text = flat(again.stderr)
    assert "Discarded the saved self-check of rn-ward7." in text
    assert INTRO in text and KEYS in text
    # continuing a self-check with answers: no introduction
    leave(DETAILS[1:], question_keys(planned(profiles)), 3, "pt-ortho")
    cont = assess(["pt-ortho"], ["q"])
    assert "Continuing the self-check of pt-ortho" in flat(cont.stderr)
    assert "qim self-check:" not in cont.stderr


def test_typing_the_id_of_a_saved_self_check_offers_to_continue_or_start_over(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 4)
    out = tmp_path / "s.toml"
    # Enter: choose another id (then q: the saved one is untouched)
    other = assess([], ["", "rn-ward7", "x", "", "q"])
    assert "A saved self-check of rn-ward7 was found (4 of 60 questions answered" in flat(other.stderr)
    assert "type r, s, Enter, or q" in other.stderr
    assert len(json.loads(draft_file().read_text())["answers"]) == 4
    # q: quit, as everywhere else (exit 75), the saved one untouched and its command given
    before = draft_file().read_bytes()
    quit_ = assess([], ["", "rn-ward7", "q"])
    assert quit_.exit_code == ExitCode.NOT_FINISHED
    assert "type r, s" not in quit_.stderr
    assert ("The saved self-check of rn-ward7 is kept as it was. Continue it with: "
            "qim assess --resume rn-ward7") in flat(quit_.stderr)
    assert draft_file().read_bytes() == before
    # r: continue it
    cont = assess(["--out", str(out)], ["", "rn-ward7", "r", *keys[4:]])
    assert cont.exit_code == 0, cont.stderr
    assert read(out) == expected_sheet(planned(profiles))
    # s: start over under the same id
    leave(DETAILS, keys, 4)
    over = assess([], ["", "rn-ward7", "s", *DETAILS[1:], "q"])
    assert "Discarded the saved self-check of rn-ward7; starting again." in flat(over.stderr)
    assert json.loads(draft_file().read_text())["answers"] == {}


def test_restart_asks_for_confirmation_and_yes_skips_it(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    kept = assess(["--restart"], ["n"])
    assert kept.exit_code == 0
    assert "Discard the saved self-check (rn-ward7: 3 of 60 answered" in flat(kept.stderr)
    assert "Kept it. Continue it with: qim assess --resume rn-ward7" in flat(kept.stderr)
    assert draft_file().exists()
    gone = assess(["--restart", "--yes"], ["q"])
    assert gone.exit_code == ExitCode.NOT_FINISHED
    assert not draft_file().exists()
    assert "Discard the saved self-check" not in gone.stderr
    # with an id, the new self-check starts under it at once
    leave(DETAILS, keys, 3)
    leave(OTHER, keys, 3)
    again = assess(["--restart", "rn-ward7", "--yes"], ["q"])
    assert "Discarded the saved self-check of rn-ward7." in flat(again.stderr)
    assert json.loads(draft_file().read_text())["answers"] == {}
    assert draft_file("pt-ortho").exists()


def test_restart_among_several_asks_which_unreadable_ones_included(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    draft_file("zz-broken").write_text("{not json")
    result = assess(["--restart"], ["zz-broken", "y", "q"])
    text = flat(result.stderr)
    assert "1 rn-ward7: 3 of 60 answered" in text and "2 zz-broken: cannot be read" in text
    assert "number or id to discard, q quit" in text
    assert "Discard the saved self-check (zz-broken, which cannot be read)?" in text
    assert not draft_file("zz-broken").exists() and draft_file().exists()


def test_stopping_at_the_restart_question_keeps_the_draft(tmp_path, profiles):
    leave(DETAILS, question_keys(planned(profiles)), 3)
    result = assess(["--restart"], [])  # end of input at the confirmation
    assert result.exit_code == 130
    assert len(json.loads(draft_file().read_text())["answers"]) == 3


def test_a_draft_of_another_framework_says_what_still_applies(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    data = json.loads(draft_file().read_text())
    data["fingerprint"], data["framework_version"] = "000000000000", "2025.9"
    data["answers"]["zz_99"] = 2
    data["importance"]["retired_competency"] = 4
    draft_file().write_text(json.dumps(data))
    out = tmp_path / "s.toml"
    result = assess(["--resume", "--out", str(out)], keys[3:])
    assert result.exit_code == 0, result.stderr
    err = flat(result.stderr)
    assert f"framework 2025.9 (000000000000); qim now uses framework {profiles.version}" in err
    items = [s.id for s in build_steps(profiles) if s.section == "answers"]
    assert f"Still apply (3): answers.{items[0]}, answers.{items[1]}, answers.{items[2]}" in err
    assert "Dropped, no longer in the framework (2): answers.zz_99, importance.retired_competency" in err
    assert read(out) == expected_sheet(planned(profiles))


def test_an_unreadable_draft_is_one_line_and_does_not_block_anyone(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    draft_file("zz-broken").write_text("{not json")
    result = assess(["--resume"], ["q"])
    assert result.exit_code == ExitCode.NOT_FINISHED
    text = flat(result.stderr)
    assert text.count("zz-broken") == 2  # one message: what is wrong, and the way out
    assert "zz-broken.json: not a usable draft (not JSON); `qim assess --restart zz-broken` discards it" in text
    assert "Continuing the self-check of rn-ward7" in flat(result.stderr)
    # --restart with that id discards it and starts a new self-check under the id
    gone = assess(["--restart", "zz-broken", "--yes"], ["q"])
    assert "Discarded the saved self-check of zz-broken." in flat(gone.stderr)
    fresh = d.load_draft(draft_file("zz-broken"))
    assert fresh is not None and fresh.respondent == {"id": "zz-broken"} and fresh.answered == 0
    assert len(json.loads(draft_file().read_text())["answers"]) == 3


def test_the_single_draft_of_earlier_versions_is_still_resumable(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 6)
    # as an earlier version kept it: one draft.json in the state folder, no options in it
    data = json.loads(draft_file().read_text())
    del data["out"], data["format"]
    draft_file().unlink()
    (state() / "draft.json").write_text(json.dumps(data))
    out = tmp_path / "s.toml"
    result = assess(["--resume", "--out", str(out)], keys[6:])
    assert result.exit_code == 0, result.stderr
    assert "Continuing the self-check of rn-ward7: 6 of 60 questions answered" in flat(result.stderr)
    assert read(out) == expected_sheet(planned(profiles))
    assert not (state() / "draft.json").exists() and not draft_file().exists()


def test_going_back_to_change_the_id_moves_the_draft(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    flow = DETAILS + keys[:2] + ["b"] * 11 + ["rn-ward9", *[""] * 10, "q"]
    result = assess([], flow)
    assert result.exit_code == ExitCode.NOT_FINISHED, result.stderr
    assert not draft_file("rn-ward7").exists()
    moved = json.loads(draft_file("rn-ward9").read_text())
    assert moved["respondent"]["id"] == "rn-ward9" and len(moved["answers"]) == 2
    assert "qim assess --resume rn-ward9" in result.stderr


# --------------------------------------------------------------------------- locks


def test_a_draft_in_use_is_refused_with_exit_75_and_nothing_changes(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 3)
    before = draft_file().read_bytes()
    held = DraftStore().take("rn-ward7")  # another session holds it
    try:
        refused = assess(["--resume"], keys[3:])
        assert refused.exit_code == ExitCode.NOT_FINISHED == 75
        assert ("the self-check of rn-ward7 is open in another qim session on this computer"
                in flat(refused.stderr))
        assert "then run: qim assess --resume rn-ward7" in flat(refused.stderr)
        # a new session that types that id is asked for another one
        other = assess([], ["", "rn-ward7", "pt-ortho", "q"])
        assert "rn-ward7 is in use by another qim session on this computer: type another id" in flat(other.stderr)
        assert draft_file("pt-ortho").exists()
        # the list shows it as open elsewhere, and picking it says so
        listed = assess([], ["rn-ward7", "q"])
        assert "rn-ward7: 3 of 60 answered, last saved" in flat(listed.stderr)
        assert "open in another session" in flat(listed.stderr)
        assert draft_file().read_bytes() == before
    finally:
        held.release()
    assert assess(["--resume", "rn-ward7"], ["q"]).exit_code == ExitCode.NOT_FINISHED


def test_the_lock_goes_with_the_process(tmp_path, profiles):
    store = DraftStore()
    claim = store.take("a1")
    with pytest.raises(DraftInUse):
        store.take("A1")
    claim.release()
    store.take("a1").release()


def test_session_moves_the_draft_only_once_the_new_one_is_saved(tmp_path, profiles):
    store = DraftStore()
    session = Session(store)
    draft = d.Draft.new(profiles)
    draft.set("respondent.id", "a1")
    session.adopt(store.take("a1"))
    session.save(draft)
    draft.set("answers.hc_01", 4)
    draft.set("respondent.id", "b2")
    session.adopt(store.take("b2"))
    assert store.path_for("a1").exists()  # until b2 is saved
    session.save(draft)
    assert not store.path_for("a1").exists()
    assert d.load_draft(store.path_for("b2")).answers == {"hc_01": 4}  # type: ignore[union-attr]
    store.take("a1").release()  # a1's lock was released
    with pytest.raises(DraftInUse):
        store.take("b2")
    session.release()


# --------------------------------------------------------------------------- writes that fail


class FullDisk:
    """os.fsync fails with ENOSPC the next `times` times a file under `folder` is synced:
    the draft's temp file is written, then the disk is found full."""

    def __init__(self, monkeypatch, times: int) -> None:
        self.times = times
        real = os.fsync

        def fsync(fd: int) -> None:
            if self.times > 0:
                self.times -= 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)


def full_disk_at(monkeypatch, answered: int, times: int) -> None:
    """The disk is full at the autosave after question `answered`, for `times` tries."""
    import qim_cli.sheets.draft_store as drafts_module

    real_save = drafts_module.save_draft
    struck: list[FullDisk] = []

    def save(draft, path):
        if draft.answered == answered and not struck:
            struck.append(FullDisk(monkeypatch, times))
        return real_save(draft, path)

    monkeypatch.setattr(drafts_module, "save_draft", save)


def test_a_full_disk_at_an_autosave_keeps_the_draft_says_so_and_tries_again(tmp_path, profiles, monkeypatch):
    plan = planned(profiles)
    keys = question_keys(plan)
    out = tmp_path / "s.toml"
    # the autosave after question 6 fails twice; Enter tries again each time
    full_disk_at(monkeypatch, answered=6, times=2)
    result = assess(["--out", str(out)], DETAILS + keys[:6] + ["", "", *keys[6:]])
    assert result.exit_code == 0, result.stderr
    text = flat(result.stderr)
    assert text.count("Could not save your last answer") == 2
    assert "rn-ward7.json: cannot write (No space left on device)" in text
    assert "the saved self-check keeps its 5 earlier answers, unchanged" in text
    assert "Enter tries again (free some space first), q stops" in text
    assert read(out) == expected_sheet(plan)


def test_a_full_disk_then_q_leaves_the_previous_draft_exactly_as_it_was(tmp_path, profiles, monkeypatch):
    keys = question_keys(planned(profiles))
    leave(DETAILS, keys, 5)
    before = draft_file().read_bytes()
    full_disk_at(monkeypatch, answered=6, times=1)
    result = assess(["--resume"], [keys[5], "q"])
    assert result.exit_code == ExitCode.CANNOT_WRITE
    assert ("Stopped: your last answer could not be saved" in flat(result.stderr)
            and "No space left on device" in result.stderr)
    assert "5 of 60 questions answered" in flat(result.stderr)
    assert draft_file().read_bytes() == before
    assert [p.name for p in draft_file().parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_finished_self_check_leaves_no_lock_file(tmp_path, profiles):
    plan = planned(profiles)
    result = assess(["--out", str(tmp_path / "sheet.toml")], DETAILS + question_keys(plan))
    assert result.exit_code == 0, result.stderr
    assert list(draft_file().parent.iterdir()) == []


def test_saving_and_quitting_keeps_the_draft_without_its_lock_file(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    assert assess([], DETAILS + keys[:3] + ["q"]).exit_code == 75
    assert sorted(p.name for p in draft_file().parent.iterdir()) == ["rn-ward7.json"]


def test_a_released_lock_file_is_removed_and_the_lock_still_excludes(tmp_path, profiles):
    store = DraftStore()
    lock_file = Path(f"{store.path_for('a1')}.lock")
    first = store.take("a1")
    assert lock_file.exists()
    with pytest.raises(DraftInUse):
        store.take("a1")
    assert not store.in_use(store.path_for("b2")) and not Path(f"{store.path_for('b2')}.lock").exists()
    first.release()
    assert not lock_file.exists()
    second = store.take("a1")  # a new lock file, held as before
    assert lock_file.exists()
    with pytest.raises(DraftInUse):
        store.take("a1")
    second.release()
    assert not lock_file.exists()
