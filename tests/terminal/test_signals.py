"""SIGTERM or SIGHUP while qim writes one output file: exit 130, and nothing left behind.

The output is caught at the one moment it exists only as its temporary file (written
whole, not yet named: tests/support/hostile/stuck_write.py), so the signal lands where a
default kill would leave a ``.NAME.*.tmp`` beside the user's files. And signals in the middle
of a batch: SIGTERM during `qim score` keeps the earlier output, SIGKILL of the batch or of
one of its workers never leaves a partial output nor a hang.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, signal_when_ready
from support.commands import HANG_GUARD, ROOT, sheet

COHORT = EXAMPLES / "cohort"

STUCK = Path(__file__).resolve().parents[1] / "support" / "hostile" / "stuck_write.py"
SHEET = "nurse-early-career.toml"

COMMANDS = {
    "report-html": ["report", SHEET, "--format", "html", "-o", "out.html"],
    "template": ["template", "--background", "clinical", "-o", "out.toml"],
    "form": ["form", "-o", "out.html"],
    "export-redcap": ["export", "redcap", "-o", "out.csv"],
}


def _stop_while_writing(folder: Path, args: list[str], sig: int) -> subprocess.CompletedProcess:
    def writing() -> None:
        assert [p.name for p in folder.glob(".out.*.tmp")], "the temp file should exist now"

    code, stderr = signal_when_ready(STUCK, folder.parent / "ready", args, sig, cwd=folder,
                                     check=writing)
    return subprocess.CompletedProcess(args, code, "", stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_signal_during_a_write_exits_130_and_leaves_no_temp_file(tmp_path: Path, command: str,
                                                                     sig: int):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / SHEET).write_bytes((EXAMPLES / SHEET).read_bytes())
    done = _stop_while_writing(folder, COMMANDS[command], sig)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "qim: interrupted"
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [SHEET]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_signal_during_a_forced_overwrite_keeps_the_earlier_file(tmp_path: Path):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / SHEET).write_bytes((EXAMPLES / SHEET).read_bytes())
    (folder / "out.toml").write_text("earlier\n", encoding="utf-8")
    done = _stop_while_writing(folder, ["template", "-o", "out.toml", "--force"], signal.SIGTERM)
    assert done.returncode == 130, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [SHEET, "out.toml"]
    assert (folder / "out.toml").read_text(encoding="utf-8") == "earlier\n"


def test_a_handler_the_caller_installed_is_left_alone():
    """Inside a batch or `qim assess`, their own SIGTERM handler stays in charge."""
    from qim_cli import fileio

    def mine(signum, frame):  # pragma: no cover - never called
        raise AssertionError

    before = signal.signal(signal.SIGTERM, mine)
    try:
        with fileio._termination_cleans_up():
            assert signal.getsignal(signal.SIGTERM) is mine
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)


_EARLY_SIGNAL = r'''
import os, signal, sys, time
from pathlib import Path
from qim_cli.cohort import batch
from qim_cli.framework.profiles import bundled_profiles_dir

marks = Path(sys.argv[1])

def interrupt(signum, frame):  # what `qim score` installs in the parent
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, interrupt)
with batch._signals_held():
    pid = os.fork()  # as the pool starts a worker
    if pid == 0:
        os.kill(os.getpid(), signal.SIGTERM)  # the pool's terminate(), before the initializer
        time.sleep(0.2)
        with marks.open("a") as fh:
            fh.write("held\n")
        batch._init_worker(str(bundled_profiles_dir()))
        with marks.open("a") as fh:
            fh.write("survived\n")
        os._exit(0)
_, status = os.waitpid(pid, 0)
print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}")
'''


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_a_worker_told_to_stop_before_its_handlers_are_set_still_stops(tmp_path: Path):
    """The pool's SIGTERM can reach a new worker while it still has the parent's handler.
    It is held back until the worker has put its own in place, then stops it: it is
    never caught by the parent's handler and dropped (which left `qim score --jobs 2`
    waiting for that worker forever)."""
    marks = tmp_path / "marks"
    done = subprocess.run([sys.executable, "-c", _EARLY_SIGNAL, str(marks)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(int(signal.SIGTERM)), done.stdout + done.stderr
    assert marks.read_text() == "held\n"


STUCK_READ = Path(__file__).resolve().parents[1] / "support" / "hostile" / "stuck_qim.py"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("to_file", [True, False], ids=["to-a-file", "to-stdout"])
@pytest.mark.parametrize("command", ["score", "cohort"])
def test_a_signal_in_the_middle_of_a_batch_exits_130(tmp_path: Path, sig: int, to_file: bool,
                                                     command: str):
    """SIGTERM or a closed terminal's SIGHUP while a batch is being scored (whether or not
    its output file is open yet): "qim: interrupted", exit 130, nothing left behind."""
    folder = tmp_path / "sheets"
    folder.mkdir()
    for src in sorted((EXAMPLES / "cohort").glob("*.toml"))[:3]:
        (folder / src.name).write_bytes(src.read_bytes())
    (folder / "zzz-stuck.toml").write_bytes(src.read_bytes())
    ready = tmp_path / "ready"
    args = [command, str(folder), "--jobs", "1"]
    if to_file:
        args += ["-o", str(tmp_path / "out.txt")]
    code, stderr = signal_when_ready(STUCK_READ, ready, args, sig)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == "qim: interrupted"
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets"]


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


def test_killed_batch_never_leaves_a_partial_output(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    text = (Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml").read_text()
    for i in range(3000):
        (folder / f"s{i:04d}.toml").write_text(text.replace('id = "rn-ward7"', f'id = "p{i}"'))
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "qim_cli", "score", str(folder), "-o", str(out),
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    # wait until it is writing (its temp file exists), then kill it without warning
    while time.monotonic() < deadline and not list(tmp_path.glob(".out.csv*")):
        time.sleep(0.02)
    assert list(tmp_path.glob(".out.csv*")), "qim score never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert not out.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_terminated_run_leaves_neither_output_nor_temp_file(tmp_path: Path, jobs: str):
    """SIGTERM in the middle of a batch: exit 130, workers stopped, nothing left behind.

    The last sheet's reading never ends (tests/support/hostile/stuck_qim.py), so the batch is
    stopped deterministically mid-way, after the earlier rows have been scored.
    """
    import signal

    folder = tmp_path / "sheets"
    folder.mkdir()
    for src in sorted(COHORT.glob("*.toml"))[:5]:
        shutil.copy(src, folder / src.name)
    shutil.copy(src, folder / "zzz-stuck.toml")
    out = tmp_path / "scores.csv"
    ready = tmp_path / "ready"
    stuck = Path(__file__).resolve().parents[1] / "support" / "hostile" / "stuck_qim.py"

    def writing() -> None:
        assert list(tmp_path.glob(".scores.csv.*.tmp"))  # it is writing

    code, stderr = signal_when_ready(stuck, ready, ["score", str(folder), "--jobs", jobs,
                                                    "-o", str(out)], signal.SIGTERM, check=writing)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == "qim: interrupted"
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheets"]
