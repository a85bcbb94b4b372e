"""The offline form: one self-contained HTML questionnaire that writes an answer sheet.

The page asks the same questions as ``qim assess`` (``fields.build_fields``), one theme
per page, keeps every answer in the browser's local storage as it is given, checks the
answers as ``qim validate`` does, and downloads a TOML sheet. It loads nothing: no
network, no CDN, no font; its Content-Security-Policy allows only its own inline script
and style (by their hashes), so it works from ``file://``, an email attachment or an
intranet. Every piece of profile text reaches the page through Jinja2's autoescaping, or,
in the page's JSON, with ``<``, ``>`` and ``&`` written as ``\\u`` escapes.

When the profile set has scenarios, the self-assessment has one more page before the last,
clearly optional: each scenario's situation and its two picks (most and least likely
response, a–d), checked as ``qim import`` checks them (both or neither, two different
letters) and written as the sheet's ``[scenarios]`` section.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from ..framework import notice
from ..framework.profiles import Profiles
from ..sheets.flow import ID_PATTERN, MAX_YEARS, PLACE_FIELDS
from ..sheets.models import MAX_PLACE
from .context import form_fields, form_wordings, sheet_scales
from .fields import NA, PICK_QUESTIONS, SCENARIO_SECTION, Field, build_fields

MAX_NAME = 200
MAX_NOTES = 10_000


@dataclass(frozen=True)
class Page:
    """One page of the form: a title, an optional lead (the scale's question) and its
    questions grouped under sub-headings (competencies), in order."""

    title: str
    lead: str
    #: (heading, fields); a scenario's group is headed by its id (see ``scenario_texts``)
    groups: tuple[tuple[str, tuple[Field, ...]], ...]


def _asset(name: str) -> str:
    return resources.files("qim_cli").joinpath("templates", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no "<", ">" or "&" can end or alter it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def pages(profiles: Profiles, *, rater: bool = False, context: bool = False) -> list[Page]:
    """The fields grouped into pages: the details, one page per theme, importance, the
    organisation, and a last page with the notes (a context sheet: the details, the
    workplace, the notes)."""
    scales = sheet_scales(profiles, rater=rater, context=context)
    out: list[Page] = []
    for f in asked(profiles, rater=rater, context=context):
        lead = scales.get(f.table, "") if f.kind == "scale" else ""
        if not out or out[-1].title != f.section:
            out.append(Page(f.section, lead, ()))
        page = out[-1]
        groups = list(page.groups)
        group = f.scenario or f.group
        if groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1] + (f,))
        else:
            groups.append((group, (f,)))
        out[-1] = Page(page.title, page.lead, tuple(groups))
    if out and out[-1].title == "Notes":
        out[-1] = Page("Check and download", "", out[-1].groups)
    return out


def asked(profiles: Profiles, *, rater: bool = False, context: bool = False) -> list[Field]:
    """The questions the form asks: all but what it fills in itself (the date, like qim
    assess). A context sheet's questions are asked once each, in the words of the level
    the person chose (`form_wordings`)."""
    fields = form_fields(profiles) if context else build_fields(profiles, rater=rater)
    return [f for f in fields if not f.automatic]


def scenario_texts(profiles: Profiles) -> dict[str, dict[str, str]]:
    """What the form shows of each scenario before its picks, by scenario id."""
    return {sc.id: {"title": sc.title, "situation": sc.situation, "question": sc.question,
                    "competency": profiles.competencies[sc.competency].label}
            for sc in profiles.scenarios.values()}


def _config(profiles: Profiles, fields: list[Field], *, rater: bool,
            context: bool = False) -> dict[str, Any]:
    kind = "context" if context else "rating" if rater else "self"
    return {
        "kind": kind,
        "storageKey": f"qim-form:{kind}:{profiles.version}:{profiles.fingerprint}",
        "framework": profiles.version,
        "na": NA,
        "idPattern": ID_PATTERN.pattern,
        "maxYears": MAX_YEARS,
        "maxName": MAX_NAME,
        "maxNotes": MAX_NOTES,
        "roles": {r.id: r.background for r in profiles.roles.values()},
        #: a context sheet: each question's words for each level of staff
        "wordings": form_wordings(profiles) if context else {},
        "fields": [
            {"key": f.key, "kind": f.kind, "label": f.label, "required": f.required,
             "codes": [code for code, _ in f.choices],
             **({"max": MAX_PLACE} if f.name in PLACE_FIELDS else {})}
            for f in fields
        ],
    }


def render_form(profiles: Profiles, *, rater: bool = False, context: bool = False) -> str:
    """The whole page as one HTML string (`rater`: a colleague's 360 rating; `context`: a
    context sheet, for staff at any level)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("qim_cli", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    fields = asked(profiles, rater=rater, context=context)
    script = _asset("form.js")
    style = _asset("form.css")
    config = script_json(_config(profiles, fields, rater=rater, context=context))
    csp = "; ".join([
        "default-src 'none'", f"script-src {_hash(script)}", f"style-src {_hash(style)}",
        "img-src data:", "base-uri 'none'", "form-action 'none'",
    ])
    questions = sum(1 for f in fields if f.kind == "scale")
    return env.get_template("form.html.j2").render(
        rater=rater,
        context=context,
        pages=pages(profiles, rater=rater, context=context),
        scenarios={} if rater or context else scenario_texts(profiles),
        scenario_section=SCENARIO_SECTION,
        pick_questions=PICK_QUESTIONS,
        framework=profiles.version,
        made=date.today().isoformat(),
        questions=questions,
        csp=csp,
        style=Markup(style),
        script=Markup(script),
        config=Markup(config),
        dom_id=dom_id,
        notice_title=notice.TITLE,
        notice=() if rater else notice.PARAGRAPHS,
    )


def dom_id(key: str) -> str:
    """An HTML id for a field key ("answers.hc_01" -> "f-answers-hc_01")."""
    return "f-" + key.replace(".", "-")


__all__ = ["Page", "asked", "dom_id", "pages", "render_form", "scenario_texts", "script_json"]
