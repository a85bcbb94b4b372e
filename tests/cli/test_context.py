"""Context sheets: staff at any level of the organisation describe their workplace.

The third kind of sheet: made with `qim template --context`, checked by `qim validate`
like every sheet, described by `qim schema context`, set aside (counted, never scored)
by every batch command, and read into typed records by the library.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import tomllib
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES, ROOT, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.cohort.context import load_context_answers
from qim_cli.errors import NotFoundError
from qim_cli.framework.claims import claims
from qim_cli.sheets.answers import sheet_to_data
from qim_cli.sheets.context import ContextSheet, context_record, load_context

runner = CliRunner()
CONTEXT = EXAMPLES / "context"
LEVELS = ["front_line", "middle_managers", "senior_leaders", "board"]


def _filled(text: str, rid: str = "b-1", value: int | str = 3) -> str:
    """A template with its id and every answer filled in."""
    text = text.replace('id = ""', f'id = "{rid}"', 1)
    return re.sub(r'^([a-z_]+) = ""$', lambda m: f"{m[1]} = {json.dumps(value)}", text, flags=re.M)


def _sheet(rid: str = "fl-1", level: str = "front_line", organisation: str | None = "Northbridge",
           **answers: int | str) -> dict:
    respondent = {"id": rid, "level": level}
    if organisation is not None:
        respondent["organisation"] = organisation
    return {"schema_version": 1, "kind": "context", "respondent": respondent,
            "context": {"protected_time": 2, **answers}}


def _write(folder: Path, name: str, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the profile set


def test_the_levels_of_staff_and_their_wordings_are_data_with_passages(profiles):
    assert list(profiles.staff_levels) == LEVELS
    assert {k: v.level for k, v in profiles.staff_levels.items()} == {
        "front_line": "front_line", "middle_managers": "middle_managers",
        "senior_leaders": "board", "board": "board"}
    # first person for the level a question is about; the QIM's wording otherwise
    assert profiles.context_text("protected_time", "front_line") == (
        "I have protected time for improvement work and for training in it.")
    assert profiles.context_text("board_quality_time", "board").startswith("As a board, we ")
    assert profiles.context_text("leaders_role_model", "senior_leaders").startswith("I visibly")
    item = profiles.context_items["qi_infrastructure"]
    assert item.by_level is None
    assert profiles.context_text("qi_infrastructure", "board") == item.text
    assert profiles.context_text("protected_time") == profiles.context_items["protected_time"].text
    where = {c.where: c for c in claims(profiles.framework, profiles.backgrounds_file,
                                        profiles.trainings_file, profiles.rules_file,
                                        profiles.alignment, profiles.scenarios_file,
                                        profiles.table2)}
    assert {f"staff_levels.{k}" for k in LEVELS} <= set(where)
    worded = [c for c in where.values() if c.where.endswith(".by_level")]
    assert len(worded) == 8
    assert all(c.passage and "qim:" in c.passage and c.passage.startswith("P: ") for c in worded)


def _copy_profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", folder)
    return folder


def test_framework_check_refuses_a_wording_for_an_unknown_level_or_a_staff_level_of_the_organisation(tmp_path):
    folder = _copy_profiles(tmp_path)
    fw = folder / "framework.toml"
    fw.write_text(fw.read_text(encoding="utf-8").replace(
        '  board = "As a board, we give', '  boardroom = "As a board, we give'), encoding="utf-8")
    al = folder / "alignment.toml"
    al.write_text(al.read_text(encoding="utf-8").replace(
        'level = "middle_managers"\nsources = ["P"]', 'level = "organisation"\nsources = ["P"]'),
        encoding="utf-8")
    result = runner.invoke(app, ["framework", "check", "--profiles", str(folder)])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert (f"{al}: staff_levels.middle_managers.level: must be front_line, middle_managers or "
            "board (the organisation as a whole is what questions are about, not a level of "
            "staff)") in lines
    assert (f"{fw}: context[board_quality_time].by_level.text.boardroom: unknown level of staff "
            "(known: front_line, middle_managers, senior_leaders, board)") in lines


def test_a_profile_set_without_levels_of_staff_has_no_context_sheets(tmp_path):
    folder = _copy_profiles(tmp_path)
    (folder / "alignment.toml").unlink()
    for args in (["template", "--context"], ["form", "--context"], ["export", "redcap", "--context"]):
        result = runner.invoke(app, [*args, "--profiles", str(folder)])
        assert result.exit_code == 65, args
        assert result.stderr == (f"{folder / 'alignment.toml'}: names no levels of staff "
                                 "(staff_levels), so this profile set has no context sheets\n")
    # the QIMs' own sheets are unaffected
    assert runner.invoke(app, ["template", "--profiles", str(folder)]).exit_code == 0


# --------------------------------------------------------------------------- template, validate


def test_template_for_a_level_fills_it_in_and_words_every_question_for_it(tmp_path, profiles):
    board = runner.invoke(app, ["template", "--context", "--level", "board"])
    assert board.exit_code == 0, board.stderr
    text = board.stdout
    assert 'kind = "context"' in text and re.search(r'^level = "board" +# Board member$', text, re.M)
    flat = " ".join(text.split())
    assert "# As a board, we give protected time to quality" in flat
    assert "# I visibly spend time on improvement" in flat
    assert "areas I support" not in flat  # the QIM's wording is not a board member's
    assert "[answers]" not in text and "[importance]" not in text  # no competencies
    for q in profiles.context_items:
        assert re.search(rf'^{q} = ""$', text, re.M)
    sheet = tmp_path / "board-1.toml"
    sheet.write_text(_filled(text, "b-1", 4), encoding="utf-8")
    check = runner.invoke(app, ["validate", "--complete", str(sheet)])
    assert check.exit_code == 0, check.stderr
    assert check.stdout == (f"{sheet}: valid (context sheet, b-1, board member, 10 of 10 "
                            "questions answered)\n")
    # a blank one names what is missing, the level with its choices
    blank = tmp_path / "blank.toml"
    blank.write_text(runner.invoke(app, ["template", "--context"]).stdout, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(blank)])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == (f'{blank}: respondent.id: must start with a letter or digit and use only '
                        'letters, digits, ".", "_" or "-" (got "")')
    assert (f'{blank}: respondent.level: must be one of front_line, middle_managers, '
            'senior_leaders, board (got "")') in lines
    assert f'{blank}: context.protected_time: must be 1–5 or "na" (got "")' in lines


def test_template_without_a_level_shows_each_wording_with_the_levels_it_is_for():
    text = runner.invoke(app, ["template", "--context"]).stdout
    flat = " ".join(text.replace("#", " ").split())
    assert "Front line: I have protected time for improvement work and for training in it." in flat
    assert ("Senior leader and board member: Frontline staff in our organisation have "
            "protected time") in flat
    # a question worded alike for every level is shown once, without levels
    assert "My organisation invests in dedicated improvement staff" in flat
    assert "board member: My organisation invests" not in flat


@pytest.mark.parametrize(("args", "message"), [
    (["--level", "board"], "--level is for context sheets: add --context"),
    (["--context", "--level", "boss"],
     '--level: must be one of front_line, middle_managers, senior_leaders, board (got "boss")'),
    (["--context", "--level", "boar"], '--level: must be one of front_line, middle_managers, '
     'senior_leaders, board (got "boar") (did you mean "board"?)'),
    (["--context", "--rater", "peer", "--subject", "x"],
     "--context makes a context sheet: it takes --level, not --rater, --subject or --background"),
    (["--context", "-b", "clinical"],
     "--context makes a context sheet: it takes --level, not --rater, --subject or --background"),
])
def test_template_options_that_do_not_go_together_are_usage_errors(args, message):
    result = runner.invoke(app, ["template", *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(message), result.stderr


def test_validate_names_every_problem_of_a_context_sheet_on_its_own_line(tmp_path):
    data = _sheet(level="bord", protected_time=7, qi_infra=3)
    data["respondent"]["name"] = "A. Nurse"
    data["extra"] = 1
    bad = _write(tmp_path, "bad", data)
    result = runner.invoke(app, ["validate", "--complete", str(bad)])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        f"{bad}: respondent.name: unknown field",
        f'{bad}: context.protected_time: must be 1–5 or "na" (got 7)',
        f"{bad}: extra: unknown field",
    ]
    assert (f'{bad}: respondent.level: unknown level "bord" (did you mean "board"?) (known: '
            "front_line, middle_managers, senior_leaders, board)") in lines
    assert f"{bad}: context.qi_infra: unknown context item" in lines
    assert f"{bad}: context.qi_infrastructure: not answered" in lines  # --complete
    # an organisation is a name on one line, without spaces at either end
    spaced = _write(tmp_path, "spaced", _sheet(organisation=" Northbridge"))
    assert runner.invoke(app, ["validate", str(spaced)]).stderr == (
        f'{spaced}: respondent.organisation: must be a name on one line, printable, without '
        'spaces at either end (got " Northbridge")\n')


def test_a_kind_other_than_context_is_one_clear_line(tmp_path):
    data = _sheet()
    data["kind"] = "self"
    path = _write(tmp_path, "kind", data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 65
    assert result.stderr == (f'{path}: kind: must be "context" (got "self"); a self-assessment or '
                             "a colleague's rating has no kind\n")


def test_na_answers_are_counted_apart_and_standard_input_is_read(tmp_path):
    data = _sheet(frontline_engaged="na")
    result = runner.invoke(app, ["validate", "-"], input=tomli_w.dumps(data))
    assert result.exit_code == 0
    assert result.stdout == ('<stdin>: valid (context sheet, fl-1, front line, 1 of 10 questions '
                             'answered, 1 marked "na")\n')


def test_the_json_schema_has_the_levels_and_questions_and_agrees_with_validate(tmp_path, profiles):
    result = runner.invoke(app, ["schema", "context"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert schema["$defs"]["ContextRespondent"]["properties"]["level"]["enum"] == LEVELS
    for path in sorted(CONTEXT.glob("*.toml"))[:5]:
        data = json.loads(json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), default=str))
        assert list(validator.iter_errors(data)) == [], path
    good = _sheet()
    good["respondent"]["unit"] = "Ward 7"
    assert list(validator.iter_errors(good)) == []
    for bad in (_sheet(level="boss"), _sheet(protected_time=6), {**_sheet(), "answers": {}},
                _sheet(organisation="Northbridge "), {**_sheet(), "kind": "self"}):
        assert list(validator.iter_errors(bad)), bad
        path = _write(tmp_path, "bad", bad)
        assert runner.invoke(app, ["validate", str(path)]).exit_code == 65, bad


def test_a_context_sheet_is_not_a_qims_report(tmp_path):
    path = _write(tmp_path, "ctx", _sheet())
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 65
    assert result.stderr == (f"{path}: kind: a context sheet holds a staff member's answers about "
                             "their workplace, not a QIM's self-assessment; qim report reads a "
                             "self-assessment (and colleagues' ratings of it)\n")
    piped = runner.invoke(app, ["report", "-"], input=path.read_text(encoding="utf-8"))
    assert piped.exit_code == 65 and piped.stderr.startswith("<stdin>: kind: a context sheet")


# --------------------------------------------------------------------------- batches


@pytest.fixture
def mixed(tmp_path, profiles) -> Path:
    """Three QIMs and two context sheets in one folder."""
    folder = tmp_path / "mixed"
    for i in range(3):
        sheet = make_sheet(profiles, rid=f"q-{i}")
        _write(folder, f"q-{i}", sheet_to_data(sheet))
    _write(folder, "ctx-1", _sheet("fl-1"))
    _write(folder, "ctx-2", _sheet("b-1", "board"))
    return folder


SET_ASIDE = "2 context sheets set aside (staff's answers about their workplace, not scored as a QIM)"
COMPARED = "2 context sheets (staff's answers about their workplace, compared level by level)"


@pytest.mark.parametrize("command", ["score", "cohort", "pair"])
def test_every_batch_command_sets_context_sheets_aside_and_counts_them(mixed, command):
    extra = ["--min-group", "1"] if command == "cohort" else []
    result = runner.invoke(app, [command, str(mixed), *extra, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    said = COMPARED if command == "cohort" else SET_ASIDE  # qim cohort compares them
    assert result.stderr.splitlines()[-1] == f"qim {command}: 5 files: 3 good, 0 bad, {said}"
    if command == "score":
        assert [r["id"] for r in json.loads(result.stdout)] == ["q-0", "q-1", "q-2"]
    if command == "cohort":
        assert json.loads(result.stdout)["n"] == 3


def test_compare_cohort_and_report_of_a_folder_set_them_aside_too(mixed, tmp_path, profiles):
    result = runner.invoke(app, ["compare-cohort", str(mixed), str(mixed), "--min-group", "1",
                                 "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert f"qim compare-cohort (before): 5 files: 3 good, 0 bad, {SET_ASIDE}" in result.stderr
    one = tmp_path / "one"
    _write(one, "q", sheet_to_data(make_sheet(profiles, rid="q")))
    _write(one, "ctx", _sheet())
    report = runner.invoke(app, ["report", str(one), "-f", "json"])
    assert report.exit_code == 0, report.stderr
    assert json.loads(report.stdout)["respondent"]["id"] == "q"
    assert report.stderr == ("qim report: 1 context sheet set aside (staff's answers about their "
                             "workplace, not a QIM's self-assessment)\n")


def test_a_bad_context_sheet_is_a_bad_sheet_and_the_same_person_twice_is_left_out(mixed):
    _write(mixed, "ctx-3", _sheet("fl-2", level="nobody"))
    _write(mixed, "ctx-4", _sheet("FL-1"))  # fl-1 of Northbridge again, in other capitals
    _write(mixed, "ctx-5", _sheet("fl-1", organisation="Ridgeway"))  # another organisation's
    result = runner.invoke(app, ["score", str(mixed)])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0] == (f'{mixed / "ctx-3.toml"}: respondent.level: unknown level "nobody" '
                        "(known: front_line, middle_managers, senior_leaders, board)")
    assert lines[1] == (f'{mixed / "ctx-4.toml"}: respondent.id: "FL-1" is also the id of the '
                        f'context sheet {mixed / "ctx-1.toml"} (as "fl-1"); neither is used (keep '
                        "one sheet per person)")
    assert lines[-1] == ("qim score: 8 files: 3 good, 1 bad, 2 left out as duplicates, 2 context "
                         "sheets set aside (staff's answers about their workplace, not scored as "
                         "a QIM)")


# --------------------------------------------------------------------------- the library


def test_load_context_answers_reads_a_folders_context_sheets_into_records(profiles, mixed):
    answers = load_context_answers([CONTEXT], profiles)
    assert len(answers.records) == 58 and answers.tally.exit_code == 0
    assert answers.tally.line() == ("qim context: 58 files: 0 good, 0 bad, 58 context sheets set "
                                    "aside (staff's answers about their workplace, not scored as "
                                    "a QIM)")
    assert answers.organisations() == ["Northbridge Health", "Ridgeway Health"]
    by_org = answers.by_organisation()
    assert {k: len(v) for k, v in by_org.items()} == {"Northbridge Health": 32,
                                                      "Ridgeway Health": 26}
    levels = answers.by_level(profiles, "Ridgeway Health")
    assert {k: len(v) for k, v in levels.items()} == {"front_line": 11, "middle_managers": 6,
                                                      "senior_leaders": 4, "board": 5}
    first = answers.records[0]
    assert first == context_record(load_context(CONTEXT / f"{first.id}.toml", profiles),
                                   profiles, str(CONTEXT / f"{first.id}.toml"))
    assert set(first.by_question(profiles)) == set(profiles.context_items)
    # a folder of QIMs and context sheets: the QIMs counted, not kept; none given: None last
    mixed_answers = load_context_answers([mixed], profiles)
    assert [r.id for r in mixed_answers.records] == ["fl-1", "b-1"]
    assert mixed_answers.tally.good == 3
    _write(mixed, "ctx-9", _sheet("fl-9", organisation=None, frontline_engaged="na"))
    again = load_context_answers([mixed], profiles)
    assert again.organisations() == ["Northbridge", None]
    nine = next(r for r in again.records if r.id == "fl-9")
    assert nine.answer(profiles, "protected_time") == 2
    assert nine.answer(profiles, "frontline_engaged") is None  # "na" is no value
    assert nine.answer(profiles, "qi_infrastructure") is None  # not answered
    # bad sheets are said through notify, and counted
    _write(mixed, "ctx-bad", _sheet("fl-8", protected_time=9))
    said: list[str] = []
    bad = load_context_answers([mixed], profiles, notify=said.append)
    assert bad.tally.exit_code == 65 and len(said) == 1 and "ctx-bad.toml" in said[0]
    assert load_context_answers([mixed / "nothing-here", mixed], profiles).tally.exit_code == 65
    (mixed.parent / "empty").mkdir()
    with pytest.raises(NotFoundError):
        load_context_answers([mixed.parent / "empty"], profiles)


def test_a_context_record_keeps_one_byte_per_question_in_the_profile_sets_order(profiles):
    sheet = ContextSheet.model_validate(_sheet(frontline_engaged="na", qi_infrastructure=5))
    record = context_record(sheet, profiles, "x.toml")
    order = list(profiles.context_items)
    assert len(record.answers) == len(order)
    assert record.answers[order.index("protected_time")] == 2
    assert record.answers[order.index("qi_infrastructure")] == 5
    assert record.answers[order.index("frontline_engaged")] == 0


# --------------------------------------------------------------------------- the examples


def test_the_example_context_sheets_are_what_the_committed_generator_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("generate_context",
                                                  EXAMPLES / "generate_context.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    written = gen.generate(tmp_path / "context", gen.DEFAULT_SEED)
    committed = sorted(CONTEXT.glob("*.toml"))
    assert sorted(p.name for p in written) == [p.name for p in committed]
    for path in written:
        assert path.read_bytes() == (CONTEXT / path.name).read_bytes(), path.name
    with pytest.raises(FileExistsError):
        gen.generate(tmp_path / "context", gen.DEFAULT_SEED)
    assert gen.main(["--out", str(tmp_path / "other"), "--seed", "7"]) == 0


def test_the_examples_show_a_board_that_sees_protected_time_and_a_front_line_that_does_not(profiles):
    answers = load_context_answers([CONTEXT], profiles)
    result = runner.invoke(app, ["validate", "--complete", "-q", *map(str, sorted(CONTEXT.glob("*.toml")))])
    assert result.exit_code == 0, result.stderr

    def mean(org: str, level: str, question: str) -> float:
        values = [v for r in answers.by_level(profiles, org)[level]
                  if (v := r.answer(profiles, question)) is not None]
        return sum(values) / len(values)

    north = "Northbridge Health"
    assert mean(north, "board", "protected_time") >= 4 > 2 >= mean(north, "front_line",
                                                                   "protected_time")
    assert mean(north, "senior_leaders", "manageable_change_load") > 3 > mean(
        north, "front_line", "manageable_change_load")
    # the example cohort's QIMs work in the same two organisations
    orgs = {tomllib.loads(p.read_text(encoding="utf-8"))["respondent"]["organisation"]
            for p in (EXAMPLES / "cohort").glob("*.toml")}
    assert orgs == set(answers.organisations())
