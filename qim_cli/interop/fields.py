"""The questions as flat fields: one list that every outside format shares.

A sheet is nested (``[respondent]``, ``[answers]`` ...); a survey tool, a spreadsheet or a
REDCap project is flat: one column per question. ``build_fields`` lists the columns of a
self-assessment or of a colleague's rating, in the order ``qim assess`` asks them, each
with its sheet key, a variable name that REDCap accepts, the question's wording, its help
text and its choices. The data dictionary, the importer and the offline form all read it.

When the profile set has scenarios, a self-assessment also lists each scenario's two
optional picks (kind ``option``, choices a–d with the options' texts) after the context
questions: ``scenarios.<id>.best`` and ``scenarios.<id>.worst``, named ``<stem>_best`` and
``<stem>_worst`` where ``<stem>`` (the scenario id, shortened when needed) also names the
situation's descriptive field in REDCap (and ``<stem>_same`` its warning that the two picks
are the same). Their labels are unique however the importer compares them: a title that
another scenario's title matches, once spaces, case, typographic quotes and a final full
stop are set aside, gets the scenario id after it.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Literal

from ..framework.profiles import Profiles
from ..sheets.flow import MAX_YEARS, build_steps
from ..sheets.template import RATER_LABELS

Kind = Literal["id", "text", "choice", "number", "date", "scale", "notes", "option"]

#: REDCap's rule for a variable name: lower case letters, digits and _, starting with a
#: letter; at most 26 characters (REDCap allows longer names but warns against them).
VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,25}$")
MAX_VARIABLE = 26

#: the answer "not applicable / don't know" and how a sheet writes it
NA = "na"

#: variable names qim uses for the details about the respondent or rater (and REDCap's own)
RESERVED = frozenset({
    "record_id", "respondent_id", "name", "background", "role", "years_as_qim",
    "years_in_healthcare", "setting", "organisation", "unit", "level",
    "rater_organisation", "rater_unit",
    "notes", "assessed_on", "subject", "rater_role", "rater_id", "comments_strengths",
    "comments_develop", "redcap_event_name",
    "redcap_repeat_instrument", "redcap_repeat_instance", "redcap_data_access_group",
    "redcap_survey_identifier",
})

SELF_FORM = "qim_self_assessment"
#: the section of the optional scenarios (a form's page, a data dictionary's section)
SCENARIO_SECTION = "Scenarios (optional)"
SCENARIO_TABLE = "scenarios"
PICKS = ("best", "worst")
#: what each pick asks, after the scenario's title
PICK_QUESTIONS = {"best": "Which response would you be most likely to give?",
                  "worst": "Which response would you be least likely to give?"}
#: each pick in a message ("scenario sc_x, least likely response")
PICK_NAMES = {"best": "most likely response", "worst": "least likely response"}
#: the suffixes of a scenario's variable names after its stem (``_same``: REDCap's warning)
STEM_SUFFIXES = ("", "_best", "_worst", "_same")
RATING_FORM = "qim_rating"
CONTEXT_FORM = "qim_context"


_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Text compared loosely: spaces collapsed, case folded, typographic quotes made plain
    (how the importer compares a column's header or a cell with a label)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip().casefold()


def title_key(title: str) -> str:
    """A scenario's title as the importer tells titles apart: normalised as ``norm`` does,
    markup entities read, and final punctuation set aside ("X." and "x" are the same)."""
    return norm(html.unescape(title)).rstrip(" .?!…:;")


@dataclass(frozen=True)
class Field:
    """One flat question: where its answer goes in a sheet and how it is asked."""

    key: str  # dotted sheet key: respondent.id, answers.hc_01, importance.x, rater.role, notes
    var: str  # REDCap variable name; also the column header of a generic spreadsheet
    kind: Kind
    label: str  # the question's exact wording
    help: str = ""
    section: str = ""  # the page or section the question belongs to (a theme for items)
    group: str = ""  # the competency, for items and importance questions
    choices: tuple[tuple[str, str], ...] = ()  # (code, label); codes as a sheet writes them
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    identifier: bool = False  # names a person (REDCap's "Identifier?")
    automatic: bool = False  # filled in by the tool (today's date), not asked
    #: a context sheet's question as these levels of staff are asked it (shown only to
    #: them); empty: for every level (interop/context.py)
    levels: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        """The sheet table the answer goes in ("" for a top-level key)."""
        return self.key.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]

    @property
    def scenario(self) -> str:
        """The scenario id of a scenario's pick ("" for every other field)."""
        parts = self.key.split(".")
        return parts[1] if self.kind == "option" and len(parts) == 3 else ""


def variable_name(prefix: str, ident: str, used: set[str]) -> str:
    """A REDCap variable name for an id: prefix + id, shortened with a stable digest when
    it is too long or already taken. Deterministic, so an export can be mapped back."""
    name = prefix + ident
    if VARIABLE_NAME.match(name) and name not in used:
        return name
    salt = 0
    while True:
        digest = hashlib.sha256(f"{prefix}{ident}:{salt}".encode()).hexdigest()[:4]
        stem = re.sub(r"[^a-z0-9_]", "_", name.lower())
        if not stem[:1].isalpha():
            stem = "q_" + stem
        short = f"{stem[: MAX_VARIABLE - 5].rstrip('_')}_{digest}"
        if short not in used:
            return short
        salt += 1


def scenario_stem(sid: str, used: set[str]) -> str:
    """The stem of a scenario's variable names: the id itself when ``<id>_worst`` fits
    REDCap's 26 characters and none of the three names is taken, else the id shortened with
    a stable digest (``sc_healthcare_c_3f2a``)."""
    def free(stem: str) -> bool:
        names = [stem + suffix for suffix in STEM_SUFFIXES]
        return all(VARIABLE_NAME.match(n) and n not in used for n in names)

    stem = re.sub(r"[^a-z0-9_]", "_", sid.lower())
    if not stem[:1].isalpha():
        stem = "s_" + stem
    if free(stem):
        return stem
    salt = 0
    while True:
        digest = hashlib.sha256(f"{sid}:{salt}".encode()).hexdigest()[:4]
        short = f"{stem[: MAX_VARIABLE - len('_worst') - 5].rstrip('_')}_{digest}"
        if free(short):
            return short
        salt += 1


def _unique_titles(profiles: Profiles) -> dict[str, str]:
    """Scenario id -> the title its questions start with. A title that another one matches
    as the importer compares them gets the id after it, so that every label stays unique
    (else an export whose columns are the labels could not be read back)."""
    marked: set[str] = set()
    while True:
        titles = {sc.id: f"{sc.title} ({sc.id})" if sc.id in marked else sc.title
                  for sc in profiles.scenarios.values()}
        seen: dict[str, list[str]] = {}
        for sid, title in titles.items():
            seen.setdefault(title_key(title), []).append(sid)
        clash = {sid for group in seen.values() if len(group) > 1 for sid in group} - marked
        if not clash:
            return titles
        marked |= clash


def scenario_fields(profiles: Profiles, used: set[str]) -> list[Field]:
    """Each scenario's two optional picks, in the profile set's order (adds their names and
    those of REDCap's descriptive fields of the scenario to ``used``)."""
    fields: list[Field] = []
    titles = _unique_titles(profiles)
    for sc in profiles.scenarios.values():
        stem = scenario_stem(sc.id, used)
        used.update(stem + suffix for suffix in STEM_SUFFIXES)
        title = titles[sc.id]
        title += " " if title.endswith((".", "?", "!")) else ". "
        choices = tuple((o.key, o.text) for o in sorted(sc.option, key=lambda o: o.key))
        competency = profiles.competencies[sc.competency].label
        for pick in PICKS:
            fields.append(Field(
                f"{SCENARIO_TABLE}.{sc.id}.{pick}", f"{stem}_{pick}", "option",
                title + PICK_QUESTIONS[pick],
                "" if pick == "best" else "A different response from the most likely one.",
                SCENARIO_SECTION, competency, choices, required=False))
    return fields


def scale_choices(labels: tuple[str, ...], na_label: str | None) -> tuple[tuple[str, str], ...]:
    out = [(str(i), label) for i, label in enumerate(labels, start=1)]
    if na_label:
        out.append((NA, na_label[:1].upper() + na_label[1:]))
    return tuple(out)


def _respondent_fields(profiles: Profiles) -> list[Field]:
    stages = "; ".join(s.label for s in profiles.stages.values())
    about = "About you"
    fields = [
        Field("respondent.id", "respondent_id", "id", "Your id for this self-check",
              'Letters, digits, ".", "_" or "-", starting with a letter or digit (for example '
              "jsmith-2026). It names your answer sheet, so that you can repeat the self-check "
              "later and compare; it need not be your name.", about),
        Field("respondent.name", "name", "text", "Your name (optional)",
              "Shown at the top of your report. Leave it out if the sheet may be shared.", about,
              required=False, identifier=True),
        Field("respondent.background", "background", "choice", "Your background",
              " ".join(f"{b.label}: {b.description}" for b in profiles.backgrounds.values()),
              about, choices=tuple((b.id, b.label) for b in profiles.backgrounds.values())),
        Field("respondent.role", "role", "choice",
              "Your role before (or besides) quality improvement",
              "The profession you came from. Choose one that belongs to your background; some "
              "recommendations depend on it.", about,
              choices=tuple((r.id, r.label) for r in profiles.roles.values())),
        Field("respondent.years_as_qim", "years_as_qim", "number",
              "Years in a quality improvement role",
              f"A number such as 3 or 1.5. It sets your career stage: {stages}. "
              "Targets differ by stage.", about, minimum=0, maximum=MAX_YEARS),
        Field("respondent.years_in_healthcare", "years_in_healthcare", "number",
              "Years working in healthcare, in any role (optional)",
              "A number such as 10, the years as a QIM included. Advice for newcomers to "
              "healthcare, such as an induction, depends on it; left out, the years as a QIM "
              "are taken instead.", about, required=False, minimum=0, maximum=MAX_YEARS),
    ]
    if profiles.settings:
        fields.append(Field("respondent.setting", "setting", "choice", "Your setting (optional)",
                            "Where you work. Some recommendations depend on it.", about,
                            choices=tuple(profiles.settings.items()), required=False))
    fields += place_fields("respondent", about)
    fields.append(Field("assessed_on", "assessed_on", "date", "The date of this self-check",
                        "As 2026-03-02. The development plan's dates count from it; without it "
                        "the plan counts weeks.", about, required=False, automatic=True))
    return fields


def place_fields(table: str, section: str) -> list[Field]:
    """The optional organisation and unit of a respondent (`respondent.organisation`,
    named `organisation`) or a rater (`rater.organisation`, named `rater_organisation`)."""
    prefix = "" if table == "respondent" else f"{table}_"
    return [
        Field(f"{table}.organisation", f"{prefix}organisation", "text",
              "Your organisation (optional)",
              "The hospital, trust or health board you work in; results can then be seen "
              "organisation by organisation.", section, required=False),
        Field(f"{table}.unit", f"{prefix}unit", "text", "Your service or department (optional)",
              "The service or department you work in, within your organisation.", section,
              required=False),
    ]


def notes_field(rater: bool) -> Field:
    help_text = ("Anything you want to add about what you have seen: kept with the rating."
                 if rater else "Free text, kept with your sheet and shown in your report.")
    return Field("notes", "notes", "notes", "Anything you want to add (optional)", help_text,
                 "Notes", required=False)


def build_fields(profiles: Profiles, *, rater: bool = False) -> list[Field]:
    """Every question of a self-assessment (or, with rater, of a colleague's rating), in the
    order ``qim assess`` asks them: details, items theme by theme, importance, context."""
    used: set[str] = set(RESERVED)
    fields: list[Field] = []
    if rater:
        roles = tuple((r, text[:1].upper() + text[1:]) for r, text in RATER_LABELS.items())
        about = "About this rating"
        fields += [
            Field("subject", "subject", "id", "The id of the person you are rating",
                  "Their id for the 360° feedback, as given by whoever runs it.", about),
            Field("rater.role", "rater_role", "choice", "You are rating them as",
                  "Your ratings are combined with others in the same group.", about,
                  choices=roles),
            Field("rater.id", "rater_id", "id", "Your rater code (optional)",
                  "A code from whoever runs the 360°. Leave it out to stay anonymous.", about,
                  required=False),
            *place_fields("rater", about),
        ]
        perf = profiles.framework.scales.performance
        for theme in profiles.framework.themes:
            for comp in (c for c in profiles.framework.competencies if c.theme == theme.id):
                for item in comp.items:
                    var = variable_name("", item.id, used)
                    used.add(var)
                    fields.append(Field(
                        f"answers.{item.id}", var, "scale", item.observer_text, item.help,
                        theme.label, comp.label,
                        scale_choices(tuple(perf.labels), "not seen / don't know")))
        comment_help = ("Shown word for word but without your name or group, and only when at "
                        "least three people of your group have rated.")
        fields += [
            Field("comments.strengths", "comments_strengths", "notes",
                  "What does this person do well? (optional)", comment_help, "Comments",
                  required=False),
            Field("comments.develop", "comments_develop", "notes",
                  "What could this person develop, or do differently? (optional)", comment_help,
                  "Comments", required=False),
        ]
        fields.append(notes_field(True))
        return fields

    fields += _respondent_fields(profiles)
    prefixes = {"answers": "", "importance": "imp_", "context": "ctx_"}
    for step in build_steps(profiles):
        if not step.is_question:
            continue
        var = variable_name(prefixes[step.section], step.id, used)
        used.add(var)
        fields.append(Field(
            step.key, var, "scale", step.text, step.help, step.theme, step.competency,
            scale_choices(step.labels, step.na_label if step.allow_na else None)))
    fields += scenario_fields(profiles, used)
    fields.append(notes_field(False))
    return fields


def scale_names(profiles: Profiles, *, rater: bool = False) -> dict[str, str]:
    """Section -> the scale's question ("How often do you do this?")."""
    fw = profiles.framework
    if rater:
        return {"answers": "How often do they do this?"}
    return {"answers": fw.scales.performance.name, "importance": fw.scales.importance.name,
            "context": fw.scales.context.name}


__all__ = ["CONTEXT_FORM", "NA", "PICK_NAMES", "PICKS", "RATING_FORM", "SCENARIO_SECTION", "SELF_FORM",
           "STEM_SUFFIXES", "VARIABLE_NAME", "Field", "build_fields", "norm", "scale_names",
           "scenario_fields", "scenario_stem", "title_key", "variable_name"]
