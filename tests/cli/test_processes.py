"""Bounded processes: a batch never starts more workers than the cores qim may use, none
when there is one core or no process to spare, and forks only from a process without other
threads (those of compiled libraries count too)."""

from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path

import pytest
from support.commands import COHORT, qim
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


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
