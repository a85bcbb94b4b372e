"""A context sheet as flat fields: staff at any level, each asked in the words of their level.

The fields of a context sheet (``kind = "context"``, sheets/context.py) for every outside
format: the respondent's id, level of staff, organisation and unit, then the workplace
questions. A question that the profile set words differently for some levels
(framework.toml's ``by_level``) has one field per wording, each for the levels asked it
(`Field.levels`), named ``<question>_<level code>`` (``protected_time_fl`` for the front
line): a REDCap survey shows each respondent the wording of the level they chose
(branching logic), and its export keeps one column per wording. A question worded alike for
every level has one field, named by its id.

For the importer, `context_fields(..., every_column=True)` also lists one field per
question for every level (named by the question's id, or its sheet key): a spreadsheet
with one column per question is read as well. A row's answer is read from the column of
its level's wording (`rows.py`); an answer in another level's column is reported.

`sheet_fields` is the one way in: the fields of a self-assessment, a rating or a context
sheet, whichever is asked for.
"""

from __future__ import annotations

from ..framework.profiles import Profiles
from ..sheets.context_template import wordings
from .fields import (
    RESERVED,
    Field,
    build_fields,
    place_fields,
    scale_choices,
    scale_names,
    variable_name,
)

#: the section of the workplace questions (a form's page, a data dictionary's section)
WORKPLACE = "Your workplace"
ABOUT = "About you"


def level_code(level: str) -> str:
    """A short code for a level of staff in a variable name: its words' initials
    (front_line -> fl, board -> b)."""
    return "".join(part[:1] for part in level.split("_") if part) or level[:2]


def _about(profiles: Profiles) -> list[Field]:
    levels = profiles.staff_levels
    return [
        Field("respondent.id", "respondent_id", "id", "Your id for these questions",
              'A code from whoever collects the answers, or one of your own: letters, digits, '
              '".", "_" or "-", starting with a letter or digit. No name is needed.', ABOUT),
        Field("respondent.level", "level", "choice", "Your level in the organisation",
              " ".join(f"{v.label}: {v.description}" for v in levels.values()), ABOUT,
              choices=tuple((k, v.label) for k, v in levels.items())),
        *place_fields("respondent", ABOUT),
        Field("assessed_on", "assessed_on", "date", "The date of your answers",
              "As 2026-03-02.", ABOUT, required=False, automatic=True),
    ]


def context_fields(profiles: Profiles, *, every_column: bool = False) -> list[Field]:
    """Every question of a context sheet, in the profile set's order: the details, then each
    workplace question (one field per wording), then the notes. `every_column` adds, before
    the wordings of a question worded differently for some levels, its field for every
    level (how a spreadsheet with one column per question names it)."""
    used: set[str] = set(RESERVED)
    scale = scale_choices(tuple(profiles.framework.scales.context.labels), "don't know")
    fields = _about(profiles)
    for item in profiles.framework.context:
        worded = wordings(profiles, item.id)
        if len(worded) == 1 or every_column:
            var = variable_name("", item.id, used)
            used.add(var)
            text = worded[0][1] if len(worded) == 1 else item.text
            fields.append(Field(f"context.{item.id}", var, "scale", text, item.help, WORKPLACE,
                                choices=scale))
        if len(worded) == 1:
            continue
        for levels, text in worded:
            var = variable_name("", f"{item.id}_{level_code(levels[0])}", used)
            used.add(var)
            fields.append(Field(f"context.{item.id}", var, "scale", text, item.help, WORKPLACE,
                                choices=scale, levels=tuple(levels)))
    fields.append(Field("notes", "notes", "notes", "Anything you want to add (optional)",
                        "Free text, kept with your answers.", "Notes", required=False))
    return fields


def form_fields(profiles: Profiles) -> list[Field]:
    """The questions of the offline form: one field per question, whose wording the page
    changes to the level the person chose (`form_wordings`)."""
    return [f for f in context_fields(profiles, every_column=True) if not f.levels]


def form_wordings(profiles: Profiles) -> dict[str, dict[str, str]]:
    """Sheet key -> level of staff -> the question as that level is asked it."""
    return {f"context.{item.id}": {level: profiles.context_text(item.id, level)
                                   for level in profiles.staff_levels}
            for item in profiles.framework.context}


def branching(f: Field, variable: str = "level") -> str:
    """REDCap's branching logic that shows a wording to its levels only ("" for all)."""
    return " or ".join(f"[{variable}] = '{level}'" for level in f.levels)


def sheet_fields(profiles: Profiles, *, rater: bool = False, context: bool = False,
                 every_column: bool = False) -> list[Field]:
    """The fields of a self-assessment, a colleague's rating (`rater`) or a context sheet
    (`context`; `every_column` as in `context_fields`)."""
    if context:
        return context_fields(profiles, every_column=every_column)
    return build_fields(profiles, rater=rater)


def sheet_scales(profiles: Profiles, *, rater: bool = False,
                 context: bool = False) -> dict[str, str]:
    """Section -> the scale's question, for whichever kind of sheet."""
    if context:
        return {"context": profiles.framework.scales.context.name}
    return scale_names(profiles, rater=rater)


__all__ = ["ABOUT", "WORKPLACE", "branching", "context_fields", "form_fields", "form_wordings",
           "level_code", "sheet_fields", "sheet_scales"]
