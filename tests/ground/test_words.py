"""Sentences qim assembles from parts read well at the edges: none, one, two, many."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.cohort.results import CohortSummary, NeedCount, Proposal
from qim_cli.render.cohort import markdown as cohort_markdown
from qim_cli.render.cohort.words import summary as cohort_summary
from qim_cli.render.cohort.words import unmet_sentence
from qim_cli.render.formats import Layout
from qim_cli.render.person import markdown, table
from qim_cli.render.person.words import constrains_sentence, experience_words, stage_words, unanswered_words
from qim_cli.words import and_list, in_sentence, plural

runner = CliRunner()


@pytest.mark.parametrize(("words", "joined"), [
    ([], ""),
    (["a"], "a"),
    (["a", "b"], "a and b"),
    (["a", "b", "c"], "a, b and c"),
    (["a", "b", "c", "d"], "a, b, c and d"),
    # an item holding "and" itself: a comma marks the last item off
    (["middle managers", "the board and senior leaders"],
     "middle managers, and the board and senior leaders"),
    (iter(["x", "y"]), "x and y"),
])
def test_and_list(words, joined):
    assert and_list(words) == joined


@pytest.mark.parametrize(("n", "word", "many", "said"), [
    (0, "objective", None, "0 objectives"), (1, "objective", None, "1 objective"),
    (2, "objective", None, "2 objectives"), (1, "person", "people", "1 person"),
    (42, "person", "people", "42 people"), (2.5, "hour", None, "2.5 hours"),
    (1.0, "hour", None, "1 hour"),
])
def test_plural(n, word, many, said):
    assert plural(n, word, many) == said


def test_labels_inside_a_sentence_keep_their_acronyms():
    assert in_sentence("Long-term thinking") == "long-term thinking"
    assert in_sentence("QI knowledge and methods") == "QI knowledge and methods"
    assert in_sentence("Sense-giving") == "sense-giving"


def test_career_stage_and_years_are_said_once():
    label = "Early career (2 to 5 years as a QIM)"
    assert stage_words(label) == "early career"
    assert experience_words(3.5, label) == "3.5 years as a QIM (early career)"
    assert experience_words(1, "New (under 2 years as a QIM)") == "1 year as a QIM (new)"


@pytest.mark.parametrize(("labels", "sentence"), [
    (["Sense-giving"], "It may make work on sense-giving harder; it does not set that need aside."),
    (["Supportiveness", "Long-term thinking"],
     "It may make work on supportiveness and long-term thinking harder; it does not set those "
     "needs aside."),
    (["Supportiveness", "Long-term thinking", "QI knowledge and methods"],
     # "and" inside the last label: the comma marks it off
     "It may make work on supportiveness, long-term thinking, and QI knowledge and methods "
     "harder; it does not set those needs aside."),
])
def test_what_a_barrier_may_constrain(labels, sentence):
    assert constrains_sentence(labels) == sentence


@pytest.mark.parametrize(("counts", "said"), [
    ({"items": 1}, "1 item"),
    ({"items": 2, "importance": 0, "context": 1}, "2 items and 1 workplace question"),
    ({"items": 1, "importance": 1, "context": 3},
     "1 item, 1 importance rating and 3 workplace questions"),
])
def test_what_is_unanswered(counts, said):
    assert unanswered_words(counts) == said


# --------------------------------------------------------------------------- in the reports


def test_the_markdown_report_names_the_stage_once_and_the_constrained_needs_as_a_list(profiles):
    # 3.5 years, early career; low supportiveness and long-term thinking with no protected time
    sheet = make_sheet(profiles, years=3.5, by_competency={"supportiveness": 2, "long_term_thinking": 1},
                       context={"protected_time": 1})
    result = build_result(sheet, profiles, "s.toml")
    constrained = [b for b in result.plan.barriers if len(b.constrains) >= 2]
    assert constrained, "the sheet should give a barrier beside two needs"
    text = markdown.render(result, profiles, Layout())
    assert "3.5 years as a QIM (early career)" in text
    assert "((" not in text and "(Early career" not in text
    assert re.search(r"It may make work on (supportiveness|long-term thinking) and "
                     r"(supportiveness|long-term thinking) harder; it does not set those needs "
                     r"aside\.", " ".join(text.split()))
    assert "work on Supportiveness, Long-term thinking" not in text
    terminal = " ".join(table.render(result, profiles, Layout(width=120)).split())
    assert "3.5 years as a QIM (early career)" in terminal
    assert re.search(r"It may make your work on (supportiveness|long-term thinking) and", terminal)


def _example_cohort() -> CohortSummary:
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "json"])
    return CohortSummary.model_validate(json.loads(result.stdout))


def _one_session(doc: CohortSummary) -> CohortSummary:
    assert doc.proposal is not None
    prop = doc.proposal.model_copy(update={"needs": 1, "people": 1, "hours": 1.0,
                                           "sessions": doc.proposal.sessions[:1]})
    return doc.model_copy(update={"proposal": prop})


def test_the_cohort_summary_at_one_session_and_one_hour():
    doc = _one_session(_example_cohort())
    assert cohort_summary(doc)[-1] == ("A programme of 1 session (1 hour in all) meets 1 need "
                                       "of 1 person, each at the tier that person's own plan "
                                       "asks for.")


def _unmet(*counts: tuple[str, int]) -> Proposal:
    return Proposal(method="", met_means="", people=0, needs=0, sessions=[], hours=0.0,
                    preparation=[], unmet=[NeedCount(id=label.lower(), label=label, people=n, note=None)
                           for label, n in counts])


def test_needs_no_session_meets_read_well_for_one_and_for_several():
    one = unmet_sentence(_unmet(("Systems thinking", 1)), 1)
    assert one == ("Not met by any session: Systems thinking (1). No activity at the tier the "
                   "plan of this person asks for was recommended for it (for example, a gap too "
                   "small for a rule, or only a lighter activity or one for a later career "
                   "stage).")
    two = unmet_sentence(_unmet(("Systems thinking", 3), ("Long-term thinking", 2)), 1)
    assert two is not None
    assert two.endswith("No activity at the tier the plan of these people asks for was "
                        "recommended for them (for example, a gap too small for a rule, or only "
                        "a lighter activity or one for a later career stage).")
    assert unmet_sentence(_unmet(), 1) is None
    # withheld: a count of fewer than --min-group people
    few = _unmet(("Systems thinking", 1)).unmet[0].model_copy(update={"people": None})
    assert unmet_sentence(_unmet().model_copy(update={"unmet": [few]}), 5) == (
        "Not met by any session: Systems thinking (fewer than 5). No activity at the tier the "
        "plan of these people asks for was recommended for it (for example, a gap too small "
        "for a rule, or only a lighter activity or one for a later career stage).")


def test_the_cohort_report_counts_needs_and_people_in_words(profiles):
    text = cohort_markdown.render(_one_session(_example_cohort()), profiles, Layout())
    assert "(1 need of 1 person): 1 session, 1 hour of activity in all." in text
