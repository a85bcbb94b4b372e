"""Odd files where qim expects regular ones: named pipes, devices and sockets in a folder or
named on the command line, /dev/null, a named pipe or a symbolic link as the output, standard
input (-). Named pipes, devices and sockets cannot be kept in git, so each test makes its own.
A command that could hang runs in a child process (support/commands.py: `qim`) with a
generous time-out that only stops a hung test."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support.commands import COHORT, HANG_GUARD, NURSE, qim, sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import DataError
from qim_cli.reading import read_file_bytes

runner = CliRunner()


def unix_socket(path: Path) -> socket.socket:
    """A listening Unix socket at `path` (bound from its folder: socket paths are short)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    here = Path.cwd()
    os.chdir(path.parent)
    try:
        sock.bind(path.name)
    finally:
        os.chdir(here)
    return sock


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_named_pipe_in_a_batch_folder_is_reported_and_the_rest_scored(tmp_path, jobs):
    folder = tmp_path / "batch"
    folder.mkdir()
    sheet(folder, "a.toml", "good-a")
    sheet(folder, "z.toml", "good-z")
    os.mkfifo(folder / "x.toml")  # nobody ever writes to it: opening it to read would wait forever
    result = qim("score", str(folder), "--jobs", jobs)
    assert result.returncode == 65, result.stderr
    assert [r["id"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["good-a", "good-z"]
    assert result.stderr.splitlines() == [
        f"{folder / 'x.toml'}: is a named pipe (FIFO), not a regular file",
        "qim score: 3 files: 2 good, 1 bad",
    ]


def test_devices_and_sockets_in_a_batch_folder_are_reported_never_read(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    sheet(folder, "good.toml", "good")
    (folder / "zero.toml").symlink_to("/dev/zero")  # endless bytes if it were read
    sock = unix_socket(folder / "sock.toml")
    try:
        result = runner.invoke(app, ["cohort", str(folder), "--format", "json"])
    finally:
        sock.close()
    assert result.exit_code == 65
    assert result.stderr.splitlines()[:2] == [
        f"{folder / 'sock.toml'}: is a socket, not a regular file",
        f"{folder / 'zero.toml'}: is a character device, not a regular file",
    ]
    assert result.stderr.splitlines()[-1] == "qim cohort: 3 files: 1 good, 2 bad"


@pytest.mark.parametrize("command", [["validate"], ["report"], ["report", "--format", "json"]])
def test_a_named_pipe_named_explicitly_is_refused_at_once(tmp_path, command):
    fifo = tmp_path / "sheet.toml"
    os.mkfifo(fifo)
    result = qim(*command, str(fifo))
    assert result.returncode == 65
    assert result.stderr == f"{fifo}: is a named pipe (FIFO), not a regular file\n"
    assert result.stdout == ""


def test_compare_reports_both_odd_files(tmp_path):
    fifo = tmp_path / "old.toml"
    os.mkfifo(fifo)
    result = qim("compare", str(fifo), "/dev/null")
    assert result.returncode == 65
    assert result.stderr.splitlines() == [
        f"{fifo}: is a named pipe (FIFO), not a regular file",
        "/dev/null: is a character device, not a regular file",
    ]


def test_a_named_pipe_in_a_profile_set_is_refused(tmp_path):
    import shutil

    from qim_cli.framework.profiles import bundled_profiles_dir

    dest = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), dest)
    (dest / "rules.toml").unlink()
    os.mkfifo(dest / "rules.toml")
    env = {**os.environ, "QIM_PROFILES": str(dest)}
    for args in (["framework", "check"], ["report", str(NURSE)], ["template"]):
        result = qim(*args, env=env)
        assert result.returncode == 65, args
        assert result.stderr == f"{dest / 'rules.toml'}: is a named pipe (FIFO), not a regular file\n"


def test_a_named_pipe_as_the_saved_draft_is_refused(tmp_path):
    # a pipe where an earlier version kept its draft, and one among the drafts per
    # respondent: each is named in one message, never opened, and the self-check goes on
    state = tmp_path / "state"
    (state / "drafts").mkdir(parents=True)
    os.mkfifo(state / "draft.json")
    os.mkfifo(state / "drafts" / "rn-ward7.json")
    result = qim("assess", "--interactive", env={**os.environ, "QIM_STATE_DIR": str(state)})
    assert result.returncode == 130  # the end of (empty) input at the first question
    said = re.sub(r"(?<=\S)/ ", "/", " ".join(result.stderr.split()))  # as before wrapping
    assert (f"{state / 'drafts' / 'rn-ward7.json'}: is a named pipe (FIFO), not a regular file; "
            "`qim assess --restart rn-ward7` discards it") in said
    assert (f"{state / 'draft.json'}: is a named pipe (FIFO), not a regular file; "
            "`qim assess --restart draft.json` discards it") in said
    assert "About you · 1 of 9" in said


def test_a_file_swapped_for_a_named_pipe_after_the_check_is_opened_without_waiting(
        tmp_path, monkeypatch):
    """The status check and the open are two steps: the open itself must not wait either."""
    fifo = tmp_path / "swapped.toml"
    os.mkfifo(fifo)
    regular = NURSE.stat()
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: regular if Path(p) == fifo else real_stat(p, *a, **k))
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_file_bytes(fifo)
        except BaseException as exc:  # noqa: BLE001 (handed to the test thread)
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(HANG_GUARD)
    if reader.is_alive():  # release the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a named pipe waited for a writer")
    assert len(outcome) == 1 and isinstance(outcome[0], DataError)
    assert str(outcome[0]) == f"{fifo}: is a named pipe (FIFO), not a regular file"


def test_a_named_pipe_in_a_360_folder_is_reported_not_skipped(tmp_path):
    folder = tmp_path / "360"
    folder.mkdir()
    sheet(folder, "self.toml", "rn-ward7")
    os.mkfifo(folder / "peer.toml")
    result = qim("report", str(folder))
    assert result.returncode == 65
    assert result.stderr == f"{folder / 'peer.toml'}: is a named pipe (FIFO), not a regular file\n"


def test_dev_null_as_output_is_written_into_never_replaced():
    """As root, replacing /dev/null with a regular file would break every program on the machine."""
    for command in (["report", str(NURSE), "-f", "json"], ["score", str(COHORT)], ["template"]):
        result = runner.invoke(app, [*command, "-o", "/dev/null", "--force"])
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[-1 if command[0] != "score" else 0] == "wrote /dev/null"
        assert Path("/dev/null").is_char_device()
    result = runner.invoke(app, ["report", str(NURSE), "-o", "/dev/null"])  # no --force needed
    assert result.exit_code == 0 and Path("/dev/null").is_char_device()


def test_a_named_pipe_as_output_is_written_into_or_refused_at_once(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = qim("report", str(NURSE), "-f", "json", "-o", str(fifo))  # nobody reads it
    assert result.returncode == 73
    assert result.stderr == f"{fifo}: a named pipe that nothing reads from; start the reader first\n"
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    while True:  # refused (73) only until the reader has the pipe open: no time is guessed
        result = runner.invoke(app, ["report", str(NURSE), "-f", "json", "-o", str(fifo)])
        if result.exit_code != 73:
            break
    reader.join(HANG_GUARD)
    assert result.exit_code == 0, result.stderr
    import json

    assert json.loads(got[0])["respondent"]["id"] == "rn-ward7"
    assert fifo.is_fifo()


def test_an_output_through_a_symbolic_link_updates_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("{}\n")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    result = runner.invoke(app, ["report", str(NURSE), "-f", "json", "-o", str(link), "--force"])
    assert result.exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert '"rn-ward7"' in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["latest.json"]


@pytest.mark.parametrize("command", ["validate", "report"])
def test_a_closed_standard_input_is_an_input_not_found(command):
    proc = subprocess.run([sys.executable, "-m", "qim_cli", command, "-"], capture_output=True,
                          text=True, timeout=HANG_GUARD, preexec_fn=lambda: os.close(0))  # `<&-`
    assert proc.returncode == 66
    assert proc.stderr == "<stdin>: standard input is closed\n"


def test_standard_input_is_read_once():
    result = runner.invoke(app, ["validate", "-", "-"], input=NURSE.read_bytes())
    assert result.exit_code == 2
    assert result.stderr == "standard input (-) can be read only once\n"
