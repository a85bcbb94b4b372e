"""The development plan as one self-contained, printable HTML file (Jinja2, autoescaped)."""

from __future__ import annotations

from typing import Any

from ..assessment.results import FeedbackResult, Recommendation, Result
from ..framework.profiles import Profiles
from ..words import plural
from .common import (
    ACTOR_LABEL,
    AUTHORS_SUGGESTION,
    BARRIER_DOMINATED,
    and_list,
    constrains_sentence,
    due_words,
    evidence_sentence,
    fmt_date,
    legend_lines,
    references,
)
from .radar import radar


def css_string(text: object) -> str:
    """Any text as a quoted CSS string that is safe inside a <style> element: everything but
    letters, digits, spaces and a few marks becomes a CSS hex escape (so no quote, backslash,
    line break or "</style>" can end the string or the element)."""
    out = []
    for ch in str(text):
        if ch.isalnum() and ch.isascii() or ch in " .,:-·–()":
            out.append(ch)
        elif ch.isprintable():
            out.append(f"\\{ord(ch):06x} ")  # the space ends the escape (CSS consumes it)
        else:
            out.append("\\00fffd ")
    return '"' + "".join(out) + '"'


def _environment():
    # Jinja2 is imported here, not at module level, so `qim --help` never pays for it.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("qim_cli", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = lambda text: Markup(css_string(text))
    env.filters["plural"] = plural
    return env


def clean(text: str | None) -> str | None:
    """No control characters in the document (escaping is the template's job)."""
    if text is None:
        return None
    return "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in text)


def render_html(
    result: Result, profiles: Profiles, *, color: bool = False, feedback: FeedbackResult | None = None
) -> str:
    env = _environment()
    labels = {c.id: c.label for c in result.competencies}
    by_id = {c.id: c for c in result.competencies}
    env.filters["label_of"] = lambda cid: labels.get(cid, cid)
    env.filters["actor"] = lambda a: ACTOR_LABEL.get(a, a)
    env.filters["and_list"] = and_list
    env.filters["constrains"] = constrains_sentence

    def rec_sources(rec: Recommendation) -> list[str]:
        return sorted({s for reason in rec.reasons for s in reason.sources} | set(rec.training.sources))

    themes = []
    for tid, tlabel in profiles.themes.items():
        comps = [c for c in result.competencies if c.theme == tid]
        if comps:
            themes.append((tlabel, comps))
    r = result.respondent
    safe = result.model_copy(update={"notes": clean(result.notes)})
    name, rid = clean(r.name), clean(r.id)
    # in the appendix a reason or a piece of evidence is written out once, where it first appears
    first_reason: dict[str, int] = {}
    first_evidence: dict[str, int] = {}
    for rec in result.recommendations:
        for reason in rec.reasons:
            first_reason.setdefault(reason.rule, rec.rank)
        for cid in rec.competencies:
            first_evidence.setdefault(cid, rec.rank)
    template = env.get_template("report.html.j2")
    return template.render(
        result=safe,
        r=r,
        who=f"{name} ({rid})" if name else rid,
        setting=profiles.settings.get(r.setting, r.setting) if r.setting else None,
        radar=radar(result, [c.self_score for c in feedback.competencies] if feedback else None),
        themes=themes,
        insufficient=[c for c in result.competencies if c.status == "insufficient"],
        plan=safe.plan,
        fmt_date=fmt_date,
        due_words=due_words,
        refs=references(result, profiles),
        evidence=lambda cid: evidence_sentence(by_id[cid]) if cid in by_id else None,
        rec_sources=rec_sources,
        first_reason=first_reason,
        first_evidence=first_evidence,
        legend=legend_lines(result),
        authors_suggestion=AUTHORS_SUGGESTION,
        barrier_dominated=BARRIER_DOMINATED,
        feedback=feedback,
        **(_feedback_context(feedback, profiles) if feedback else {}),
    ).rstrip("\n") + "\n"


def _feedback_context(fb: FeedbackResult, profiles: Profiles) -> dict[str, Any]:
    """What the 360° sections of the template need (templates/feedback.html.j2)."""
    from . import feedback_view as v

    labels = {c.id: c.label for c in fb.competencies}
    return {
        "feedback_groups": v.shown_groups(fb),
        "agreement_label": v.AGREEMENT_LABEL,
        "scale": list(profiles.framework.scales.performance.labels),
        "feedback_brief": v.brief(fb),
        "fb_series": v.chart_series(fb),
        "fb_rows": v.chart_rows(fb),
        "fb_lists": v.behaviour_lists(fb),
        "fb_titles": {"colleagues": v.SECTION_COLLEAGUES.format(n=plural(fb.raters, "colleague")),
                      "behaviours": v.SECTION_BEHAVIOURS, "comments": v.SECTION_COMMENTS},
        "behaviours_note": v.BEHAVIOURS_NOTE,
        "comments_note": v.COMMENTS_NOTE.format(n=fb.min_raters),
        "comment_headings": v.COMMENT_HEADINGS,
        "competency_label": lambda cid: labels.get(cid, cid),
        "answer": v.answer,
        "avoid": v.AVOID,
        "spread_text": v.spread_text,
        "view_of": v.view_of,
        "view_by_id": {c.id: v.view_of(c) for c in fb.competencies},
    }
