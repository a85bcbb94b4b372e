#!/usr/bin/env python3
"""Wall time and peak memory of `qim score` on 1,000 and 10,000 generated sheets.

    .venv/bin/python benchmarks/score_scale.py                       # 1,000 and 10,000; --jobs 1 and 2
    .venv/bin/python benchmarks/score_scale.py --sizes 1000 --jobs 1 2 4

Run it with the Python of the environment qim is installed in (it needs qim_cli and
tomli-w to generate the sheets). Sheets come from examples/generate_cohort.py (seed 7)
in a temporary folder, and `qim score DIR --format csv -o FILE --jobs J` is timed.
For each run it reports the wall time (start-up and profile loading included), the
peak RSS of the largest process and of all processes together (the kernel's VmHWM,
see benchmarks/measure.py), and the CSV's data rows, which must equal the sheets.
benchmarks/run.py is the full suite, with ratios against baselines.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_cohort import generate  # noqa: E402
from measure import measure, qim_command  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    qim = qim_command()
    print(f"qim: {qim}; cores: {len(os.sched_getaffinity(0))}; python {sys.version.split()[0]}")
    print("| sheets | --jobs | wall (s) | peak RSS, largest process (MiB) | "
          "peak RSS, all processes (MiB) | CSV rows |")
    print("|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="qim-bench-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"sheets-{n}"
            generate(n, folder, args.seed)
            for jobs in args.jobs:
                out = Path(tmp) / f"scores-{n}-{jobs}.csv"
                r = measure([qim, "score", str(folder), "--format", "csv", "-o", str(out),
                             "--force", "--jobs", str(jobs)])
                with out.open(newline="", encoding="utf-8") as fh:
                    rows = sum(1 for _ in csv.reader(fh)) - 1
                print(f"| {n:,} | {jobs} | {r['wall']:.1f} | {r['max_rss']:.0f} | "
                      f"{r['tree_rss']:.0f} | {rows:,} |", flush=True)
                if rows != n:
                    print(f"score_scale: expected {n} rows, got {rows}", file=sys.stderr)
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
