"""Situational-judgement scenarios: a score per competency, and calibration notes where the
self-rating and the scenario judgement disagree markedly.

Scoring (documented in docs/evidence/scores.md, "Scenario judgement"):

* For each answered scenario the person names the response they would most likely give
  (best) and the one they would least likely give (worst), two different responses of
  four. Each pick earns up to one point, one third less for every rank it is away from
  the ideal::

      best pick:  1 - (rank - 1) / 3      rank 1 = 1, 2 = 2/3, 3 = 1/3, 4 = 0
      worst pick: 1 - (4 - rank) / 3      rank 4 = 1, 3 = 2/3, 2 = 1/3, 1 = 0

  so a scenario is worth 0 to 2 points.
* **Judgement, on its own scale**: per competency, the points of its answered scenarios
  as a share of the most they could earn (the share of best-response points, 0–100%).
  It is not put on the 1–5 range of the self-rating: knowing the best response and
  doing a behaviour often are not the same thing.
* **Chance**: picking two different responses at random (every ordered pair equally
  likely) earns, exactly, the expectation computed by `chance_share` from the scoring
  rule (one half of the points). `chance_distribution` gives the exact distribution of
  the points of k scenarios picked at random, and `chance_band` the shares random picks
  reach more than `CHANCE_TAIL` of the time on each side: a judgement outside that band
  is **beyond chance** (random picks score that low, or that high, at most 5% of the
  time). With one scenario every share lies inside the band: one scenario cannot tell a
  judgement from chance.
* A **calibration note** is written only where the judgement is beyond chance and the
  self-rating points the other way: "may be generous" when the judgement is below the
  chance band and the self-rating is `SELF_HIGH` or more (nearer "often" than
  "sometimes"); "may be modest" when the judgement is above the band and the self-rating
  is `SELF_LOW` or less. The note is a question for the appraisal conversation. It never
  changes a score, a gap or the plan.
* A **tripwire**: where a scenario names the person's background as its `tripwire`, and
  the person chose the response ranked last as their most likely one, the report says why
  that response misleads (its rationale), with the background's note (what it overlooks, or
  its known gap) when the profile set has one.

The scenarios are not a validated test (see NOTICE): the report says so wherever it
shows them.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from itertools import permutations
from typing import Literal

from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet
from .results import Calibration, CompetencyJudgement, ScenarioOut
from .scoring import Assessment

#: what a calibration note says: self-rating markedly above or below the judgement
Note = Literal["generous", "modest"]

#: a judgement is beyond chance when random picks reach it (or beyond) at most this often,
#: on each side (qim's own convention: the central 90% of random picks is the chance band)
CHANCE_TAIL = Fraction(5, 100)
#: the self-rating (1–5, "how often") that a "may be generous" note needs, at least ...
SELF_HIGH = 3.5
#: ... and that a "may be modest" note needs, at most
SELF_LOW = 2.5
#: the options of a scenario, ranked 1 (best) to 4 (worst)
RANKS = (1, 2, 3, 4)

NOTICE = (
    "The scenarios are a reflection aid, not a validated test: their ranks are qim's own "
    "reading of qualitative studies, a proposed model and an analysis article (no source ranks "
    "these responses), have not been piloted or checked for reliability, and one or two "
    "scenarios per competency cannot measure a competency. They never "
    "change your scores or your plan; where they differ from your self-rating they suggest a "
    "question for your appraisal."
)
SCALE = (
    "Scenario judgement is the share of the best-response points earned: knowing the "
    "response qim ranks best, on its own scale, not the 1–5 range of the self-rating "
    "(how often a behaviour is done)."
)
METHOD = (
    "For each scenario: up to 1 point for the response you would most likely give (1 for the "
    "response ranked best, 1/3 less per rank away) and up to 1 for the one you would least "
    "likely give (1 for the response ranked worst). Judgement = points / most points. Random "
    "picks earn 50% on average; a judgement is beyond chance when random picks score "
    "that low, or that high, at most 5% of the time (exact, from this rule; one scenario "
    "never is). A note is written only for a judgement beyond chance with a self-rating the "
    f"other way: {SELF_HIGH:g} or more (may be generous), {SELF_LOW:g} or less (may be modest)."
)

GENEROUS = (
    "Your self-rating in {label} ({self:g} of 5) may be generous: your scenario answers earned "
    "{share} of the best-response points, below what random picks give ({band}). A question "
    "for your appraisal: what would a colleague who sees you at work say, and which recent "
    "situation tested this most?"
)
MODEST = (
    "Your self-rating in {label} ({self:g} of 5) may be modest: your scenario answers earned "
    "{share} of the best-response points, above what random picks give ({band}). A question "
    "for your appraisal: where do you already do this well without counting it, and could you "
    "take on more of it?"
)


def pick_points(best_rank: int, worst_rank: int) -> float:
    """0–2 points for one scenario's best and worst picks (see the module doc)."""
    return round(pick_thirds(best_rank, worst_rank) / 3, 2)


def pick_thirds(best_rank: int, worst_rank: int) -> int:
    """The same points, counted in thirds (0–6), exactly."""
    return (4 - best_rank) + (worst_rank - 1)


@cache
def chance_distribution(scenarios: int) -> dict[int, Fraction]:
    """Points in thirds -> their exact probability when each of `scenarios` scenarios is
    answered by picking two different responses at random."""
    pairs = list(permutations(RANKS, 2))
    one: dict[int, Fraction] = {}
    for best, worst in pairs:
        t = pick_thirds(best, worst)
        one[t] = one.get(t, Fraction(0)) + Fraction(1, len(pairs))
    out = {0: Fraction(1)}
    for _ in range(scenarios):
        nxt: dict[int, Fraction] = {}
        for a, pa in out.items():
            for b, pb in one.items():
                nxt[a + b] = nxt.get(a + b, Fraction(0)) + pa * pb
        out = nxt
    return dict(sorted(out.items()))


def chance_share() -> float:
    """The expected share of the best-response points under random picks (exact)."""
    dist = chance_distribution(1)
    return float(sum(t * p for t, p in dist.items()) / 6)


def chance_band(scenarios: int) -> tuple[float, float]:
    """The lowest and highest shares random picks reach more than `CHANCE_TAIL` of the
    time (at or below, at or above): a judgement outside them is beyond chance."""
    at_most, at_least = _tails(scenarios)
    top = 6 * scenarios
    low = min(t for t, p in at_most.items() if p > CHANCE_TAIL)
    high = max(t for t, p in at_least.items() if p > CHANCE_TAIL)
    return round(low / top, 3), round(high / top, 3)


@cache
def _tails(scenarios: int) -> tuple[dict[int, Fraction], dict[int, Fraction]]:
    """Points in thirds -> the exact chance that random picks score at most that, and at
    least that (the two running sums of `chance_distribution`)."""
    dist = chance_distribution(scenarios)
    at_most: dict[int, Fraction] = {}
    total = Fraction(0)
    for t, p in dist.items():  # in ascending order of points
        total += p
        at_most[t] = total
    at_least: dict[int, Fraction] = {}
    total = Fraction(0)
    for t, p in reversed(dist.items()):
        total += p
        at_least[t] = total
    return at_most, at_least


Beyond = Literal["below", "above"]


def beyond_chance(thirds: int, scenarios: int) -> Beyond | None:
    """"below" or "above" when random picks score this low, or this high, at most
    `CHANCE_TAIL` of the time; None inside the chance band."""
    at_most, at_least = _tails(scenarios)
    # the chance of at most / at least `thirds`, which need not be a score random picks reach
    below = max((p for t, p in at_most.items() if t <= thirds), default=Fraction(0))
    above = max((p for t, p in at_least.items() if t >= thirds), default=Fraction(0))
    if below <= CHANCE_TAIL:
        return "below"
    if above <= CHANCE_TAIL:
        return "above"
    return None


def judgement_share(thirds: int, scenarios: int) -> float:
    """The share of the best-response points, exact then rounded to 0.001."""
    return round(thirds / (6 * scenarios), 3)


def note_for(self_score: float | None, thirds: int, scenarios: int) -> Note | None:
    """"generous", "modest" or None (see the module doc)."""
    if self_score is None:
        return None
    side = beyond_chance(thirds, scenarios)
    if side == "below" and self_score >= SELF_HIGH:
        return "generous"
    if side == "above" and self_score <= SELF_LOW:
        return "modest"
    return None


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
        out.setdefault(competency, []).append(pick_thirds(rank[answer.best], rank[answer.worst]))
    return out


#: one competency of a batch record's calibration: (scenarios answered, their points in
#: thirds, the note), or None when no scenario on it was answered
Judged = tuple[int, int, Note | None] | None
_NOTE_CODE: dict[Note | None, int] = {None: 0, "generous": 1, "modest": 2}
_CODE_NOTE: dict[int, Note | None] = {v: k for k, v in _NOTE_CODE.items()}


def calibration_bytes(sheet: AnswerSheet, profiles: Profiles, a: Assessment) -> bytes:
    """The calibration of one sheet in three bytes per competency (profile order: scenarios
    answered, 0 for none; their points in thirds; the note, 0 none, 1 generous, 2 modest),
    for cohort figures; empty when the sheet answers no scenario. `decode_judgements`
    reads it back."""
    if not sheet.scenarios:
        return b""
    got = thirds_by_competency(sheet, profiles)
    out = bytearray()
    for cid in profiles.competencies:
        if cid not in got:
            out += bytes(3)
            continue
        k, thirds = len(got[cid]), sum(got[cid])
        out += bytes([k, thirds, _NOTE_CODE[note_for(a.scores[cid].score, thirds, k)]])
    return bytes(out)


def decode_judgements(data: bytes) -> list[Judged]:
    """Per competency: (scenarios, points in thirds, note), or None (no scenario answered)."""
    return [(data[i], data[i + 1], _CODE_NOTE[data[i + 2]]) if data[i] else None
            for i in range(0, len(data), 3)]


def band_words(scenarios: int) -> str:
    """`random picks: 50% on average, 17–83% nine times in ten`."""
    low, high = chance_band(scenarios)
    return (f"random picks: {chance_share():.0%} on average, {low:.0%}–{high:.0%} nine times "
            "in ten")


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
        k, total = len(got), sum(got)
        share = judgement_share(total, k)
        low, high = chance_band(k)
        own = a.scores[cid].score
        note = note_for(own, total, k)
        prompt = {"generous": GENEROUS, "modest": MODEST}.get(note or "")
        comps.append(CompetencyJudgement(
            competency=cid, label=comp.label, scenarios=k,
            points=round(total / 3, 2), max_points=2.0 * k, share=share,
            chance_low=low, chance_high=high, beyond_chance=beyond_chance(total, k),
            self_score=own, note=note,
            prompt=prompt.format(label=comp.label, self=own, share=f"{share:.0%}",
                                 band=band_words(k)) if prompt else None,
        ))
    return Calibration(notice=NOTICE, scale=SCALE, method=METHOD, chance=chance_share(),
                       answered=len(picks), offered=len(profiles.scenarios),
                       competencies=comps, scenarios=picks)
