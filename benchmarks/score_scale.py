#!/usr/bin/env python3
"""Wall time and peak memory of `qim score` on 1,000 and 10,000 generated sheets.

    python benchmarks/score_scale.py                       # 1,000 and 10,000; --jobs 1 and 2
    python benchmarks/score_scale.py --sizes 1000 --jobs 1 2 4

Run it with the Python of the environment qim is installed in (it needs qim_cli and
tomli-w to generate the sheets); `qim` is looked for next to that Python, then on PATH.
Sheets come from examples/generate_cohort.py (seed 7) in a temporary folder, and
`qim score DIR --format csv -o FILE --jobs J` is timed. For each run it reports:

* wall: elapsed seconds, start to exit (includes start-up and profile loading);
* max RSS, one process: the largest resident set of qim or any of its workers
  (ru_maxrss from wait4, as `/usr/bin/time -v` reports it);
* peak RSS, all processes: the largest sum over qim and its workers, sampled from
  /proc every 50 ms (Linux only; "n/a" elsewhere);
* rows: data rows in the CSV, which must equal the number of sheets.

Linux's ru_maxrss is in KiB.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

from generate_cohort import generate  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def qim_command() -> str:
    here = Path(sys.executable).parent / "qim"
    found = str(here) if here.exists() else shutil.which("qim")
    if not found:
        sys.exit("score_scale: qim is not installed next to this Python or on PATH")
    return found


def _tree_rss(root: int) -> int | None:
    """Resident bytes of a process and all its descendants, from /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    parents: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            pages = int((proc / str(pid) / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * PAGE
    return total


def run(qim: str, folder: Path, jobs: int, out: Path) -> dict[str, float | int | None]:
    cmd = [qim, "score", str(folder), "--format", "csv", "-o", str(out), "--force",
           "--jobs", str(jobs)]
    peak: list[int | None] = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss = _tree_rss(proc.pid)
            if rss is None:
                peak[0] = None
                return
            peak[0] = max(peak[0] or 0, rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"score_scale: {' '.join(cmd)} exited {proc.returncode}\n{stderr}")
    with out.open(newline="", encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    max_rss = usage.ru_maxrss * (1024 if sys.platform != "darwin" else 1)
    return {"wall": wall, "max_rss": max_rss, "tree_rss": peak[0], "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    qim = qim_command()
    mib = 1024 * 1024
    print(f"qim: {qim}; cores: {len(os.sched_getaffinity(0))}; python {sys.version.split()[0]}")
    print("| sheets | --jobs | wall (s) | max RSS, one process (MiB) | "
          "peak RSS, all processes (MiB) | CSV rows |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="qim-bench-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"sheets-{n}"
            generate(n, folder, args.seed)
            for jobs in args.jobs:
                r = run(qim, folder, jobs, Path(tmp) / f"scores-{n}-{jobs}.csv")
                tree = "n/a" if r["tree_rss"] is None else f"{r['tree_rss'] / mib:.0f}"
                print(f"| {n:,} | {jobs} | {r['wall']:.1f} | {r['max_rss'] / mib:.0f} | "
                      f"{tree} | {r['rows']:,} |", flush=True)
                if r["rows"] != n:
                    print(f"score_scale: expected {n} rows, got {r['rows']}", file=sys.stderr)
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
