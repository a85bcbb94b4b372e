"""Output in any encoding: data is UTF-8 bytes everywhere, text for people never fails.

The matrix runs every command and format with standard output redirected to a file, under
PYTHONIOENCODING=utf-8, cp1252 (what Windows uses for redirected output) and ascii:

* data (JSON, JSON lines, CSV, Markdown, HTML, TOML, JSON Schema, the REDCap dictionary,
  the HTML form, the sheets `qim import` and `qim assess` write) is byte-identical under
  the three, and identical to what `-o FILE` writes;
* text for people (tables, messages, errors) exits as under UTF-8 and is exactly the
  UTF-8 text with what the encoding cannot show made plain (">=" for "≥").
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qim_cli.cli import streams
from qim_cli.cli.streams import plain, plain_text

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
SHEET = EX / "nurse-early-career.toml"
ENCODINGS = ("utf-8", "cp1252", "ascii")
TITLE = "Cohort 2026 – Ward 7 ≥ café"

# --------------------------------------------------------------------------- the handler


@pytest.mark.parametrize(("char", "shown"), [
    ("≥", ">="), ("≤", "<="), ("→", "->"), ("–", "-"), ("—", "--"), ("−", "-"), ("…", "..."),
    ("×", "x"), ("·", "."), ("•", "*"), ("◆", "*"), ("▲", "^"), ("“", '"'), ("’", "'"),
    ("°", ""), ("█", "#"), ("░", "."), ("─", "-"), ("│", "|"), ("┼", "+"), ("┌", "+"),
    ("é", "e"), ("Å", "A"), ("ß", "ss"), ("ﬁ", "fi"), ("½", "1/2"), ("\u00a0", " "),
    ("Σ", "?"), ("😀", "?"), ("\udcff", "?"), ("\ufffd", "?"), ("a", "a"),
])
def test_plain_equivalents(char, shown):
    assert plain(char) == shown


def test_every_replacement_is_plain_ascii():
    for char in [*streams.PLAIN, *map(chr, range(0x2500, 0x25A0))]:
        shown = plain(char)
        assert shown.isascii() and shown.isprintable(), (char, shown)


def test_the_handler_keeps_what_the_encoding_can_show():
    streams.register()
    text = "Score ≥ 3.5 – café → 360° feedback…"
    assert text.encode("cp1252", errors=streams.HANDLER) == \
        "Score >= 3.5 – café -> 360° feedback…".encode("cp1252")
    assert text.encode("ascii", errors=streams.HANDLER) == b"Score >= 3.5 - cafe -> 360 feedback..."
    assert text.encode("utf-8", errors=streams.HANDLER) == text.encode("utf-8")
    assert plain_text(text) == "Score >= 3.5 - cafe -> 360 feedback..."
    with pytest.raises(UnicodeDecodeError):  # decoding is not its business
        b"\xff".decode("utf-8", errors=streams.HANDLER)


def test_setup_gives_standard_output_and_error_the_handler(monkeypatch):
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    err = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="backslashreplace")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xc3\xa9\n"), encoding="ascii"))
    streams.setup()
    assert (out.encoding, out.errors) == ("ascii", streams.HANDLER)
    assert (err.encoding, err.errors) == ("cp1252", streams.HANDLER)
    out.write("gap ≥ 1 → plan\n")
    err.write("≥ – ✓\n")
    out.flush()
    err.flush()
    assert out.buffer.getvalue() == b"gap >= 1 -> plan\n"
    assert err.buffer.getvalue() == ">= – v\n".encode("cp1252")
    # what a person types in an encoding that cannot hold it does not stop the program
    assert sys.stdin.readline() == "caf\ufffd\ufffd\n"


def test_setup_leaves_streams_it_cannot_reconfigure(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    closed = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    closed.close()
    monkeypatch.setattr(sys, "stderr", closed)
    streams.setup()  # neither raises


def test_data_goes_out_as_utf8_bytes_after_the_text_before_it(monkeypatch):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="strict", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", out)
    out.write("before\n")  # text for people, in the stream's encoding and line endings
    streams.write_data('{"label": "Score ≥ 3.5"}\n')
    assert raw.getvalue() == b'before\r\n{"label": "Score \xe2\x89\xa5 3.5"}\n'


def test_data_to_a_text_only_stream_is_written_as_text(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    streams.write_data("a,b\n≥,→\n")
    assert out.getvalue() == "a,b\n≥,→\n"


def test_codecs_know_the_handler_once():
    streams.setup()
    streams.setup()
    assert codecs.lookup_error(streams.HANDLER) is streams._plain_errors


# --------------------------------------------------------------------------- the matrix


def _assess_keys() -> list[str]:
    from qim_cli.framework.profiles import load_profiles

    prof = load_profiles()
    questions = len(prof.items) + len(prof.competencies) + len(prof.context_items)
    return ["rn-enc", "Aroha Ngata", "1", "1", "3", "", "2", "", "", *["3"] * questions]


def _cases(tmp: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(cases, kind of each case): "data" when -o FILE is compared too, "stdout" for data
    without -o, "people" for text for people."""
    cohort, after = str(EX / "cohort"), str(EX / "cohort-after")
    data: dict[str, list[str]] = {
        "report-json": ["report", str(SHEET), "-f", "json"],
        "report-markdown": ["report", str(SHEET), "-f", "markdown"],
        "report-html": ["report", str(SHEET), "-f", "html"],
        "report360-json": ["report", str(EX / "360"), "-f", "json"],
        "report360-markdown": ["report", str(EX / "360"), "-f", "markdown"],
        "report360-html": ["report", str(EX / "360"), "-f", "html"],
        "template": ["template"],
        "template-clinical": ["template", "--background", "clinical"],
        "template-rater": ["template", "--rater", "peer", "--subject", "rn-ward7"],
        "score-csv": ["score", cohort, "-f", "csv"],
        "score-jsonl": ["score", cohort, "-f", "jsonl"],
        "score-json": ["score", cohort, "-f", "json"],
        **{f"cohort-{f}": ["cohort", cohort, "--title", TITLE, "--min-group", "1", "-f", f]
           for f in ("json", "csv", "markdown", "html")},
        **{f"programme-{f}": ["compare", cohort, after, "-f", f]
           for f in ("json", "csv", "markdown", "html")},
        "redcap": ["export", "redcap"],
        "redcap-rater": ["export", "redcap", "--rater"],
        "form": ["form"],
        "form-rater": ["form", "--rater"],
    }
    stdout_only: dict[str, list[str]] = {
        **{f"schema-{k}": ["schema", k]
           for k in ("answers", "rating", "result", "feedback", "cohort", "programme")},
        "framework-json": ["framework", "--format", "json"],
        "compare-json": ["compare", f"{cohort}/qim-003.toml", f"{after}/qim-003.toml", "-f", "json"],
        "report-stdin-json": ["report", "-", "-f", "json"],
    }
    people: dict[str, list[str]] = {
        "report-table": ["report", str(SHEET)],
        "report-explain": ["report", str(SHEET), "--explain"],
        "report360-table": ["report", str(EX / "360")],
        "score-table": ["score", cohort, "-f", "table"],
        "cohort-table": ["cohort", cohort, "--title", TITLE, "--min-group", "1"],
        "programme-table": ["compare", cohort, after],
        "compare-table": ["compare", f"{cohort}/qim-003.toml", f"{after}/qim-003.toml"],
        "framework-table": ["framework"],
        "framework-check": ["framework", "check"],
        "validate": ["validate", str(SHEET), str(EX / "360" / "rn-ward7-peer-p1.toml")],
        "validate-bad": ["validate", str(EX / "exports" / "google-forms.csv")],
        "missing": ["report", str(tmp / "Zoë – ≥ draft.toml")],
        "version": ["--version"],
        "help": ["--help"],
        "help-report": ["report", "--help"],
    }
    cases: list[dict[str, Any]] = []
    kinds: dict[str, str] = {}
    for kind, group in (("data", data), ("stdout", stdout_only), ("people", people)):
        for cid, argv in group.items():
            cases.append({"id": cid, "argv": argv,
                          "stdin": str(SHEET) if cid == "report-stdin-json" else None})
            kinds[cid] = kind
    return cases, kinds


def _run_all(tmp: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Every case under each encoding (three processes at once), and the -o runs."""
    cases, kinds = _cases(tmp)
    keys = tmp / "keys.txt"
    keys.write_text("".join(k + "\n" for k in _assess_keys()), encoding="ascii")
    procs = {}
    for enc in ENCODINGS:
        out = tmp / enc
        out.mkdir()
        mine = [*cases,
                # relative paths (each encoding runs in its own folder): the same messages
                {"id": "import", "argv": ["import", str(EX / "exports" / "google-forms.csv"),
                                          "--out", "imported"], "stdin": None},
                {"id": "assess-json", "argv": ["assess", "--interactive", "--out", "assessed.toml",
                                               "-f", "json"], "stdin": str(keys)}]
        if enc == "utf-8":  # the -o runs (a file does not depend on the console's encoding)
            mine += [{"id": f"{c['id']}.o", "argv": [*c["argv"], "-o", str(out / f"{c['id']}.file")],
                      "stdin": None} for c in cases if kinds[c["id"]] == "data"]
            mine += [{"id": f"{cid}.o", "argv": [*argv, "-o", str(out / f"{cid}.file")], "stdin": None}
                     for cid, argv in (("report-table", ["report", str(SHEET)]),
                                       ("cohort-table", ["cohort", str(EX / "cohort"), "--title",
                                                         TITLE, "--min-group", "1"]))]
        spec = tmp / f"{enc}.json"
        spec.write_text(json.dumps(mine), encoding="utf-8")
        env = {**os.environ, "PYTHONIOENCODING": enc, "PYTHONUTF8": "0", "QIM_STATE_DIR": "state",
               "NO_COLOR": "1"}
        env.pop("COLUMNS", None)
        procs[enc] = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "support" / "run_commands.py"), str(spec), str(out)],
            env=env, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results: dict[str, dict[str, Any]] = {}
    for enc, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{enc}: the runner failed: {stderr.decode(errors='replace')[-3000:]}"
        results[enc] = json.loads((tmp / enc / "codes.json").read_text(encoding="utf-8"))
    return results, kinds


@pytest.mark.slow  # some 200 commands in three processes: the full run's
def test_every_command_and_format_under_utf8_cp1252_and_ascii(tmp_path):
    streams.register()
    codes, kinds = _run_all(tmp_path)
    problems: list[str] = []

    def out(enc: str, cid: str, stream: str = "out") -> bytes:
        return (tmp_path / enc / f"{cid}.{stream}").read_bytes()

    def expect(condition: bool, what: str) -> None:
        if not condition:
            problems.append(what)

    utf8 = tmp_path / "utf-8"
    for cid, kind in [*kinds.items(), ("import", "people"), ("assess-json", "stdout")]:
        reference = codes["utf-8"][cid]
        expected_code = {"validate-bad": 65, "missing": 66}.get(cid, 0)
        expect(reference == expected_code, f"{cid}: exit {reference} under utf-8 "
               f"({out('utf-8', cid, 'err')[-300:]!r})")
        for enc in ENCODINGS[1:]:
            expect(codes[enc][cid] == reference, f"{cid}: exit {codes[enc][cid]} under {enc}, "
                   f"{reference} under utf-8 ({out(enc, cid, 'err')[-300:]!r})")
            for stream in ("out", "err"):
                if kind != "people" and stream == "out":
                    expect(out(enc, cid) == out("utf-8", cid),
                           f"{cid}: standard output under {enc} differs from utf-8")
                    continue
                text = out("utf-8", cid, stream).decode("utf-8")
                wanted = text.encode(enc, errors=streams.HANDLER)
                if cid.startswith("help") and enc == "ascii":
                    # Click writes help as UTF-8 where a stream claims ASCII (it takes that
                    # for a misconfigured locale): never an error, not made plain either
                    wanted = text.encode("utf-8")
                expect(out(enc, cid, stream) == wanted,
                       f"{cid}: {stream} under {enc} is not the utf-8 text made plain: "
                       f"{out(enc, cid, stream)[:200]!r}")
        if kind != "people":
            expect(out("utf-8", cid).decode("utf-8").strip() != "", f"{cid}: no output")
        if kind == "data":
            expect((utf8 / f"{cid}.file").read_bytes() == out("utf-8", cid),
                   f"{cid}: standard output differs from -o FILE")
    for cid in ("report-table", "cohort-table"):  # a table to a file is UTF-8, as under utf-8
        expect((utf8 / f"{cid}.file").read_bytes() == out("utf-8", cid),
               f"{cid}: -o FILE differs from the utf-8 table")
    # what qim import and qim assess write are the same bytes whatever the console
    imported = sorted(p.name for p in (utf8 / "imported").iterdir())
    expect(len(imported) > 1, "import wrote no sheets")
    for enc in ENCODINGS[1:]:
        for name in imported:
            expect((tmp_path / enc / "imported" / name).read_bytes()
                   == (utf8 / "imported" / name).read_bytes(), f"import: {name} differs under {enc}")
        expect((tmp_path / enc / "assessed.toml").read_bytes() == (utf8 / "assessed.toml").read_bytes(),
               f"assess: the sheet differs under {enc}")
    assert problems == [], "\n".join(problems)

    # and the plain equivalents are the ones a person reads
    explain = out("ascii", "report-explain").decode("ascii")
    assert ">= " in explain and " -> " in explain and "?" not in explain
    assert "(rn-ward7) · assessed" in out("cp1252", "report-explain").decode("cp1252")  # cp1252 has ·
    assert "(rn-ward7) . assessed" in explain
    assert b"Zoe - >= draft.toml: no such file" in out("ascii", "missing", "err")
    assert "Zoë – >= draft.toml: no such file" in out("cp1252", "missing", "err").decode("cp1252")
    assert "Cohort 2026 - Ward 7 >= cafe" in out("ascii", "cohort-table").decode("ascii")
    assert TITLE in json.loads(out("ascii", "cohort-json"))["title"]
    assert "ok -- framework" in out("ascii", "framework-check").decode("ascii")
