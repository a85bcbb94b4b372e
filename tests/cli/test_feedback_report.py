"""The 360° report: colleagues' comments (threshold, escaping, no attribution, order),
behaviour by behaviour, the spread of ratings and whose view each score is."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.feedback import merge
from qim_cli.cli.app import app
from qim_cli.sheets.models import RaterSheet

runner = CliRunner()
HOSTILE = '<script>alert(1)</script> **bold** [link](http://x) [bold]rich[/bold] & &amp; | pipe'
SECRET_ID = "rater-secret-7"


def rating(profiles, role: str, level: int, *, comments: dict | None = None, rid: str | None = None,
           answers: dict | None = None) -> RaterSheet:
    values = {}
    for comp in profiles.competencies.values():
        for item in comp.items:
            values[item.id] = 6 - level if item.reverse else level
    values.update(answers or {})
    data = {"schema_version": 1, "subject": "t-1", "rater": {"role": role} | ({"id": rid} if rid else {}),
            "answers": values}
    if comments is not None:
        data["comments"] = comments
    return RaterSheet.model_validate(data)


def write_set(folder: Path, self_sheet, ratings) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "self.toml").write_text(tomli_w.dumps(self_sheet.model_dump(mode="json", exclude_none=True)))
    for i, r in enumerate(ratings):
        (folder / f"r{i}.toml").write_text(tomli_w.dumps(r.model_dump(mode="json", exclude_none=True)))
    return folder


@pytest.fixture
def commented(profiles):
    """3 peers who wrote comments, 2 front-line staff and a line manager who did too."""
    self_sheet = make_sheet(profiles, default=3)
    ratings = [
        rating(profiles, "peer", 4, comments={"strengths": "Peer strength one.", "develop": "Peer develop one."},
               rid=SECRET_ID),
        rating(profiles, "peer", 4, comments={"strengths": "Peer strength two.\nSecond line."}),
        rating(profiles, "peer", 3, comments={"develop": HOSTILE, "strengths": "   "}),
        rating(profiles, "frontline", 2, comments={"strengths": "Frontline said this."}),
        rating(profiles, "frontline", 4),
        rating(profiles, "line_manager", 3, comments={"develop": "Manager said this."}),
    ]
    return self_sheet, ratings


def test_comments_only_from_groups_at_the_threshold(profiles, commented):
    self_sheet, ratings = commented
    fb = merge(self_sheet, ratings, profiles, "self.toml")
    assert sorted(fb.comments.strengths) == ["Peer strength one.", "Peer strength two.\nSecond line."]
    assert sorted(fb.comments.develop) == sorted(["Peer develop one.", HOSTILE])
    assert fb.comments.withheld == 2  # the front-line and the line manager's comments
    assert "2 written comments are not shown: they come from a rater group with fewer than 3 raters." in fb.notices
    # a line manager shown apart by the organisation's choice still does not lower the bar
    fb = merge(self_sheet, ratings, profiles, "s", show_line_manager=True)
    assert "Manager said this." not in fb.comments.develop
    # with a threshold of 2, the front-line comment is shown; the single manager's is not
    fb = merge(self_sheet, ratings, profiles, "s", min_raters=2)
    assert "Frontline said this." in fb.comments.strengths and fb.comments.withheld == 1
    # a threshold above every group: nothing is shown
    fb = merge(self_sheet, ratings, profiles, "s", min_raters=4)
    assert fb.comments.strengths == [] and fb.comments.develop == [] and fb.comments.withheld == 6


def test_no_comments_no_section(profiles):
    fb = merge(make_sheet(profiles), [rating(profiles, "peer", 3) for _ in range(3)], profiles, "s")
    assert fb.comments is None
    assert "What colleagues wrote" not in runner.invoke(app, ["report", str(EXAMPLES / "nurse-early-career.toml"),
                                                             "-f", "html"]).stdout


def test_comment_order_is_fixed_by_the_text_not_the_files(profiles, commented, tmp_path):
    self_sheet, ratings = commented
    first = merge(self_sheet, ratings, profiles, "s").comments
    again = merge(self_sheet, list(reversed(ratings)), profiles, "s").comments
    assert first == again
    a = json.loads(runner.invoke(app, ["report", str(write_set(tmp_path / "a", self_sheet, ratings)),
                                       "-f", "json"]).stdout)["comments"]
    b = json.loads(runner.invoke(app, ["report", str(write_set(tmp_path / "b", self_sheet, ratings[::-1])),
                                       "-f", "json"]).stdout)["comments"]
    assert a == b == first.model_dump(mode="json")


@pytest.mark.parametrize("fmt", ["html", "markdown", "table", "json"])
def test_comments_are_escaped_and_unattributed(profiles, commented, tmp_path, fmt):
    folder = write_set(tmp_path, *commented)
    out = runner.invoke(app, ["report", str(folder), "--format", fmt])
    assert out.exit_code == 0, out.stderr
    text = out.stdout
    assert SECRET_ID not in text and "r0.toml" not in text  # no rater id, no file name
    assert "Frontline said this." not in text and "Manager said this." not in text
    if fmt == "json":
        assert json.loads(text)["comments"]["develop"].count(HOSTILE) == 1  # verbatim
    elif fmt == "html":
        assert "<script>alert" not in text
        assert ("&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](http://x) [bold]rich[/bold] "
                "&amp; &amp;amp; | pipe") in text
        section = text.split('id="comments"')[1].split("</section>")[0]
        assert "Peer" not in section.split("<ul")[0]  # the headings name no group
        assert "peer" not in section.lower().replace("peer strength", "").replace("peer develop", "")
    elif fmt == "markdown":
        from markdown_it import MarkdownIt

        html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
        assert "<script" not in html and "<strong>bold" not in html and "<a " not in html
        assert ("&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](http://x) [bold]rich[/bold] "
                "&amp; &amp;amp; | pipe") in html
        assert "Peer strength two.<br />\nSecond line." in html  # the line break is kept
    else:
        assert "[bold]rich[/bold]" in text  # Rich markup in a comment stays text


def test_rating_sheets_carry_comments_in_schema_and_template(profiles):
    schema = json.loads(runner.invoke(app, ["schema", "rating"]).stdout)
    comments = schema["$defs"]["Comments"]["properties"]
    assert set(comments) == {"strengths", "develop"}
    good = rating(profiles, "peer", 3, comments={"strengths": "Kind."}).model_dump(mode="json", exclude_none=True)
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(good | {"comments": {"praise": "x"}}, schema)
    feedback_schema = json.loads(runner.invoke(app, ["schema", "feedback"]).stdout)
    assert "Comments360" in feedback_schema["$defs"]


def test_an_unknown_comment_key_is_one_clear_line(tmp_path):
    text = (EXAMPLES / "360" / "rn-ward7-peer-p1.toml").read_text().replace("develop =", "improve =")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 65
    assert result.stderr.splitlines()[0].startswith(f"{bad}: comments.improve:")


def test_behaviours_highest_lowest_and_items_rated_higher_by_oneself(profiles):
    """Every colleague answers 3 except on two items; the self answers 3 except one item."""
    comps = profiles.competencies
    hc = [it for it in comps["healthcare_context"].items]
    reverse = next(it for c in comps.values() for it in c.items if it.reverse)
    self_sheet = make_sheet(profiles, default=3, answers={hc[0].id: 5, reverse.id: 1})
    high = {hc[1].id: 5}
    # the reverse item: colleagues see it often (5): on the scored scale that is 1, the lowest
    ratings = [rating(profiles, "peer", 3, answers=high | {reverse.id: 5}) for _ in range(3)]
    fb = merge(self_sheet, ratings, profiles, "s")
    items = {it.id: it for it in fb.items}
    assert len(fb.items) == len(profiles.items)
    assert fb.highest[0] == hc[1].id and items[hc[1].id].others_mean == 5.0
    assert fb.lowest[0] == reverse.id
    # hc[0]: self 5, colleagues 3 -> self higher by 2
    assert items[hc[0].id].difference == -2.0 and items[hc[0].id].agreement == "self_higher"
    # the reverse item: self answered 1 (rarely: scored 5), colleagues 5 (often: scored 1) -> self higher
    assert items[reverse.id].self_answer == 1 and items[reverse.id].others_mean == 5.0
    assert items[reverse.id].difference == -4.0 and items[reverse.id].agreement == "self_higher"
    # hc[1]: self 3, colleagues 5 -> hidden strength
    assert items[hc[1].id].agreement == "hidden_strength"
    # ties (every other item at 3) go to framework order after the clear winner
    order = list(profiles.items)
    rest = [i for i in order if i not in (hc[1].id, reverse.id)]
    assert fb.highest == [hc[1].id, *rest[:4]]
    assert fb.lowest == [reverse.id, *rest[:4]]
    html = runner.invoke(app, ["report", str(EXAMPLES / "360"), "-f", "html"]).stdout
    assert 'id="highest"' in html and 'id="lowest"' in html and 'id="item-self-higher"' in html


def test_item_averages_need_enough_raters(profiles):
    item = next(iter(profiles.items))
    ratings = [rating(profiles, "peer", 3) for _ in range(2)] + [rating(profiles, "peer", 3, answers={item: "na"})]
    fb = merge(make_sheet(profiles), ratings, profiles, "s")
    row = next(it for it in fb.items if it.id == item)
    assert row.others_raters == 2 and row.others_mean is None and row.agreement is None
    assert item not in fb.highest + fb.lowest


def test_spread_per_competency_by_hand(profiles):
    levels = [2, 3, 5, 4]
    ratings = [rating(profiles, "peer", lv) for lv in levels]
    fb = merge(make_sheet(profiles), ratings, profiles, "s")
    row = next(c for c in fb.competencies if c.id == "systems_thinking")
    assert row.spread.lowest == 2.0 and row.spread.highest == 5.0
    assert row.spread.sd == round(statistics.stdev(levels), 2) == 1.29
    fb = merge(make_sheet(profiles), ratings[:2], profiles, "s")  # below the threshold: no spread
    assert all(c.spread is None for c in fb.competencies)


def test_whose_view_each_score_is(profiles, tmp_path):
    # colleagues answer nothing on external orientation: the self view is kept there
    ext = [it.id for it in profiles.competencies["external_orientation"].items]
    ratings = [rating(profiles, "peer", 4, answers=dict.fromkeys(ext, "na")) for _ in range(3)]
    folder = write_set(tmp_path, make_sheet(profiles), ratings)
    md = runner.invoke(app, ["report", str(folder), "-f", "markdown"]).stdout
    row = next(line for line in md.splitlines() if line.startswith("| External stakeholder orientation"))
    assert row.endswith("| self |")
    row = next(line for line in md.splitlines() if line.startswith("| Systems thinking") and "others (" in line)
    assert row.endswith("| others (3) |")
    table = runner.invoke(app, ["report", str(folder)]).stdout
    assert ("Whose view the scores below are: colleagues' for all but External stakeholder orientation "
            "(self view).") in " ".join(table.split())


def test_titles_say_360(profiles):
    html = runner.invoke(app, ["report", str(EXAMPLES / "360"), "-f", "html"]).stdout
    assert "<title>360° feedback: Aroha Ngata (rn-ward7)</title>" in html
    md = runner.invoke(app, ["report", str(EXAMPLES / "360"), "-f", "markdown"]).stdout
    assert md.startswith("# 360° feedback: Aroha Ngata (rn-ward7)\n")
    assert 'id="self-others-chart"' in html
    # one row per competency, with a marker for self, all colleagues and the peers (3)
    chart = html.split('id="self-others-chart"')[1].split("</div>\n  <div class=\"table-wrap\"")[0]
    assert chart.count('class="dot-row"') == len(profiles.competencies)
    assert chart.count('class="series-self"') == len(profiles.competencies)
    assert chart.count('class="series-peer"') == len(profiles.competencies)
    assert 'class="series-frontline"' not in chart  # two front-line raters: not shown apart


def test_the_brief_names_self_higher_and_hidden_strengths():
    expected = ("Colleagues rate you at least a point above your own rating in Supportiveness (a hidden "
                "strength); you rate yourself at least a point above colleagues in Healthcare "
                "context. The plan uses colleagues' view wherever at least 3 of them rated a competency.")
    for fmt in ("markdown", "table", "html"):
        out = runner.invoke(app, ["report", str(EXAMPLES / "360"), "-f", fmt]).stdout
        assert expected.replace("'", "&#39;" if fmt == "html" else "'") in " ".join(out.split()), fmt


@pytest.mark.parametrize("columns", [120, 80, 60])
@pytest.mark.parametrize("case", ["example", "worst"])
def test_the_terminal_view_never_cuts_a_figure_at_any_width(tmp_path, case, columns):
    """Self against colleagues fits the terminal: a table at its natural widths, a compact
    one with wrapped headings, or one block per competency on a narrow terminal. Every
    figure is shown whole, as in JSON, and no line passes the terminal's width."""
    import re

    from support.feedback_worst import ARGS, write_worst_case

    if case == "worst":
        args = [str(write_worst_case(tmp_path / "worst")), *ARGS]
    else:
        args = [str(EXAMPLES / "360")]
    env = {"COLUMNS": str(columns)}
    table = runner.invoke(app, ["report", *args], env=env)
    data = runner.invoke(app, ["report", *args, "--format", "json"])
    assert table.exit_code == 0 and data.exit_code == 0, table.output + data.output
    fb = json.loads(data.stdout)
    assert max(len(line) for line in table.stdout.splitlines()) <= columns
    assert all(line == line.rstrip() for line in table.stdout.splitlines())
    section = table.stdout.split(f"Self and {fb['raters']} colleagues\n", 1)[1]
    section = section.split("Colleagues rate you", 1)[0].split("Colleagues and you agree", 1)[0]
    assert "…" not in section
    flat = re.sub(r"\s+", " ", section)
    groups = [g for g in ("line_manager", "peer", "frontline", "clinical_lead")
              if any(g in c["by_group"] for c in fb["competencies"])]
    if case == "worst":
        assert len(groups) == 4
    for c in fb["competencies"]:
        assert c["label"].split()[-1] in flat
        for figure in (f"{c['self_score']:.2f}", f"{c['others_score']:.2f} ({c['others_raters']})",
                       *(f"{c['by_group'][g]:.2f}" for g in groups), f"{c['difference']:+.2f}"):
            assert figure in flat, (c["label"], figure)


def test_the_terminal_360_leads_with_the_plan():
    """As in Markdown and HTML, the plan comes before the colleagues' detail."""
    out = runner.invoke(app, ["report", str(EXAMPLES / "360")]).stdout
    assert out.index("Development plan") < out.index("Self and 6 colleagues") \
        < out.index("Behaviour by behaviour")


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_no_behaviour_section_when_too_few_colleagues_answered(fmt):
    """With --min-raters above every group, no behaviour has enough colleagues: the section
    is left out, not shown empty under its heading."""
    few = runner.invoke(app, ["report", str(EXAMPLES / "360"), "--min-raters", "7", "-f", fmt])
    enough = runner.invoke(app, ["report", str(EXAMPLES / "360"), "-f", fmt])
    assert few.exit_code == 0 and enough.exit_code == 0
    assert "Behaviour by behaviour" not in few.stdout
    assert "Behaviour by behaviour" in enough.stdout


def test_the_stylesheet_marks_every_kind_of_disagreement():
    """Each agreement value a 360° row can carry has its style (the class is agreement-VALUE)."""
    from typing import get_args

    from qim_cli.assessment.feedback_results import Competency360

    css = (Path(__file__).resolve().parents[2] / "qim_cli" / "templates" / "style.css").read_text()
    values = [v for v in get_args(get_args(Competency360.model_fields["agreement"].annotation)[0])
              if v != "agree"]
    assert values == ["self_higher", "hidden_strength"]
    for value in values:
        assert f".agreement-{value} th" in css, value
