"""Small cells: a 6-person cohort shows no count of people below 5, in any format of
`qim cohort`, `qim compare-cohort` and `qim pair`; the rule worked by hand; the
"not for sharing" mark of a --min-group below the default."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.privacy import DEFAULT_MIN_GROUP, fewer_than, privacy, suppress, withhold
from qim_cli.render.cohort import CohortFormat
from qim_cli.render.compare_cohort import CompareCohortFormat
from qim_cli.render.pairing import PairFormat

runner = CliRunner()

#: JSON keys (and CSV columns) that count people in these documents
PEOPLE_KEYS = {
    "n", "group_n", "people", "below_target", "before", "after", "resolved", "new", "paired",
    "only_before", "only_after", "repeated_before", "repeated_after", "calibrated",
    "generous", "modest", "mixed", "answered", "below_chance", "above_chance",
    "self_higher", "hidden_strengths", "needs", "matched", "subjects", "unmatched",
}
#: integers next to words that count people, in text for people
TEXT_COUNTS = [
    re.compile(r"\b(\d+) (?:people|person|sheets?|needs?|respondent ids?|paired)\b"),
    re.compile(r"\b(\d+) of \d+\b"),
    re.compile(r"\bn ?= ?(\d+)\b"),
    re.compile(r"\((\d+)\)"),  # `Sense-giving (3)`, `Clinical QIM (4)`
    re.compile(r"[│|]\s*(\d+)\s*(?=[│|])"),  # a table cell holding a bare integer
    re.compile(r'<td class="num[^"]*"[^>]*>(\d+)</td>'),
    re.compile(r"\b(\d+) \(\d+%\)"),  # `3 (50%)`
]

IDS = ["qim-003", "qim-004", "qim-005", "qim-006", "qim-008", "qim-009"]


def _copy(src: Path, dst: Path) -> Path:
    """Six sheets, without their context answers: the organisation's view (barrier shares,
    board summary) has its own privacy rule and is tested with it."""
    dst.mkdir()
    for rid in IDS:
        data = tomllib.loads((src / f"{rid}.toml").read_text(encoding="utf-8"))
        data.pop("context", None)
        (dst / f"{rid}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def six(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("six")
    return _copy(EXAMPLES / "cohort", root / "before"), _copy(EXAMPLES / "cohort-after",
                                                              root / "after")


def _run(*args: str) -> str:
    result = runner.invoke(app, [*args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _json_counts(node: object, path: str = "") -> list[tuple[str, int]]:
    """Every (path, value) of a key that counts people."""
    out: list[tuple[str, int]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in PEOPLE_KEYS and isinstance(v, int) and not isinstance(v, bool):
                out.append((f"{path}.{k}", v))
            out += _json_counts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _json_counts(v, f"{path}[{i}]")
    return out


def _text_counts(text: str) -> list[int]:
    flat = html.unescape(re.sub(r"<(?!td)[^>]+>", " ", text))
    return [int(m) for rx in TEXT_COUNTS for m in rx.findall(flat)]


#: the organisation's view (barrier shares by question and level, the board summary, the
#: alignment findings) follows its own privacy rule, tested with it (tests of the view):
#: left out of this scan, by its headings and sections
ORGANISATION = re.compile(
    r"(For the board|<section id=\"board\").*?(?=Scenario judgement, and|Reliability|"
    r"<section id=\"calibration\"|<section id=\"reliability\")", re.S)
ORG_SECTIONS = ("org_", "board", "alignment", "with_barrier")


def _check(text: str, fmt: str) -> None:
    if fmt == "json":
        doc = json.loads(text)
        if isinstance(doc, dict):
            doc.pop("organisation", None)
        small = [(p, v) for p, v in _json_counts(doc)
                 if v < DEFAULT_MIN_GROUP and not p.endswith("privacy.min_group")]
        assert small == [], small
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        small = [(r["section"], r["id"], k, v) for r in rows for k, v in r.items()
                 if k in PEOPLE_KEYS and v and r["section"] != "privacy"
                 and not r["section"].startswith(ORG_SECTIONS)
                 and re.fullmatch(r"\d+", v) and int(v) < DEFAULT_MIN_GROUP]
        assert small == [], small
    else:
        small = [n for n in _text_counts(ORGANISATION.sub("", text)) if n < DEFAULT_MIN_GROUP]
        assert small == [], (fmt, small)
    assert fmt == "json" or fewer_than(DEFAULT_MIN_GROUP) in text.lower()


@pytest.mark.parametrize("fmt", [f.value for f in CohortFormat])
def test_a_six_person_cohort_shows_no_count_below_five(six, fmt):
    before, _ = six
    text = _run("cohort", str(before), "--format", fmt)
    _check(text, fmt)
    # and the same cohort at --min-group 1 does show small counts: the scan can fail
    assert fmt == "json" and any(v < 5 for _, v in _json_counts(json.loads(
        _run("cohort", str(before), "--format", "json", "--min-group", "1")))) or fmt != "json"


@pytest.mark.parametrize("fmt", [f.value for f in CompareCohortFormat])
def test_a_six_person_programme_shows_no_count_below_five(six, fmt):
    before, after = six
    _check(_run("compare-cohort", str(before), str(after), "--format", fmt), fmt)


@pytest.mark.parametrize("fmt", [f.value for f in PairFormat])
def test_six_people_in_pairs_show_no_count_below_five(six, fmt):
    before, _ = six
    text = _run("pair", str(before), "--format", fmt)
    if fmt == "json":
        doc = json.loads(text)
        assert doc["people"] == 6 and "size" not in doc["groups"][0]
        _check(text, fmt)
    elif fmt == "csv":
        assert "size" not in text.splitlines()[0].split(",")
    else:  # pairs are numbered (1., 2.), and a heading counts pairs, not people
        assert "Unpaired (" not in text


def test_the_six_person_scan_catches_a_small_count(six):
    """The text scan is not blind: at --min-group 1 the Markdown shows counts below 5."""
    before, _ = six
    text = _run("cohort", str(before), "--format", "markdown", "--min-group", "1")
    assert [n for n in _text_counts(text) if n < 5]


# --------------------------------------------------------------------------- the rule by hand


def test_suppress_by_hand():
    # a row of three groups adding up to a shown overall: 2 is below 5, so the smallest
    # other (7) goes with it; 12 stays
    cells = {"a": 2, "b": 7, "c": 12}
    assert suppress(cells, [["a", "b", "c"]], 5) == {"a", "b"}
    # two below: nothing more is needed
    assert suppress({"a": 2, "b": 3, "c": 12}, [["a", "b", "c"]], 5) == {"a", "b"}
    # a group withheld as a whole already counts as the second unknown of the row
    assert suppress(cells, [["a", "b", "c"]], 5, {0: 1}) == {"a"}
    # a count and its complement (never shown): 5 of 6 below target gives away the 1 not
    assert suppress({"below": 5, "not below": 1}, [["below", "not below"]], 5) == \
        {"below", "not below"}
    # a chain: hiding in one line forces a hide in the next
    assert suppress({"x": 1, "y": 9, "z": 20}, [["x", "y"], ["y", "z"]], 5) == {"x", "y", "z"}
    # a threshold of 1 withholds nothing (a count of 0 is then shown)
    assert suppress({"a": 0, "b": 3}, [["a", "b"]], 1) == set()


def test_withhold_names_each_field_and_its_reason():
    from qim_cli.cohort.compare_results import BarrierChange

    row = BarrierChange(rule="r", title="t", before=9, after=6, resolved=4, new=1)
    # after = before - resolved + new: resolved (4) and new (1) are below 5, nothing more
    out = withhold(row, {"before": 9, "after": 6, "resolved": 4, "new": 1},
                   [["before", "after", "resolved", "new"]], 5)
    assert (out.before, out.after, out.resolved, out.new) == (9, 6, None, None)
    assert out.withheld == {"new": "fewer", "resolved": "fewer"}
    row = BarrierChange(rule="r", title="t", before=9, after=7, resolved=2, new=0)
    out = withhold(row, {"before": 9, "after": 7, "resolved": 2, "new": 0, "x": 5},
                   [["before", "after", "resolved", "new"]], 5)
    assert out.withheld == {"new": "fewer", "resolved": "fewer"}


# --------------------------------------------------------------------------- not for sharing


def test_a_threshold_below_the_default_is_marked_not_for_sharing():
    assert privacy(5).for_sharing and privacy(5).not_for_sharing is None
    assert privacy(8).not_for_sharing is None
    p = privacy(3)
    assert not p.for_sharing
    assert p.not_for_sharing == (
        "NOT FOR SHARING: --min-group 3 is below qim's default of 5, so groups and counts of "
        "as few as 3 people are shown; they may identify people.")


@pytest.mark.parametrize("command", ["cohort", "compare-cohort"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown", "html"])
def test_every_format_carries_the_mark(six, command, fmt):
    before, after = six
    args = [command, str(before)] + ([str(after)] if command == "compare-cohort" else [])
    marked = _run(*args, "--format", fmt, "--min-group", "2")
    plain = _run(*args, "--format", fmt)
    flat = " ".join(html.unescape(marked).split())
    assert "NOT FOR SHARING: --min-group 2 is below qim's default of 5" in flat
    assert "NOT FOR SHARING" not in plain
    if fmt == "json":
        assert json.loads(marked)["privacy"]["for_sharing"] is False


def test_markdown_names_withheld_groups_by_their_labels(tmp_path):
    """Three groups by role; two small ones are named by label, never by raw id."""
    folder = tmp_path / "c"
    shutil.copytree(EXAMPLES / "cohort", folder)
    text = _run("cohort", str(folder), "--by", "background", "--format", "markdown")
    assert "clinical," not in text and "traditional)" not in text
    doc = json.loads(_run("cohort", str(folder), "--by", "setting", "--format", "json"))
    for note in doc["notes"]:
        for raw in doc["suppressed"]:
            assert f"({raw}" not in note and f", {raw}" not in note
