"""The organisation's view through `qim cohort`: alignment findings linted by `qim framework
check`, the JSON and its schema, every format, and withheld cells read as withheld. (The
view in the library: tests/cohort/test_barriers.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from support.organisation import by_id, by_role, cell
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import ProfileError
from qim_cli.framework.profiles import load_profiles_uncached

runner = CliRunner()


def test_findings_are_linted(tmp_path: Path):
    copy = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", copy)
    path = copy / "alignment.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('barrier = ["protected_time"]', 'barrier = ["protected_tme"]')
                    .replace('sources = ["Q", "D"]', 'sources = ["Z"]'), encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profiles_uncached(copy)
    lines = exc.value.lines
    assert any('findings[managers-aligned-frontline-without-time].barrier: unknown context item '
               '"protected_tme"' in line for line in lines)
    assert any('findings[board-attends-no-infrastructure]: unknown source id "Z"' in line
               for line in lines)
    path.write_text(text.replace('barrier = ["protected_time"]',
                                 'barrier = ["middle_manager_capacity"]'), encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profiles_uncached(copy)
    assert "both sides ask about the same level (middle_managers)" in exc.value.lines[0]
    result = runner.invoke(app, ["framework", "check", "--profiles", str(copy)])
    assert result.exit_code == 65
    assert "alignment.toml: findings[managers-aligned-frontline-without-time]" in result.stderr


def test_cohort_json_from_the_command_carries_the_organisation(tmp_path: Path):
    result = runner.invoke(app, ["cohort", str(ROOT / "examples" / "cohort"), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    org = json.loads(result.stdout)["organisation"]
    assert org["columns"] == ["overall", "clinical", "traditional"]
    assert len(org["questions"]) == 10 and len(org["board_summary"]) == 3
    assert [lv["id"] for lv in org["levels"]] == ["front_line", "middle_managers", "board",
                                                  "organisation"]


def test_cohort_json_follows_its_schema_and_the_schema_catches_a_bad_cell():
    import jsonschema

    schema = json.loads(runner.invoke(app, ["schema", "cohort"]).stdout)
    doc = json.loads(runner.invoke(app, ["cohort", str(ROOT / "examples" / "cohort"), "-f", "json"]).stdout)
    jsonschema.validate(doc, schema)
    doc["organisation"]["questions"][0]["cells"][0]["share"] = "39%"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)
    small = json.loads(runner.invoke(app, ["cohort", str(ROOT / "examples" / "cohort"), "-f", "json",
                                           "--min-group", "100"]).stdout)
    assert small["organisation"] is None
    jsonschema.validate(small, schema)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv"])
def test_every_cohort_format_shows_the_organisation(fmt: str):
    doc = json.loads(runner.invoke(app, ["cohort", str(ROOT / "examples" / "cohort"), "-f", "json"]).stdout)
    org = doc["organisation"]
    result = runner.invoke(app, ["cohort", str(ROOT / "examples" / "cohort"), "-f", fmt])
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    if fmt == "csv":
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        front = next(r for r in rows if r["section"] == "org_level" and r["id"] == "front_line"
                     and r["group"] == "overall")
        c = cell(by_id(org["levels"], "front_line"))
        assert (int(front["n"]), int(front["people"]), float(front["share"]), float(front["mean"])) == \
            (c["n"], c["barrier"], c["share"], c["mean"])
        # the whole cohort's (each organisation's rows name it)
        board = [r["id"] for r in rows if r["section"] == "board" and not r["organisation"]]
        assert board == [b["rule"] for b in org["board_summary"]]
        with_barrier = {r["id"]: int(r["needs"]) for r in rows if r["section"] == "with_barrier"}
        assert with_barrier == {h["rule"]: h["needs"] for h in org["with_barrier"]["by_barrier"]}
        assert {r["id"] for r in rows if r["section"] == "alignment"} == {f["id"] for f in org["findings"]}
        return
    assert "For the board" in out
    for b in org["board_summary"]:
        assert b["title"] in out
        assert ", ".join(b["actor_labels"]) in out
        for a in b["actions"]:
            assert a["title"] in out
    assert "Where the levels disagree" in out
    assert "Needs that occur with a barrier" in out
    w = org["with_barrier"]
    assert f"{w['needs']} development needs of {w['people']} people occur with a barrier" in out
    assert "held back" not in out.lower()
    for lv in org["levels"]:
        assert lv["label"] in out
    assert "Physical and technological" in out


def test_withheld_cells_read_as_withheld(profiles, tmp_path: Path):
    import tomli_w

    sheets = by_role(profiles, {"nurse": 6, "physician": 7, "allied_health": 5}, {"allied_health": 2})
    for s in sheets:
        data = s.model_dump(mode="json", exclude_none=True)
        (tmp_path / f"{s.respondent.id}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    md = runner.invoke(app, ["cohort", str(tmp_path), "--by", "role", "-f", "markdown"]).stdout
    line = next(x for x in md.splitlines() if x.startswith("| Frontline staff in the areas I support have protected"))
    cells = [c.strip() for c in line.strip("|").split("|")][1:]
    # overall, allied health, nurse, physician
    assert cells[1] == cells[2] == "withheld"
    assert cells[0].startswith("44% of 16") and cells[3].startswith("43% of 7")
    assert "fired" in runner.invoke(app, ["cohort", str(tmp_path), "--by", "role", "-f", "csv"]).stdout
