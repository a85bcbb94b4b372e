"""Measuring a command: wall time and peak memory (shared by the benchmark scripts)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

MIB = 1024 * 1024


def qim_command() -> str:
    """The qim next to this Python (the environment it is installed in), else on PATH."""
    here = Path(sys.executable).parent / "qim"
    found = str(here) if here.exists() else shutil.which("qim")
    if not found:
        sys.exit("benchmark: qim is not installed next to this Python or on PATH")
    return found


def _tree_hwm(root: int) -> tuple[int, int]:
    """(largest VmHWM of one process, sum of VmHWM) over a process and its children, in bytes.

    VmHWM is the kernel's own peak-RSS mark for a process since it exec'd, so unlike
    ru_maxrss it does not inherit the benchmark's memory across fork + exec."""
    pids = [root]
    try:
        for task in Path(f"/proc/{root}/task").iterdir():
            children = (task / "children").read_text().split()
            pids.extend(int(c) for c in children)
    except OSError:
        pass
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) * 1024)
        except OSError:
            continue
    return (max(peaks), sum(peaks)) if peaks else (0, 0)


def measure(cmd: list[str], *, stdout=subprocess.DEVNULL) -> dict[str, float]:
    """Wall time; the peak RSS of the largest single process (VmHWM, sampled every 20 ms
    until it exits) and of the whole process tree (the sum of the processes' VmHWM)."""
    peak = [0]
    one = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            largest, total = _tree_hwm(proc.pid)
            one[0] = max(one[0], largest)
            peak[0] = max(peak[0], total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # wait without reaping, so the last VmHWM sample sees the process at its end
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    done.set()
    sampler.join()
    largest, total = _tree_hwm(proc.pid)
    one[0], peak[0] = max(one[0], largest), max(peak[0], total)
    _, status, _usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if code != 0:
        sys.exit(f"benchmark: {' '.join(cmd)} exited {code}\n{err[-2000:]}")
    return {"wall": wall, "max_rss": one[0] / MIB, "tree_rss": peak[0] / MIB}


def instructions(cmd: list[str]) -> int | None:
    """The instructions a command executes, counted by valgrind's callgrind: the same count
    whatever else the machine is doing. None when valgrind is not installed."""
    import re
    import tempfile

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory(prefix="qim-callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        done = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"benchmark: valgrind {' '.join(cmd)} exited {done.returncode}\n"
                     f"{done.stderr[-2000:]}")
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None
