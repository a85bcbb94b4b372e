"""The development plan as Markdown, ready to paste into an appraisal portfolio."""

from __future__ import annotations

from ..assessment.plan import build_plan
from ..assessment.results import Result
from ..framework.profiles import Profiles
from .common import ACTOR_LABEL, evidence_sentence, md_inline, references


def md(text: str | None) -> str:
    """User or profile text made inert in Markdown, on one line, and still plain to read."""
    return md_inline(text, table=True)


def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def render_markdown(result: Result, profiles: Profiles, *, color: bool = False) -> str:
    r = result.respondent
    by_id = {c.id: c for c in result.competencies}
    out: list[str] = []
    who = md(r.name) + f" ({md(r.id)})" if r.name else md(r.id)
    out.append(f"# Development plan: {who}")
    out.append("")
    line = (f"{md(r.background_label)} · {md(r.role_label)} · {r.years_as_qim:g} years as a QIM "
            f"({md(r.career_stage_label)})")
    if r.setting:
        line += f" · {md(profiles.settings.get(r.setting, r.setting))}"
    out.append(line + "  ")
    out.append(f"Framework {md(result.framework_version)} · qim {md(result.qim_version)}")
    out.append("")

    out.append("## Competency profile")
    out.append("")
    out.append("| Theme | Competency | Score | Target | Gap | Level | Importance | Priority |")
    out.append("|---|---|---:|---:|---:|---|---:|---|")
    for c in result.competencies:
        label = md(c.label) + (" ◆" if c.blind_spot else "")
        out.append(
            f"| {md(profiles.themes.get(c.theme, c.theme))} | {label} | {_num(c.score)} | "
            f"{c.target:.1f} | {_num(c.gap, True)} | {md(c.level_label)} | "
            f"{'–' if c.importance is None else c.importance} | {c.priority_label} |"
        )
    out.append("")
    out.append("◆ a documented blind spot of this background. Gap = target − score; "
               "a positive gap is below target. Importance is self-rated (1–5).")
    insufficient = [c for c in result.competencies if c.status == "insufficient"]
    if insufficient:
        out.append("")
        out.append("Insufficient evidence (too few answers to score; not counted as low): "
                   + ", ".join(f"{md(c.label)} ({c.answered} of {c.items})" for c in insufficient) + ".")
    out.append("")

    out.append(f"## Recommendations ({len(result.recommendations)})")
    out.append("")
    if not result.recommendations:
        out.append("No development need was found: every scored competency meets its target.")
        out.append("")
    for rec in result.recommendations:
        t = rec.training
        out.append(f"### {rec.rank}. {md(t.title)}")
        out.append("")
        out.append(f"- **Priority:** {rec.priority_label} ({rec.priority:.1f})")
        out.append(f"- **Activity:** {md(t.kind.replace('_', ' '))} · {t.tier} tier · "
                   f"{md(t.effort)}" + ("" if "hour" in t.effort else f" (about {t.hours:g} hours)"))
        if rec.competencies:
            out.append("- **For:** " + ", ".join(md(by_id[c].label) for c in rec.competencies if c in by_id))
        out.append(f"- **What it is:** {md(t.description)}")
        out.append("- **Why:**")
        for reason in rec.reasons:
            out.append(f"  - {md(reason.message)} (rule `{reason.rule}`)")
            for f in reason.because:
                out.append(f"    - {md(f.condition)} → {md(f.value)}")
        for cid in rec.competencies:
            sentence = evidence_sentence(by_id[cid]) if cid in by_id else None
            if sentence:
                out.append(f"- **Evidence:** {md(sentence)}")
        srcs = sorted({s for reason in rec.reasons for s in reason.sources} | set(t.sources))
        out.append(f"- **Sources:** {', '.join(srcs)}")
        out.append("")

    out.append(f"## Organisational barriers ({len(result.barriers)})")
    out.append("")
    out.append("These are conditions of the workplace, not training needs of the person.")
    out.append("")
    if not result.barriers:
        out.append("None reported.")
        out.append("")
    for b in result.barriers:
        out.append(f"### {md(b.title)}")
        out.append("")
        out.append(md(b.message))
        out.append("")
        for f in b.because:
            out.append(f"- {md(f.condition)} → {md(f.value)}")
        if b.actors:
            out.append("- **Who can act:** " + ", ".join(ACTOR_LABEL.get(a, a) for a in b.actors))
        for act in b.actions:
            out.append(f"- **Action:** {md(act.title)} ({md(act.effort)})")
        for held in b.held_back:
            label = by_id[held.competency].label if held.competency in by_id else held.competency
            out.append(f"- **Held back as a personal need:** {md(label)} (rule `{held.rule}`): this "
                       "barrier may explain the low score; review it once the barrier is addressed.")
        out.append(f"- **Sources:** {', '.join(b.sources)}")
        out.append("")

    plan = build_plan(result)
    out.append("## 30 / 60 / 90-day plan")
    out.append("")
    out.append("Start small, try one thing at a time, and review what changed before taking the next step.")
    out.append("")
    for period in plan.periods:
        out.append(f"### {period.label}")
        out.append("")
        if not period.activities and not period.conversations:
            out.append("- Consolidate: keep using what you have learnt.")
        for rec in period.activities:
            out.append(f"- [ ] {md(rec.training.title)} ({md(rec.training.effort)})")
        for b in period.conversations:
            who_acts = ", ".join(ACTOR_LABEL.get(a, a) for a in b.actors) or "your manager"
            out.append(f"- [ ] Raise with {who_acts}: {md(b.title)}")
        out.append(f"- Review: {md(period.review)}")
        out.append("")
    if plan.later:
        out.append("### After 90 days")
        out.append("")
        for rec in plan.later:
            out.append(f"- {md(rec.training.title)} ({rec.priority_label} priority)")
        out.append("")

    if result.notes:
        out.append("## Notes")
        out.append("")
        out.append(md(result.notes))
        out.append("")
    out.append("## Sources")
    out.append("")
    for sid, ref in references(result, profiles):
        out.append(f"- **{sid}**: {md(ref)}")
    return "\n".join(out) + "\n"
