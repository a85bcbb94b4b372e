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
from qim_cli.reading import read_file_bytes

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
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


# ---------------------------------------------------------------- the documented promises


def test_every_test_the_guarantees_name_as_proof_exists():
    """"What qim guarantees" (docs/reference/guarantees.md) names its proofs; a renamed or
    deleted test must not go unnoticed."""
    import re

    page = (ROOT / "docs" / "reference" / "guarantees.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)`", page))
    assert len(named) >= 5
    defined = {m for f in (ROOT / "tests").rglob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", f.read_text(encoding="utf-8"), re.M)}
    assert named <= defined, f"named in the guarantees but not defined: {sorted(named - defined)}"


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
    from multiprocessing.context import BaseContext

    made: list[int] = []
    real = BaseContext.Pool

    def spy(self, *args, **kwargs):
        made.append(kwargs["processes"])
        return real(self, *args, **kwargs)

    # a context's Pool, and the module's (bound to the default context when imported)
    monkeypatch.setattr(BaseContext, "Pool", spy)
    monkeypatch.setattr(multiprocessing, "Pool", lambda *a, **k: spy(multiprocessing.get_context(), *a, **k))
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
    from multiprocessing.context import BaseContext

    def refuse(*args, **kwargs):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    expected = runner.invoke(app, ["score", str(COHORT), "--jobs", "1"]).stdout
    monkeypatch.setattr(BaseContext, "Pool", refuse)
    monkeypatch.setattr(multiprocessing, "Pool", refuse)
    result = runner.invoke(app, ["score", str(COHORT), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


def test_workers_are_forked_only_from_a_process_without_other_threads(monkeypatch):
    """A worker forked while another thread holds a lock waits for it forever (this hung
    the test suite once a browser test had left threads running)."""
    import multiprocessing

    from qim_cli.cohort import batch
    from qim_cli.cohort.batch import _context

    assert multiprocessing.get_start_method() == "fork"  # Linux before Python 3.14
    with monkeypatch.context() as alone:  # as the qim command runs: one thread
        alone.setattr(batch, "_threads", lambda: 1)
        assert _context() is multiprocessing  # the default: fork
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert _context().get_start_method() == "forkserver"
        # and a batch scored that way gives the same rows
        result = runner.invoke(app, ["score", str(COHORT), "--jobs", "2"])
        assert result.exit_code == 0
        assert _ids(result.stdout) == [f"qim-{i:03d}" for i in range(1, 49)]
    finally:
        stop.set()
        other.join()


def test_threads_of_compiled_libraries_count_too():
    """A thread started outside `threading` (by a compiled library) also rules out fork:
    the count is the system's where it gives one."""
    import ctypes
    import ctypes.util

    from qim_cli.cohort.batch import _threads

    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        pytest.skip("the system gives no thread count")
    before, python_sees = _threads(), threading.active_count()
    assert before == sum(1 for _ in tasks.iterdir()) >= python_sees
    ids_before = {p.name for p in tasks.iterdir()}
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    # a thread unknown to Python: pthread_create running usleep(60 s), cancelled once
    # counted (usleep is a cancellation point), so a loaded machine cannot end it early
    usleep = ctypes.cast(libc.usleep, ctypes.c_void_p)
    thread = ctypes.c_ulong()
    assert libc.pthread_create(ctypes.byref(thread), None, usleep, ctypes.c_void_p(60_000_000)) == 0
    try:
        ids_now = {p.name for p in tasks.iterdir()}
        assert len(ids_now - ids_before) >= 1  # the new thread is there
        assert _threads() == len(ids_now)      # and qim counts it
        assert threading.active_count() == python_sees  # Python does not see it
    finally:
        libc.pthread_cancel(thread)
        libc.pthread_join(thread, None)


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
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "support" / "hostile" / "stuck_qim.py"),
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


# ---------------------------------------------------------------- 3. no input overwritten


def _linked(kind: str, target: Path, where: Path) -> Path:
    """The path an output is given as: the input itself, a symbolic or a hard link to it,
    or the input spelt another way."""
    if kind == "same":
        return target
    if kind == "spelt":
        return target.parent / "." / ".." / target.parent.name / target.name
    link = where / f"{kind}.out"
    if kind == "symlink":
        link.symlink_to(target)
    else:
        os.link(target, link)
    return link


def _refusal(out: Path, target: Path) -> str:
    what = "one of the inputs" if str(out) == str(target) else f"the same file as the input {target}"
    return f"{out}: is {what}; choose another output file (--force never replaces an input)\n"


@pytest.mark.parametrize("kind", ["same", "spelt", "symlink", "hardlink"])
@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "table"])
def test_report_never_writes_over_its_answer_sheet(tmp_path, kind, fmt):
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    out = _linked(kind, sheet_path, tmp_path)
    for force in ([], ["--force"]):  # --force replaces an earlier output, never an input
        result = runner.invoke(app, ["report", str(sheet_path), "--format", fmt, "-o", str(out), *force])
        assert result.exit_code == 73
        assert result.stderr == _refusal(out, sheet_path)
        assert result.stdout == ""
    assert sheet_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file


def test_report_never_writes_over_a_colleagues_rating_in_a_360_folder(tmp_path):
    folder = tmp_path / "360"
    import shutil

    shutil.copytree(ROOT / "examples" / "360", folder)
    peer = folder / "rn-ward7-peer-p1.toml"
    before = peer.read_bytes()
    result = runner.invoke(app, ["report", str(folder), "-f", "json", "-o", str(peer), "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(peer, peer)
    assert peer.read_bytes() == before


def test_report_from_standard_input_never_writes_over_the_redirected_file(tmp_path):
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    with sheet_path.open("rb") as stdin:  # qim report - -o s.toml --force < s.toml
        result = qim("report", "-", "-f", "json", "-o", str(sheet_path), "--force", stdin=stdin)
    assert result.returncode == 73
    assert result.stderr == (f"{sheet_path}: is the same file as the input standard input; choose "
                             "another output file (--force never replaces an input)\n")
    assert sheet_path.read_bytes() == before


@pytest.mark.parametrize("command", [["report"], ["score"], ["cohort", "--format", "json"]])
def test_standard_output_appended_to_an_input_is_refused(tmp_path, command):
    """`qim report s.toml >> s.toml` would append the report to the answer sheet."""
    sheet_path = sheet(tmp_path, "s.toml", "rn-ward7")
    before = sheet_path.read_bytes()
    with sheet_path.open("ab") as stdout:
        proc = subprocess.run([sys.executable, "-m", "qim_cli", *command, str(sheet_path)],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 73
    assert proc.stderr == (f"standard output is {sheet_path}, one of the inputs; write the "
                           "output to another file (qim never writes over an input)\n")
    assert sheet_path.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["score", "cohort", "pair"])
def test_a_batch_never_writes_over_one_of_its_sheets(tmp_path, kind, command):
    folder = tmp_path / "batch"
    (folder / "deep").mkdir(parents=True)
    for i in range(3):
        sheet(folder, f"s{i}.toml", f"p{i}")
    target = sheet(folder / "deep", "z.toml", "deep")
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, [command, str(folder), "-o", str(out), "--force", "--format", "json"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)  # refused before any sheet is scored
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("side", ["before", "after"])
def test_a_programme_compare_never_writes_over_one_of_its_sheets(tmp_path, kind, side):
    folders = {name: tmp_path / name for name in ("before", "after")}
    for folder in folders.values():
        folder.mkdir()
        for j in range(3):
            sheet(folder, f"s{j}.toml", f"p{j}")
    target = folders[side] / "s1.toml"
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, ["compare-cohort", str(folders["before"]), str(folders["after"]),
                                 "-f", "json", "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)
    assert target.read_bytes() == before


@pytest.mark.parametrize("kind", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("side", [0, 1])
def test_a_person_compare_never_writes_over_one_of_its_sheets(tmp_path, kind, side):
    sheets = [sheet(tmp_path, f"{year}.toml", "p1") for year in (2025, 2026)]
    target = sheets[side]
    before = target.read_bytes()
    out = _linked(kind, target, tmp_path)
    result = runner.invoke(app, ["compare", *map(str, sheets), "-f", "html", "-o", str(out),
                                 "--force"])
    assert result.exit_code == 73
    assert result.stderr == _refusal(out, target)
    assert target.read_bytes() == before


@pytest.mark.parametrize("args", [["template"], ["template", "--rater", "peer", "--subject", "x"],
                                  ["report", str(NURSE)], ["score", str(NURSE)],
                                  ["cohort", str(NURSE)],
                                  ["compare-cohort", "--before", str(NURSE), "--after", str(NURSE)],
                                  ["compare", str(NURSE), str(NURSE)],
                                  ["export", "redcap"], ["form"]])
def test_no_command_writes_over_a_file_of_the_profile_set(tmp_path, args):
    import shutil

    from qim_cli.framework.profiles import bundled_profiles_dir

    dest = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), dest)
    for name in ("framework.toml", "rules.toml", "alignment.toml"):
        target = dest / name
        before = target.read_bytes()
        result = runner.invoke(app, [*args, "--profiles", str(dest), "-o", str(target), "--force"])
        assert result.exit_code == 73, result.stderr
        assert result.stderr == _refusal(target, target)
        assert target.read_bytes() == before


def test_an_import_never_writes_a_sheet_over_its_column_map(tmp_path):
    """A respondent whose sheet would take the name of the --map file kept in the output folder."""
    out = tmp_path / "returned"
    out.mkdir()
    column_map = out / "qim-037.toml"  # the first respondent of the export is qim-037
    column_map.write_text('[columns]\n"Timestamp" = "ignore"\n')
    export = ROOT / "examples" / "exports" / "google-forms.csv"
    result = runner.invoke(app, ["import", str(export), "--out", str(out), "--map", str(column_map),
                                 "--force"])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[0] == (
        f"{export}: row 2: {column_map}: is one of the inputs; choose another output file "
        "(--force never replaces an input)")
    assert column_map.read_text() == '[columns]\n"Timestamp" = "ignore"\n'
    assert len(result.stdout.splitlines()) == 11  # every other respondent is written


QUESTIONS_AND_DETAILS = ["rn-ward7", "Aroha Ngata", "1", "1", "3", "2"]


def test_the_self_check_never_writes_its_sheet_over_its_own_draft(tmp_path):
    from qim_cli.framework.profiles import load_profiles

    prof = load_profiles()
    questions = len(prof.items) + len(prof.competencies) + len(prof.context_items)
    first = runner.invoke(app, ["assess", "--interactive"],
                          input="\n".join(QUESTIONS_AND_DETAILS + ["3", "", "", "q"]) + "\n")
    assert first.exit_code == 75, first.stderr  # saved, not finished
    state = Path(os.environ["QIM_STATE_DIR"])
    (draft,) = [p for p in state.rglob("*.json")]
    answers = "\n".join(["3"] * questions) + "\n"
    result = runner.invoke(app, ["assess", "--interactive", "--resume", "rn-ward7", "--out", str(draft),
                                 "--force"], input=answers)
    assert result.exit_code == 73
    def bare(text: str) -> str:  # messages are wrapped to the terminal, paths at a "/" too
        return "".join(text.split())

    after = bare(result.stderr).split(bare(_refusal(draft, draft)), 1)[1]  # after the last prompt
    assert after == bare("Your answers are kept in the draft. Finish with another file: "
                         "qim assess --resume rn-ward7 --out OTHER.toml")  # no --force: refused
    assert draft.exists()
    out = tmp_path / "done.toml"
    done = runner.invoke(app, ["assess", "--interactive", "--resume", "rn-ward7", "--out", str(out)],
                         input="")
    assert done.exit_code == 0, done.stderr
    assert runner.invoke(app, ["validate", "--complete", str(out)]).exit_code == 0


def _writing_commands() -> dict[str, str]:
    """Every command (at any depth) that takes an output file option, and that option."""
    import typer

    def walk(cmd, prefix: str):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, f"{prefix} {name}".strip())
        for param in getattr(cmd, "params", []):
            if any(o in ("-o", "--output", "--out") for o in getattr(param, "opts", [])):
                yield prefix, max(param.opts, key=len)

    return dict(walk(typer.main.get_command(app), ""))


def test_every_command_that_writes_files_is_checked_here():
    """A new command with -o joins the cases above, or this fails."""
    checked = {"report": "--output", "template": "--output", "score": "--output",
               "cohort": "--output", "compare": "--output", "compare-cohort": "--output",
               "assess": "--out",
               "export redcap": "--output", "import": "--out", "form": "--output",
               "pair": "--output"}
    assert _writing_commands() == checked


@pytest.mark.parametrize("command", [["report", str(NURSE)], ["template"], ["score", str(NURSE)],
                                     ["cohort", str(NURSE)]])
def test_an_output_that_is_a_folder_or_in_a_missing_folder_cannot_be_written(tmp_path, command):
    result = runner.invoke(app, [*command, "-o", str(tmp_path)])
    assert result.exit_code == 73
    assert result.stderr == f"{tmp_path}: is a directory, not a file\n"
    missing = tmp_path / "no" / "such.out"
    result = runner.invoke(app, [*command, "-o", str(missing)])
    assert result.exit_code == 73
    assert result.stderr == f"{missing}: folder {missing.parent} does not exist\n"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 5. no partial output


class _FullDisk(io.RawIOBase):
    """A file on a disk with `room` bytes left: the write that does not fit fails with
    ENOSPC, as it would on a full disk (or a quota), after the bytes before it went out."""

    def __init__(self, fd: int, room: int) -> None:
        self.fd, self.room = fd, room

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data) -> int:  # type: ignore[override]
        import errno

        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return os.write(self.fd, data)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file qim opens for writing gets `room[0]` bytes before the disk is full."""
    import qim_cli.fileio

    room = [0]

    def fdopen(fd, mode="r", *args, encoding=None, newline=None, **kwargs):
        raw = io.BufferedWriter(_FullDisk(fd, room[0]))
        return raw if "b" in mode else io.TextIOWrapper(raw, encoding=encoding, newline=newline)

    monkeypatch.setattr(qim_cli.fileio.os, "fdopen", fdopen)
    return room


WRITES = {
    "report json": ["report", str(NURSE), "-f", "json"],
    "report html": ["report", str(NURSE), "-f", "html"],
    "template": ["template"],
    "score csv": ["score", str(COHORT)],
    "cohort markdown": ["cohort", str(COHORT), "-f", "markdown"],
}


@pytest.mark.parametrize("room", [0, 4000])
@pytest.mark.parametrize("what", sorted(WRITES))
def test_a_full_disk_keeps_the_earlier_output_and_says_so(tmp_path, full_disk, what, room):
    out = tmp_path / "out.txt"
    out.write_text("last week's output\n")
    full_disk[0] = room  # nothing fits, or the disk fills up part of the way through
    result = runner.invoke(app, [*WRITES[what], "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[-1] == (
        f"{out}: cannot write (No space left on device); the existing {out} is unchanged")
    assert out.read_text() == "last week's output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temp file left


def test_a_full_disk_leaves_no_new_file_behind(tmp_path, full_disk):
    out = tmp_path / "scores.csv"
    full_disk[0] = 3000
    result = runner.invoke(app, ["score", str(COHORT), "-o", str(out)])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[-1] == (
        f"{out}: cannot write (No space left on device); no {out} was written")
    assert list(tmp_path.iterdir()) == []


def test_a_lost_write_is_caught_when_the_data_is_synced(tmp_path, monkeypatch):
    """Some file systems (NFS, a failing disk) report a write as lost only at fsync."""
    import errno

    out = tmp_path / "report.json"
    out.write_text("{}\n")

    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    result = runner.invoke(app, ["report", str(NURSE), "-f", "json", "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr == f"{out}: cannot write (Input/output error); the existing {out} is unchanged\n"
    assert out.read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_folder_without_write_permission_cannot_be_written(tmp_path, monkeypatch):
    import errno
    import tempfile

    def refuse(*args, **kwargs):  # as root, chmod would not stop the write
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(NURSE), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 73
    assert result.stderr == f"{out}: cannot write (Permission denied)\n"
    assert not out.exists()


@pytest.mark.parametrize("command", [["report", str(NURSE)], ["score", str(COHORT)],
                                     ["validate", str(NURSE)], ["framework", "--format", "json"],
                                     ["schema", "answers"], ["template"]])
def test_a_full_disk_behind_standard_output_is_said_once(command):
    with Path("/dev/full").open("w") as full:  # every write to it fails with ENOSPC
        proc = subprocess.run([sys.executable, "-m", "qim_cli", *command], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 73
    assert proc.stderr.splitlines()[-1] == "standard output: cannot write (No space left on device)"
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_sigterm_during_score_keeps_the_earlier_output(tmp_path):
    """SIGTERM while `qim score -o` writes: the earlier file stays whole, no temp file is left."""
    import signal
    import time

    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(4):
        sheet(folder, f"s{i}.toml", f"p{i}")
    sheet(folder, "zzz-stuck.toml", "stuck")
    out = tmp_path / "scores.csv"
    out.write_text("last week's scores\n")
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "support" / "hostile" / "stuck_qim.py"),
                             str(ready), "score", str(folder), "-o", str(out), "--force", "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + HANG_GUARD
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "qim never started"
            time.sleep(0.02)
        assert len(list(tmp_path.glob(".scores.csv.*.tmp"))) == 1  # rows are being written
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=HANG_GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert stderr.splitlines()[-1] == "qim: interrupted"
    assert out.read_text() == "last week's scores\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch", "ready", "scores.csv"]


# ---------------------------------------------------------------- outputs that are not files


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


# ---------------------------------------------------------------- standard input (-)


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


def test_on_a_terminal_standard_input_says_it_is_waiting_for_the_sheet():
    """A person who typed `qim validate -` sees why nothing happens, and can paste the sheet."""
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "qim_cli", "validate", "-"], encoding="utf-8",
                          timeout=HANG_GUARD, env={**os.environ, "NO_COLOR": "1"})
    try:
        child.expect_exact("qim: reading an answer sheet from the terminal; end it with Ctrl-D "
                           "(or name the file instead of -)")
        for line in NURSE.read_text().splitlines():
            child.sendline(line)
        child.sendeof()
        child.expect_exact("<stdin>: valid (rn-ward7, clinical")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
