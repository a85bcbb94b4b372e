"""The benchmark suite runs (on a small size): it measures, it does not judge here.

Timings depend on the machine and its load, so no figure is checked against a goal in
the test suite; BENCHMARKS.md records a full run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_suite_runs_on_a_small_size(tmp_path):
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "30", "60",
         "--repeat", "1", "--rounds", "1", "--no-instructions", "--output", str(out)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text()
    for heading in ("## Start-up", "## Batch scoring against the floors",
                    "## Memory: largest against smallest batch", "## The goals",
                    "## How noisy the machine was"):
        assert heading in text
    for run in ("read only (floor)", "rtoml parse (floor)", "tomllib parse (floor)",
                "score --format csv --jobs 1", "score --format csv --jobs 2",
                "cohort --format json --jobs 1"):
        assert len(re.findall(rf"\| (30|60) \| {re.escape(run)} \| \d+\.\d\d \|", text)) == 2, run
    # qim report beside its floor (Typer, pydantic and Rich doing the least they can)
    assert re.search(r"\| the floor: `benchmarks/floor_app.py report FILE` \| \d+ \| \d+ \| "
                     r"`python -c \"import typer.rich_utils\"` \|.*\| for information \|", text)
    assert re.search(r"\| `qim report FILE` \(one sheet, table\) \| \d+ \| \d+ \| the floor \|", text)
    goals = text.split("## The goals")[1].split("## How noisy")[0]
    assert len(re.findall(r"\| \d+\.\d\d× \| (met|\*\*not met\*\*) \|", goals)) == 7
    assert "Load average (1, 5, 15 min) before:" in text
    # the repository's BENCHMARKS.md is not touched without --write
    assert "--sizes 30 60" not in (ROOT / "BENCHMARKS.md").read_text()
