"""`qim pair` shows partners what each person brings, never what a person lacks: in every
format and mode; numbers only with --scores."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.pairing import INTROS
from qim_cli.render.pairing import PairFormat

runner = CliRunner()
#: words that would say what a person lacks (the intro speaks of "gaps" in general)
LACKS = re.compile(r"\b(lacks?|lacking|weak(ness|nesses)?|gaps?|below target|needs?|"
                   r"low(est)?|poor|struggles?|missing)\b", re.I)


def _pair(*args: str) -> str:
    result = runner.invoke(app, ["pair", str(EXAMPLES / "cohort"), *args],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("mode", ["mixed", "mentoring"])
@pytest.mark.parametrize("fmt", [f.value for f in PairFormat])
def test_no_format_says_what_a_person_lacks(mode, fmt):
    text = _pair("--mode", mode, "--format", fmt)
    if fmt == "json":
        doc = json.loads(text)
        for g in doc["groups"]:
            for m in g["members"]:
                # what a member is: who they are and what they bring; no score, gap or need
                assert set(m) == {"id", "name", "background", "career_stage", "side", "brings"}
            assert not LACKS.search(g["explanation"]), g["explanation"]
        assert all(not LACKS.search(u["reason"]) for u in doc["unpaired"])
        return
    # the intro speaks of gaps in general, of no one
    body = " ".join(text.split()).replace(INTROS[mode], "")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"gap", "gaps", "score", "scores", "needs"}.isdisjoint(rows[0])
        body = " ".join(r["explanation"] + " " + r["reason"] for r in rows)
    assert not LACKS.search(body), LACKS.search(body)
    assert not re.search(r"\b\d\.\d\d\b", body)  # no score or cover without --scores
    assert "brings" in body or "bringing" in body


def test_numbers_only_with_scores_and_they_are_what_each_brings():
    doc = json.loads(_pair("--format", "json", "--scores"))
    for g in doc["groups"]:
        for m in g["members"]:
            assert list(m["brings_points"]) == m["brings"]  # the cover of what they bring
            assert all(v > 0 for v in m["brings_points"].values())
