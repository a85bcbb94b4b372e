"""A blank context sheet, with every workplace question as a comment.

Given a level of staff, the level is filled in and each question is worded for it. Without
one, the levels are listed and each question shows every wording, led by the levels it is
for, so that whoever fills it in reads theirs.
"""

from __future__ import annotations

from datetime import date

from ..framework.profiles import Profiles
from ..words import and_list, in_sentence
from .context import KIND
from .models import SCHEMA_VERSION
from .template import BLANK, _comment, _q, notice_comment, place_lines


def wordings(profiles: Profiles, question: str) -> list[tuple[list[str], str]]:
    """The distinct wordings of a context question, each with the levels of staff asked it,
    in the order of the levels."""
    out: list[tuple[list[str], str]] = []
    for level in profiles.staff_levels:
        text = profiles.context_text(question, level)
        for levels, known in out:
            if known == text:
                levels.append(level)
                break
        else:
            out.append(([level], text))
    return out


def render_context_template(profiles: Profiles, level: str | None = None) -> str:
    """The text of a blank context sheet; every blank is "" and must be replaced."""
    fw = profiles.framework
    ctx = fw.scales.context.labels
    levels = profiles.staff_levels
    out: list[str] = [
        f"# qim context sheet, framework {fw.framework_version}, made {date.today().isoformat()}",
        "#",
        "# Questions about your workplace, for staff at any level of the organisation: the",
        "# front line, middle managers, senior leaders and the board. Your answers are put",
        "# together with those of others at your level; a group smaller than the minimum",
        "# that whoever collects them sets (5 people unless they choose otherwise) is not",
        "# shown on its own.",
        '# Replace every "" with an answer: 1–5, or "na" for don\'t know. Check it with:',
        "# qim validate FILE",
        "#",
        *notice_comment(),
        "",
        f"schema_version = {SCHEMA_VERSION}",
        f'kind = "{KIND}"',
        f"assessed_on = {date.today().isoformat()}",
        "# Optional free text, kept with the sheet:",
        '# notes = ""',
        "",
        "[respondent]",
        'id = ""                # required: a code (letters, digits, ".", "_" or "-"); '
        "no name is needed",
    ]
    if level is not None:
        out.append(f"level = {_q(level)}".ljust(23) + f"# {levels[level].label}")
    else:
        out.append('level = ""             # ' + " | ".join(levels))
        out += _comment("; ".join(f"{k}: {v.label}" for k, v in levels.items()) + ".",
                        indent="#  ")
    out += place_lines()
    out += [
        "",
        "[context]",
        "# Your workplace: these describe where you work, not you.",
        f"# {fw.scales.context.name}",
        "#   " + "   ".join(f"{i} = {label}" for i, label in enumerate(ctx, start=1))
        + "   na = don't know",
    ]
    for item in fw.context:
        out.append("")
        if level is not None:
            out += _comment(profiles.context_text(item.id, level))
        else:
            worded = wordings(profiles, item.id)
            if len(worded) == 1:  # the same words for every level
                out += _comment(worded[0][1])
            for asked, text in worded if len(worded) > 1 else []:
                who = and_list(in_sentence(levels[k].label) for k in asked)
                out += _comment(f"{who[:1].upper()}{who[1:]}: {text}", indent="#   ")
        out.append(f"{item.id} = {BLANK}")
    return "\n".join(out) + "\n"


__all__ = ["render_context_template", "wordings"]
