"""The development plan as Markdown, ready to paste into an appraisal portfolio.

The plan comes first (objectives, the barriers to raise, strengths), then the
competency profile; the appendix holds the trace: every rule that fired, its
conditions and the person's values, the study's figures and the sources.
"""

from __future__ import annotations

from ...assessment.results import Activity, Calibration, Objective, Plan, Result
from ...framework.actors import ACTOR_LABEL
from ...framework.profiles import Profiles
from ...words import and_list
from ..formats import Layout
from ..numbers import number
from ..text import date_words
from ..text import md_cell as md
from .words import (
    BARRIER_DOMINATED,
    NOTE_WORDS,
    SCENARIOS_HEADING,
    answered_words,
    chance_sentence,
    constrains_sentence,
    due_words,
    evidence_sentence,
    experience_words,
    flag_marks,
    judgement_cells,
    legend_lines,
    priority_words,
    references,
)


def _activity(a: Activity) -> str:
    hours = "" if "hour" in a.effort else f", about {a.hours:g} hours"
    return (f"{md(a.title)} ({md(a.kind.replace('_', ' '))}, {a.tier} tier: "
            f"{md(a.effort)}{hours})")


def _objective(o: Objective, labels: dict[str, str]) -> list[str]:
    out = [f"### {o.number}. " + " · ".join(md(c.label) for c in o.competencies), ""]
    where = "; ".join(
        f"{md(c.label)} {number(c.score)} against a target of {c.target:.1f} ({c.priority_label} priority)"
        for c in o.competencies)
    out.append(f"- **Need:** {where}. {md(o.need)}")
    out.append(f"- **How:** {_activity(o.how)}")
    if o.alternatives:
        out.append("- **Or instead:**")
        out += [f"  - {_activity(a)}" for a in o.alternatives]
    out.append(f"- **By when:** {md(due_words(o))}")
    out.append(f"- **How I will show it:** {md(o.evidence)}")
    out.append(f"- **Who can help:** {md('; '.join(o.helpers))}")
    if o.also_raise:
        out.append("- **Also raise:** " + "; ".join(md(b.title) for b in o.also_raise)
                   + " (a workplace barrier that may make this harder; the need stays)")
    if o.also_serves:
        out.append("- **Also helps with:** " + ", ".join(md(labels.get(c, c)) for c in o.also_serves))
    out.append("")
    return out


def _plan(plan: Plan, labels: dict[str, str]) -> list[str]:
    n = len(plan.objectives)
    out = [f"## Development plan: {n} objective{'s' if n != 1 else ''}", ""]
    if plan.review_on:
        out += [f"Dates count from the assessment on {date_words(plan.assessed_on)}. Review the plan "
                f"at the next appraisal, by {date_words(plan.review_on)} (`qim compare` "
                "with that year's sheet shows what moved).", ""]
    else:
        out += ["The sheet has no `assessed_on` date, so the plan counts in weeks from the "
                "assessment. Review it at the next appraisal.", ""]
    if plan.profile == "strong":
        out += ["No competency is a high or medium priority. "
                + ("The objectives are next steps that build on your strengths."
                   if n else "Keep doing what works, and help others learn it."), ""]
    elif plan.profile == "barrier_dominated":
        out += [BARRIER_DOMINATED, ""]
    for o in plan.objectives:
        out += _objective(o, labels)
    if plan.support:
        out += ["### Alongside the plan", ""]
        for s in plan.support:
            out.append(f"- **{md(s.how.title)}** ({md(s.how.effort)}): {md(s.why)} "
                       f"Who can help: {md('; '.join(s.helpers))}.")
        out.append("")
    if plan.deferred:
        out += ["### Not in this plan", ""]
        out += [f"- **{md(d.label)}** ({d.priority_label} priority): {md(d.why)}"
                + ("" if not d.also_raise else
                   " Also raise: " + "; ".join(md(b.title) for b in d.also_raise) + ".")
                for d in plan.deferred]
        out.append("")
    return out


def _barriers(plan: Plan, labels: dict[str, str]) -> list[str]:
    out = [f"## Organisational barriers to raise ({len(plan.barriers)})", ""]
    if not plan.barriers:
        return out + ["None reported.", ""]
    out += ["These are conditions of the workplace, not training needs of the person.", ""]
    for b in plan.barriers:
        who = and_list(ACTOR_LABEL.get(a, a) for a in b.raise_with) or "your line manager"
        when = f" by {date_words(b.raise_by)}" if b.raise_by else f" within {b.raise_week} weeks"
        line = f"- **{md(b.title)}.** Raise{when} with {md(who)}. What they can do: " + \
            "; ".join(md(a) for a in b.ask_for) + "."
        if b.constrains:
            line += " " + md(constrains_sentence([labels.get(c, c) for c in b.constrains]))
        out.append(line)
    return out + [""]


def _trace(result: Result) -> list[str]:
    by_id = {c.id: c for c in result.competencies}
    out = ["## Appendix: why this plan", "",
           "Every recommendation the rules made, highest priority first, with the conditions "
           "that held and your values; the plan above is selected from them.", ""]
    out += [f"### Recommendations ({len(result.recommendations)})", ""]
    if not result.recommendations:
        out += ["No development need was found: every scored competency meets its target.", ""]
    for rec in result.recommendations:
        t = rec.training
        out.append(f"#### {rec.rank}. {md(t.title)}")
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
    out += [f"### Organisational barriers ({len(result.barriers)})", ""]
    if not result.barriers:
        out += ["None reported.", ""]
    for b in result.barriers:
        out.append(f"#### {md(b.title)}")
        out.append("")
        out.append(md(b.message))
        out.append("")
        for f in b.because:
            out.append(f"- {md(f.condition)} → {md(f.value)}")
        if b.actors:
            out.append("- **Who can act:** " + ", ".join(ACTOR_LABEL.get(a, a) for a in b.actors))
        for act in b.actions:
            out.append(f"- **Action:** {md(act.title)} ({md(act.effort)})")
        if b.with_needs:
            out.append("- **Occurs with your needs in:** " + ", ".join(
                md(by_id[c].label if c in by_id else c) for c in b.with_needs)
                + " (they stay in your plan; raise this beside them)")
        out.append(f"- **Sources:** {', '.join(b.sources)}")
        out.append("")
    return out


def render(result: Result, profiles: Profiles, layout: Layout) -> str:
    """The plan, the profile, the appendix (the trace) and the sources."""
    plan = result.plan
    labels = {c.id: c.label for c in result.competencies}
    out = _head(result, profiles)
    if plan.barriers_first:
        out += _barriers(plan, labels) + _plan(plan, labels)
    else:
        out += _plan(plan, labels) + _barriers(plan, labels)
    out += ["## Strengths to build on", ""]
    if not plan.strengths:
        out += ["No competency is above its target yet.", ""]
    out += [f"- **{md(s.label)}:** {md(s.text)}" for s in plan.strengths]
    if plan.strengths:
        out.append("")
    out += _profile(result, profiles)
    if result.calibration is not None:
        out += _calibration(result.calibration, labels)
    if result.notes:
        out += ["## Notes", "", md(result.notes), ""]
    out += _trace(result)
    out += ["## Sources", ""]
    out += [f"- **{sid}**: {md(ref)}" for sid, ref in references(result, profiles)]
    return "\n".join(out) + "\n"


def _head(result: Result, profiles: Profiles) -> list[str]:
    """Whose plan, who they are, when they were assessed."""
    r = result.respondent
    who = md(r.name) + f" ({md(r.id)})" if r.name else md(r.id)
    line = (f"{md(r.background_label)} · {md(r.role_label)} · "
            f"{md(experience_words(r.years_as_qim, r.career_stage_label))}")
    if r.setting:
        line += f" · {md(profiles.settings.get(r.setting, r.setting))}"
    assessed = date_words(result.assessed_on) if result.assessed_on else "date not given"
    out = [f"# Development plan: {who}", "", line + "  ",
           f"Assessed {assessed} · framework {md(result.framework_version)} · "
           f"qim {md(result.qim_version)}", ""]
    for note in r.beyond_study:
        out += [f"*{md(note)}*", ""]
    return out


def _profile(result: Result, profiles: Profiles) -> list[str]:
    """The competency profile as a table, its legend, and what could not be scored."""
    out = ["## Competency profile", "",
           "| Theme | Competency | Score | Target | Gap | Level | Importance | Priority |",
           "|---|---|---:|---:|---:|---|---:|---|"]
    for c in result.competencies:
        marks = flag_marks(c)
        label = md(c.label) + (" " + marks if marks else "")
        out.append(
            f"| {md(profiles.themes.get(c.theme, c.theme))} | {label} | {number(c.score)} | "
            f"{c.target:.1f} | {number(c.gap, signed=True)} | {md(c.level_label)} | "
            f"{'–' if c.importance is None else c.importance} | {priority_words(c)} |"
        )
    out.append("")
    out.append(" ".join(md(line) for line in legend_lines(result))
               + " Gap = target − score; a positive gap is below target. Importance is "
               "self-rated (1–5).")
    insufficient = [c for c in result.competencies if c.status == "insufficient"]
    if insufficient:
        out.append("")
        out.append("Insufficient evidence (too few answers to score; not counted as low): "
                   + ", ".join(f"{md(c.label)} ({c.answered} of {c.items})" for c in insufficient)
                   + ".")
    out.append("")
    return out


def _calibration(cal: Calibration, labels: dict[str, str]) -> list[str]:
    """The Markdown section, as lines."""
    out = [f"## {SCENARIOS_HEADING} ({answered_words(cal)})", "", f"> {md(cal.notice)}", "",
           md(chance_sentence(cal)), "",
           "| Competency | Share of best-response points | Points | Chance band | Note |",
           "|---|---:|---:|---|---|"]
    for c in cal.competencies:
        share, points, band, note = judgement_cells(c)
        out.append(f"| {md(c.label)} | {share} | {points} | {band} | {note} |")
    out.append("")
    prompts = [c for c in cal.competencies if c.prompt]
    if prompts:
        out += ["### Questions for your appraisal", ""]
        out += [f"- **{md(c.label)}** ({NOTE_WORDS[c.note or '']}): {md(c.prompt)}" for c in prompts]
        out.append("")
    out += ["### Your scenario answers", "",
            "| Scenario | Competency | Your most likely (its rank) | Your least likely (its rank) "
            "| Ranked best | Points |",
            "|---|---|---|---|---|---:|"]
    for s in cal.scenarios:
        out.append(f"| {md(s.title)} | {md(labels.get(s.competency, s.competency))} | "
                   f"{s.best} ({s.best_rank}) | {s.worst} ({s.worst_rank}) | {s.evidence_best} | "
                   f"{s.points:g} |")
    out.append("")
    for s in cal.scenarios:
        line = f"- **{md(s.title)}**: {s.evidence_best} is ranked best. {md(s.evidence_best_rationale)}"
        if s.tripwire:
            line += f" {md(s.tripwire)}"
        out.append(line + f" [{', '.join(s.sources)}]")
    out += ["", f"How the points are counted: {md(cal.method)}", ""]
    return out
