"""A blank answer sheet, with every question as a comment (TOML written by hand: tomli-w has no comments)."""

from __future__ import annotations

import json
from datetime import date

from ..framework import notice
from ..framework.profiles import Profiles
from .models import SCHEMA_VERSION

BLANK = '""'


def _q(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, width: int = 86, indent: str = "#") -> list[str]:
    """Comment lines wrapped at `width`; continuation lines start with `indent`."""
    words = text.split()
    lines, line, start = [], "#", "#"
    for w in words:
        if len(line) + 1 + len(w) > width and line != start:
            lines.append(line)
            line = start = indent
        line += " " + w
    lines.append(line)
    return lines


def notice_comment() -> list[str]:
    """The collection notice as comment lines (framework/notice.py)."""
    out = [f"# {notice.TITLE}:"]
    for paragraph in notice.PARAGRAPHS:
        out += _comment(paragraph, indent="#  ")
    return out


def render_template(profiles: Profiles, background: str | None = None) -> str:
    """The text of a blank answer sheet; every blank is "" and must be replaced."""
    fw = profiles.framework
    perf = fw.scales.performance.labels
    imp = fw.scales.importance.labels
    ctx = fw.scales.context.labels
    roles = [r for r in profiles.roles.values() if background in (None, r.background)]
    out: list[str] = [
        f"# qim answer sheet, framework {fw.framework_version}, made {date.today().isoformat()}",
        "#",
        '# Replace every "" with an answer. Items take 1–5 or "na" (not applicable /',
        "# don't know); an item left out counts as unanswered. Check it with: qim validate FILE",
        "#",
        *notice_comment(),
        "",
        f"schema_version = {SCHEMA_VERSION}",
        "# The day of the self-check (change it if you answer on another day); the",
        "# development plan's dates count from it:",
        f"assessed_on = {date.today().isoformat()}",
        "# Optional free text, kept with the sheet and shown in the report:",
        '# notes = ""',
        "",
        "[respondent]",
        'id = ""                # required: letters, digits, ".", "_" or "-" (e.g. "jsmith-2026")',
        '# name = ""            # optional',
    ]
    if background:
        out.append(f"background = {_q(background)}")
    else:
        out.append('background = ""        # ' + " | ".join(profiles.backgrounds))
    out.append('role = ""              # ' + " | ".join(r.id for r in roles))
    stage_words = "; ".join(s.label for s in profiles.stages.values())
    out.append('years_as_qim = ""      # a number, e.g. 3 or 1.5 (' + stage_words + ")")
    out.append("# years_in_healthcare = \"\"   # optional: years working in healthcare in any role, "
               "the years as a QIM included")
    if profiles.settings:
        out.append('# setting = ""         # optional: ' + " | ".join(profiles.settings))
    out += place_lines()
    out += [
        "",
        "[answers]",
        f"# {fw.scales.performance.name}",
        "#   "
        + "   ".join(f"{i} = {label}" for i, label in enumerate(perf, start=1))
        + "   na = not applicable / don't know",
    ]
    for theme in fw.themes:
        out += ["", f"# ==== {theme.label} ===="]
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            out += ["", f"# -- {comp.label} --"]
            for item in comp.items:
                out += _comment(item.text)
                out.append(f"{item.id} = {BLANK}")
    out += [
        "",
        "[importance]",
        f"# {fw.scales.importance.name}",
        "#   " + "   ".join(f"{i} = {label}" for i, label in enumerate(imp, start=1)),
    ]
    for comp in fw.competencies:
        out += _comment(comp.importance_question)
        out.append(f"{comp.id} = {BLANK}")
    out += [
        "",
        "[context]",
        "# Your organisation: these describe where you work, not you.",
        f"# {fw.scales.context.name}",
        "#   " + "   ".join(f"{i} = {label}" for i, label in enumerate(ctx, start=1)) + "   na = don't know",
    ]
    for question in fw.context:
        out += _comment(question.text)
        out.append(f"{question.id} = {BLANK}")
    out += _scenario_lines(profiles)
    return "\n".join(out) + "\n"


def _scenario_lines(profiles: Profiles) -> list[str]:
    """The optional scenarios, commented out: a person uncomments the ones they answer."""
    if not profiles.scenarios:
        return []
    out = [
        "",
        "# ==== Optional: scenarios (a reflection aid, not a validated test) ====",
        "#",
    ]
    out += _comment("Each scenario describes a situation and four responses. To answer one, "
                    'remove the "# " before its [scenarios.<id>] line and its best and worst '
                    "lines, and give the letter of the response you would most likely choose "
                    "(best) and the one you would least likely choose (worst): two different "
                    "letters a-d. Scenarios left commented out are simply not answered.")
    for sc in profiles.scenarios.values():
        comp = profiles.competencies[sc.competency].label
        out += ["", f"# -- {sc.title} ({comp}) --"]
        out += _comment(sc.situation)
        out += _comment(sc.question)
        for o in sorted(sc.option, key=lambda o: o.key):
            out += _comment(f"{o.key}) {o.text}", indent="#   ")
        out += [f"# [scenarios.{sc.id}]", '# best = ""             # a | b | c | d',
                '# worst = ""            # a | b | c | d, not the same as best']
    return out


def place_lines(column: int = 23) -> list[str]:
    """The optional organisation and unit, as a template offers them (comments from
    `column`)."""
    return [
        '# organisation = ""'.ljust(column) + "# optional: your organisation (hospital, trust, "
        "health board)",
        '# unit = ""'.ljust(column) + "# optional: your service or department",
    ]


RATER_LABELS = {
    "line_manager": "their line manager",
    "peer": "a peer",
    "frontline": "a member of the front-line staff they work with",
    "clinical_lead": "a clinical lead they work with",
}


def render_rater_template(profiles: Profiles, rater: str, subject: str) -> str:
    """A colleague's rating form: observer wording, answers only; anonymous unless an id is added."""
    fw = profiles.framework
    perf = fw.scales.performance.labels
    out: list[str] = [
        f"# qim 360° rating form, framework {fw.framework_version}, made {date.today().isoformat()}",
        "#",
        f"# You are rating {subject} as {RATER_LABELS.get(rater, rater)}. Answer from what you have",
        '# seen yourself; use "na" where you have not seen enough to say. Replace every "" with',
        "# an answer. Your ratings are combined with others of your group; a group with fewer",
        "# than three raters is not shown on its own (unless the organisation has chosen to",
        "# show line managers' ratings apart, which the report then states).",
        "",
        f"schema_version = {SCHEMA_VERSION}",
        f"subject = {_q(subject)}",
        "",
        "[rater]",
        f"role = {_q(rater)}",
        '# id = ""               # optional: a code from whoever runs the 360;',
        "#                         leave it out to stay anonymous",
        *place_lines(24),
        "",
        "[answers]",
        "# How often do they do this?",
        "#   " + "   ".join(f"{i} = {label}" for i, label in enumerate(perf, start=1))
        + "   na = not seen / don't know",
    ]
    for theme in fw.themes:
        out += ["", f"# ==== {theme.label} ===="]
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            out += ["", f"# -- {comp.label} --"]
            for item in comp.items:
                out += _comment(item.observer_text)
                out.append(f"{item.id} = {BLANK}")
    out += [
        "",
        "[comments]",
        "# Optional, in your own words; leave \"\" to write nothing. Comments are shown word for",
        "# word but without your name or group, in a shuffled order, and only when at least",
        "# three people of your group have rated. For several lines, use triple quotes: \"\"\"...\"\"\"",
        "# What does this person do well?",
        f"strengths = {BLANK}",
        "# What could this person develop, or do differently?",
        f"develop = {BLANK}",
    ]
    return "\n".join(out) + "\n"
