"""The question flow of the self-check: its steps, the choices offered, how a typed line
is read, and where to go next. No terminal I/O here (no Typer, no Rich).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ..framework.profiles import Profiles
from . import scenario_steps
from .draft_file import Draft
from .models import MAX_PLACE

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


MAX_YEARS = 60.0
#: the free-text details that name a place (at most MAX_PLACE characters)
PLACE_FIELDS = ("organisation", "unit")
# the time one question takes, for "about N min left" (60 questions: about 15 minutes)
SECONDS_PER_QUESTION = 15


StepKind = Literal["text", "choice", "number", "scale", "option"]  # option: a scenario's a–d


@dataclass(frozen=True)
class Step:
    """One screen of the self-check: a respondent detail or a question."""

    key: str  # "respondent.id", "answers.hc_01", "importance.qi_methods", "context.protected_time"
    section: str  # respondent | answers | importance | context
    id: str
    kind: StepKind
    text: str
    help: str
    optional: bool = False
    scale_name: str = ""
    labels: tuple[str, ...] = ()
    allow_na: bool = False
    na_label: str = ""
    theme: str = ""  # label, for questions
    competency: str = ""  # label, for items and importance questions
    number: int = 0  # 1-based among the questions (0 for respondent details)
    total: int = 0
    keys: tuple[str, ...] = ()  # the letters of a scenario's options (kind "option")

    @property
    def is_question(self) -> bool:
        return self.section != "respondent"


def build_steps(profiles: Profiles, scenarios: bool = False) -> list[Step]:
    """Respondent details, then the items theme by theme, the importance questions, the
    context, and (when asked for) the scenarios (sheets/scenario_steps.py)."""
    fw = profiles.framework
    stages = "; ".join(s.label for s in profiles.stages.values())
    details = [
        Step("respondent.id", "respondent", "id", "text",
             "Your id for this self-check (letters, digits, \".\", \"_\" or \"-\"; e.g. jsmith-2026)",
             "The id names your answer sheet (qim-<id>-<date>.toml) so that you can repeat the "
             "self-check later and compare. It need not be your name."),
        Step("respondent.name", "respondent", "name", "text",
             "Your name (optional; Enter or - to leave it out)",
             "Shown at the top of your report. Leave it out if the sheet may be shared.",
             optional=True),
        Step("respondent.background", "respondent", "background", "choice",
             "Your background", "\n\n".join(f"{b.label}: {b.description}"
                                           for b in profiles.backgrounds.values())),
        Step("respondent.role", "respondent", "role", "choice",
             "Your role before (or besides) quality improvement",
             "The profession you came from. It is shown in your report; some recommendations "
             "depend on it."),
        Step("respondent.years_as_qim", "respondent", "years_as_qim", "number",
             "Years as a QIM (a number, e.g. 3 or 1.5)",
             f"Your years in a quality improvement role set your career stage: {stages}. "
             "Targets differ by stage."),
        Step("respondent.years_in_healthcare", "respondent", "years_in_healthcare", "number",
             "Years working in healthcare, in any role (optional; Enter or - to leave it out)",
             "Your years in healthcare, the years as a QIM included. Advice for newcomers to "
             "healthcare, such as an induction, depends on it; left out, your years as a QIM "
             "are taken instead.", optional=True),
    ]
    if profiles.settings:
        details.append(Step(
            "respondent.setting", "respondent", "setting", "choice",
            "Your setting (optional; Enter or - to leave it out)",
            "Where you work. Some recommendations depend on it.", optional=True))
    details += [
        Step("respondent.organisation", "respondent", "organisation", "text",
             "Your organisation (optional; Enter or - to leave it out)",
             "The hospital, trust or health board you work in. A trainer whose cohort comes "
             "from several organisations can then see each one's view apart.", optional=True),
        Step("respondent.unit", "respondent", "unit", "text",
             "Your service or department (optional; Enter or - to leave it out)",
             "The service or department you work in, within your organisation.",
             optional=True),
    ]

    perf, imp, ctx = fw.scales.performance, fw.scales.importance, fw.scales.context
    questions: list[dict[str, Any]] = []
    for theme in fw.themes:
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            for item in comp.items:
                questions.append(dict(
                    key=f"answers.{item.id}", section="answers", id=item.id, kind="scale",
                    text=item.text, help=item.help, scale_name=perf.name,
                    labels=tuple(perf.labels), allow_na=True,
                    na_label="not applicable / don't know",
                    theme=theme.label, competency=comp.label))
    for theme in fw.themes:
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            # the question itself asks how important (so the scale's own question, which
            # says the same, is not shown again)
            questions.append(dict(
                key=f"importance.{comp.id}", section="importance", id=comp.id, kind="scale",
                text=comp.importance_question, help=comp.description, scale_name="",
                labels=tuple(imp.labels), theme="Importance to your role",
                competency=comp.label))
    for question in fw.context:
        questions.append(dict(
            key=f"context.{question.id}", section="context", id=question.id, kind="scale",
            text=question.text, help=question.help, scale_name=ctx.name, labels=tuple(ctx.labels),
            allow_na=True, na_label="don't know", theme="Your organisation"))
    if scenarios:
        questions += scenario_steps.question_dicts(profiles)
    total = len(questions)
    return details + [Step(**q, number=n, total=total) for n, q in enumerate(questions, 1)]


def choices(step: Step, draft: Draft, profiles: Profiles) -> list[tuple[str, str]]:
    """(id, label) of a choice step; the roles offered depend on the chosen background."""
    if step.id == "background":
        return [(b.id, b.label) for b in profiles.backgrounds.values()]
    if step.id == "role":
        bg = draft.respondent.get("background")
        return [(r.id, r.label) for r in profiles.roles.values() if r.background == bg]
    if step.id == "setting":
        return list(profiles.settings.items())
    if step.kind == "option":
        return scenario_steps.allowed(step.id, step.keys, step.labels, draft.scenarios)
    return []


@dataclass(frozen=True)
class Reply:
    """What a typed line means: an answer, a command, or a hint to show before asking again."""

    action: scenario_steps.Action
    value: Any = None
    hint: str = ""


def keys_hint(step: Step, opts: list[tuple[str, str]] | None = None) -> str:
    if step.kind == "scale":
        na = ", n" if step.allow_na else ""
        return f"type 1–5{na}; b back, ? help, q save and quit"
    if step.kind == "choice":
        skip = " (or - to leave it out)" if step.optional else ""
        return f"type a number 1–{len(opts or [])}{skip}; b back, ? help, q save and quit"
    if step.kind == "number":
        skip = " (or - to leave it out)" if step.optional else ""
        return (f"type a number of years from 0 to {MAX_YEARS:g}{skip}; b back, ? help, "
                "q save and quit")
    if step.kind == "option":
        return "type " + scenario_steps.KEYS_HINT.format(first=step.keys[0], last=step.keys[-1])
    return "b back, ? help, q save and quit"


def interpret(
    step: Step,
    line: str,
    *,
    has_earlier: bool,
    opts: list[tuple[str, str]] | None = None,
) -> Reply:
    """Read one typed line for a step. Nothing is ever recorded by default: Enter keeps an
    earlier answer, leaves out an optional detail, and otherwise asks again."""
    text = line.strip()
    low = text.lower()
    if step.kind == "option":  # a scenario: its letters include b (sheets/scenario_steps.py)
        return Reply(*scenario_steps.read(text, step.keys, opts or [], has_earlier))
    if low == "q":
        return Reply("quit")
    if low == "b":
        return Reply("back")
    if low == "?":
        return Reply("help")
    if step.optional and text == "-":
        return Reply("answer", None)
    if text == "":
        if has_earlier:
            return Reply("keep")
        if step.optional:
            return Reply("answer", None)
        return Reply("invalid", hint="an answer is needed: " + keys_hint(step, opts))
    if step.kind == "scale":
        return _scale(step, low)
    if step.kind == "choice":
        return _choice(step, low, opts or [])
    if step.kind == "number":
        return _number(step, text)
    return _text(step, text)


def _scale(step: Step, low: str) -> Reply:
    if low in ("1", "2", "3", "4", "5"):
        return Reply("answer", int(low))
    if low in ("n", "na") and step.allow_na:
        return Reply("answer", "na")
    if low in ("n", "na"):
        return Reply("invalid", hint='"n" is not offered here: type 1–5; b back, ? help, q save and quit')
    return Reply("invalid", hint=keys_hint(step))


def _choice(step: Step, low: str, options: list[tuple[str, str]]) -> Reply:
    """A choice by its number, or by its id."""
    if low.isdigit() and 1 <= int(low) <= len(options):
        return Reply("answer", options[int(low) - 1][0])
    for oid, _label in options:
        if low == oid:
            return Reply("answer", oid)
    return Reply("invalid", hint=keys_hint(step, options))


def _number(step: Step, text: str) -> Reply:
    """Years, with a decimal point or comma."""
    try:
        years = float(text.replace(",", "."))
    except ValueError:
        return Reply("invalid", hint=keys_hint(step))
    if not (0 <= years <= MAX_YEARS):  # also refuses nan
        return Reply("invalid", hint=keys_hint(step))
    return Reply("answer", years)


def _text(step: Step, text: str) -> Reply:
    """Free text: the respondent id by its pattern, anything else printable and short."""
    if step.id == "id":
        if len(text) > 64 or not ID_PATTERN.match(text):
            return Reply("invalid", hint='use letters, digits, ".", "_" or "-" (at most 64), '
                                         "starting with a letter or digit")
        return Reply("answer", text)
    longest = MAX_PLACE if step.id in PLACE_FIELDS else 200
    if len(text) > longest or not text.isprintable():
        return Reply("invalid", hint=f"at most {longest} printable characters")
    return Reply("answer", text)


def answered(step: Step, draft: Draft, profiles: Profiles) -> bool:
    """A role that does not belong to the chosen background does not count as answered."""
    if not draft.has(step.key):
        return False
    if step.key == "respondent.role":
        role = profiles.roles.get(draft.get(step.key))
        return role is not None and role.background == draft.respondent.get("background")
    if step.kind == "option":  # a least likely pick that is now the most likely one is asked again
        return draft.get(step.key) in (k for k, _ in choices(step, draft, profiles))
    return True


def questions_left(steps: list[Step], draft: Draft, profiles: Profiles) -> int:
    return sum(1 for s in steps if s.is_question and not answered(s, draft, profiles))


def time_left(questions: int) -> str:
    """`about 6 min left` for this many unanswered questions (rounded up)."""
    seconds = questions * SECONDS_PER_QUESTION
    if seconds == 0:
        return "nothing left"
    if seconds < 60:
        return "under a minute left"
    return f"about {-(-seconds // 60)} min left"


def first_unanswered(steps: list[Step], draft: Draft, profiles: Profiles) -> int | None:
    for i, step in enumerate(steps):
        if not answered(step, draft, profiles):
            return i
    return None


def next_index(
    steps: list[Step], draft: Draft, profiles: Profiles, current: int, furthest: int
) -> int | None:
    """Where to go after answering step `current`.

    Within the stretch already visited this session (after going back), step forward one
    at a time, each earlier answer offered as the default. Beyond it, go to the next
    unanswered step (so a resumed draft skips what was already answered). None: done.
    """
    if current + 1 < len(steps) and current + 1 <= furthest:
        return current + 1
    for i in range(current + 1, len(steps)):
        if not answered(steps[i], draft, profiles):
            return i
    return first_unanswered(steps, draft, profiles)


