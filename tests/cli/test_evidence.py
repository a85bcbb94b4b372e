"""Claims as strong as their sources: the study's figures come from one table, every claim
has a passage, the audit covers every claim, and the role standard is one for everyone.

* Every Table 2 figure in any output (each report format of every bundled example, the 360°
  set, the cohort in every format, `qim framework`, a comparison) is quoted whole, with the
  row's label as the paper prints it, and is that row of profiles/table2.toml.
* No adverb ("rarely") stands for a figure. (No figure typed into prose, and
  profiles/EVIDENCE.md's row for every claim: tests/framework/test_claims.py.)
* `qim framework check` flags a claim without a passage.
* Two sheets with the same answers and career stage but different backgrounds: the same
  targets and gaps, different advice.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.framework.labels import AUTHORS_SUGGESTION

runner = CliRunner()
PROFILES = ROOT / "profiles"
TABLE2 = tomllib.loads((PROFILES / "table2.toml").read_text(encoding="utf-8"))
OF = {g: TABLE2["groups"][g]["of"] for g in ("clinical", "traditional")}
ROWS = {r["printed"]: r for r in TABLE2["rows"] if r["kind"] != "theme"}
#: a Table 2 figure as every output quotes it (render/study.py, table2_quote)
QUOTE = re.compile(
    r"Table 2 \[A\], “(?P<label>[^”]+)”: cited by (?P<c>\d+) of (?P<cn>\d+) clinical QIMs "
    r"\((?P<cp>\d+)%\) and (?P<t>\d+) of (?P<tn>\d+) traditional QIMs \((?P<tp>\d+)%\)\.")
#: anything that reads as a count of the study's groups, quoted or not
LOOSE = re.compile(r"\b\d+\s*(?:of|/)\s*(?:36|20)\b(?:\s+(?:clinical|traditional)\s+QIMs)?")


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _flat(text: str) -> str:
    return " ".join(html.unescape(text).split())


def every_output() -> dict[str, str]:
    """The outputs a user can see, by what made them."""
    out: dict[str, str] = {}
    sheets = sorted(EXAMPLES.glob("*.toml"))
    for sheet in [*sheets, EXAMPLES / "360"]:
        for fmt in ("table", "markdown", "html", "json"):
            args = ["report", str(sheet), "-f", fmt] + (["--explain"] if fmt == "table" else [])
            out[f"{sheet.name} {fmt}"] = _run(*args)
    for fmt in ("table", "markdown", "html", "json", "csv"):
        out[f"cohort {fmt}"] = _run("cohort", str(EXAMPLES / "cohort"), "-f", fmt)
    for fmt in ("table", "markdown", "json"):
        out[f"programme {fmt}"] = _run("compare", str(EXAMPLES / "cohort"),
                                       str(EXAMPLES / "cohort-after"), "-f", fmt)
    out["compare"] = _run("compare", str(EXAMPLES / "nurse-early-career.toml"),
                          str(EXAMPLES / "nurse-early-career-2027.toml"))
    out["framework table"] = _run("framework")
    return out


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    return every_output()


def _json_evidence(node: Any) -> list[dict[str, Any]]:
    """Every evidence object (a quoted row of Table 2) in a JSON document."""
    found = []
    if isinstance(node, dict):
        if {"printed", "clinical", "traditional", "clinical_of"} <= set(node):
            found.append(node)
        for v in node.values():
            found += _json_evidence(v)
    elif isinstance(node, list):
        for v in node:
            found += _json_evidence(v)
    return found


def test_every_table2_figure_in_any_output_is_a_row_of_the_one_table(outputs):
    quoted_rows = set()
    for name, text in outputs.items():
        flat = _flat(text)
        spans = []
        for m in QUOTE.finditer(flat):
            row = ROWS.get(m["label"])
            assert row is not None, (name, m["label"])  # the label as the paper prints it
            c, t = int(m["c"]), int(m["t"])
            assert (c, t) == (row["clinical"], row["traditional"]), (name, m.group(0))
            assert (int(m["cn"]), int(m["tn"])) == (OF["clinical"], OF["traditional"]), name
            # the proportions beside each other, as whole percentages of each group
            assert int(m["cp"]) == round(100 * c / OF["clinical"]), (name, m.group(0))
            assert int(m["tp"]) == round(100 * t / OF["traditional"]), (name, m.group(0))
            spans.append(m.span())
            quoted_rows.add(row["id"])
        # nothing that reads as a figure of the study stands outside a whole quote
        for m in LOOSE.finditer(flat):
            assert any(a <= m.start() < b for a, b in spans), (name, flat[m.start() - 80:m.end() + 40])
        assert "rarely name" not in flat.lower(), name
        if name.endswith("json"):
            for e in _json_evidence(json.loads(text)):
                row = next(r for r in TABLE2["rows"] if r["id"] == e["row"])
                assert (e["printed"], e["clinical"], e["traditional"]) == (
                    row["printed"], row["clinical"], row["traditional"]), name
                assert (e["clinical_of"], e["traditional_of"]) == (OF["clinical"], OF["traditional"])
    # the reports do quote the study: the competency rows, never a made-up one
    assert {"systems_thinking", "long_term_thinking", "sensegiving"} <= quoted_rows


def test_external_orientation_is_labelled_the_authors_suggestion_in_every_report(outputs):
    for name, text in outputs.items():
        if name.startswith(("programme", "compare")):
            continue
        assert AUTHORS_SUGGESTION in _flat(text), name
    doc = json.loads(outputs["nurse-early-career.toml json"])
    ext = next(c for c in doc["competencies"] if c["id"] == "external_orientation")
    assert (ext["origin"], ext["evidence"]) == ("authors", None)
    framework = json.loads(_run("framework", "-f", "json"))["framework"]
    comp = next(c for c in framework["competencies"] if c["id"] == "external_orientation")
    assert "row" not in comp and all(item["codes"] == [] for item in comp["items"])
    # a cohort list it heads says so
    cohort = json.loads(outputs["cohort json"])
    head = cohort["most_below"][0]
    assert head["id"] == "external_orientation" and head["note"] == AUTHORS_SUGGESTION
    assert f"Most below target: External stakeholder orientation ({AUTHORS_SUGGESTION};" in _flat(
        outputs["cohort markdown"])


def test_every_output_says_the_target_is_qims_convention(outputs):
    for name, text in outputs.items():
        if name.endswith("json"):
            continue
        assert "qim's own convention, not a finding of the study" in _flat(text), name
    for name in ("nurse-early-career.toml json", "cohort json", "programme json"):
        doc = json.loads(outputs[name])
        standard = doc.get("standard") or doc["result"]["standard"]
        assert standard["basis"].startswith("qim's own convention, not a finding of the study")


def test_html_legend_says_what_the_marks_mean_and_no_adverb(outputs):
    page = html.unescape(outputs["nurse-early-career.toml html"])
    legend = page.split('<p class="small legend">')[1].split("</p>")[0]
    assert "◆ the study's authors say your background overlooks it." in legend
    assert f"† {AUTHORS_SUGGESTION}." in legend
    assert "rarely" not in legend and "blind spot" not in page
    engineer = html.unescape(outputs["process-engineer-new.toml html"])
    assert "○ a known gap for QIMs from outside healthcare" in engineer
    assert 'class="flag known-gap"' in engineer


# --------------------------------------------------------------------------- passages


def test_the_bundled_profile_set_has_a_passage_for_every_claim():
    result = runner.invoke(app, ["framework", "check"])
    assert result.exit_code == 0, result.stderr
    assert "no passage" not in result.stderr


def test_framework_check_flags_a_claim_without_a_passage(tmp_path: Path):
    dest = tmp_path / "profiles"
    shutil.copytree(PROFILES, dest)
    rules = dest / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith('passage = "A: Limitations of the study (QIMs did'))
    rules.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    assert result.exit_code == 0, result.stderr  # still usable: a warning, not an error
    assert (f"warning: {rules}: rules[external-orientation-gap]: no passage: say where in its "
            'sources (A, Q) this rests, e.g. "A: Results, trustworthiness"') in result.stderr


# --------------------------------------------------------------------------- one standard


def _sheet(tmp_path: Path, background: str, role: str) -> Path:
    data = tomllib.loads((EXAMPLES / "nurse-early-career.toml").read_text(encoding="utf-8"))
    data["respondent"].update({"id": f"same-{background}", "background": background,
                               "role": role})
    path = tmp_path / f"{background}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_same_answers_and_stage_different_backgrounds_same_targets_different_advice(tmp_path):
    """`qim report` on the nurse's answers, once as a clinical and once as a traditional
    QIM: one role standard (the same targets and gaps), advice tailored to the background."""
    clinical = _sheet(tmp_path, "clinical", "nurse")
    traditional = _sheet(tmp_path, "traditional", "operations_manager")
    docs = {bg: json.loads(_run("report", str(p), "-f", "json"))
            for bg, p in (("clinical", clinical), ("traditional", traditional))}
    comps = {bg: {c["id"]: c for c in d["competencies"]} for bg, d in docs.items()}
    assert docs["clinical"]["respondent"]["career_stage"] == docs["traditional"]["respondent"][
        "career_stage"] == "early_career"
    for cid, c in comps["clinical"].items():
        t = comps["traditional"][cid]
        assert (c["score"], c["target"], c["gap"]) == (t["score"], t["target"], t["gap"]), cid
    # the background changes which needs are flagged ...
    flags = {bg: {cid: c["background_flag"] for cid, c in cs.items() if c["background_flag"]}
             for bg, cs in comps.items()}
    assert flags["clinical"] == {"systems_thinking": "overlooked", "long_term_thinking": "overlooked",
                                 "external_orientation": "overlooked"}
    assert flags["traditional"] == {"healthcare_context": "known_gap", "approachability": "known_gap",
                                    "trustworthiness": "known_gap", "external_orientation": "overlooked"}
    # ... and the advice: the rules that fire, their words and trainings
    rules = {bg: {r["rule"] for rec in d["recommendations"] for r in rec["reasons"]}
             for bg, d in docs.items()}
    assert "clinical-systems-gap" in rules["clinical"] and "traditional-systems-gap" in rules["traditional"]
    assert ([r["training"]["id"] for r in docs["clinical"]["recommendations"]]
            != [r["training"]["id"] for r in docs["traditional"]["recommendations"]])
    # the terminal reports show the same target column
    tables = {bg: _run("report", str(p)) for bg, p in (("clinical", clinical),
                                                        ("traditional", traditional))}

    def targets(text: str) -> list[str]:
        return re.findall(r"^\S.*?\s(\d\.\d{2}|–)\s+(\d\.\d)\s", text, flags=re.M)

    assert targets(tables["clinical"]) == targets(tables["traditional"]) != []
