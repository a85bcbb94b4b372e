#!/usr/bin/env python3
"""qim's benchmark suite: every figure is a ratio against a baseline measured in the same run.

    .venv/bin/python benchmarks/run.py                     # 10,000 and 100,000 sheets (about 10 min)
    .venv/bin/python benchmarks/run.py --sizes 2000 20000  # quicker
    .venv/bin/python benchmarks/run.py --write             # also rewrite BENCHMARKS.md

Run it with the Python of the environment qim is installed in. It measures:

1. Start-up: `qim --version` against `python -c "import typer"`, and `qim --help`
   against `python -c "import typer.rich_utils"` (median of interleaved runs), plus
   `python -X importtime` evidence of what `qim --help` imports.
2. Batch scoring against the parsing floor (benchmarks/parse_floor.py, which only
   tomllib-parses the same files): `qim score DIR --format csv` with --jobs 1 and 2.
3. Memory: peak RSS of `qim score` (csv and jsonl) at the largest size against the smallest.
4. `qim cohort` on the largest size: time and memory.

Sheets come from examples/generate_cohort.py (seed 7) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_cohort import generate  # noqa: E402
from measure import measure, qim_command  # noqa: E402


def quick(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def startup(qim: str, repeat: int) -> list[str]:
    py = sys.executable
    pairs = [
        ("`qim --version`", [qim, "--version"], '`python -c "import typer"`', [py, "-c", "import typer"]),
        ("`qim --help`", [qim, "--help"], '`python -c "import typer.rich_utils"`',
         [py, "-c", "import typer.rich_utils"]),
    ]
    lines = ["| command | median (ms) | baseline | median (ms) | ratio | goal |",
             "|---|---:|---|---:|---:|---:|"]
    for name, cmd, base_name, base in pairs:
        quick(cmd), quick(base)  # warm the file cache
        ours, theirs = [], []
        for _ in range(repeat):  # interleaved, so drift hits both alike
            ours.append(quick(cmd))
            theirs.append(quick(base))
        a, b = statistics.median(ours), statistics.median(theirs)
        lines.append(f"| {name} | {a * 1000:.0f} | {base_name} | {b * 1000:.0f} | {a / b:.2f}× | ≤ 1.2× |")
    out = subprocess.run([py, "-X", "importtime", "-m", "qim_cli", "--help"],
                         capture_output=True, text=True, check=True).stderr
    mods = [line.split("|")[-1].strip() for line in out.splitlines() if "|" in line]
    heavy = [m for m in ("pydantic", "jinja2", "rich", "qim_cli.framework.models",
                         "qim_cli.assessment.scoring", "qim_cli.assessment.rules", "multiprocessing")
             if m in mods]
    total = [line for line in out.splitlines() if line.rstrip().endswith("| qim_cli.cli.app")]
    lines.append("")
    lines.append("`python -X importtime -m qim_cli --help`: " + (
        f"cumulative import of qim_cli.cli.app {total[-1].split('|')[1].strip()} µs; " if total else "")
        + ("imports none of pydantic, jinja2, rich, the scoring core or multiprocessing."
           if not heavy else f"also imports: {', '.join(heavy)}."))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000],
                        metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=15, help="start-up runs per command")
    parser.add_argument("--batch-repeat", type=int, default=3,
                        help="rounds of batch runs at the smaller size (best of)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md")
    args = parser.parse_args(argv)
    qim = qim_command()
    small, large = args.sizes
    report: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    say("# Benchmarks")
    say()
    say(f"Measured {time.strftime('%Y-%m-%d')} by `benchmarks/run.py --sizes {small} {large}` "
        f"on {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}. "
        "Every figure is compared with a baseline measured in the same run, because these "
        "machines are noisy.")
    say()
    say("Reproduce: `.venv/bin/python benchmarks/run.py` (add `--write` to rewrite this file).")
    say()
    say("## Start-up")
    say()
    for line in startup(qim, args.repeat):
        say(line)

    with tempfile.TemporaryDirectory(prefix="qim-bench-") as tmp:
        folders = {}
        for n in (small, large):
            folders[n] = Path(tmp) / f"sheets-{n}"
            t = time.perf_counter()
            generate(n, folders[n], args.seed)
            print(f"(generated {n:,} sheets in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
        say()
        say("## Batch scoring against the parsing floor")
        say()
        say("Floor: `benchmarks/parse_floor.py DIR`, which only `tomllib`-parses the same files in "
            "one process. `qim score DIR --format csv -o FILE` also validates, scores, runs every "
            "rule and writes the CSV.")
        say()
        say("| sheets | run | wall (s) | vs floor | peak RSS, largest process (MiB) | "
            "peak RSS, all processes (MiB) |")
        say("|---:|---|---:|---:|---:|---:|")
        rss: dict[tuple[int, str], float] = {}
        runs = [("parse floor", [sys.executable, str(ROOT / "benchmarks" / "parse_floor.py")], None)]
        runs += [(f"score --format {fmt} --jobs {jobs}",
                  [qim, "score", "--format", fmt, "--force", "--jobs", str(jobs)], fmt)
                 for fmt, jobs in (("csv", 1), ("csv", 2), ("jsonl", 1))]
        for n in (small, large):
            rounds = args.batch_repeat if n == small else 1
            best: dict[str, dict[str, float]] = {}
            for _ in range(rounds):  # whole rounds, interleaved, so drift hits every run alike
                for label, cmd, fmt in runs:
                    if fmt is None:
                        r = measure([*cmd, str(folders[n])])
                    else:
                        out = Path(tmp) / f"out-{n}.{fmt}"
                        r = measure([*cmd, str(folders[n]), "-o", str(out)])
                        lines = sum(1 for _ in out.open(encoding="utf-8")) - (1 if fmt == "csv" else 0)
                        if lines != n:
                            sys.exit(f"benchmark: {out} has {lines} records, expected {n}")
                    if label not in best or r["wall"] < best[label]["wall"]:
                        best[label] = r
            floor = best["parse floor"]
            for label, _cmd, fmt in runs:
                r = best[label]
                if fmt is not None:
                    rss[(n, label)] = r["max_rss"]
                say(f"| {n:,} | {label} | {r['wall']:.1f} | {r['wall'] / floor['wall']:.2f}× | "
                    f"{r['max_rss']:.0f} | {r['tree_rss']:.0f} |")
        say()
        say(f"Wall times are the best of {args.batch_repeat} interleaved rounds at {small:,} "
            f"sheets and of one round at {large:,}.")
        say()
        say("Goals: one job within 1.5× of the floor; `--jobs 2` on 2 cores faster than the floor.")
        say()
        say("## Memory: largest against smallest batch")
        say()
        say("| output (--jobs 1) | peak RSS at "
            f"{small:,} (MiB) | at {large:,} (MiB) | ratio | goal |")
        say("|---|---:|---:|---:|---:|")
        for fmt in ("csv", "jsonl"):
            key = f"score --format {fmt} --jobs 1"
            a, b = rss[(small, key)], rss[(large, key)]
            say(f"| {fmt} | {a:.0f} | {b:.0f} | {b / a:.2f}× | ≤ 1.2× |")
        say()
        say(f"## Cohort on {large:,} sheets")
        say()
        say("| run | wall (s) | vs floor | peak RSS, largest process (MiB) | "
            "peak RSS, all processes (MiB) |")
        say("|---|---:|---:|---:|---:|")
        floor = measure([sys.executable, str(ROOT / "benchmarks" / "parse_floor.py"), str(folders[large])])
        say(f"| parse floor | {floor['wall']:.1f} | 1.00× | {floor['max_rss']:.0f} | "
            f"{floor['tree_rss']:.0f} |")
        for jobs in (1, 2):
            r = measure([qim, "cohort", str(folders[large]), "--format", "json", "--jobs", str(jobs)])
            say(f"| cohort --format json --jobs {jobs} | {r['wall']:.1f} | "
                f"{r['wall'] / floor['wall']:.2f}× | {r['max_rss']:.0f} | {r['tree_rss']:.0f} |")
    if args.write:
        (ROOT / "BENCHMARKS.md").write_text("\n".join(report) + "\n", encoding="utf-8")
        print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
