"""REDCap: the data dictionary qim writes, and what REDCap's record exports look like.

A data dictionary is a CSV with REDCap's 18 columns, one row per field, which REDCap's
"Upload data dictionary" page turns into an instrument (or a survey). REDCap's rules, as
its own documentation states them: the first field is the record id; a variable name is
lower case letters, digits and underscores, starts with a letter and is best kept to 26
characters; choices are written "code, label | code, label"; "y" marks a required field
and an identifier; a text field's validation is one of REDCap's names (``number``,
``integer``, ``date_ymd`` ...) with an optional minimum and maximum; a ``descriptive``
field shows text and holds no data (REDCap's exports leave it out); branching logic is
written ``[variable] <> ''``.

The optional scenarios come after the questions, in their own section: per scenario a
descriptive field (its title, situation and question), then two radio fields with the
options a–d (the most likely and the least likely response), the second shown only once
the first is answered and required then. REDCap enforces a required field only while its
branching logic shows it, so a respondent gives both picks or neither. A second
descriptive field, shown by branching logic only while both picks are the same response,
asks for two different ones (REDCap has no check between two fields that stops a survey
from being submitted; ``qim import`` reports such a scenario and leaves it out).
"""

from __future__ import annotations

import csv
import html
import io

from ..framework import notice
from ..framework.profiles import Profiles
from .context import branching, sheet_fields, sheet_scales
from .fields import CONTEXT_FORM, RATING_FORM, SCENARIO_SECTION, SELF_FORM, Field

#: REDCap's 18 data dictionary columns, in its order and with its exact headers.
COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

#: Columns of a REDCap record export that hold bookkeeping, not answers (raw headers, then
#: the headers of the label export).
#: the descriptive field that holds the collection notice (no data: not a column of an export)
NOTICE_FIELD = "collection_notice"
BOOKKEEPING_RAW = ("record_id", "redcap_survey_identifier", "redcap_event_name",
                   "redcap_repeat_instrument", "redcap_repeat_instance",
                   "redcap_data_access_group")
BOOKKEEPING_LABELS = ("Record ID", "Survey Identifier", "Survey Timestamp", "Complete?",
                      "Event Name", "Repeat Instrument", "Repeat Instance", "Data Access Group")


def _text(text: str) -> str:
    """Profile text as REDCap shows it: a field label is HTML, so markup characters are escaped."""
    return html.escape(" ".join(text.split()), quote=False)


def _choice_label(text: str) -> str:
    # "|" separates choices and cannot be escaped in REDCap's syntax
    return _text(text).replace("|", "/")


def choices_text(f: Field) -> str:
    """REDCap's choice syntax: "1, Rarely or never | 2, Occasionally | ..."."""
    return " | ".join(f"{code}, {_choice_label(label)}" for code, label in f.choices)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _row(f: Field, form: str, section: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row["Variable / Field Name"] = f.var
    row["Form Name"] = form
    row["Section Header"] = _text(section)
    row["Field Label"] = _text(f.label)
    row["Field Note"] = _text(f.help)
    row["Required Field?"] = "y" if f.required else ""
    row["Identifier?"] = "y" if f.identifier else ""
    if f.kind in ("scale", "option"):
        row["Field Type"] = "radio"
        row["Choices, Calculations, OR Slider Labels"] = choices_text(f)
    elif f.kind == "choice":
        row["Field Type"] = "dropdown"
        row["Choices, Calculations, OR Slider Labels"] = choices_text(f)
    elif f.kind == "number":
        row["Field Type"] = "text"
        row["Text Validation Type OR Show Slider Number"] = "number"
        row["Text Validation Min"] = _fmt(f.minimum)
        row["Text Validation Max"] = _fmt(f.maximum)
    elif f.kind == "date":
        row["Field Type"] = "text"
        row["Text Validation Type OR Show Slider Number"] = "date_ymd"
        # filled in with the day the survey is opened, and not shown to the respondent
        row["Field Annotation"] = "@TODAY @HIDDEN-SURVEY" if f.automatic else ""
    elif f.kind == "notes":
        row["Field Type"] = "notes"
    else:
        row["Field Type"] = "text"
    return row


#: the scenarios' section header: what they are, and that they may be left out
SCENARIO_HEADER = (f"{SCENARIO_SECTION}: a reflection aid, not a validated test. For each "
                   "situation, choose the response you would most likely give and the one you "
                   "would least likely give (two different ones), or leave both out.")


def _situation(f: Field, profiles: Profiles, form: str) -> dict[str, str]:
    """The descriptive field before a scenario's picks: its title, situation and question."""
    sc = profiles.scenarios[f.scenario]
    row = dict.fromkeys(COLUMNS, "")
    row["Variable / Field Name"] = f.var.removesuffix("_best")
    row["Form Name"] = form
    row["Field Type"] = "descriptive"
    row["Field Label"] = "\n".join(_text(t) for t in (sc.title, sc.situation, sc.question))
    row["Field Note"] = _text(f"Competency: {f.group}")
    return row


#: the warning shown while a scenario's two picks are the same response
SAME_WARNING = ("You chose the same response as the most likely and the least likely one: "
                "change one of them, so that they are two different responses.")


def _same(stem: str, form: str) -> dict[str, str]:
    """The descriptive field that REDCap shows while both picks of a scenario are the same."""
    row = dict.fromkeys(COLUMNS, "")
    row["Variable / Field Name"] = f"{stem}_same"
    row["Form Name"] = form
    row["Field Type"] = "descriptive"
    row["Field Label"] = _text(SAME_WARNING)
    row["Field Note"] = _text("Shown by REDCap only while both responses are the same; a survey "
                              "tool without branching logic can leave it out.")
    row["Branching Logic (Show field only if...)"] = (
        f"[{stem}_worst] <> '' and [{stem}_worst] = [{stem}_best]")
    return row


def dictionary_rows(profiles: Profiles, *, rater: bool = False,
                    context: bool = False) -> list[dict[str, str]]:
    """The data dictionary as rows (column header -> cell). A context sheet's question
    worded for some levels of staff is shown to them only (branching logic on the level)."""
    form = CONTEXT_FORM if context else RATING_FORM if rater else SELF_FORM
    record = dict.fromkeys(COLUMNS, "")
    record.update({
        "Variable / Field Name": "record_id", "Form Name": form, "Field Type": "text",
        "Field Label": "Record ID",
        "Field Note": "Numbered by REDCap; qim does not use it.",
    })
    rows = [record]
    if not rater:  # the collection notice, before the first question (framework/notice.py)
        rows.append(dict.fromkeys(COLUMNS, "") | {
            "Variable / Field Name": NOTICE_FIELD, "Form Name": form,
            "Field Type": "descriptive", "Field Label": _text(notice.TEXT)})
    scales = sheet_scales(profiles, rater=rater, context=context)
    last_section = None
    for f in sheet_fields(profiles, rater=rater, context=context):
        section = ""
        if f.section != last_section:
            section = f.section
            if f.kind == "scale":  # the statements answer the scale's question
                section = f"{f.section}: {scales[f.table]}"
        last_section = f.section
        if f.kind == "option":
            if f.name == "best":
                rows.append(_situation(f, profiles, form))
                rows[-1]["Section Header"] = _text(SCENARIO_HEADER) if section else ""
            row = _row(f, form, "")
            if f.name == "worst":
                stem = f.var.removesuffix("_worst")
                # shown, and so required, once the most likely response is given
                row["Branching Logic (Show field only if...)"] = f"[{stem}_best] <> ''"
                row["Required Field?"] = "y"
                rows += [row, _same(stem, form)]
                continue
            rows.append(row)
            continue
        rows.append(_row(f, form, section))
        rows[-1]["Branching Logic (Show field only if...)"] = branching(f)
    return rows


def render_dictionary(profiles: Profiles, *, rater: bool = False, context: bool = False) -> str:
    """The data dictionary CSV, ready for REDCap's "Upload data dictionary"."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(dictionary_rows(profiles, rater=rater, context=context))
    return out.getvalue()


def label_headers(profiles: Profiles, *, rater: bool = False,
                  context: bool = False) -> dict[str, str]:
    """var -> the column header REDCap's label export gives it (the field label as text)."""
    return {f.var: html.unescape(_text(f.label))
            for f in sheet_fields(profiles, rater=rater, context=context)}


__all__ = ["BOOKKEEPING_LABELS", "BOOKKEEPING_RAW", "COLUMNS", "SAME_WARNING", "SCENARIO_HEADER",
           "choices_text", "dictionary_rows", "label_headers", "render_dictionary"]
