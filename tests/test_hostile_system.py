"""Hostile machines and folders: odd files, too many processes, outputs over inputs, failing writes.

The companion of test_hostile.py (hostile *contents*). These cases are about where qim
runs: a shared workstation, a folder that holds more than answer sheets, a full disk.
Named pipes, devices and sockets cannot be kept in git, so each test makes its own.
A command that could hang runs in a child process with a generous time-out: the time-out
only stops a hung test (it fails as "hung"); no test measures how fast anything is.
"""

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
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import DataError
from qim_cli.loading import read_file_bytes

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
NURSE = ROOT / "examples" / "nurse-early-career.toml"
#: only a hung command ever comes near this
HANG_GUARD = 120


def qim(*args: str, cwd: Path | None = None, stdin: object = subprocess.DEVNULL,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run qim in a child process; a hang fails the test instead of stalling the suite."""
    try:
        return subprocess.run([sys.executable, "-m", "qim_cli", *args], cwd=cwd, stdin=stdin,
                              capture_output=True, text=True, timeout=HANG_GUARD, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"qim {' '.join(args)} hung")


def sheet(folder: Path, name: str, rid: str) -> Path:
    path = folder / name
    path.write_text(NURSE.read_text().replace('id = "rn-ward7"', f'id = "{rid}"'))
    return path


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


# ---------------------------------------------------------------- 1. no hang on odd files


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
    assert "About you · 1 of 6" in said


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


# ---------------------------------------------------------------- the README's promises


def test_every_test_the_readme_names_as_proof_exists():
    """"What qim guarantees" names its proofs; a renamed or deleted test must not go unnoticed."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What qim guarantees", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    assert len(named) >= 5
    defined = {m for f in (ROOT / "tests").glob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", f.read_text(encoding="utf-8"), re.M)}
    assert named <= defined, f"named in the README but not defined: {sorted(named - defined)}"


# ---------------------------------------------------------------- 2. bounded processes

COHORT = ROOT / "examples" / "cohort"


def _ids(stdout: str) -> list[str]:
    return [r["id"] for r in csv.DictReader(io.StringIO(stdout))]


def test_jobs_beyond_the_cores_are_lowered_and_said_so():
    cores = len(os.sched_getaffinity(0))
    result = qim("score", str(COHORT), "--jobs", "100000")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"qim score: --jobs 100000 lowered to {cores}, the number of cores available to qim",
        "qim score: 48 files: 48 good, 0 bad",
    ]
    assert _ids(result.stdout) == [f"qim-{i:03d}" for i in range(1, 49)]
    # asking for exactly the cores there are is not worth a word
    quiet = qim("cohort", str(COHORT), "--jobs", str(cores), "--format", "json")
    assert quiet.returncode == 0 and quiet.stderr == "qim cohort: 48 files: 48 good, 0 bad\n"


@pytest.fixture
def pools(monkeypatch):
    """The worker counts of the process pools qim starts (the real pools run)."""
    import multiprocessing

    made: list[int] = []
    real = multiprocessing.Pool

    def spy(*args, **kwargs):
        made.append(kwargs["processes"])
        return real(*args, **kwargs)

    monkeypatch.setattr(multiprocessing, "Pool", spy)
    return made


def test_the_pool_never_has_more_workers_than_cores(monkeypatch, pools):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    result = runner.invoke(app, ["score", str(COHORT), "--jobs", "100000"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "qim score: --jobs 100000 lowered to 2, the number of cores available to qim")
    assert pools == [2]
    assert _ids(result.stdout) == _ids(runner.invoke(app, ["score", str(COHORT)]).stdout)


def test_one_core_means_no_pool_at_all(monkeypatch, pools):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    result = runner.invoke(app, ["cohort", str(COHORT), "--jobs", "8", "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "qim cohort: --jobs 8 lowered to 1, the number of cores available to qim")
    assert pools == []
    # the library caps too, silently
    from qim_cli.cohort.batch import score_paths
    from qim_cli.framework.profiles import load_profiles

    assert len(list(score_paths(sorted(COHORT.glob("*.toml")), load_profiles(), 64))) == 48
    assert pools == []


def test_cores_come_from_the_affinity_else_the_machine(monkeypatch):
    from qim_cli.cohort.batch import available_cores, default_jobs

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 5, 7})
    assert available_cores() == 3 and default_jobs(10_000) == 3 and default_jobs(10) == 1
    monkeypatch.delattr(os, "sched_getaffinity")  # a system without affinity (macOS)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 2, raising=False)  # Python 3.13+
    assert available_cores() == 2
    monkeypatch.delattr(os, "process_cpu_count")  # Python 3.11 and 3.12
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert available_cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: one
    assert available_cores() == 1


def test_no_process_to_spare_scores_in_qims_own_process(monkeypatch):
    import errno
    import multiprocessing

    def refuse(*args, **kwargs):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    expected = runner.invoke(app, ["score", str(COHORT), "--jobs", "1"]).stdout
    monkeypatch.setattr(multiprocessing, "Pool", refuse)
    result = runner.invoke(app, ["score", str(COHORT), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


def test_a_killed_worker_fails_the_batch_instead_of_hanging(tmp_path):
    """The out-of-memory killer takes a worker: a bare pool would wait forever for its sheets."""
    import signal
    import time

    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(4):
        sheet(folder, f"s{i}.toml", f"p{i}")
    sheet(folder, "zzz-stuck.toml", "stuck")
    out = tmp_path / "scores.csv"
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "hostile" / "stuck_qim.py"),
                             str(ready), "score", str(folder), "--jobs", "2", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + HANG_GUARD
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "qim never started"
            time.sleep(0.02)
        worker = int(ready.read_text())
        assert worker != proc.pid  # the sheet is held by a worker
        os.kill(worker, signal.SIGKILL)
        _, stderr = proc.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail("qim score waited forever for a killed worker")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1
    assert stderr.splitlines() == [
        "a scoring process stopped unexpectedly (killed by signal 9; the system may be short "
        "of memory); nothing was written: try again, or with --jobs 1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch", "ready"]
