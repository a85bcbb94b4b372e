"""The compiled TOML parser (rtoml) and the standard library's (tomllib) give qim the same
answers: every hostile sheet, every example and a generated corpus, under both parsers.

qim reads a document with rtoml only where the two are known to agree, and lets tomllib
decide everything else (see `qim_cli.parsing.parse_toml`); these tests hold that promise.
"""

from __future__ import annotations

import datetime
import json
import math
import tomllib
from pathlib import Path

import pytest
import rtoml
import tomli_w
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qim_cli import parsing
from qim_cli.cli.app import app
from qim_cli.errors import QimError
from qim_cli.framework.profiles import bundled_profiles_dir, load_profiles
from qim_cli.parsing import parse_toml, read_toml_bytes
from qim_cli.sheets.answers import load_any

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "support" / "hostile" / "sheets"
EXPECTED = json.loads((HOSTILE / "expected.json").read_text())
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.toml"))
PROFILES = load_profiles(bundled_profiles_dir())
PARSERS = ["rtoml", "tomllib"]
runner = CliRunner()


class Counting:
    """rtoml's loads, counting its calls (so that a test knows rtoml really ran)."""

    def __init__(self) -> None:
        self.calls = 0
        self.__version__ = rtoml.__version__

    def loads(self, text: str):
        self.calls += 1
        return rtoml.loads(text)


@pytest.fixture(params=PARSERS)
def parser(request, monkeypatch):
    """Run the test once with rtoml (counted) and once with tomllib alone."""
    if request.param == "tomllib":
        monkeypatch.setattr(parsing, "_rtoml", None)
        return None
    counting = Counting()
    monkeypatch.setattr(parsing, "_rtoml", counting)
    return counting


def outcome(path: Path) -> tuple[str, object]:
    """What qim makes of a file: the loaded sheet as data, or the error's lines and code."""
    try:
        return "ok", load_any(path, PROFILES, path.name).model_dump(mode="json")
    except QimError as exc:
        return f"exit {int(exc.exit_code)}", exc.lines


def same(a: object, b: object) -> bool:
    """Equal values of equal types (NaN equal to NaN; tzinfo compared by offset and type)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)  # type: ignore[union-attr]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)  # type: ignore[arg-type]
    if isinstance(a, datetime.datetime | datetime.time):
        return a == b and type(a.tzinfo) is type(b.tzinfo) and repr(a) == repr(b)  # type: ignore[union-attr]
    return a == b


def reference(text: str) -> tuple[str, object]:
    try:
        return "ok", tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return "error", f"x: TOML syntax error: {exc}"
    except RecursionError:
        return "error", "x: TOML is nested too deeply"


def ours(text: str) -> tuple[str, object]:
    try:
        return "ok", parse_toml(text, "x")
    except QimError as exc:
        return "error", exc.lines[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_sheets_under_both_parsers(parser, name):
    kind, detail = outcome(HOSTILE / name)
    assert kind == f"exit {EXPECTED[name]['exit']}"
    assert detail[0] == f"{name}: {EXPECTED[name]['message']}"  # type: ignore[index]


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_examples_under_both_parsers(path, monkeypatch):
    counting = Counting()
    monkeypatch.setattr(parsing, "_rtoml", counting)
    fast = outcome(path)
    assert counting.calls == 1  # rtoml did read it
    monkeypatch.setattr(parsing, "_rtoml", None)
    assert outcome(path) == fast
    assert fast[0] == "ok"


def test_a_batch_scores_the_same_under_both_parsers(parser, tmp_path):
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(ROOT / "examples" / "cohort"), "--jobs", "1",
                                 "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    if parser is not None:
        assert parser.calls >= 40
    rows = out.read_text().splitlines()
    assert len(rows) == 1 + len(list((ROOT / "examples" / "cohort").glob("*.toml")))
    assert rows == _scores_with_tomllib(tmp_path)


def _scores_with_tomllib(tmp_path: Path) -> list[str]:
    from unittest import mock

    out = tmp_path / "reference.csv"
    with mock.patch.object(parsing, "_rtoml", None):
        result = runner.invoke(app, ["score", str(ROOT / "examples" / "cohort"), "--jobs", "1",
                                     "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0
    return out.read_text().splitlines()


# ---------------------------------------------------------------- the differences, decided


@pytest.mark.parametrize(("text", "expected"), [
    # rtoml reads TOML 1.1, tomllib 1.0: qim reads TOML 1.0 whichever parser is there
    ('x = "a\\eb"', "x: TOML syntax error: Unescaped '\\' in a string (at line 1, column 9)"),
    ('x = "\\x41"', "x: TOML syntax error: Unescaped '\\' in a string (at line 1, column 8)"),
    ("x = {a = 1,}", "x: TOML syntax error: Invalid initial character for a key part "
                     "(at line 1, column 12)"),
    ("x = {\na = 1\n}", "x: TOML syntax error: Invalid initial character for a key part "
                        "(at line 1, column 6)"),
    ("x = 07:32", "x: TOML syntax error: Expected newline or end of document after a "
                  "statement (at line 1, column 6)"),
    ("x = 1979-05-27T07:32", "x: TOML syntax error: Expected newline or end of document after "
                             "a statement (at line 1, column 15)"),
    # a byte-order mark after the one that is allowed
    ("\ufeffx = 1", "x: TOML syntax error: Invalid statement (at line 1, column 1)"),
    # tomllib's words, line and column for an error both parsers find
    ("[a]\n[a]", "x: TOML syntax error: Cannot declare ('a',) twice (at line 2, column 3)"),
    ("x = " + "[" * 2000, "x: TOML is nested too deeply"),
])
def test_what_only_rtoml_accepts_or_words_differently_is_tomllib_s_answer(parser, text, expected):
    assert ours(text) == ("error", expected)
    assert reference(text) == ("error", expected)


@pytest.mark.parametrize(("text", "fast"), [
    # TOML 1.0 inline tables and times (only in strings): rtoml reads them
    ("x = {a = 1, b = {c = 2}}", True),
    ("when = { all = [ { a = 1 },\n  { b = 2 } ] }", True),  # a line break inside an array
    ('x = "{"\ny = 1', True),
    ('x = """{\n"""', True),
    ("x = '{' # {\ny = 1", True),
    ('cite = "BMC 2022;22:50"', True),
    # TOML 1.1, or a time: tomllib decides
    ("x = {a = 1,\nb = 2}", False),
    ("x = {a = 1 # c\n}", False),
    ('x = {a = "}",\nb = 1}', False),
    ("x = {a = [1],\nb = 2}", False),
    ("x = 10:30:00", False),
])
def test_which_documents_rtoml_reads(text, fast, monkeypatch):
    counting = Counting()
    monkeypatch.setattr(parsing, "_rtoml", counting)
    assert ours(text) == reference(text)
    assert counting.calls == (1 if fast else 0)


def test_a_number_too_large_for_rtoml_is_tomllib_s_infinity(parser):
    with pytest.raises(ValueError):
        rtoml.loads("x = 1e400")
    assert ours("x = 1e400\ny = -1e400") == ("ok", {"x": math.inf, "y": -math.inf})


def test_tables_nested_past_rtoml_s_limit_are_read_as_tomllib_reads_them(parser):
    text = "a" + ".a" * 600 + " = 1"
    with pytest.raises(ValueError):
        rtoml.loads(text)
    kind, value = ours(text)
    assert kind == "ok" and value == tomllib.loads(text)


def test_offset_datetimes_carry_the_standard_library_s_tzinfo(parser):
    text = "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T07:32:00+01:30\nc = 07:32:00\nd = 1979-05-27"
    kind, value = ours(text)
    assert kind == "ok" and same(value, tomllib.loads(text))
    assert value["a"].tzinfo is datetime.UTC  # type: ignore[index]
    assert type(value["b"].tzinfo) is datetime.timezone  # type: ignore[index]


def test_a_file_of_only_a_byte_order_mark_is_empty(parser):
    with pytest.raises(QimError) as info:
        read_toml_bytes(b"\xef\xbb\xbf", "x")
    assert info.value.lines == ["x: file is empty"]


def test_the_parser_in_use_is_named_by_qim_version_verbose(parser):
    result = runner.invoke(app, ["--verbose", "--version"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("TOML parser:"))
    if parser is None:
        assert line == "TOML parser: tomllib (standard library; rtoml is not installed, " \
                       "so batches are slower)"
    else:
        assert line == f"TOML parser: rtoml {rtoml.__version__}, checked by tomllib (standard library)"


def test_version_verbose_in_either_order():
    import subprocess
    import sys

    for args in (["--version", "--verbose"], ["--verbose", "--version"]):
        out = subprocess.run([sys.executable, "-m", "qim_cli", *args], capture_output=True,
                             text=True, check=True).stdout.splitlines()
        assert out[0].startswith("qim ")
        assert out[2] == f"TOML parser: rtoml {rtoml.__version__}, checked by tomllib (standard library)"


# ---------------------------------------------------------------- a generated corpus

_TOKENS = ["=", "[", "]", "{", "}", '"', "'", "\\", ".", ",", "#", "\n", "\r\n", "\t", " ", ":",
           "-", "+", "_", "e", "E", "0", "1", "9", "x", "o", "b", "inf", "nan", "true", "false",
           '"""', "'''", "1979-05-27", "07:32:00", "Z", "T", "1e400", "\\u00e9", "\\e", "\\x41",
           "\x7f", "\x00", "\ufeff", "é", "na", "[[", "]]"]


@st.composite
def documents(draw):
    """A valid answer sheet or example, then a few random edits of it."""
    base = draw(st.sampled_from(_CORPUS))
    chars = list(base)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["insert", "replace", "delete"]))
        token = draw(st.sampled_from(_TOKENS))
        if action == "insert" or not chars:
            chars.insert(at, token)
        elif action == "replace":
            chars[min(at, len(chars) - 1)] = token
        else:
            del chars[min(at, len(chars) - 1)]
    return "".join(chars)


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES[:12]]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(HOSTILE.glob("*.toml"))
              if "nested" not in p.name]  # deep nesting: tested above, too deep to compare here
    texts.append(tomli_w.dumps({"schema_version": 1, "notes": "line one\nline \"two\"\t\\ end",
                                "assessed_on": datetime.date(2026, 3, 2),
                                "answers": {"hc_01": 3, "hc_02": "na"}, "x": [1.5, -0.0, 1e300]}))
    return texts


_CORPUS = _corpus()


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_parse_as_tomllib_parses_them(text):
    kind, value = ours(text)
    ref_kind, ref_value = reference(text)
    assert kind == ref_kind
    if kind == "ok":
        assert same(value, ref_value)
    else:
        assert value == ref_value
