"""`qim assess` in a real terminal (tmux) at 40, 60 and 120 columns, standard output
redirected to a file as a QIM would run it: every line fits the terminal and no word is
broken, the line editor's arrow keys and history work, q exits 75 with the exact
command that resumes, and that command finishes the self-check with the options it
was started with.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import pytest
from support.assess import DETAILS, expected_sheet, planned, question_keys

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (scripts/test installs it)")

PROMPT_END = re.compile(r"(^|\s)>$")
PROMPT_MARK = re.compile(r"(^|\s)>(\s|$)")


class Tmux:
    """One tmux server of its own with one pane of a given size running `qim assess`."""

    def __init__(self, width: int, height: int = 40) -> None:
        self.width, self.height = width, height
        self.socket = f"qim-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.prompts = 0

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True, timeout=60)
        return done.stdout

    def start(self, shell_command: str, env: dict[str, str], cwd: Path) -> None:
        """Run a shell command line with only `env` in its environment; `EXIT=<code>`
        is shown when it ends."""
        # the shell survives a Ctrl-C meant for qim (a trap, unlike an ignored signal,
        # leaves qim's own Ctrl-C as it is)
        script = f"trap true INT; cd {_quote(str(cwd))} && {shell_command}; echo EXIT=$?; sleep 600"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(self.width), "-y",
                  str(self.height), "env", "-i", *(f"{k}={v}" for k, v in env.items()),
                  "sh", "-c", script)
        self.tmux("set-option", "-g", "history-limit", "100000")

    def screen(self) -> str:
        """Everything shown so far, each line as written (-J joins what the terminal
        itself wrapped, so a line longer than the pane shows as one long line)."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-")

    def wait(self, done, what: str, timeout: float = 90):  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while True:
            text = self.screen()
            found = done(text)
            if found:
                return found
            if time.monotonic() > end:
                raise AssertionError(f"waited for {what}; the screen shows:\n{text[-3000:]}")
            time.sleep(0.02)

    def prompt(self) -> str:
        """Wait until qim waits for the next line: one more prompt than before, and the
        screen ends with it (an answer left empty keeps the old prompt ending in `>`)."""
        before = self.prompts

        def ready(text: str) -> str | None:
            lines = [ln.rstrip() for ln in text.split("\n") if ln.strip()]
            count = sum(1 for ln in lines if PROMPT_MARK.search(ln))
            if count > before and lines and PROMPT_END.search(lines[-1]):
                self.prompts = count
                return text
            return None

        return self.wait(ready, "a prompt")

    def send(self, text: str = "", *keys: str, enter: bool = True) -> None:
        if text:
            self.tmux("send-keys", "-l", text)
        for key in keys:
            self.tmux("send-keys", key)
        if enter:
            self.tmux("send-keys", "Enter")

    def answer(self, keys: list[str]) -> None:
        for k in keys:
            self.prompt()
            self.send(k)

    def exit_code(self) -> int:
        text = self.wait(lambda t: re.search(r"^EXIT=(\d+)$", t, re.M), "the end")
        return int(text.group(1))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


def _quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


@pytest.fixture
def term():
    made: list[Tmux] = []

    def make(width: int, height: int = 40) -> Tmux:
        made.append(Tmux(width, height))
        return made[-1]

    yield make
    for t in made:
        t.close()


def qim_env(state: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(state.parent),
           "TERM": "xterm-256color", "LANG": "C.UTF-8", "QIM_STATE_DIR": str(state),
           "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return {**env, **extra}


QIM = f"{_quote(sys.executable)} -m qim_cli assess"


def tokens(screen: str) -> list[str]:
    """The words shown, with what wrapping adds taken out again: a path broken after a
    "/" is joined, and a command continued with a backslash is one line again."""
    text = re.sub(r"(?<=\S)/\n\s*", "/", screen)
    text = re.sub(r" \\\n\s*", " ", text)
    return [t for t in text.split() if not t.startswith("EXIT=")]


def too_long(screen: str, width: int) -> list[str]:
    return [ln for ln in screen.split("\n") if len(ln) > width]


# --------------------------------------------------------------------------- three widths


def _whole_session(term, tmp_path: Path, profiles, width: int) -> tuple[str, int, Path]:
    """Every screen of a self-check: the details, a wrong key, ? help, b back with
    Enter keeping the earlier answer, all 60 questions; the report into a file."""
    plan = planned(profiles)
    keys = question_keys(plan)
    home = tmp_path / f"w{width}"
    home.mkdir()
    t = term(width)
    t.start(f"{QIM} --out sheet.toml > report.txt", qim_env(home / "state"), home)
    t.answer(DETAILS + keys[:2] + ["x", "?", "b", "", *keys[2:]])
    code = t.exit_code()
    assert tomllib.loads((home / "sheet.toml").read_text()) == expected_sheet(plan)
    return t.screen(), code, home


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    return {}


@pytest.mark.parametrize("width", [40, 60, 120])
def test_every_line_fits_the_terminal_and_no_word_is_broken(term, tmp_path, profiles, width, sessions):
    screen, code, home = _whole_session(term, tmp_path, profiles, width)
    assert code == 0, screen[-2000:]
    # the terminal is the width, not standard output (a file) and not an 80 default
    shown = min(width, 100)
    assert too_long(screen, shown) == []
    assert max(len(ln) for ln in screen.split("\n")) > shown - 8  # the lines do use the width
    # no word broken: the same words, in the same order, at every width
    sessions[width] = tokens(screen)
    if len(sessions) == 3:
        assert sessions[40] == sessions[60] == sessions[120]
    # every kind of line seen at this width (a command continued with "\\" joined again)
    flat = " ".join(re.sub(r" \\\n\s*", " ", screen).split())
    for seen in ("Your id for this self-check", "About you · 9 of 9",
                 "question 1 of 60 · about 15 min left", "question 60 of 60 · under a minute left",
                 "[Enter keeps 4 Often]", "↳ type 1–5, n; b back, ? help, q save and quit",
                 "Saved your answer sheet to sheet.toml. See the report again with: qim report sheet.toml "
                 "For your appraisal, the same report as a page to print or attach: "
                 "qim report sheet.toml --format html -o sheet.html EXIT=0"):
        assert seen in flat, seen
    # the report went to the file: 80 columns (no COLUMNS set), no trailing spaces
    report = (home / "report.txt").read_text()
    assert "Development plan" in report
    assert too_long(report, 80) == [] and max(len(ln) for ln in report.split("\n")) > 70
    assert [ln for ln in report.split("\n") if ln != ln.rstrip()] == []
    assert "Development plan" not in screen


# --------------------------------------------------------------------------- other screens


def _seed(home: Path, profiles, out: Path, answered: int | None = None) -> None:
    """A saved self-check of rn-ward7 with every answer (or the first `answered`)."""
    from qim_cli.sheets.draft_file import Draft, save_draft

    draft = Draft.new(profiles)
    draft.respondent.update({"id": "rn-ward7", "name": "Aroha Ngata", "background": "clinical",
                             "role": "nurse", "years_as_qim": 3.0,
                             "years_in_healthcare": None, "setting": "rural",
                             "organisation": None, "unit": None})
    plan = planned(profiles)
    pairs = [(s, k, v) for s in ("answers", "importance", "context") for k, v in plan[s].items()]
    for section, key, value in pairs[:answered]:
        draft.set(f"{section}.{key}", value)
    draft.out = str(out)
    save_draft(draft, home / "state" / "drafts" / "rn-ward7.json")


def _restart_kept_then_exit_73(term, tmp_path, profiles, width: int) -> str:
    home = tmp_path / f"r{width}"
    home.mkdir()
    (home / "sheet.toml").write_text("an earlier sheet\n")
    _seed(home, profiles, home / "sheet.toml")
    t = term(width)
    t.start(f"{QIM} --restart > report.txt; echo EXIT=$?; {QIM} > report.txt", qim_env(home / "state"), home)
    t.answer(["n", "1"])  # keep the saved one; then continue it from the list
    t.wait(lambda s: s.count("EXIT=") == 2, "both commands")
    return t.screen()


def test_restart_list_and_exit_73_messages_wrap_at_40_columns(term, tmp_path, profiles):
    narrow = _restart_kept_then_exit_73(term, tmp_path, profiles, 40)
    wide = _restart_kept_then_exit_73(term, tmp_path, profiles, 120)
    assert too_long(narrow, 40) == []
    assert re.findall(r"EXIT=(\d+)", narrow) == ["0", "73"]
    # the same words at 40 and 120 columns (none broken), but the timestamps
    assert tokens(re.sub(r"\d\d:\d\d", "", narrow)) == tokens(re.sub(r"\d\d:\d\d", "", wide))
    flat = " ".join(narrow.split())
    for seen in ("Discard the saved self-check (rn-ward7: 60 of 60 answered",
                 "y yes, n or Enter no",
                 "Kept it. Continue it with: qim assess --resume rn-ward7",
                 "1 rn-ward7: 60 of 60 answered, last saved",
                 "number or id to continue, Enter for a new self-check, q quit",
                 "sheet.toml: already exists (use --force to overwrite)",
                 "Your answers are kept in the draft. Finish with another file, or replace this one: "
                 "qim assess --resume rn-ward7 --out \\ OTHER.toml > report.txt "
                 "qim assess --resume rn-ward7 --force \\ > report.txt EXIT=73"):
        assert seen in flat, seen


def test_arrow_keys_edit_a_line_and_up_recalls_an_earlier_answer(term, tmp_path, profiles):
    home = tmp_path / "h"
    home.mkdir()
    t = term(60)
    t.start(f"{QIM} --out sheet.toml > report.txt", qim_env(home / "state"), home)
    t.prompt()
    t.send("rn-wrd7", "Left", "Left", "Left", enter=False)
    t.send("a")  # rn-wrd7 -> rn-ward7
    t.prompt()
    t.send("Ngata", "Home", enter=False)
    t.send("Aroha ")  # Home, then the first name in front
    t.answer(["1", "1", "3", "", "2", "", "", "5"])
    t.prompt()
    t.send("", "Up")  # question 2: the line typed before (5), recalled
    t.prompt()
    assert "^[[" not in t.screen()
    t.send("q")
    assert t.exit_code() == 75
    saved = json.loads((home / "state" / "drafts" / "rn-ward7.json").read_text())
    assert saved["respondent"]["id"] == "rn-ward7"
    assert saved["respondent"]["name"] == "Aroha Ngata"
    assert saved["answers"] == dict(list(zip(planned(profiles)["answers"], [5, 5], strict=False)))


def test_q_exits_75_and_the_printed_command_finishes_with_the_same_options(term, tmp_path, profiles):
    plan = planned(profiles)
    keys = question_keys(plan)
    home = tmp_path / "h"
    home.mkdir()
    env = qim_env(home / "state")
    t = term(40)
    t.start(f"{QIM} --out sheet.toml --format json > report.json", env, home)
    t.answer(DETAILS + keys[:20] + ["q"])
    assert t.exit_code() == 75
    screen = t.screen()
    flat = " ".join(screen.split())
    assert "Saved, not finished: 20 of 60 questions answered; the draft is in ~/state/drafts/rn-ward7.json" in re.sub(r"(?<=\S)/ ", "/", flat)
    assert too_long(screen, 40) == []
    # the exact command is printed (continued with a backslash at 40 columns)
    printed = re.split(r"Continue\s+with:\n", screen, maxsplit=1)[1].split("\nEXIT=")[0]
    command = re.sub(r" \\\n\s*", " ", printed).strip()
    assert command == "qim assess --resume rn-ward7 > report.json"
    assert not (home / "sheet.toml").exists()

    again = term(40)
    again.start(command.replace("qim assess", QIM, 1), env, home)
    text = again.prompt()
    said = " ".join(text.split())
    assert "Continuing the self-check of rn-ward7: 20 of 60 questions answered" in said
    assert ("When you finish, your answer sheet is saved as sheet.toml, and the report is "
            "written to report.json as JSON.") in said
    again.send(keys[20])
    again.answer(keys[21:])
    assert again.exit_code() == 0
    assert tomllib.loads((home / "sheet.toml").read_text()) == expected_sheet(plan)
    assert json.loads((home / "report.json").read_text())["respondent"]["id"] == "rn-ward7"
    assert too_long(again.screen(), 40) == []


@pytest.mark.parametrize(("extra", "coloured"), [({}, True), ({"NO_COLOR": "1"}, False),
                                                  ({"TERM": "dumb"}, False)])
def test_the_report_on_the_terminal_respects_no_color_and_a_dumb_terminal(term, tmp_path, profiles, extra, coloured):
    home = tmp_path / "h"
    home.mkdir()
    _seed(home, profiles, home / "sheet.toml", answered=59)
    env = {k: v for k, v in qim_env(home / "state").items() if k != "NO_COLOR"} | extra
    t = term(100)
    raw = home / "raw.txt"
    t.start(f"{QIM} --resume", env, home)  # the report on the terminal itself
    t.tmux("pipe-pane", "-o", f"cat > {_quote(str(raw))}")
    t.prompt()
    t.send("1")
    assert t.exit_code() == 0
    t.tmux("pipe-pane")  # stop copying
    written = raw.read_bytes().decode("utf-8", "replace")
    assert "Development plan" in written
    colours = re.findall(r"\x1b\[[0-9;]*m", written)
    assert bool(colours) is coloured
    if extra.get("TERM") == "dumb":
        # no cursor movement and no line editor's control sequences at all
        assert "\x1b" not in written


def test_a_path_moves_to_the_next_line_whole_and_only_a_longer_one_is_broken():
    """A path to copy is never split when it fits on a line of its own; one longer than a
    whole line is broken only after a "/"."""
    from qim_cli.cli.terminal import wrap

    draft = "/tmp/tmp.t7NierDAOE/w/state/drafts/rn-ward7.json"
    lines = wrap("Saved. Continue later with qim assess --resume rn-ward7; the draft is in "
                 + draft, 60)
    assert lines[-1].endswith(draft) and all(len(line) <= 60 for line in lines)
    long = "/a/very/long/path/that/goes/on/and/on/and/on/much/further/than/one/line/file.json"
    lines = wrap(f"see {long} now", 30)
    assert all(len(line) <= 30 for line in lines)
    assert "".join(lines).replace("see ", "", 1).replace(" now", "") == long
    assert all(line.endswith("/") for line in lines[:-1])
