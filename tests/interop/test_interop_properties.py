"""Round trip: a sheet -> an export row (raw codes or labels, CSV or Excel) -> qim import ->
the same sheet, for arbitrary valid self-assessments (scenario answers included) and ratings."""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qim_cli.framework.profiles import bundled_profiles_dir, load_profiles
from qim_cli.interop.fields import build_fields
from qim_cli.interop.importer import run_import
from qim_cli.interop.redcap import label_headers
from qim_cli.interop.rows import sheet_to_row
from qim_cli.sheets.answers import load_any, sheet_to_data
from qim_cli.sheets.models import AnswerSheet, RaterSheet

PROFILES = load_profiles(bundled_profiles_dir())
answer = st.one_of(st.integers(1, 5), st.just("na"))
# a scenario's picks: two different letters
picks = st.permutations(["a", "b", "c", "d"]).map(lambda keys: {"best": keys[0], "worst": keys[1]})
ident = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z")
# free text as people type it: any character but NUL and lone surrogates (not UTF-8)
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=300)
name = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60).map(
    str.strip).filter(bool)


@st.composite
def self_sheets(draw):
    background = draw(st.sampled_from(list(PROFILES.backgrounds)))
    role = draw(st.sampled_from([r.id for r in PROFILES.roles.values() if r.background == background]))
    respondent = {"id": draw(ident), "background": background, "role": role,
                  "years_as_qim": draw(st.one_of(st.integers(0, 60), st.floats(0, 60, allow_nan=False)))}
    if draw(st.booleans()):
        respondent["name"] = draw(name)
    if draw(st.booleans()):
        respondent["setting"] = draw(st.sampled_from(list(PROFILES.settings)))
    data = {
        "schema_version": 1, "respondent": respondent,
        "answers": draw(st.dictionaries(st.sampled_from(list(PROFILES.items)), answer)),
        "importance": draw(st.dictionaries(st.sampled_from(list(PROFILES.competencies)), st.integers(1, 5))),
        "context": draw(st.dictionaries(st.sampled_from(list(PROFILES.context_items)), answer)),
        "scenarios": draw(st.dictionaries(st.sampled_from(list(PROFILES.scenarios)), picks)),
    }
    if draw(st.booleans()):
        data["assessed_on"] = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)))
    notes = draw(st.one_of(st.none(), text.filter(str.strip)))
    if notes is not None:
        data["notes"] = notes
    return AnswerSheet.model_validate(data)


@st.composite
def ratings(draw):
    rater = {"role": draw(st.sampled_from(["line_manager", "peer", "frontline", "clinical_lead"]))}
    if draw(st.booleans()):
        rater["id"] = draw(ident)
    return RaterSheet.model_validate({
        "schema_version": 1, "subject": draw(ident), "rater": rater,
        "answers": draw(st.dictionaries(st.sampled_from(list(PROFILES.items)), answer, min_size=1)),
    })


def _export(sheet, folder: Path, *, labels: bool, excel: bool, rater: bool) -> Path:
    fields = build_fields(PROFILES, rater=rater)
    names = label_headers(PROFILES, rater=rater) if labels else {f.var: f.var for f in fields}
    data = sheet.model_dump(mode="json", exclude_none=True) if rater else sheet_to_data(sheet)
    row = sheet_to_row(data, fields, labels=labels)
    header = [names[f.var] for f in fields]
    cells = [row[f.var] for f in fields]
    if excel:
        from openpyxl import Workbook

        book = Workbook()
        for r, values in enumerate((header, cells), start=1):
            for c, value in enumerate(values, start=1):
                cell = book.active.cell(r, c, value or None)
                if value.startswith("="):
                    cell.data_type = "s"  # text that begins with "=", not a formula
        path = folder / "export.xlsx"
        book.save(path)
        return path
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(cells)
    path = folder / "export.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def _round_trip(sheet, *, labels: bool, excel: bool, rater: bool):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = _export(sheet, folder, labels=labels, excel=excel, rater=rater)
        report = run_import(source, folder / "out", PROFILES, rater=rater)
        assert report.problems == [] and len(report.written) == 1
        return load_any(report.written[0], PROFILES)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(self_sheets(), st.booleans(), st.booleans())
def test_a_self_assessment_survives_export_and_import(sheet, labels, excel):
    if excel and sheet.notes:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # an Excel cell cannot hold most control characters, and keeps no carriage return
        assume(not ILLEGAL_CHARACTERS_RE.search(sheet.notes) and "\r" not in sheet.notes)
    assert _round_trip(sheet, labels=labels, excel=excel, rater=False) == sheet


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ratings(), st.booleans())
def test_a_rating_survives_export_and_import(sheet, labels):
    assert _round_trip(sheet, labels=labels, excel=False, rater=True) == sheet
