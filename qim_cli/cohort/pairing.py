"""Mixed-team and mentoring pairs for a cohort, solved as a maximum-weight matching.

The study's authors suggest, tentatively ("perhaps ... could be a good start ... further
research ... is required"), teams of traditional and clinical QIMs, so that each learns
from the other and offsets the other's weaknesses [A]; mentoring for early-career QIMs
facing the setbacks of real implementation is qim's own suggestion (the study does not
mention mentoring).

* **How much one person covers another** in a competency: the part of the other's gap
  (their target − their score, when it is beyond measurement error: a smaller gap is no
  need, as in the person's report) that the first person's score spans::

      cover(giver -> taker, c) = min(gap_taker(c), score_giver(c) - score_taker(c)), at least 0

  Insufficient evidence (no score) covers and is covered by nothing.
* **mixed** pairs clinical with traditional QIMs; a pair's weight is what each covers
  of the other, summed over the competencies (both ways).
* **mentoring** pairs experienced QIMs (mentors) with new and early-career ones
  (mentees); a pair's weight is what the mentor covers of the mentee.
* The pairs are a **maximum-weight matching** of the two sides (SciPy's
  `linear_sum_assignment`, an exact solver; no greedy choice): among the matchings that
  pair as many people as the smaller side has, the one whose pairs cover the most.
* **Uneven sides**: each person left over from the larger side joins one pair as its
  third member, the pairs and extra people again matched for the most cover (a second
  exact assignment; at most one extra per pair). Whoever still has no place is listed
  as unpaired with the reason, as is anyone outside the mode (a background other than
  clinical or traditional; a surplus of mentors).
* **Deterministic**: people are ordered by id before solving and weights are counted in
  whole hundredths, so the same sheets give the same pairs in any order.

Numbers are kept in the result for `--scores`; the explanations use words only. The
document (`PairingResult`, `pairing_result`) carries them only when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..assessment.results import Out
from ..errors import DataError
from ..words import and_list
from .privacy import DEFAULT_MIN_GROUP, Privacy, privacy, shown_count

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .records import Record

Mode = Literal["mixed", "mentoring"]
#: the side of a pair a person is on: their background in a mixed pair, mentor or mentee
Side = Literal["clinical", "traditional", "mentor", "mentee"]
MIXED_SIDES = ("clinical", "traditional")
MENTOR_STAGES = ("experienced",)
MENTEE_STAGES = ("new", "early_career")
#: how many of a person's strongest covers an explanation names
NAMED = 2

#: how a competency reads as something a person brings (the label otherwise)
STRENGTH_WORDS = {
    "healthcare_context": "healthcare context",
    "qi_methods": "QI methods",
    "sense_giving": "sense-giving",
    "long_term_thinking": "a long-term view",
    "motivating": "skill in motivating people",
    "systems_thinking": "systems thinking",
    "approachability": "approachability",
    "supportiveness": "coaching others",
    "trustworthiness": "trust on the wards",
    "external_orientation": "co-design with patients",
}


@dataclass(frozen=True)
class Person:
    """What pairing needs of one scored sheet (competency figures in the profile order)."""

    id: str
    name: str | None
    file: str
    background: str
    role: str
    career_stage: str
    scores: tuple[float | None, ...]
    gaps: tuple[float | None, ...]

    @property
    def shown(self) -> str:
        return self.name or self.id


def person(rec: Record, profiles: Profiles) -> Person:
    """A person as the matching sees them: a gap within measurement error is no gap (0)."""
    comps = list(profiles.competencies)
    gaps = tuple(gap if gap is None or rec.below(c) else min(gap, 0.0)
                 for c in comps for gap in [rec.gaps.get(c)])
    return Person(rec.id, rec.name, rec.file, rec.background, rec.role, rec.career_stage,
                  tuple(rec.scores.get(c) for c in comps), gaps)


def cover(giver: Person, taker: Person) -> tuple[int, ...]:
    """Per competency, in hundredths: how much of the taker's gap the giver's score spans."""
    out = []
    for g, t, gap in zip(giver.scores, taker.scores, taker.gaps, strict=True):
        if g is None or t is None or gap is None or gap <= 0 or g <= t:
            out.append(0)
        else:
            out.append(round(min(gap, g - t) * 100))
    return tuple(out)


def weight(a: Person, b: Person, mode: Mode) -> int:
    """The weight of a pair in hundredths: a is the clinical QIM or the mentor."""
    if mode == "mentoring":
        return sum(cover(a, b))
    return sum(cover(a, b)) + sum(cover(b, a))


def best_assignment(matrix: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """(row, column) pairs of a maximum-weight assignment, as many as the smaller side."""
    if not matrix or not matrix[0]:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(np.array(matrix, dtype=np.int64), maximize=True)
    return sorted(zip(rows.tolist(), cols.tolist(), strict=True))


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Member:
    person: Person
    #: the side of the pair the person is on: their background in a mixed pair, mentor
    #: or mentee in mentoring (a person's job role is `person.role`)
    side: Side
    #: competency index -> hundredths this person covers of the others in the group
    brings: dict[int, int]


@dataclass(frozen=True)
class Group:
    number: int
    members: tuple[Member, ...]
    weight: int
    explanation: str


@dataclass(frozen=True)
class Unpaired:
    person: Person
    reason: str


@dataclass
class Pairing:
    mode: Mode
    groups: list[Group] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    people: int = 0


def _words(profiles: Profiles, cid: str) -> str:
    if cid in STRENGTH_WORDS:
        return STRENGTH_WORDS[cid]
    label = profiles.competencies[cid].label
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _brings(covers: Iterable[tuple[int, ...]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for cov in covers:
        for i, v in enumerate(cov):
            if v:
                total[i] = total.get(i, 0) + v
    return total


def _strengths(m: Member, profiles: Profiles) -> list[str]:
    comps = list(profiles.competencies)
    top = sorted(m.brings.items(), key=lambda kv: (-kv[1], kv[0]))[:NAMED]
    return [_words(profiles, comps[i]) for i, _ in top]


def _perspective(p: Person, profiles: Profiles) -> str:
    role = profiles.roles[p.role].label if p.role in profiles.roles else p.role
    role = role if role[:2].isupper() else role[:1].lower() + role[1:]
    article = "an" if role[:1].lower() in "aeiou" else "a"
    return f"the perspective of {article} {role}"


def explain(members: Sequence[Member], mode: Mode, profiles: Profiles) -> str:
    """One sentence per group, in positive terms and without numbers."""
    if mode == "mentoring":
        mentor, mentees = members[0], members[1:]
        who = and_list([m.person.shown for m in mentees])
        named = _strengths(mentor, profiles)
        if named:
            return f"{mentor.person.shown} mentors {who}, bringing {and_list(named)}."
        return (f"{mentor.person.shown} mentors {who} through the setbacks of putting "
                "improvements into practice.")
    parts = []
    for m in members:
        named = _strengths(m, profiles)
        brings = and_list(named) if named else _perspective(m.person, profiles)
        parts.append(f"{m.person.shown} brings {brings}")
    return "; ".join(parts) + "."


def _sides(people: list[Person], mode: Mode) -> tuple[list[Person], list[Person], list[Unpaired]]:
    if mode == "mixed":
        a = [p for p in people if p.background == MIXED_SIDES[0]]
        b = [p for p in people if p.background == MIXED_SIDES[1]]
        out = [Unpaired(p, f'background "{p.background}": mixed pairs join clinical and '
                        "traditional QIMs") for p in people if p.background not in MIXED_SIDES]
        return a, b, out
    a = [p for p in people if p.career_stage in MENTOR_STAGES]
    b = [p for p in people if p.career_stage in MENTEE_STAGES]
    out = [Unpaired(p, f'career stage "{p.career_stage}": neither a mentor nor a mentee')
           for p in people if p.career_stage not in MENTOR_STAGES + MENTEE_STAGES]
    return a, b, out


def _check_ids(people: list[Person]) -> None:
    seen: dict[str, str] = {}
    for p in people:
        if p.id in seen:
            raise DataError(f'{p.file}: respondent.id: "{p.id}" is also the id in {seen[p.id]}; '
                            "pair one sheet per person")
        seen[p.id] = p.file


def pair(records: Iterable[Record], profiles: Profiles, mode: Mode) -> Pairing:
    """Pairs (and triads) for the people of these sheets; see the module doc."""
    return pair_people([person(r, profiles) for r in records], profiles, mode)


def pair_people(people: Iterable[Person], profiles: Profiles, mode: Mode) -> Pairing:
    """Pairs (and triads) for these people, whatever their order."""
    people = sorted(people, key=lambda p: (p.id, p.file))
    _check_ids(people)
    a, b, unpaired = _sides(people, mode)
    names: tuple[Side, Side] = ("clinical", "traditional") if mode == "mixed" else ("mentor", "mentee")
    matched = best_assignment([[weight(x, y, mode) for y in b] for x in a])
    groups: list[list[tuple[Person, Side]]] = [[(a[i], names[0]), (b[j], names[1])]
                                               for i, j in matched]
    left_a = [p for i, p in enumerate(a) if i not in {i for i, _ in matched}]
    left_b = [p for j, p in enumerate(b) if j not in {j for _, j in matched}]
    if mode == "mentoring":
        unpaired += [Unpaired(p, "more experienced QIMs than new and early-career ones: free "
                                 "to mentor in another round") for p in left_a]
        extras, side = left_b, names[1]
    else:
        extras, side = (left_a, names[0]) if left_a else (left_b, names[1])
    placed = _third_members(groups, extras, side, mode)
    why = _why_unplaced(mode, len(a), len(b))
    unpaired += [Unpaired(x, why) for i, x in enumerate(extras) if i not in placed]
    result = Pairing(mode, people=len(people))
    for number, g in enumerate(groups, 1):
        members = _members(g, mode)
        total = sum(v for m in members for v in m.brings.values())
        result.groups.append(Group(number, tuple(members), total, explain(members, mode, profiles)))
    result.unpaired = sorted(unpaired, key=lambda u: (u.person.id, u.person.file))
    return result


def _third_members(groups: list[list[tuple[Person, Side]]], extras: list[Person], side: Side,
                   mode: Mode) -> set[int]:
    """Each extra person joins the pair they add most to, matched with the pair's member of
    the other side (the mentor, for an extra mentee); the indexes of those placed."""
    partner = 0 if side in ("traditional", "mentee") else 1
    joined = best_assignment([[weight(g[partner][0], x, mode) if mode == "mentoring"
                               else weight(x, g[partner][0], mode) for g in groups] for x in extras])
    for i, gi in joined:
        groups[gi].append((extras[i], side))
    return {i for i, _ in joined}


def _why_unplaced(mode: Mode, a: int, b: int) -> str:
    """Why an extra person has no place, given `a` people on the first side, `b` on the other."""
    if mode == "mixed":
        counts = f"{a} clinical and {b} traditional QIMs"
        return ("no traditional QIM to pair with" if not b else "no clinical QIM to pair with"
                if not a else f"every pair already has a third member ({counts})")
    counts = f"{a} experienced and {b} new or early-career QIMs"
    return ("no experienced QIM in the cohort to mentor them" if not a
            else f"every mentor already has two mentees ({counts})")


def _members(g: list[tuple[Person, Side]], mode: Mode) -> list[Member]:
    """A group's members, each with what they cover of the others' gaps: a mentor of the
    mentees, a mixed pair's member of those of the other background; a mentee nothing."""
    members = []
    for p, on in g:
        if mode == "mentoring" and on == "mentee":
            brings: dict[int, int] = {}
        elif mode == "mentoring":
            brings = _brings(cover(p, q) for q, _ in g if q is not p)
        else:
            brings = _brings(cover(p, q) for q, r in g if r != on)
        members.append(Member(p, on, brings))
    return members


# --------------------------------------------------------------------------- the document

TITLES = {
    "mixed": "Mixed pairs: clinical and traditional QIMs",
    "mentoring": "Mentoring pairs: experienced QIMs with new and early-career QIMs",
}
INTROS = {
    "mixed": "Each clinical QIM is paired with a traditional QIM so that each one's strengths "
             "cover the other's gaps; where one background outnumbers the other, a pair takes "
             "a third member.",
    "mentoring": "Each new or early-career QIM is paired with an experienced QIM who is strong "
                 "where they have gaps; where mentees outnumber mentors, a mentor takes a "
                 "second mentee.",
}


def _absent(value: object) -> bool:
    return value is None


class PairMember(Out):
    id: str
    name: str | None
    background: str
    career_stage: str
    side: Side
    brings: list[str] = Field(description="the competencies whose gaps of the others this "
                                          "person covers, most first")
    brings_points: dict[str, float] | None = Field(
        default=None, exclude_if=_absent,
        description="with --scores only: how much of the others' gaps each covers (1–5 points)")

    @property
    def shown(self) -> str:
        return self.name or self.id


class PairGroup(Out):
    number: int
    members: list[PairMember]
    explanation: str
    weight: float | None = Field(default=None, exclude_if=_absent,
                                 description="with --scores only: the pair's cover in all")


class UnpairedPerson(Out):
    id: str
    name: str | None
    background: str
    career_stage: str
    reason: str

    @property
    def shown(self) -> str:
        return self.name or self.id


class PairingResult(Out):
    """The JSON document of `qim pair`: numbers only with `scores` (--scores), since the
    pairs are shared with the people in them."""

    mode: Mode
    title: str
    intro: str
    people: int | None = Field(description="the people paired or listed as unpaired (null: "
                                           "fewer than the privacy threshold)")
    privacy: Privacy
    scores: bool
    groups: list[PairGroup]
    unpaired: list[UnpairedPerson]


def _points(hundredths: int) -> float:
    return round(hundredths / 100, 2)


def pairing_result(p: Pairing, profiles: Profiles, *, scores: bool = False) -> PairingResult:
    """The pairs as a document; with `scores`, how much each person covers."""
    comps = list(profiles.competencies)
    groups = []
    for g in p.groups:
        members = []
        for m in g.members:
            ranked = sorted(m.brings.items(), key=lambda kv: (-kv[1], kv[0]))
            members.append(PairMember(
                id=m.person.id, name=m.person.name, background=m.person.background,
                career_stage=m.person.career_stage, side=m.side,
                brings=[comps[i] for i, _ in ranked],
                brings_points={comps[i]: _points(v) for i, v in ranked} if scores else None))
        groups.append(PairGroup(number=g.number, members=members,
                                explanation=g.explanation,
                                weight=_points(g.weight) if scores else None))
    return PairingResult(
        mode=p.mode, title=TITLES[p.mode], intro=INTROS[p.mode],
        people=shown_count(p.people, DEFAULT_MIN_GROUP), privacy=privacy(DEFAULT_MIN_GROUP),
        scores=scores,
        groups=groups,
        unpaired=[UnpairedPerson(id=u.person.id, name=u.person.name,
                                 background=u.person.background,
                                 career_stage=u.person.career_stage, reason=u.reason)
                  for u in p.unpaired])
