#!/usr/bin/env python3
"""qim's benchmark suite: every figure is a ratio against a baseline measured in the same run.

    .venv/bin/python benchmarks/run.py                     # 10,000 and 100,000 sheets (about 15 min)
    .venv/bin/python benchmarks/run.py --sizes 2000 20000  # quicker
    .venv/bin/python benchmarks/run.py --write             # also rewrite BENCHMARKS.md

Run it with the Python of the environment qim is installed in. It measures:

1. Start-up: `qim --version` against `python -c "import typer"`, `qim --help` and
   `qim report FILE` (one sheet, the terminal table) against
   `python -c "import typer.rich_utils"`, in interleaved runs, plus `python -X importtime`
   evidence of what `qim --help` imports. `qim report` is also set against its floor
   (benchmarks/floor_app.py: Typer, pydantic and Rich doing the least a command that reads
   a sheet can do), in wall time and, with valgrind, in instructions.
2. Batch scoring against three floors on the same files (benchmarks/parse_floor.py):
   reading them only, reading and parsing them with rtoml (the compiled parser qim
   uses) and with tomllib (the standard library's). `qim score DIR --format csv` with
   --jobs 1 and 2, and JSON lines, in whole rounds interleaved with the floors, best of
   --rounds.
3. `qim cohort` on the larger size against the same floors, and peak memory (RSS) of
   `qim score` and `qim cohort` at the larger size against the smaller.
4. How loaded the machine was: the load average before and after, and how far the
   same command's wall time spread between rounds.

Sheets come from examples/generate_cohort.py (seed 7) in a temporary folder. qim's
modules are byte-compiled first, as an installed wheel is.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
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
from measure import instructions, measure, qim_command  # noqa: E402

FLOOR = str(ROOT / "benchmarks" / "parse_floor.py")
FLOOR_APP = str(ROOT / "benchmarks" / "floor_app.py")
REPORT_SHEET = ROOT / "examples" / "nurse-early-career.toml"


def quick(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def startup(qim: str, repeat: int, count: bool = True) -> tuple[list[str], float]:
    """The start-up table, and the ratio of `qim report` to its baseline."""
    py = sys.executable
    rich_utils = [py, "-c", "import typer.rich_utils"]
    floor = [py, FLOOR_APP, "report", str(REPORT_SHEET)]
    pairs: list[tuple[str, list[str], str, list[str], float | None]] = [
        ("`qim --version`", [qim, "--version"], '`python -c "import typer"`',
         [py, "-c", "import typer"], 1.2),
        ("`qim --help`", [qim, "--help"], '`python -c "import typer.rich_utils"`', rich_utils, 1.2),
        ("`qim report FILE` (one sheet, table)", [qim, "report", str(REPORT_SHEET)],
         '`python -c "import typer.rich_utils"`', rich_utils, 1.5),
        ("the floor: `benchmarks/floor_app.py report FILE`", floor,
         '`python -c "import typer.rich_utils"`', rich_utils, None),
        ("`qim report FILE` (one sheet, table)", [qim, "report", str(REPORT_SHEET)],
         "the floor", floor, None),
    ]
    lines = ["| command | best (ms) | median (ms) | baseline | best (ms) | median (ms) | "
             "ratio of bests | ratio of medians | goal |",
             "|---|---:|---:|---|---:|---:|---:|---:|---|"]
    report_ratio = 0.0
    for name, cmd, base_name, base, goal in pairs:
        quick(cmd), quick(base)  # warm the file cache
        ours, theirs = [], []
        for _ in range(repeat):  # interleaved, so drift hits both alike
            ours.append(quick(cmd))
            theirs.append(quick(base))
        best = min(ours) / min(theirs)
        med = statistics.median(ours) / statistics.median(theirs)
        if goal == 1.5:
            report_ratio = best
        verdict = "for information" if goal is None else f"≤ {goal}×: {mark(best <= goal)}"
        lines.append(
            f"| {name} | {min(ours) * 1000:.0f} | {statistics.median(ours) * 1000:.0f} | {base_name} | "
            f"{min(theirs) * 1000:.0f} | {statistics.median(theirs) * 1000:.0f} | {best:.2f}× | "
            f"{med:.2f}× | {verdict} |")
    out = subprocess.run([py, "-X", "importtime", "-m", "qim_cli", "--help"],
                         capture_output=True, text=True, check=True).stderr
    mods = [line.split("|")[-1].strip() for line in out.splitlines() if "|" in line]
    heavy = [m for m in ("pydantic", "jinja2", "rich", "rtoml", "qim_cli.framework.models",
                         "qim_cli.assessment.scoring", "qim_cli.assessment.rules", "multiprocessing")
             if m in mods]
    lines.append("")
    lines.append("`python -X importtime -m qim_cli --help` "
                 + ("imports none of pydantic, jinja2, rich, rtoml, the scoring core or "
                    "multiprocessing." if not heavy else f"also imports: {', '.join(heavy)}."))
    lines += ["", *floor_explained(qim, count)]
    return lines, report_ratio


def floor_explained(qim: str, count: bool) -> list[str]:
    """Where `qim report`'s start-up goes, in instructions (valgrind), which do not vary
    with the machine's load: the baseline, the floor of its packages, and qim."""
    py = sys.executable
    if not count:
        return ["Instruction counts: not measured (--no-instructions)."]
    runs = [('`python -c "import typer.rich_utils"` (the goal\'s baseline)',
             [py, "-c", "import typer.rich_utils"]),
            ("`benchmarks/floor_app.py report FILE` (the floor)",
             [py, FLOOR_APP, "report", str(REPORT_SHEET)]),
            ("`qim report FILE` (one sheet, table)", [qim, "report", str(REPORT_SHEET)])]
    counts = [(name, instructions(cmd)) for name, cmd in runs]
    if any(n is None for _, n in counts):
        return ["Instruction counts: not measured (valgrind is not installed)."]
    base = counts[0][1] or 1
    out = ["The floor is one Typer command with `qim report`'s options that reads the sheet, "
           "validates two of its fields with a small pydantic model and prints one line with "
           "Rich: what any qim command that reads a sheet costs before qim does its own work. "
           "Typer 0.29 and later builds a pydantic validator for each option, so pydantic is "
           "loaded by every such command. The same three commands in instructions "
           "(valgrind's callgrind), which do not change with the machine's load:",
           "",
           "| command | instructions (millions) | vs the baseline |",
           "|---|---:|---:|"]
    for name, n in counts:
        out.append(f"| {name} | {(n or 0) / 1e6:,.0f} | {(n or 0) / base:.2f}× |")
    return out


def floors() -> list[tuple[str, list[str], str | None]]:
    return [("read only (floor)", [sys.executable, FLOOR, "--parser", "none"], None),
            ("rtoml parse (floor)", [sys.executable, FLOOR, "--parser", "rtoml"], None),
            ("tomllib parse (floor)", [sys.executable, FLOOR, "--parser", "tomllib"], None)]


def run_rounds(runs: list[tuple[str, list[str], str | None]], folder: Path, tmp: Path, n: int,
               rounds: int) -> tuple[dict[str, dict[str, float]], dict[str, list[float]]]:
    """Whole rounds of every run, interleaved: the best wall time of each (with the peak
    RSS of that run and the largest seen), and every wall time."""
    best: dict[str, dict[str, float]] = {}
    walls: dict[str, list[float]] = {}
    for _ in range(rounds):
        for label, cmd, out_kind in runs:
            if out_kind is None:
                r = measure([*cmd, str(folder)])
            else:
                out = tmp / f"out-{n}.{out_kind}"
                r = measure([*cmd, str(folder), "-o", str(out), "--force"])
                if out_kind in ("csv", "jsonl"):
                    lines = sum(1 for _ in out.open(encoding="utf-8")) - (out_kind == "csv")
                    if lines != n:
                        sys.exit(f"benchmark: {out} has {lines} records, expected {n}")
            walls.setdefault(label, []).append(r["wall"])
            prev = best.get(label)
            if prev is None or r["wall"] < prev["wall"]:
                best[label] = {**r, "max_rss": max(r["max_rss"], prev["max_rss"] if prev else 0),
                               "tree_rss": max(r["tree_rss"], prev["tree_rss"] if prev else 0)}
            else:
                prev["max_rss"] = max(prev["max_rss"], r["max_rss"])
                prev["tree_rss"] = max(prev["tree_rss"], r["tree_rss"])
    return best, walls


def batch_table(n: int, best: dict[str, dict[str, float]], labels: list[str]) -> list[str]:
    tl, rt = best["tomllib parse (floor)"]["wall"], best["rtoml parse (floor)"]["wall"]
    lines = ["| sheets | run | wall (s) | vs tomllib floor | vs rtoml floor | "
             "peak RSS, largest process (MiB) | peak RSS, all processes (MiB) |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for label in labels:
        r = best[label]
        lines.append(f"| {n:,} | {label} | {r['wall']:.2f} | {r['wall'] / tl:.2f}× | "
                     f"{r['wall'] / rt:.2f}× | {r['max_rss']:.0f} | {r['tree_rss']:.0f} |")
    return lines


def spread(walls: dict[str, list[float]]) -> str:
    """How far the slowest round of a run was from its fastest, over every run."""
    spreads = [((max(w) / min(w) - 1), label) for label, w in walls.items() if len(w) > 1]
    if not spreads:
        return "not measured (one round)"
    worst = max(spreads)
    return f"{worst[0] * 100:.0f}% ({worst[1]})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000],
                        metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=15, help="start-up runs per command")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of batch runs at each size (best of)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--instructions", action=argparse.BooleanOptionalAction, default=True,
                        help="count the start-up's instructions with valgrind, when installed")
    parser.add_argument("--write", action="store_true", help="rewrite BENCHMARKS.md")
    parser.add_argument("--output", type=Path, help="write the report to this file")
    args = parser.parse_args(argv)
    qim = qim_command()
    small, large = args.sizes
    report: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    spec = importlib.util.find_spec("qim_cli")
    for where in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(where, quiet=1)  # as pip does when it installs the wheel
    load_before = os.getloadavg()
    started = time.time()
    say("# Benchmarks")
    say()
    say(f"Measured {time.strftime('%Y-%m-%d')} by `benchmarks/run.py --sizes {small} {large} "
        f"--rounds {args.rounds}` on {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}. "
        "Every figure is compared with a baseline measured in the same run, because these "
        "machines are shared and noisy.")
    say()
    say("Reproduce: `.venv/bin/python benchmarks/run.py` (add `--write` to rewrite this file).")
    say()
    say("## Start-up")
    say()
    lines, report_ratio = startup(qim, args.repeat, args.instructions)
    for line in lines:
        say(line)

    goals: list[tuple[str, bool, str]] = []
    with tempfile.TemporaryDirectory(prefix="qim-bench-") as tmpname:
        tmp = Path(tmpname)
        folders = {}
        for n in (small, large):
            folders[n] = tmp / f"sheets-{n}"
            t = time.perf_counter()
            generate(n, folders[n], args.seed)
            print(f"(generated {n:,} sheets in {time.perf_counter() - t:.0f} s)", file=sys.stderr)
        score = [(f"score --format {fmt} --jobs {jobs}",
                  [qim, "score", "--format", fmt, "--jobs", str(jobs)], fmt)
                 for fmt, jobs in (("csv", 1), ("csv", 2), ("jsonl", 1))]
        cohort = [(f"cohort --format json --jobs {jobs}",
                   [qim, "cohort", "--format", "json", "--jobs", str(jobs)], "json")
                  for jobs in (1, 2)]
        results = {}
        for n in (small, large):
            runs = floors() + score + cohort
            results[n] = run_rounds(runs, folders[n], tmp, n, args.rounds)
        say()
        say("## Batch scoring against the floors")
        say()
        say("Floors (benchmarks/parse_floor.py, one process): reading the files only, reading "
            "and parsing them with rtoml (the compiled parser qim uses), and with `tomllib` "
            "(the standard library's). `qim score DIR --format csv -o FILE` also validates, "
            "scores, runs every rule and writes the CSV; `qim cohort` also adds up the "
            "statistics, reliability, the organisation's view and the programme proposal.")
        say()
        for n in (small, large):
            best, _walls = results[n]
            for line in batch_table(n, best, [label for label, _, _ in floors() + score + cohort]):
                say(line)
            say()
        say(f"Wall times are the best of {args.rounds} interleaved rounds at each size; the "
            "peak RSS is the largest seen in any round.")
        say()
        best_s, _ = results[small]
        best_l, _ = results[large]
        tl_s, rt_s = best_s["tomllib parse (floor)"]["wall"], best_s["rtoml parse (floor)"]["wall"]
        j1 = best_s["score --format csv --jobs 1"]["wall"]
        j2 = best_s["score --format csv --jobs 2"]["wall"]
        tl_l = best_l["tomllib parse (floor)"]["wall"]
        c1 = best_l["cohort --format json --jobs 1"]["wall"]
        goals.append((f"`qim score --jobs 1`, {small:,} sheets: ≤ 0.5× the tomllib floor",
                      j1 / tl_s <= 0.5, f"{j1 / tl_s:.2f}×"))
        goals.append((f"`qim score --jobs 1`, {small:,} sheets: ≤ 4× the rtoml floor",
                      j1 / rt_s <= 4, f"{j1 / rt_s:.2f}×"))
        goals.append((f"`qim score --jobs 2`, {small:,} sheets: ≤ 0.35× the tomllib floor",
                      j2 / tl_s <= 0.35, f"{j2 / tl_s:.2f}×"))
        goals.append((f"`qim cohort --jobs 1`, {large:,} sheets: ≤ 0.8× the tomllib floor",
                      c1 / tl_l <= 0.8, f"{c1 / tl_l:.2f}×"))
        say("## Memory: largest against smallest batch")
        say()
        say(f"| run | peak RSS at {small:,} (MiB) | at {large:,} (MiB) | ratio | goal |")
        say("|---|---:|---:|---:|---|")
        for label in ("score --format csv --jobs 1", "score --format jsonl --jobs 1"):
            a, b = best_s[label]["max_rss"], best_l[label]["max_rss"]
            say(f"| {label} | {a:.0f} | {b:.0f} | {b / a:.2f}× | ≤ 1.2×: {mark(b / a <= 1.2)} |")
            goals.append((f"peak RSS of `{label}` at {large:,} within 1.2× of {small:,}",
                          b / a <= 1.2, f"{b / a:.2f}×"))
        label = "cohort --format json --jobs 1"
        a, b = best_s[label]["max_rss"], best_l[label]["max_rss"]
        say(f"| {label} | {a:.0f} | {b:.0f} | {b / a:.2f}× | none (for information) |")
        say()
        say("`qim score` keeps its rows in a temporary file until the batch is scored (only "
            "then is it known which respondents appear twice), so its memory does not grow "
            "with the batch. `qim cohort` keeps a few numbers per person (each id and the self "
            "scores, for 360° agreement), so its memory grows slowly with the cohort.")
        goals.append(("`qim report FILE` (table): ≤ 1.5× `import typer.rich_utils`",
                      report_ratio <= 1.5, f"{report_ratio:.2f}×"))
        say()
        say("## The goals")
        say()
        say("| goal | measured | |")
        say("|---|---:|---|")
        for text, ok, value in goals:
            say(f"| {text} | {value} | {mark(ok)} |")
        load_after = os.getloadavg()
        say()
        say("## How noisy the machine was")
        say()
        walls = {f"{n:,} {k}": v for n in (small, large) for k, v in results[n][1].items()}
        say(f"The run took {(time.time() - started) / 60:.0f} min. Load average (1, 5, 15 min) "
            f"before: {load_before[0]:.1f}, {load_before[1]:.1f}, {load_before[2]:.1f}; after: "
            f"{load_after[0]:.1f}, {load_after[1]:.1f}, {load_after[2]:.1f}, on "
            f"{os.cpu_count()} cores. The widest spread between the fastest and the slowest "
            f"round of one run: {spread(walls)}.")
    text = "\n".join(report) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if args.write:
        (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")
        print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
