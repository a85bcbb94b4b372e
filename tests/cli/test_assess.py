"""`qim assess`: keystrokes fed through CliRunner (--interactive); scripts never hang; shell
completion of saved ids. (The core, without a terminal: tests/sheets/test_flow.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from support.assess import (
    DETAILS,
    assess,
    draft_file,
    expected_sheet,
    flat,
    item_order,
    planned,
    question_keys,
    read,
)
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()

# --------------------------------------------------------------------------- the flow


def test_full_run_writes_a_valid_sheet_and_prints_only_the_report(tmp_path, profiles):
    plan = planned(profiles)
    out = tmp_path / "sheet.toml"
    result = assess(["--out", str(out)], DETAILS + question_keys(plan))
    assert result.exit_code == 0, result.stderr
    assert read(out) == expected_sheet(plan)
    # the prompts are on stderr, with the position, the scale and the keys ...
    assert "About you · 1 of 9" in result.stderr
    assert "QI expertise › Healthcare context\nquestion 1 of 60 · about 15 min left" in result.stderr
    assert "question 60 of 60 · under a minute left" in result.stderr
    assert "How often do you do this?" in result.stderr
    assert "1 Rarely or never" in result.stderr and "n not applicable / don't know" in result.stderr
    first_item = profiles.framework.competencies[0].items[0].text
    assert first_item[:40] in result.stderr
    # ... and stdout holds the report alone
    assert " of 60" not in result.stdout and "About you" not in result.stdout
    assert "q quit" not in result.stdout
    assert "Development plan" in result.stdout
    assert not draft_file().exists()
    check = runner.invoke(app, ["validate", "--complete", str(out)])
    assert check.exit_code == 0, check.stderr


def test_format_json_gives_only_json_on_stdout(tmp_path, profiles):
    plan = planned(profiles)
    result = assess(["--out", str(tmp_path / "s.toml"), "--format", "json"],
                    DETAILS + question_keys(plan))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["respondent"]["id"] == "rn-ward7"
    assert doc["framework_version"] == profiles.version


def test_default_sheet_name_in_the_current_folder(tmp_path, profiles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = assess([], DETAILS + question_keys(planned(profiles)))
    assert result.exit_code == 0, result.stderr
    name = f"qim-rn-ward7-{date.today().isoformat()}.toml"
    assert (tmp_path / name).is_file()
    assert name in flat(result.stderr)


def test_back_changes_an_earlier_answer_and_enter_keeps_one(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    first, second = item_order(profiles)[:2]
    # answer q1 and q2, go back twice, change q1, keep q2 with Enter, go on
    flow = DETAILS + [keys[0], keys[1], "b", "b", "1", "", *keys[2:]]
    out = tmp_path / "s.toml"
    result = assess(["--out", str(out)], flow)
    assert result.exit_code == 0, result.stderr
    sheet = read(out)
    assert sheet["answers"][first] == 1
    assert sheet["answers"][second] == plan["answers"][second]
    labels = profiles.framework.scales.performance.labels
    v2 = plan["answers"][second]
    assert f"[Enter keeps {v2} {labels[v2 - 1]}]" in result.stderr
    assert sheet == expected_sheet({**plan, "answers": {**plan["answers"], first: 1}})


def test_back_from_the_first_question_reaches_the_details_and_a_new_background(tmp_path, profiles):
    plan = planned(profiles)
    # at question 1 go back to the unit, organisation, setting, years in healthcare, years,
    # role, background; switch to traditional: the nurse role no longer fits, so the role is
    # asked again (no default)
    flow = DETAILS + ["b"] * 7 + ["2", "2", "", "", "", "", "", *question_keys(plan)]
    out = tmp_path / "s.toml"
    result = assess(["--out", str(out)], flow)
    assert result.exit_code == 0, result.stderr
    r = read(out)["respondent"]
    assert (r["background"], r["role"], r["setting"]) == ("traditional", "process_engineer", "rural")


def test_n_answers_na_where_offered_and_is_refused_for_importance(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    n_items = len(profiles.items)
    # importance has no "na": an "n" there is refused with a hint, then answered
    flow = DETAILS + keys[:n_items] + ["n"] + keys[n_items:]
    out = tmp_path / "s.toml"
    result = assess(["--out", str(out)], flow)
    assert result.exit_code == 0, result.stderr
    assert '"n" is not offered here' in result.stderr
    sheet = read(out)
    assert sheet == expected_sheet(plan)
    assert "na" in sheet["answers"].values() and "na" in sheet["context"].values()


def test_invalid_keys_reask_with_a_hint_and_record_nothing(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    noise = ["x", "7", "0", "", "   ", "44", "yes"]
    flow = ["", "bad id!", *DETAILS[:2], "9", *DETAILS[2:4], "-1", "lots", *DETAILS[4:],
            *noise, *keys]
    out = tmp_path / "s.toml"
    result = assess(["--out", str(out)], flow)
    assert result.exit_code == 0, result.stderr
    assert read(out) == expected_sheet(plan)
    assert result.stderr.count("↳ type 1–5, n; b back, ? help, q save and quit") >= 5
    assert "an answer is needed" in result.stderr
    assert "type a number 1–2" in result.stderr
    assert "type a number of years from 0 to 60" in result.stderr


def test_question_mark_shows_the_items_help(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    item = profiles.framework.competencies[0].items[0]
    out = tmp_path / "s.toml"
    result = assess(["--out", str(out)], DETAILS + ["?", *keys])
    assert result.exit_code == 0, result.stderr
    assert " ".join(item.help.split()[:8]) in " ".join(result.stderr.split())
    assert read(out) == expected_sheet(plan)


def test_q_saves_and_resume_continues_at_the_first_unanswered(tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    out = tmp_path / "s.toml"
    first = assess(["--out", str(out)], DETAILS + keys[:12] + ["q"])
    assert first.exit_code == 75  # saved, not finished
    assert "Saved, not finished: 12 of 60 questions answered" in flat(first.stderr)
    # the temporary folder's path decides where the line before it wraps
    assert re.search(r"Continue\s+with:\n  qim assess --resume rn-ward7$", first.stderr.rstrip())
    assert not out.exists()
    saved = json.loads(draft_file().read_text())
    assert saved["fingerprint"] == profiles.fingerprint
    assert saved["framework_version"] == profiles.version
    assert len(saved["answers"]) == 12
    assert saved["position"] == f"answers.{item_order(profiles)[12]}"

    second = assess(["--resume"], keys[12:])  # --out is remembered
    assert second.exit_code == 0, second.stderr
    assert "Continuing the self-check of rn-ward7: 12 of 60 questions answered" in flat(second.stderr)
    assert f"your answer sheet is saved as {out}" in flat(second.stderr)
    assert "question 13 of 60" in second.stderr
    assert "question 12 of 60" not in second.stderr
    assert read(out) == expected_sheet(plan)
    assert not draft_file().exists()


def test_q_before_anything_is_saved_changes_nothing(tmp_path):
    result = assess([], ["q"])
    assert result.exit_code == 75
    assert result.stderr.rstrip().endswith("Stopped before anything was saved; nothing changed.")
    assert not (Path(os.environ["QIM_STATE_DIR"]) / "drafts").exists()


def test_end_of_input_saves_like_ctrl_c(tmp_path, profiles):
    keys = question_keys(planned(profiles))
    result = assess(["--out", str(tmp_path / "s.toml")], DETAILS + keys[:5])
    assert result.exit_code == 130
    assert len(json.loads(draft_file().read_text())["answers"]) == 5
    assert "Stopped: 5 of 60 questions answered" in flat(result.stderr)
    assert "qim assess --resume rn-ward7" in result.stderr


def test_existing_sheet_is_not_overwritten_and_the_draft_is_kept(tmp_path, profiles):
    plan = planned(profiles)
    out = tmp_path / "s.toml"
    out.write_text("precious\n")
    result = assess(["--out", str(out)], DETAILS + question_keys(plan))
    assert result.exit_code == 73
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert result.stderr.endswith("Finish with another file, or replace this one:\n"
                                  "  qim assess --resume rn-ward7 --out OTHER.toml\n"
                                  "  qim assess --resume rn-ward7 --force\n")
    assert out.read_text() == "precious\n"
    assert draft_file().exists()
    # everything is answered: resuming goes straight to the end
    again = assess(["--resume", "--force"], [])
    assert again.exit_code == 0, again.stderr
    assert read(out) == expected_sheet(plan)
    assert not draft_file().exists()


def test_not_a_terminal_exits_2_at_once():
    result = runner.invoke(app, ["assess"], input="1\n")
    assert result.exit_code == 2
    assert "not a terminal" in result.stderr
    assert "qim template" in result.stderr and "qim report" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert not draft_file().exists()


def test_resume_and_restart_together_is_a_usage_error():
    result = assess(["--resume", "--restart"], [])
    assert result.exit_code == 2
    assert "either --resume or --restart" in result.stderr


# --------------------------------------------------------------------------- scripts never hang


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1"}


def test_echo_into_qim_assess_exits_2_at_once(tmp_path):
    # the timeout only stops a hang; what is checked is that no prompt was shown
    proc = subprocess.run(f"echo | {sys.executable} -m qim_cli assess", shell=True,
                          capture_output=True, text=True, timeout=60, env=_env(), cwd=tmp_path)
    assert proc.returncode == 2
    assert "qim template" in proc.stderr and "qim report" in proc.stderr
    assert "About you" not in proc.stderr and "> " not in proc.stderr
    assert proc.stdout == ""


def test_an_open_pipe_never_hangs(tmp_path):
    # stdin is a pipe nobody writes to or closes: a prompt would wait forever
    proc = subprocess.Popen([sys.executable, "-m", "qim_cli", "assess"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=tmp_path)
    try:
        assert proc.wait(timeout=5) == 2
    finally:
        proc.kill()
        proc.communicate()


# --------------------------------------------------------------------------- shell completion


def _complete(words: str, tmp_path) -> list[str]:
    env = {**_env(), "_QIM_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split(" ")) - 1)}
    proc = subprocess.run([sys.executable, "-m", "qim_cli"], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_shell_completion_of_commands_formats_and_saved_ids(tmp_path, profiles):
    script = subprocess.run([sys.executable, "-m", "qim_cli", "--show-completion", "bash"],
                            capture_output=True, text=True, timeout=60, env=_env())
    assert script.returncode == 0 and "_QIM_COMPLETE=complete_bash" in script.stdout
    assert _complete("qim as", tmp_path) == ["assess"]
    assert _complete("qim assess --format ", tmp_path) == ["table", "json", "markdown", "html", "pdf"]
    keys = question_keys(planned(profiles))
    assess([], DETAILS + keys[:2] + ["q"])
    assert _complete("qim assess --resume rn", tmp_path) == ["rn-ward7"]
    assert _complete("qim assess --resume x", tmp_path) == []
