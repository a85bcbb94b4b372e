"""No figure is ever cut, at any width from 40 to 120 columns.

For each command that prints a table for people (`qim report` of one person and of a 360
set, `qim cohort`, `qim compare` of one person and of a programme, `qim score` and
`qim pair`), the figures of the JSON document of the same run must all appear in the
text, whole, at every width, and no line may be wider than the width. The text is
rendered from that same document at each width (the renderers the commands call); a
few widths go through the command line too, with COLUMNS, and the report `qim assess`
prints at its end.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qim_cli.cli.app import app

WIDTHS = [*range(40, 121), 160, 200]  # every width from 40 to 120, and two wider
#: a figure as a whole token ("4.75", "+1.00", "52" of "52%", "3" of "3." in a list)
NUMBER = re.compile(r"(?<![\w.])[+-]?\d+(?:\.\d+)?(?!\w|\.\d)")


def numbers(text: str) -> Counter[str]:
    return Counter(NUMBER.findall(text))


def f2(x: float | None) -> str | None:
    return None if x is None else f"{x:.2f}"


def signed(x: float | None) -> str | None:
    return None if x is None else f"{x:+.2f}"


def pct(x: float | None) -> str | None:
    return None if x is None else f"{x * 100:.0f}"


def expect(*figures: object) -> Counter[str]:
    return Counter(str(f) for f in figures if f is not None)


def missing(text: str, expected: Counter[str]) -> Counter[str]:
    """The expected figures the text lacks (a cut "4.…" is not "4.75")."""
    return expected - numbers(text)


def check(text: str, width: int, expected: Counter[str]) -> None:
    long = [line for line in text.splitlines() if len(line) > width]
    assert not long, f"at {width} columns: {long[:2]}"
    assert "…" not in text, f"at {width} columns, something is cut"
    lost = missing(text, expected)
    assert not lost, f"at {width} columns these figures are missing: {dict(lost)}"


def cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- each report's figures


def person_figures(doc: dict[str, Any]) -> Counter[str]:
    """The profile (score, target, gap), the strengths, the scenario section."""
    out = Counter[str]()
    for c in doc["competencies"]:
        out += expect(f2(c["score"]), f"{c['target']:.1f}", signed(c["gap"]))
    for s in doc["plan"]["strengths"]:
        out += expect(f2(s["score"]), f2(s["above_target"]))
    cal = doc.get("calibration")
    for c in (cal or {}).get("competencies", []):
        out += expect(pct(c["share"]), f"{c['points']:g}", f"{c['max_points']:g}")
    return out


def feedback_figures(doc: dict[str, Any]) -> Counter[str]:
    out = person_figures(doc["result"])
    for c in doc["competencies"]:
        out += expect(f2(c["self_score"]), f2(c["others_score"]), c["others_raters"],
                      signed(c["difference"]), *[f2(v) for v in c["by_group"].values()])
        if c["spread"]:
            out += expect(f2(c["spread"]["lowest"]), f2(c["spread"]["highest"]),
                          f2(c["spread"]["sd"]))
    return out


def cohort_figures(doc: dict[str, Any]) -> Counter[str]:
    cols = ([doc["overall"]] if doc["overall"] else []) + doc["groups"]
    out = expect(*[s["people"] for s in doc["proposal"]["sessions"]])
    for g in cols:
        out += expect(g["n"])
        for c in g["competencies"]:
            out += expect(f2(c["mean"]), f2(c["median"]), pct(c["below_target_share"]))
        for t in g["training_needs"]:
            out += expect(t["people"], pct(t["share"]))
    org = doc["organisation"]
    for key in ("levels", "quaser", "questions"):
        for r in org[key]:
            for c in r["cells"]:
                out += expect(pct(c["share"]), c["n"], f2(c["mean"]))
    for b in org["barriers"]:
        for c in b["cells"]:
            out += expect(c["people"], pct(c["share"]))
    for r in doc["reliability"]["rows"] if doc["reliability"] else []:
        out += expect(r["n"], f2(r["alpha"]), f2(r["ci_low"]), f2(r["ci_high"]))
    return out


def compare_figures(doc: dict[str, Any]) -> Counter[str]:
    out = Counter[str]()
    for c in doc["competencies"]:
        out += expect(f2(c["old_score"]), f2(c["new_score"]), signed(c["change"]),
                      signed(c["old_gap"]), signed(c["new_gap"]))
    for o in doc["plan_review"]["objectives"]:
        for c in o["competencies"]:
            out += expect(f2(c["old_score"]), f2(c["new_score"]), f"{c['new_target']:.1f}")
    for r in doc["recommendations"]["remaining"]:
        out += expect(f"{r['old_priority']:.1f}", f"{r['priority']:.1f}")
    return out


def programme_figures(doc: dict[str, Any]) -> Counter[str]:
    counts = doc["counts"]
    shown = [v for k, v in counts.items() if k != "withheld" and v is not None]
    out = expect(*[v for v in shown if v], None)
    for rows in [doc["competencies"], *[g["competencies"] for g in doc["groups"]]]:
        for r in rows:
            if r["suppressed"]:
                continue
            out += expect(r["n"], f2(r["before_mean"]), f2(r["after_mean"]),
                          signed(r["change_mean"]), signed(r["ci_low"]), signed(r["ci_high"]),
                          f2(r["d_z"]), pct(r["at_target_before"]), pct(r["at_target_after"]))
    for t in doc["training_needs"]:
        out += expect(t["before"], t["after"], t["resolved"], t["new"])
    for b in doc["barriers"]:
        out += expect(b["before"], b["after"], b["resolved"], b["new"])
    return out


def score_figures(rows: list[dict[str, Any]]) -> Counter[str]:
    out = Counter[str]()
    for row in rows:
        out += expect(row["recommendations"], *[f2(v) for k, v in row.items() if k.endswith("_score")])
    return out


def pair_figures(doc: dict[str, Any]) -> Counter[str]:
    out = Counter[str]()
    for g in doc["groups"]:
        out += expect(g["number"], f"{g['weight']:g}",
                      *[f"{sum(m['brings_points'].values()):g}" for m in g["members"]])
    return out


# --------------------------------------------------------------------------- the reports


def _person(name: str) -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.assessment.report import build_result
    from qim_cli.framework.profiles import load_profiles
    from qim_cli.render.formats import Layout
    from qim_cli.render.person.table import render
    from qim_cli.sheets.answers import load_sheet

    prof = load_profiles()
    result = build_result(load_sheet(EXAMPLES / name, prof), prof, f"examples/{name}")
    doc = cli_json("report", str(EXAMPLES / name))
    assert doc == json.loads(result.model_dump_json()) | {"source": doc["source"]}
    return doc, lambda w: render(result, prof, Layout(width=w))


def _feedback() -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.assessment.feedback import merge, split_sets
    from qim_cli.framework.profiles import load_profiles
    from qim_cli.render.feedback.table import render
    from qim_cli.render.formats import Layout
    from qim_cli.sheets.answers import load_any

    prof = load_profiles()
    sheets = [(str(p), load_any(p, prof)) for p in sorted((EXAMPLES / "360").glob("*.toml"))]
    (source, self_sheet), ratings = split_sets(sheets)
    fb = merge(self_sheet, [r for _, r in ratings], prof, source)
    doc = cli_json("report", str(EXAMPLES / "360"))
    assert doc["competencies"] == json.loads(fb.model_dump_json())["competencies"]
    return doc, lambda w: render(fb, prof, Layout(width=w))


def _typed(model: Any, package: str, doc: dict[str, Any]) -> Callable[[int], str]:
    """The terminal table of the JSON document `doc`, read back into its model."""
    from importlib import import_module

    from qim_cli.framework.profiles import load_profiles
    from qim_cli.render.formats import Layout

    typed, prof = model.model_validate(doc), load_profiles()
    table = import_module(f"{package}.table").render
    return lambda w: table(typed, prof, Layout(width=w))


def _cohort() -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.cohort.results import CohortSummary

    doc = cli_json("cohort", str(EXAMPLES / "cohort"))
    return doc, _typed(CohortSummary, "qim_cli.render.cohort", doc)


def _compare() -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.assessment.compare import PersonComparison

    doc = cli_json("compare", str(EXAMPLES / "nurse-early-career.toml"),
                   str(EXAMPLES / "nurse-early-career-2027.toml"))
    return doc, _typed(PersonComparison, "qim_cli.render.compare", doc)


def _programme() -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.cohort.compare_results import CohortComparison

    doc = cli_json("compare-cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "cohort-after"))
    return doc, _typed(CohortComparison, "qim_cli.render.compare_cohort", doc)


def _score() -> tuple[list[dict[str, Any]], Callable[[int], str]]:
    from qim_cli.cohort.batch import score_paths
    from qim_cli.cohort.discovery import Discovery
    from qim_cli.cohort.records import Detail
    from qim_cli.framework.profiles import load_profiles
    from qim_cli.render.formats import Layout
    from qim_cli.render.score import table

    prof = load_profiles()
    records = [o.record for o in score_paths(Discovery([EXAMPLES / "cohort"]), prof, 1,
                                             detail=Detail.SCORES) if o.record is not None]
    rows = cli_json("score", str(EXAMPLES / "cohort"))
    assert len(rows) == len(records)

    def render(w: int) -> str:
        out = io.StringIO()
        table.write(records, out, prof, Layout(width=w))
        return out.getvalue()

    return rows, render


def _pair() -> tuple[dict[str, Any], Callable[[int], str]]:
    from qim_cli.cohort.pairing import PairingResult

    doc = cli_json("pair", str(EXAMPLES / "cohort"), "--scores")
    return doc, _typed(PairingResult, "qim_cli.render.pairing", doc)


REPORTS: dict[str, tuple[Callable[[], tuple[Any, Callable[[int], str]]], Callable[[Any], Counter[str]]]] = {
    "report nurse": (lambda: _person("nurse-early-career.toml"), person_figures),
    "report with scenarios": (lambda: _person("process-engineer-new.toml"), person_figures),
    "report 360": (_feedback, feedback_figures),
    "cohort": (_cohort, cohort_figures),
    "compare one person": (_compare, compare_figures),
    "compare a programme": (_programme, programme_figures),
    "score": (_score, score_figures),
    "pair": (_pair, pair_figures),
}


@pytest.mark.slow  # every report at 83 widths: the full run's; the commands below try four
@pytest.mark.parametrize("name", list(REPORTS))
def test_every_figure_is_shown_whole_at_every_width(name):
    make, figures = REPORTS[name]
    doc, render = make()
    expected = figures(doc)
    assert sum(expected.values()) > 20, "too few figures to check"
    for width in WIDTHS:
        check(render(width), width, expected)


def test_the_check_sees_a_cut_figure():
    """What Rich does to a table that does not fit (the cut this guards against) fails it."""
    from rich.console import Console
    from rich.table import Table

    t = Table()
    t.add_column("Competency", no_wrap=True)
    t.add_column("Score", justify="right")
    t.add_row("External stakeholder orientation", "2.00")
    con = Console(width=30, record=True, file=io.StringIO())
    con.print(t)
    text = con.export_text()
    assert missing(text, expect("2.00")) or "…" in text


# --------------------------------------------------------------------------- through the command line


@pytest.mark.parametrize("width", [40, 57, 80, 120])
@pytest.mark.parametrize("args", [
    ["report", "examples/nurse-early-career.toml"],
    ["report", "examples/360"],
    ["cohort", "examples/cohort"],
    ["compare", "examples/nurse-early-career.toml", "examples/nurse-early-career-2027.toml"],
    ["compare", "examples/cohort", "examples/cohort-after"],
    ["score", "examples/cohort", "--format", "table"],
    ["pair", "examples/cohort", "--scores"],
], ids=lambda a: " ".join(a[:2]))
def test_the_commands_take_the_width_from_columns(args, width, monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert max(len(line) for line in lines) >= width - 12  # the width is used, not 80
    assert "…" not in result.stdout


def test_the_report_at_the_end_of_qim_assess_fits_too(tmp_path, profiles):
    from support.assess import DETAILS, assess, planned, question_keys

    for width in (40, 64):
        out = tmp_path / f"s{width}.toml"
        result = assess(["--out", str(out)], DETAILS + question_keys(planned(profiles)),
                        columns=width)
        assert result.exit_code == 0, result.stderr
        doc = cli_json("report", str(out))
        check(result.stdout, width, person_figures(doc))


def test_narrower_than_40_columns_is_laid_out_at_40(monkeypatch):
    monkeypatch.chdir(EXAMPLES.parent)
    result = CliRunner().invoke(app, ["report", "examples/nurse-early-career.toml"],
                                env={"COLUMNS": "30"})
    assert max(len(line) for line in result.stdout.splitlines()) == 40


def test_a_file_gets_the_trainers_tables_whole(tmp_path: Path, monkeypatch):
    """Without a terminal or COLUMNS, the trainers' tables keep the width their columns
    need (up to 200), so a file holds the table itself, not the blocks."""
    monkeypatch.chdir(EXAMPLES.parent)
    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(app, ["score", "examples/cohort", "-f", "table",
                                      "-o", str(tmp_path / "s.txt")])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "s.txt").read_text()
    assert "┃ File" in text and 120 < max(len(line) for line in text.splitlines()) <= 200


@settings(max_examples=examples(60), deadline=None)
@given(labels=st.lists(st.text(alphabet="abcdefghij ", min_size=1, max_size=40).filter(str.strip),
                       min_size=1, max_size=6),
       columns=st.integers(min_value=1, max_value=9),
       width=st.integers(min_value=40, max_value=120),
       data=st.data())
def test_fitted_never_cuts_a_figure(labels, columns, width, data):
    """Any table of labels and figures, at any width: every figure whole, no line too long."""
    from rich.console import Console
    from rich.table import Table

    from qim_cli.render.fit import fitted

    figures = [[f"{data.draw(st.floats(-99, 999, allow_nan=False)):.2f}" for _ in range(columns)]
               for _ in labels]
    t = Table(title="Some figures")
    t.add_column("Label")
    for i in range(columns):
        t.add_column(data.draw(st.sampled_from(["n", "Score", "Gap before", "Others − self"]))
                     + f" {i}", justify="right")
    for label, row in zip(labels, figures, strict=True):
        t.add_row(label, *row)
    con = Console(width=width, record=True, file=io.StringIO())
    con.print(fitted(con, t))
    text = "\n".join(line.rstrip() for line in con.export_text().splitlines())
    check(text, width, expect(*[f for row in figures for f in row]))
