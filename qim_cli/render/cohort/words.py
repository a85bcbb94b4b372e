"""What every format of the cohort report says the same way: its title and opening
sentences, the programme proposal's rows, the training needs by group, the organisation's
view in words and the calibration cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...cohort.privacy import WITHHELD as WITHHELD_COUNT
from ...cohort.privacy import fewer_than
from ...words import and_list, plural
from ..numbers import number, percent
from ..privacy import count, field, people, reason, share
from ..study import AUTHORS_LEGEND, AUTHORS_MARK

if TYPE_CHECKING:
    from ...cohort.alignment_results import LevelCell, LevelComparison, StaffLevelColumn
    from ...cohort.organisation_results import (
        AnswerCell,
        BarrierSide,
        BoardItem,
        Finding,
        InPlaceSide,
        OrganisationView,
        PeopleCell,
        WithBarrierRow,
    )
    from ...cohort.results import (
        CalibrationColumn,
        CalibrationCompetency,
        CohortSummary,
        CompetencySummary,
        NeedCount,
        Proposal,
        Reliability,
        ReliabilityRow,
        Session,
    )


def title(doc: CohortSummary) -> str:
    return doc.title or f"Cohort by {by_words(doc)}"


def by_words(doc: CohortSummary) -> str:
    """What the groups are: `career stage`."""
    return doc.by.replace("_", " ")


def summary(doc: CohortSummary) -> list[str]:
    """The cohort report's opening paragraph, as plain sentences (the renderers escape them)."""
    if doc.n is None:
        return ["Too few people to show any figures."]
    groups = [f"{g.label} ({g.n})" for g in doc.groups]
    first = f"{doc.n} {'person' if doc.n == 1 else 'people'}"
    if groups:
        first += f", grouped by {by_words(doc)}: {and_list(groups)}"
    hidden = len(doc.suppressed)
    if hidden:
        first += (f"; {hidden} smaller group{'s are' if hidden > 1 else ' is'} counted only in the "
                  "overall figures")
    out = [first + "."]
    if doc.most_below:
        parts = [f"{c.label} ({c.note + '; ' if c.note else ''}"
                 f"{c.below_target} of {c.n}, {percent(c.share)})" for c in doc.most_below]
        out.append(f"Most below target: {and_list(parts)}.")
    elif doc.overall is not None and any(c.below_target is None for c in doc.overall.competencies):
        out.append("How many people are below target is withheld where it rests on fewer than "
                   f"{doc.min_group} people (see the competencies).")
    else:
        out.append("Nobody is below target in any competency.")
    prop = doc.proposal
    if prop and prop.sessions:
        k = len(prop.sessions)
        out.append(f"A programme of {plural(k, 'session')} ({plural(prop.hours, 'hour')} in all) "
                   f"meets {needs_of(prop, doc.min_group)}, each at the tier that person's own "
                   "plan asks for.")
    return out


def standard_sentence(doc: CohortSummary) -> str:
    """What "below target" counts against: qim's role standard, not the study's."""
    return f"Targets: the {doc.standard.label}, {doc.standard.basis} {doc.standard.within_error}"


def label_marked(comp: CompetencySummary) -> str:
    return comp.label + (f" {AUTHORS_MARK}" if comp.note else "")


def authors_footnote(comps: list[CompetencySummary]) -> str | None:
    return f"{AUTHORS_LEGEND}." if any(c.note for c in comps) else None


def competency_cell(c: CompetencySummary, min_group: int) -> str:
    """`3.25 / 3.50 · 42% below`: mean / median and the share below target; `fewer than 5
    below` when that count is withheld, `fewer than 5 scored` when the count scored is."""
    if c.n is None:
        return f"{field(c, 'n', min_group)} scored"
    if c.below_target is None:
        below = field(c, "below_target", min_group)
        below = f"{below} below" if below != WITHHELD_COUNT else "share below withheld"
        return f"{number(c.mean)} / {number(c.median)} · {below}"
    return f"{number(c.mean)} / {number(c.median)} · {percent(c.below_target_share)} below"


def training_rows(doc: CohortSummary) -> list[tuple[str, str, list[str]]]:
    """(id, title, cells per column) for every training recommended to anyone shown."""
    cols = doc.columns
    titles: dict[str, str] = {}
    for g in cols:
        for t in g.training_needs:
            titles.setdefault(t.id, t.title)
    order = [t.id for t in cols[0].training_needs] if cols else []
    order += [tid for tid in titles if tid not in order]
    rows = []
    for tid in order:
        cells = []
        for g in cols:
            hit = g.need(tid)
            cells.append(fewer_than(doc.min_group) if hit is None
                         else share(hit.people, hit.share, doc.min_group,
                                    reason(hit, "people")))
        rows.append((tid, titles[tid], cells))
    return rows


def flagged_items(r: ReliabilityRow) -> list[str]:
    return [f"{it.item} “{it.text}” (r = {it.r:.2f})" for it in r.item_total if it.low]


def alpha_text(r: ReliabilityRow) -> str:
    """`0.78 (0.61 to 0.88)`: alpha with Feldt's 95% interval; a dash when withheld."""
    if r.alpha is None:
        return "–"
    if r.ci_low is None or r.ci_high is None:
        return f"{r.alpha:.2f}"
    return f"{r.alpha:.2f} ({r.ci_low:.2f} to {r.ci_high:.2f})"


def reliability_n(r: ReliabilityRow, min_group: int) -> str:
    return f"fewer than {min_group}" if r.n is None else str(r.n)


def reliability_lines(rel: Reliability, low: float) -> list[str]:
    """What the reliability section rests on: the basis, the flag, synthetic data."""
    out = [rel.withheld] if rel.withheld else []
    out += [rel.basis, f"An item whose corrected item-total correlation is below {low} is "
                       "flagged, with its wording, as a question to review."]
    return out + ([rel.note] if rel.note else [])


def precision_toml(rel: Reliability) -> list[str]:
    """This cohort's figures in precision.toml's shape: per competency, alpha and the SD
    of its scores within the largest group where alpha is shown; empty without one."""
    best: dict[str, ReliabilityRow] = {}
    for r in rel.rows:
        if r.alpha is not None and r.sd is not None and r.n is not None:
            if r.competency not in best or r.n > (best[r.competency].n or 0):
                best[r.competency] = r
    if not best:
        return []
    out = ["# this cohort's figures, for the profile set's precision.toml (change its label,",
           "# basis and passage to say where they come from)"]
    if rel.note:
        out.append("# SYNTHETIC DATA: an example of the shape only, not figures to use")
    out.append("[competencies]")
    out += [f"{cid} = {{ reliability = {r.alpha:.2f}, sd = {r.sd:.2f} }}  "
            f"# {r.group_label}, n = {r.n}, alpha 95% CI {r.ci_low:.2f} to {r.ci_high:.2f}"
            for cid, r in best.items()]
    return out


# --------------------------------------------------------------------------- proposal


def need_counts(counts: list[NeedCount], min_group: int) -> str:
    """`Sense-giving (12), Long-term thinking (note; fewer than 5)`."""
    return ", ".join(f"{c.label} ({c.note + '; ' if c.note else ''}{count(c.people, min_group)})"
                     for c in counts)


def kind_cell(s: Session) -> str:
    """`course · practitioner · 3 days`: kind, tier and effort."""
    return f"{s.kind.replace('_', ' ')} · {s.tier} · {s.effort}"


def proposal_intro(prop: Proposal, min_group: int) -> str:
    """The sentence above the programme: what it is, and what "met" means."""
    return (f"The fewest sessions that between them meet every high-priority need in the "
            f"cohort that a session can meet ({needs_of(prop, min_group)}): "
            f"{plural(len(prop.sessions), 'session')}, {plural(prop.hours, 'hour')} of activity "
            f"in all. {prop.met_means}")


def proposal_rows(prop: Proposal | None, min_group: int) -> list[tuple[str, str, str, str]]:
    """(title, kind, tier and effort, people served, needs met) per proposed session."""
    if prop is None:
        return []
    return [(s.title, kind_cell(s), count(s.people, min_group),
             need_counts(s.competencies, min_group)) for s in prop.sessions]


PREPARATION_TITLE = "Preparation only"


def preparation_sentence(prop: Proposal | None, min_group: int) -> str | None:
    """The lighter activities: what each prepares for, never counted as meeting it."""
    if prop is None:
        return None
    parts = [f"{s.title} ({kind_cell(s)}): {need_counts(s.prepares, min_group)}"
             for s in [*prop.sessions, *prop.preparation] if s.prepares]
    if not parts:
        return None
    return (f"{PREPARATION_TITLE}, lighter than the person's plan asks for, so not meeting "
            f"these needs: {'; '.join(parts)}.")


def unmet_sentence(prop: Proposal | None, min_group: int) -> str | None:
    unmet = prop.unmet if prop is not None else []
    if not unmet:
        return None
    whom = "this person" if len(unmet) == 1 and unmet[0].people == 1 else "these people"
    what = "it" if len(unmet) == 1 else "them"
    return (f"Not met by any session: {need_counts(unmet, min_group)}. No activity at the tier "
            f"the plan of {whom} asks for was recommended for {what} (for example, a gap too "
            "small for a rule, or only a lighter activity or one for a later career stage).")


def needs_of(prop: Proposal, min_group: int) -> str:
    """`93 needs of 42 people`, `fewer than 5 needs of fewer than 5 people`."""
    needs = (plural(prop.needs, "need") if prop.needs is not None
             else f"{fewer_than(min_group)} needs")
    return f"{needs} of {people(prop.people, min_group)}"


# --------------------------------------------------------------------------- organisation

WITHHELD = "withheld"
WITH_BARRIER_TITLE = "Needs that occur with a barrier"


def answer_cell(c: AnswerCell) -> str:
    """One group's figure: share reporting a barrier, people answering, mean answer."""
    if c.suppressed:
        return WITHHELD
    if c.n == 0:
        return "–"
    return f"{percent(c.share)} of {c.n} · mean {number(c.mean)}"


def people_cell(c: PeopleCell) -> str:
    if c.suppressed:
        return WITHHELD
    return f"{c.people} ({percent(c.share)})"


def column_labels(doc: CohortSummary, org: OrganisationView) -> list[str]:
    """Labels of the organisation's columns: overall, then the shown groups."""
    labels = {g.group: g.label for g in doc.groups}
    return ["Overall" if g == "overall" else labels.get(g, g) for g in org.columns]


def sources_text(ids: list[str]) -> str:
    return " ".join(f"[{s}]" for s in ids)


BASIS = {"measured": "measured: the levels' own answers",
         "perceived": "perceived: the QIMs' answers about the levels"}


def finding_evidence(f: Finding, org: OrganisationView, labels: dict[str, str] | None = None) -> str:
    """The figures behind a finding, in words, with what they were read from."""
    names = {q.id: q.id.replace("_", " ") for q in org.questions}
    labels = labels or {}

    def side(s: InPlaceSide | BarrierSide) -> str:
        levels = [labels.get(lv, lv).lower() for lv in s.levels]
        who = (f" at the {and_list(levels)} level{'s' if len(levels) > 1 else ''}"
               if levels else "")
        return (f"{percent(s.share)} of {s.n}{who} report a barrier on "
                f"{', '.join(names.get(q, q) for q in s.questions)}")

    basis = f"{BASIS[f.basis].capitalize()}. " if f.basis else ""
    return f"{basis}{side(f.in_place)}; {side(f.barrier)}."


def level_labels(org: OrganisationView) -> dict[str, str]:
    """Each level of staff's label, the QIMs' included (empty without context sheets)."""
    return {c.id: c.label for c in org.compared.levels} if org.compared else {}


def board_intro(org: OrganisationView, n: int | None) -> str:
    if not org.board_summary:
        who = "people" if org.compared is None else "QIMs or staff"
        return f"None of the {who} reports an organisational barrier."
    measured = org.board_summary[0].basis == "measured"
    qims = org.qims if org.organisation is not None or n is None else n
    whose = ("staff's own answers at the levels shown (context sheets)" if measured
             else f"the {qims} QIMs' answers")
    return (f"The organisational barriers reported by the largest share of people, from "
            f"{whose}. They are conditions of the workplace, not training needs: training "
            "the QIMs will not remove them, and the people named below can.")


def board_item(b: BoardItem) -> str:
    """`No protected time: 19 of 32 staff (59%)`."""
    who = "staff" if b.basis == "measured" else "QIMs"
    return f"{b.title}: {b.people} of {b.n} {who} ({percent(b.share)})"


# --------------------------------------------------------------------------- levels


def question_words(qid: str) -> str:
    """A question's id as words, where a table is narrow: `protected time`."""
    return qid.replace("_", " ")


def withheld_text(reason: str | None, min_group: int) -> str:
    return fewer_than(min_group) if reason == "fewer_than_min_group" else WITHHELD


def level_cell(c: LevelCell, min_group: int, *, short: bool = False) -> str:
    """One level's answers to a question: share reporting a barrier of n, mean answer
    (`short`: without the mean, beside a bar)."""
    if c.suppressed:
        return withheld_text(c.reason, min_group)
    if not c.n:
        return "–"
    if c.share is None:
        return f"mean {number(c.mean)} of {c.n}"
    return f"{percent(c.share)} of {c.n}" + ("" if short else f" · mean {number(c.mean)}")


def level_heading(c: StaffLevelColumn, min_group: int) -> str:
    """`Front line (n=14)`, `Senior leader (fewer than 5)`."""
    if c.suppressed:
        return f"{c.label} ({withheld_text(c.reason, min_group)})"
    return f"{c.label} (n={c.n})"


def comparison_intro(cmp: LevelComparison) -> str:
    k = sum(q.disagree for q in cmp.questions)
    lead = ("The levels' own answers, question by question: at each level of staff the "
            "share reporting a barrier of those who answered, and the mean answer (1–5; "
            "higher is more favourable); the QIMs' answers beside them are their perception "
            "of the levels.")
    found = (f" The levels disagree on {plural(k, 'question')}." if k
             else " The levels shown do not disagree on any question.")
    return lead + found


def organisation_heading(org: OrganisationView, min_group: int) -> str:
    """`Northbridge Health (25 QIMs)`."""
    qims = (fewer_than(min_group) + " QIMs" if org.qims is None
            else plural(org.qims, "QIM"))
    return f"{org.label} ({qims})"



def with_barrier_sentence(org: OrganisationView) -> str:
    h = org.with_barrier
    if h is None or not h.needs:
        return "No development need occurs with a barrier that may constrain it."
    many = h.needs != 1
    return (f"{h.needs} development need{'s' if many else ''} of {h.people} "
            f"{'people' if h.people != 1 else 'person'} "
            f"{'occur' if many else 'occurs'} with a barrier that the same person "
            f"reported and that may constrain {'them' if many else 'it'}. They are a "
            "subset of the training needs, counted there as well: a barrier never removes a "
            "need. Raise the barrier beside them.")


def with_barrier_competencies(h: WithBarrierRow) -> str:
    """A barrier's competencies (people), the first saying so when the authors suggest it."""
    return ", ".join(f"{c.label} ({c.people}{'; ' + c.note if c.note else ''})"
                     for c in h.competencies)


# --------------------------------------------------------------------------- calibration

KIND_LABEL = {"calibrated": "no note", "generous": "may be generous", "modest": "may be modest",
              "mixed": "both"}
CALIBRATION_HEADING = "Scenario judgement, and the self-ratings it questions"
CALIBRATION_EXPLAIN = (
    "Scenario judgement is the share of the best-response points earned, on its own scale "
    "(random picks earn {chance} on average); it is not the 1–5 self-rating and is never "
    "subtracted from it. People who answered scenarios, by the calibration notes of their "
    "own reports: none, only \"may be generous\" (judgement below what random picks give "
    "nine times in ten, with a self-rating of 3.5 or more in that competency), only \"may be "
    "modest\" (judgement above that band, with a self-rating of 2.5 or less) or both.")
CALIBRATION_CELL = ("Per competency: share of the best-response points · people below (▼) "
                    "and above (▲) the chance band · people with a \"may be generous\" (↑) "
                    "and a \"may be modest\" (↓) note.")


def kind_cells(col: CalibrationColumn, min_group: int) -> list[str]:
    """`12 (40%)` per kind of person, in KIND_LABEL's order; `fewer than 5` when withheld."""
    return [share(n, value, min_group, reason(col, kind)) for kind, n, value in col.kinds()]


def calibration_cell(c: CalibrationCompetency, min_group: int) -> str:
    """`47% · 1▼ 0▲ · 1↑ 0↓`: share of the best-response points, people below and above
    the chance band, people with a generous / a modest note; a dash when nobody answered."""
    if c.answered is None:
        return f"{field(c, 'answered', min_group)} answered"
    below, above = field(c, "below_chance", min_group), field(c, "above_chance", min_group)
    generous, modest = field(c, "generous", min_group), field(c, "modest", min_group)
    return f"{percent(c.share)} · {below}▼ {above}▲ · {generous}↑ {modest}↓"
