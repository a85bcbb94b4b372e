"""The cohort report's programme proposal through `qim cohort`: it meets every need the engine
gives; title, date and summary in every format; the heat palette. (The cover itself:
tests/cohort/test_proposal.py.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.plan import TIERS, stage_tier, tier_fit
from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.render.text import date_words as fmt_date
from qim_cli.sheets.answers import load_sheet, sheet_to_data

runner = CliRunner()


def _write(folder: Path, sheet) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sheet.respondent.id}.toml").write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")


def test_proposal_meets_every_need_the_engine_gives(profiles):
    """Recompute each person's high-priority needs with the full (explained) engine and its
    plan, and check that every chosen session serves exactly the people it can at the tier
    their plan asks for, and every need is met."""
    files = sorted((EXAMPLES / "cohort").glob("*.toml"))
    # every count shown (--min-group 1) to check each one
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "json",
                                 "--min-group", "1"])
    assert result.exit_code == 0, result.stderr
    prop = json.loads(result.stdout)["proposal"]
    chosen = {s["id"] for s in prop["sessions"]}
    served = dict.fromkeys(chosen, 0)
    needs = unmet = people = 0
    for f in files:
        res = build_result(load_sheet(f, profiles), profiles, f.name)
        high = [c.id for c in res.competencies if c.priority_label == "high"]
        # the tier each need asks for: its objective's activity, else the career stage's
        planned = {c.id: TIERS.index(o.how.tier) for o in res.plan.objectives
                   for c in o.competencies}
        stage = stage_tier(profiles, res.respondent.career_stage)
        person_needs = {c: {r.training.id for r in res.recommendations if c in r.competencies
                            and tier_fit(r.training.tier, stage) is not None
                            and TIERS.index(r.training.tier) >= planned.get(c, stage)}
                        for c in high}
        met = [c for c, cands in person_needs.items() if cands]
        unmet += len(high) - len(met)
        needs += len(met)
        people += bool(met)
        for c in met:
            assert person_needs[c] & chosen, (f.name, c)  # every need is met by a chosen session
        for tid in chosen:
            served[tid] += any(tid in person_needs[c] for c in met)
    assert prop["needs"] == needs and prop["people"] == people
    assert sum(u["people"] for u in prop["unmet"]) == unmet
    assert {s["id"]: s["people"] for s in prop["sessions"]} == served
    assert prop["hours"] == sum(profiles.trainings[t].hours for t in chosen)
    peoples = [s["people"] for s in prop["sessions"]]
    assert peoples == sorted(peoples, reverse=True)


def test_proposal_for_a_made_up_cohort(profiles, tmp_path):
    # six clinical QIMs low in systems thinking (rated important), nothing else below target
    for i in range(6):
        _write(tmp_path, make_sheet(profiles, rid=f"c{i}", default=5,
                                    by_competency={"systems_thinking": 1}))
    doc = json.loads(runner.invoke(app, ["cohort", str(tmp_path), "--format", "json"]).stdout)
    prop = doc["proposal"]
    assert prop["people"] == 6 and prop["needs"] == 6 and prop["unmet"] == []
    assert len(prop["sessions"]) == 1
    (session,) = prop["sessions"]
    assert session["people"] == 6
    assert session["competencies"] == [{"id": "systems_thinking", "label": "Systems thinking",
                                        "people": 6, "note": None, "suppressed": False,
                                        "withheld": {}}]
    # the cheapest of the sessions recommended for it
    res = build_result(make_sheet(profiles, rid="x", default=5, by_competency={"systems_thinking": 1}),
                       profiles, "x")
    options = [r.training for r in res.recommendations if "systems_thinking" in r.competencies]
    assert session["hours"] == min(t.hours for t in options)
    # 6 of 6 below target says that 0 are not: withheld at the default threshold
    assert doc["most_below"] == []
    doc = json.loads(runner.invoke(app, ["cohort", str(tmp_path), "-f", "json", "--min-group",
                                         "1"]).stdout)
    assert doc["most_below"][0]["id"] == "systems_thinking" and doc["most_below"][0]["share"] == 1.0
    assert len(doc["most_below"]) == 1  # no other competency has anyone below target


def test_title_date_and_summary_in_every_format(tmp_path):
    cohort = str(EXAMPLES / "cohort")
    doc = json.loads(runner.invoke(app, ["cohort", cohort, "--format", "json", "--title",
                                         "Spring\n2026 <cohort>"]).stdout)
    assert doc["title"] == "Spring 2026 <cohort>"  # one line
    assert doc["date"] == date.today().isoformat()
    low = doc["most_below"]
    assert len(low) == 3
    shares = [c["below_target_share"] for c in doc["overall"]["competencies"]]
    assert [c["share"] for c in low] == sorted(shares, reverse=True)[:3]
    summary = (f"48 people, grouped by background: Clinical QIM (32) and Traditional QIM (16). "
               f"Most below target: {low[0]['label']} ("
               + (f"{low[0]['note']}; " if low[0]["note"] else "")
               + f"{low[0]['below_target']} of 48, {low[0]['share'] * 100:.0f}%)")
    for fmt in ("markdown", "html", "table"):
        out = runner.invoke(app, ["cohort", cohort, "--format", fmt, "--title", "Spring 2026 <cohort>"])
        assert out.exit_code == 0, out.stderr
        text = " ".join(out.stdout.split())
        if fmt == "html":
            import html as html_module

            text = html_module.unescape(text)
        assert summary in text, fmt
        assert fmt_date(date.today()) in text
    html = runner.invoke(app, ["cohort", cohort, "--format", "html", "--title", "Spring 2026 <cohort>"]).stdout
    assert "<h1>Spring 2026 &lt;cohort&gt;</h1>" in html
    md = runner.invoke(app, ["cohort", cohort, "--format", "markdown", "--title", "Spring 2026 <cohort>"]).stdout
    assert md.startswith("# Spring 2026 \\<cohort>\n")
    csv_out = runner.invoke(app, ["cohort", cohort, "--format", "csv"]).stdout
    programme = [line for line in csv_out.splitlines() if line.startswith("programme,")]
    assert len(programme) == len(doc["proposal"]["sessions"])


def test_reliability_rows_carry_the_item_wording(profiles):
    doc = json.loads(runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "json"]).stdout)
    rows = {(r["group"], r["competency"]): r for r in doc["reliability"]["rows"]}
    flagged = [(cid, it) for cid, r in rows.items() for it in r["item_total"] if it["low"]]
    assert flagged, "the example cohort has weak items to show"
    for _, it in flagged:
        assert it["text"] == profiles.items[it["item"]][1].text
    md = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "markdown"]).stdout
    html = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "html"]).stdout
    for _, it in flagged:
        assert f"{it['item']} “{it['text']}” (r = {it['r']:.2f})" in md
        assert it["text"].replace("'", "&#39;") in html


def test_heat_palette_is_sequential_with_a_key():
    from qim_cli.render.cohort.html import PALETTE, _contrast, _luminance, _rgb, heat, heat_class, legend

    # lightness falls steadily, so the order reads without hue (colour-blind readers, grey print)
    lum = [_luminance(_rgb(c)) for c in PALETTE]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)
    assert [heat_class(s) for s in (0.0, 0.199, 0.2, 0.5, 0.79, 0.8, 1.0)] == [0, 0, 1, 2, 3, 4, 4]
    assert heat(None)[0] == "#f3f6f9"
    for k in legend():
        assert _contrast(_luminance(_rgb(k["colour"])), _luminance(_rgb(k["ink"]))) >= 4.5
    html = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "html"]).stdout
    key = html.split('<ul class="legend"')[1].split("</ul>")[0]
    assert [t for t in ("0–19%", "20–39%", "40–59%", "60–79%", "80–100%", "no score") if t in key] == \
        ["0–19%", "20–39%", "40–59%", "60–79%", "80–100%", "no score"]
