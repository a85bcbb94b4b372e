"""`qim compare-cohort` of a programme across several organisations: each organisation's
barriers before and after, in every format, withheld under --min-group with its
complement."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.compare import Snapshot, _organisations
from qim_cli.render.compare_cohort import CompareCohortFormat

runner = CliRunner()
BEFORE, AFTER = EXAMPLES / "cohort", EXAMPLES / "cohort-after"
ORGS = ["Northbridge Health", "Ridgeway Health"]


def _run(fmt: str, *extra: str) -> str:
    result = runner.invoke(app, ["compare-cohort", str(BEFORE), str(AFTER), "-f", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_each_organisation_has_its_barriers_before_and_after():
    doc = json.loads(_run("json", "--min-group", "1"))  # every count shown, to add them up
    orgs = doc["organisations"]
    assert [(o["label"], o["n"], o["suppressed"]) for o in orgs] == [
        (ORGS[0], 18, False), (ORGS[1], 18, False)]
    assert sum(o["n"] for o in orgs) == doc["counts"]["paired"]
    # each organisation's counts add up to the cohort's
    total = {b["rule"]: (b["before"], b["after"]) for b in doc["barriers"]}
    for rule, (before, after) in total.items():
        parts = [next((b for b in o["barriers"] if b["rule"] == rule), None) for o in orgs]
        assert sum(p["before"] for p in parts if p) == before
        assert sum(p["after"] for p in parts if p) == after


@pytest.mark.parametrize("fmt", [f.value for f in CompareCohortFormat])
def test_every_format_shows_each_organisation(fmt):
    out = _run(fmt)
    if fmt == "json":
        assert [o["label"] for o in json.loads(out)["organisations"]] == ORGS
    elif fmt == "csv":
        rows = [r for r in csv.DictReader(io.StringIO(out))
                if r["section"] == "organisation_barrier"]
        assert {r["group"] for r in rows} == set(ORGS)
        assert {r["n"] for r in rows} == {"18"}
    else:
        for org in ORGS:
            assert f"{org} (18 paired)" in out


def _snap(org: str, barriers: set[str]) -> Snapshot:
    return Snapshot(group="clinical", organisation=org, scores=(), at_target=(),
                    needs=frozenset(), barriers=frozenset(barriers))


def test_a_small_organisation_is_withheld_with_its_complement(profiles):
    rule = "barrier-no-protected-time"
    pairs = ([(_snap("A", {rule}), _snap("A", set()))] * 7
             + [(_snap("B", {rule}), _snap("B", {rule}))] * 6
             + [(_snap("C", set()), _snap("C", {rule}))] * 3)
    orgs = {o.organisation: o for o in _organisations(pairs, profiles, 5)}
    assert (orgs["C"].n, orgs["C"].suppressed, orgs["C"].reason, orgs["C"].barriers) == (
        None, True, "fewer_than_min_group", [])
    assert (orgs["B"].n, orgs["B"].suppressed, orgs["B"].reason) == (None, True, "complementary")
    assert (orgs["A"].n, orgs["A"].suppressed) == (7, False)
    a = next(b for b in orgs["A"].barriers if b.rule == rule)
    # 7 before, 0 after, 7 resolved, 0 new: the zeros are fewer than 5, and "before" goes
    # with them (the paired not counted before, 7 - 7 = 0, would give it away)
    assert (a.before, a.after, a.resolved, a.new) == (None, None, 7, None)
    assert sorted(a.withheld) == ["after", "before", "new"]
    # one organisation: nothing to split
    assert _organisations(pairs[:7], profiles, 5) == []


def test_withheld_organisations_say_why_in_words(tmp_path):
    out = _run("markdown", "--min-group", "19")
    assert "Northbridge Health: fewer than 19 paired people, not shown on its own." in out
    doc = json.loads(_run("json", "--min-group", "19"))
    assert all(o["n"] is None and o["suppressed"] for o in doc["organisations"])
