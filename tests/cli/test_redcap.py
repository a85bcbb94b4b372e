"""`qim export redcap`: the data dictionary checked against REDCap's own rules.

The rules, as REDCap's documentation and its data dictionary template state them: the 18
columns in REDCap's order and spelling; the record id first; variable names lower case
letters, digits and _, starting with a letter, at most 26 characters, unique; field types
and text validations from REDCap's lists; choices "code, label | code, label"; "y" for a
required field and an identifier; one form name, lower case.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT
from support.forms import NAME, check_redcap_rules, choices, export_dictionary, parse_dictionary
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.framework.profiles import load_profiles_uncached
from qim_cli.interop.fields import build_fields, variable_name

runner = CliRunner()

def test_self_assessment_dictionary_follows_redcap_rules(profiles):
    rows = export_dictionary()
    check_redcap_rules(rows)
    by_name = {r["Variable / Field Name"]: r for r in rows}
    fw = profiles.framework
    perf = [(str(i), label) for i, label in enumerate(fw.scales.performance.labels, 1)]
    imp = [(str(i), label) for i, label in enumerate(fw.scales.importance.labels, 1)]
    ctx = [(str(i), label) for i, label in enumerate(fw.scales.context.labels, 1)]

    # every item: a required radio with the scale's labels, "na" its own code, help as note
    for item_id, (_comp, item) in profiles.items.items():
        r = by_name[item_id]
        assert r["Field Type"] == "radio" and r["Required Field?"] == "y"
        assert r["Field Label"] == item.text.replace("&", "&amp;")
        assert r["Field Note"] == item.help.replace("&", "&amp;")
        assert choices(r["Choices, Calculations, OR Slider Labels"]) == perf + [
            ("na", "Not applicable / don't know")]
    # importance: 1–5, no "na"; context: 1–5 and "na" (don't know)
    importance = [r for r in rows if r["Variable / Field Name"].startswith("imp_")]
    assert len(importance) == len(profiles.competencies)
    for r in importance:
        assert choices(r["Choices, Calculations, OR Slider Labels"]) == imp
    labels = {r["Field Label"] for r in importance}
    assert labels == {c.importance_question for c in fw.competencies}
    context = [r for r in rows if r["Variable / Field Name"].startswith("ctx_")]
    assert {r["Field Label"] for r in context} == {c.text for c in fw.context}
    for r in context:
        assert choices(r["Choices, Calculations, OR Slider Labels"]) == ctx + [("na", "Don't know")]
    # a context id too long for REDCap is shortened, still unique and within 26 characters
    assert "ctx_middle_manager_capacity" not in by_name  # 27 characters
    assert [n for n in by_name if n.startswith("ctx_middle_manager_ca")] == [
        variable_name("ctx_", "middle_manager_capacity", set())]

    # the respondent: dropdowns with the profile's ids as codes, years a validated number
    assert choices(by_name["background"]["Choices, Calculations, OR Slider Labels"]) == [
        (b.id, b.label) for b in profiles.backgrounds.values()]
    assert by_name["background"]["Field Type"] == "dropdown"
    assert choices(by_name["role"]["Choices, Calculations, OR Slider Labels"]) == [
        (r.id, r.label) for r in profiles.roles.values()]
    years = by_name["years_as_qim"]
    assert (years["Field Type"], years["Text Validation Type OR Show Slider Number"],
            years["Text Validation Min"], years["Text Validation Max"]) == ("text", "number", "0", "60")
    assert by_name["respondent_id"]["Required Field?"] == "y"
    assert by_name["name"]["Identifier?"] == "y" and by_name["name"]["Required Field?"] == ""
    assert by_name["setting"]["Required Field?"] == "" and by_name["notes"]["Field Type"] == "notes"
    optional = {r["Variable / Field Name"] for r in rows if r["Required Field?"] != "y"
                and not r["Variable / Field Name"].startswith("sc_")}  # the scenarios: below
    assert optional == {"record_id", "collection_notice", "name", "years_in_healthcare",
                        "setting", "organisation", "unit", "assessed_on", "notes"}
    # the day of the self-check: a date REDCap fills in itself, not shown in the survey
    dated = by_name["assessed_on"]
    assert (dated["Field Type"], dated["Text Validation Type OR Show Slider Number"],
            dated["Field Annotation"]) == ("text", "date_ymd", "@TODAY @HIDDEN-SURVEY")

    # one section per theme (plus the details, importance, the organisation and notes),
    # each header at the first field of its part, in qim assess's order
    sections = [(r["Variable / Field Name"], r["Section Header"]) for r in rows if r["Section Header"]]
    themes = [t.label for t in fw.themes]
    expected = ["About you", *(f"{t}: {fw.scales.performance.name}" for t in themes),
                f"Importance to your role: {fw.scales.importance.name}",
                f"Your organisation: {fw.scales.context.name}",
                "Scenarios (optional): a reflection aid, not a validated test. For each situation, "
                "choose the response you would most likely give and the one you would least likely "
                "give (two different ones), or leave both out.", "Notes"]
    assert [s for _, s in sections] == expected
    first_items = []
    for theme in fw.themes:
        comp = next(c for c in fw.competencies if c.theme == theme.id)
        first_items.append(comp.items[0].id)
    assert [n for n, _ in sections[1:4]] == first_items


def test_rating_dictionary_uses_observer_wording_and_no_importance(profiles):
    rows = export_dictionary("--rater")
    check_redcap_rules(rows)
    assert rows[0]["Form Name"] == "qim_rating"
    by_name = {r["Variable / Field Name"]: r for r in rows}
    assert choices(by_name["rater_role"]["Choices, Calculations, OR Slider Labels"])[0][0] == "line_manager"
    assert by_name["subject"]["Required Field?"] == "y" and by_name["rater_id"]["Required Field?"] == ""
    for item_id, (_comp, item) in profiles.items.items():
        assert by_name[item_id]["Field Label"] == item.observer_text
        assert by_name[item_id]["Choices, Calculations, OR Slider Labels"].endswith(
            "| na, Not seen / don't know")
    assert not any(n.startswith(("imp_", "ctx_")) for n in by_name)


def test_dictionary_written_to_a_file_never_overwrites(tmp_path):
    out = tmp_path / "dd.csv"
    assert runner.invoke(app, ["export", "redcap", "-o", str(out)]).exit_code == 0
    parse_dictionary(out.read_text(encoding="utf-8"))
    again = runner.invoke(app, ["export", "redcap", "-o", str(out)])
    assert again.exit_code == 73 and "already exists (use --force to overwrite)" in again.stderr
    assert runner.invoke(app, ["export", "redcap", "--rater", "-o", str(out), "--force"]).exit_code == 0
    assert "qim_rating" in out.read_text(encoding="utf-8")


def test_long_ids_and_markup_in_an_edited_profile_set_stay_within_redcap_rules(tmp_path):
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    fw = dest / "framework.toml"
    long_id = "a_very_long_competency_identifier_for_testing"
    text = fw.read_text(encoding="utf-8").replace('"healthcare_context"', f'"{long_id}"')
    text = text.replace('id = "hc_01"', 'id = "hc_01_an_item_id_far_longer_than_redcap_allows"')
    text = text.replace("including the clinical steps.", "including <b>the</b> clinical steps | & more.")
    fw.write_text(text, encoding="utf-8")
    for f in ("backgrounds.toml", "standard.toml", "rules.toml", "scenarios.toml", "precision.toml"):
        p = dest / f
        p.write_text(p.read_text(encoding="utf-8").replace("healthcare_context", long_id), encoding="utf-8")
    result = runner.invoke(app, ["export", "redcap", "--profiles", str(dest)])
    assert result.exit_code == 0, result.stderr
    rows = parse_dictionary(result.stdout)
    check_redcap_rules(rows)
    item = next(r for r in rows if r["Variable / Field Name"].startswith("hc_01_"))
    assert "&lt;b&gt;the&lt;/b&gt; clinical steps | &amp; more." in item["Field Label"]
    # the shortened names are the ones the importer reads back
    prof = load_profiles_uncached(dest)
    fields = {f.var: f.key for f in build_fields(prof)}
    assert fields[item["Variable / Field Name"]] == "answers.hc_01_an_item_id_far_longer_than_redcap_allows"


@pytest.mark.parametrize("prefix,ident", [("", "x" * 40), ("ctx_", "middle_manager_capacity"),
                                          ("imp_", "9lives")])
def test_variable_names_are_valid_stable_and_unique(prefix, ident):
    used: set[str] = set()
    first = variable_name(prefix, ident, used)
    assert NAME.match(first) and len(first) <= 26
    assert variable_name(prefix, ident, set()) == first  # the same every time
    used.add(first)
    second = variable_name(prefix, ident, used)
    assert second != first and NAME.match(second) and len(second) <= 26


def test_example_dictionary_is_the_current_one(tmp_path):
    out = tmp_path / "dd.csv"
    assert runner.invoke(app, ["export", "redcap", "-o", str(out)]).exit_code == 0
    example = ROOT / "examples" / "exports" / "redcap-data-dictionary.csv"
    assert example.read_bytes() == out.read_bytes()


# --- the optional scenarios: their own section after the questions -------------------------

def test_scenarios_are_a_descriptive_field_two_radio_fields_and_a_warning_each(profiles):
    rows = export_dictionary()
    check_redcap_rules(rows)
    names = [r["Variable / Field Name"] for r in rows]
    scenarios = list(profiles.scenarios.values())
    first = names.index(next(n for n in names if n.startswith("sc_")))
    # after every question (the organisation's last one) and before the notes
    assert names[first - 1].startswith("ctx_") and names[-1] == "notes"
    part = rows[first:-1]
    assert len(part) == 4 * len(scenarios) == 56
    assert part[0]["Section Header"].startswith("Scenarios (optional): a reflection aid, not a "
                                                "validated test.")
    assert [r["Section Header"] for r in part[1:]] == [""] * (len(part) - 1)
    fours = [tuple(part[i:i + 4]) for i in range(0, len(part), 4)]
    for sc, (text, best, worst, same) in zip(scenarios, fours, strict=True):
        stem = text["Variable / Field Name"]
        assert (best["Variable / Field Name"], worst["Variable / Field Name"],
                same["Variable / Field Name"]) == (f"{stem}_best", f"{stem}_worst", f"{stem}_same")
        # the situation: text only, no answer, no choices, not required
        assert text["Field Type"] == "descriptive" and text["Required Field?"] == ""
        assert text["Field Label"].split("\n") == [
            " ".join(t.split()).replace("&", "&amp;") for t in (sc.title, sc.situation, sc.question)]
        assert text["Field Note"] == f"Competency: {profiles.competencies[sc.competency].label}"
        options = [(o.key, o.text.replace("&", "&amp;")) for o in sorted(sc.option, key=lambda o: o.key)]
        for pick, row in (("most", best), ("least", worst)):
            assert row["Field Type"] == "radio"
            assert choices(row["Choices, Calculations, OR Slider Labels"]) == options
            assert row["Field Label"].endswith(f"Which response would you be {pick} likely to give?")
            assert row["Field Label"].startswith(sc.title)
        # both or neither: the most likely is optional; the least likely is shown once the most
        # likely is answered, and required then (REDCap enforces "required" on a shown field only)
        assert best["Branching Logic (Show field only if...)"] == ""
        assert best["Required Field?"] == ""
        assert worst["Branching Logic (Show field only if...)"] == f"[{stem}_best] <> ''"
        assert worst["Required Field?"] == "y"
        # two different ones: a warning REDCap shows while both are the same response
        assert same["Field Type"] == "descriptive" and same["Required Field?"] == ""
        assert same["Branching Logic (Show field only if...)"] == (
            f"[{stem}_worst] <> '' and [{stem}_worst] = [{stem}_best]")
        assert same["Field Label"] == (
            "You chose the same response as the most likely and the least likely one: change "
            "one of them, so that they are two different responses.")
    # the names: the id itself where "<id>_worst" fits in 26 characters, else shortened
    assert "sc_qi_methods_1" in names and "sc_trustworthiness_2_worst" in names
    long_ones = [n for n in names if n.startswith("sc_healthcare_c")]
    assert len(long_ones) == 8 and all(len(n) <= 26 for n in long_ones)
    # a rating form has no scenarios
    assert not any(r["Variable / Field Name"].startswith("sc_") for r in export_dictionary("--rater"))


def test_a_profile_set_without_scenarios_exports_no_scenario_section(tmp_path):
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    (dest / "scenarios.toml").unlink()
    rows = parse_dictionary(runner.invoke(app, ["export", "redcap", "--profiles", str(dest)]).stdout)
    check_redcap_rules(rows)
    # the one descriptive field left is the collection notice
    assert [r["Variable / Field Name"] for r in rows if r["Field Type"] == "descriptive"] == \
        ["collection_notice"]
    assert not any("Scenarios" in r["Section Header"] for r in rows)
