"""Situational-judgement scenarios: a score per competency, and calibration notes where the
self-rating and the scenario judgement disagree markedly.

Scoring (documented in the README, "Scenarios and calibration"):

* For each answered scenario the person names the response they would most likely give
  (best) and the one they would least likely give (worst). Each pick earns up to one
  point, one third less for every rank it is away from the ideal::

      best pick:  1 - (rank - 1) / 3      rank 1 = 1, 2 = 2/3, 3 = 1/3, 4 = 0
      worst pick: 1 - (4 - rank) / 3      rank 4 = 1, 3 = 2/3, 2 = 1/3, 1 = 0

  so a scenario is worth 0 to 2 points. Picking at random earns 1 point on average.
* Per competency: the points of its answered scenarios over the most they could earn
  (2 per scenario), put on the 1–5 range of the self-rating for comparison only:
  ``judgement = 1 + 4 x points / max_points``.
* A **calibration note** is written where the competency's self-rated score and the
  judgement differ by at least `MARKED` (2 points of the 1–5 range): "may be generous"
  when the self-rating is the higher, "may be modest" when it is the lower. The note is a
  question for the appraisal conversation. It never changes a score, a gap or the plan.
* A **tripwire**: where a scenario names the person's background as its `tripwire`, and
  the person chose the response ranked last as their most likely one, the report says why
  that response misleads (its rationale), with the background's note (what it overlooks, or
  its known gap) when the profile set has one.

The scenarios are not a validated test (see NOTICE): the report says so wherever it
shows them.
"""

from __future__ import annotations

from typing import Literal

from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet
from .results import Calibration, CompetencyJudgement, ScenarioOut
from .scoring import Assessment

#: what a calibration note says: self-rating markedly above or below the judgement
Note = Literal["generous", "modest"]

#: a difference between self-rating and judgement this large (1–5 range) is "marked"
MARKED = 2.0

NOTICE = (
    "The scenarios are a reflection aid, not a validated test: their ranks are qim's own "
    "reading of qualitative studies, a proposed model and an analysis article (no source ranks "
    "these responses), have not been piloted or checked for reliability, and one or two "
    "scenarios per competency cannot measure a competency. They never "
    "change your scores or your plan; where they differ from your self-rating they suggest a "
    "question for your appraisal."
)
METHOD = (
    "For each scenario: up to 1 point for the response you would most likely give (1 for the "
    "response ranked best, 1/3 less per rank away) and up to 1 for the one you would least "
    "likely give (1 for the response ranked worst). Judgement = 1 + 4 x points / most points, "
    f"on the 1–5 range of the self-rating; a difference of {MARKED:g} or more is marked."
)

GENEROUS = (
    "Your self-rating in {label} ({self:g}) may be generous: your scenario answers were further "
    "from qim's ranking ({judgement:g} on the same 1–5 range). A question for your appraisal: what "
    "would a colleague who sees you at work say, and which recent situation tested this most?"
)
MODEST = (
    "Your self-rating in {label} ({self:g}) may be modest: your scenario answers were close to "
    "qim's ranking ({judgement:g} on the same 1–5 range). A question for your appraisal: where do you "
    "already do this well without counting it, and could you take on more of it?"
)


def pick_points(best_rank: int, worst_rank: int) -> float:
    """0–2 points for one scenario's best and worst picks (see the module doc)."""
    return round(((4 - best_rank) + (worst_rank - 1)) / 3, 2)


def judgement(thirds: int, scenarios: int) -> float:
    """The judgement on the 1–5 range from points counted in thirds (exact, then rounded)."""
    return round(1 + 4 * thirds / (6 * scenarios), 2)


def note_for(self_score: float | None, judged: float) -> Note | None:
    """"generous", "modest" or None: whether self-rating and judgement differ markedly."""
    if self_score is None:
        return None
    return note_of_hundredths(round((self_score - judged) * 100))


_RANKS: dict[int, tuple[Profiles, dict[str, tuple[str, dict[str, int]]]]] = {}


def _ranks(profiles: Profiles) -> dict[str, tuple[str, dict[str, int]]]:
    """scenario id -> (competency, option key -> rank); once per profile set."""
    cached = _RANKS.get(id(profiles))
    if cached is None or cached[0] is not profiles:
        table: dict[str, tuple[str, dict[str, int]]] = {
            sid: (sc.competency, {o.key: o.rank for o in sc.option})
            for sid, sc in profiles.scenarios.items()}
        cached = _RANKS[id(profiles)] = (profiles, table)
    return cached[1]


def thirds_by_competency(sheet: AnswerSheet, profiles: Profiles) -> dict[str, list[int]]:
    """competency -> the points of each answered scenario, counted in thirds (0–6)."""
    ranks = _ranks(profiles)
    out: dict[str, list[int]] = {}
    for sid, answer in sheet.scenarios.items():
        competency, rank = ranks[sid]
        out.setdefault(competency, []).append((4 - rank[answer.best]) + (rank[answer.worst] - 1))
    return out


#: batch records (cohort/batch.py) keep, per competency, self-rating minus judgement in
#: hundredths as a signed 16-bit integer (exact: both have two decimals); NOT_COMPARED when
#: the competency has no answered scenario or no self-rated score
NOT_COMPARED = -32768


def calibration_bytes(sheet: AnswerSheet, profiles: Profiles, a: Assessment) -> bytes:
    """The calibration of one sheet in two bytes per competency (profile order), for cohort
    figures; empty when the sheet answers no scenario. `decode_differences` reads it back."""
    if not sheet.scenarios:
        return b""
    from array import array

    got = thirds_by_competency(sheet, profiles)
    out = array("h")
    for cid in profiles.competencies:
        own = a.scores[cid].score
        if cid not in got or own is None:
            out.append(NOT_COMPARED)
        else:
            out.append(round((own - judgement(sum(got[cid]), len(got[cid]))) * 100))
    return out.tobytes()


def decode_differences(data: bytes) -> list[int | None]:
    """Per competency: self-rating minus judgement in hundredths, or None (not compared)."""
    from array import array

    values = array("h")
    values.frombytes(data)
    return [None if v == NOT_COMPARED else v for v in values]


def note_of_hundredths(diff: int) -> Note | None:
    """The note of a difference kept in hundredths: the same rule as `note_for`."""
    marked = round(MARKED * 100)
    return "generous" if diff >= marked else "modest" if diff <= -marked else None


def calibrate(sheet: AnswerSheet, profiles: Profiles, a: Assessment) -> Calibration | None:
    """The scenario section of a report; None when the sheet answers no scenario."""
    if not sheet.scenarios:
        return None
    background = sheet.respondent.background
    bg_label = profiles.backgrounds[background].label
    picks: list[ScenarioOut] = []
    thirds = thirds_by_competency(sheet, profiles)
    for sc in profiles.scenarios.values():  # the profile set's order
        answer = sheet.scenarios.get(sc.id)
        if answer is None:
            continue
        best, worst = sc.by_key(answer.best), sc.by_key(answer.worst)
        tripwire = note = None
        if sc.tripwire == background and best.rank == 4:
            tripwire = (f"As most likely you chose the response qim ranks last, the misstep "
                        f"that, on qim's reading, the study describes among QIMs of your "
                        f"background ({bg_label}). {best.rationale}")
            note = profiles.background_note(background, sc.competency)
        first, last = sc.by_rank(1), sc.by_rank(4)
        picks.append(ScenarioOut(
            id=sc.id, title=sc.title, competency=sc.competency,
            best=best.key, best_rank=best.rank, worst=worst.key, worst_rank=worst.rank,
            points=pick_points(best.rank, worst.rank),
            evidence_best=first.key, evidence_best_rationale=first.rationale,
            evidence_worst=last.key, tripwire=tripwire, background_note=note,
            sources=sorted(set(sc.source) | set(first.source) | set(best.source)),
        ))
    comps: list[CompetencyJudgement] = []
    for cid, comp in profiles.competencies.items():
        got = thirds.get(cid)
        if not got:
            continue
        judged = judgement(sum(got), len(got))
        own = a.scores[cid].score
        diff = round(own - judged, 2) if own is not None else None
        note = note_for(own, judged)
        prompt = {"generous": GENEROUS, "modest": MODEST}.get(note or "")
        comps.append(CompetencyJudgement(
            competency=cid, label=comp.label, scenarios=len(got),
            points=round(sum(got) / 3, 2), max_points=2.0 * len(got), judgement=judged,
            self_score=own, difference=diff, note=note,
            prompt=prompt.format(label=comp.label, self=own, judgement=judged) if prompt else None,
        ))
    return Calibration(notice=NOTICE, method=METHOD, marked=MARKED, answered=len(picks),
                       offered=len(profiles.scenarios), competencies=comps, scenarios=picks)
