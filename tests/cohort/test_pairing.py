"""Pairing (cohort/pairing.py): a maximum-weight matching checked by brute force, third
members where they add most, and how much of a gap one person covers for another."""

from __future__ import annotations

import itertools
import random

import pytest
from conftest import make_sheet

from qim_cli.cohort.pairing import Person, cover, pair_people, person, weight
from qim_cli.cohort.records import record_from_sheet


def _person(rng: random.Random, pid: str, background: str, stage: str, n: int) -> Person:
    scores, gaps = [], []
    for _ in range(n):
        if rng.random() < 0.1:  # insufficient evidence now and then
            scores.append(None)
            gaps.append(None)
            continue
        score = rng.choice([1.5, 2.0, 2.25, 2.75, 3.0, 3.5, 4.0, 4.5, 5.0])
        target = rng.choice([2.5, 3.0, 3.5, 4.0])
        scores.append(score)
        gaps.append(round(target - score, 2))
    role = "nurse" if background == "clinical" else "process_engineer"
    return Person(pid, None, f"{pid}.toml", background, role, stage, tuple(scores), tuple(gaps))


def _cohort(rng, n_a: int, n_b: int, mode: str, n: int) -> list[Person]:
    if mode == "mixed":
        sides = [("clinical", "early_career")] * n_a + [("traditional", "experienced")] * n_b
    else:
        sides = [("clinical", "experienced")] * n_a + [("traditional", "new")] * n_b
    people = [_person(rng, f"p{i:02d}", bg, st, n) for i, (bg, st) in enumerate(sides)]
    rng.shuffle(people)
    return people


def _best_total(a: list[Person], b: list[Person], mode: str) -> int:
    """Every matching of the smaller side into the larger one, enumerated."""
    best = 0
    if len(a) <= len(b):
        for cols in itertools.permutations(range(len(b)), len(a)):
            best = max(best, sum(weight(a[i], b[j], mode) for i, j in enumerate(cols)))
    else:
        for rows in itertools.permutations(range(len(a)), len(b)):
            best = max(best, sum(weight(a[i], b[j], mode) for j, i in enumerate(rows)))
    return best


@pytest.mark.parametrize("mode", ["mixed", "mentoring"])
def test_pairs_are_a_maximum_weight_matching_checked_by_brute_force(profiles, mode):
    rng = random.Random(17)
    n = len(profiles.competencies)
    for trial in range(80):
        n_a, n_b = rng.randint(0, 5), rng.randint(0, 5)
        people = _cohort(rng, n_a, n_b, mode, n)
        result = pair_people(people, profiles, mode)  # type: ignore[arg-type]
        first = "clinical" if mode == "mixed" else "mentor"
        a = [p for p in people if (p.background == "clinical" if mode == "mixed"
                                   else p.career_stage == "experienced")]
        b = [p for p in people if p not in a]
        # as many pairs as the smaller side allows, each with one of each side
        assert len(result.groups) == min(n_a, n_b), trial
        for g in result.groups:
            assert g.members[0].side == first and g.members[1].side != first
        chosen = sum(weight(g.members[0].person, g.members[1].person, mode) for g in result.groups)
        assert chosen == _best_total(a, b, mode), (trial, n_a, n_b)
        # everyone is placed once: in a group or unpaired
        placed = [m.person.id for g in result.groups for m in g.members] + \
            [u.person.id for u in result.unpaired]
        assert sorted(placed) == sorted(p.id for p in people)


def test_third_members_join_the_pairs_they_add_most_to(profiles):
    """The second stage (extra people into pairs) is checked against brute force too."""
    rng = random.Random(5)
    n = len(profiles.competencies)
    for trial in range(60):
        n_a, n_b = rng.randint(1, 3), rng.randint(4, 7)
        mode = rng.choice(["mixed", "mentoring"])
        people = _cohort(rng, n_a, n_b, mode, n)
        result = pair_people(people, profiles, mode)  # type: ignore[arg-type]
        triads = [g for g in result.groups if len(g.members) == 3]
        assert len(triads) == min(n_a, n_b - n_a), trial
        pairs = [(g.members[0].person, g.members[1].person) for g in result.groups]
        extras = [g.members[2].person for g in triads] + [
            u.person for u in result.unpaired if u.person.id not in
            {m.person.id for g in result.groups for m in g.members}]

        def gain(x: Person, pair: tuple[Person, Person], mode: str = mode) -> int:
            # the extra is of side b: matched with the pair's side-a member
            return weight(pair[0], x, mode)

        if len(extras) <= len(pairs):
            best = max(sum(gain(extras[i], pairs[j]) for i, j in enumerate(cols))
                       for cols in itertools.permutations(range(len(pairs)), len(extras)))
        else:
            best = max(sum(gain(extras[i], pairs[j]) for j, i in enumerate(rows))
                       for rows in itertools.permutations(range(len(extras)), len(pairs)))
        chosen = sum(gain(g.members[2].person, (g.members[0].person, g.members[1].person))
                     for g in triads)
        assert chosen == best, trial


def test_cover_counts_only_the_part_of_a_gap_the_other_spans(profiles):
    n = len(profiles.competencies)
    giver = Person("g", None, "g", "traditional", "x", "experienced", (4.5,) + (3.0,) * (n - 1),
                   (0.0,) * n)
    taker = Person("t", None, "t", "clinical", "x", "new", (2.0, 3.0, None) + (3.0,) * (n - 3),
                   (1.0, -0.5, None) + (0.5,) * (n - 3))
    got = cover(giver, taker)
    assert got[0] == 100  # gap 1.0, giver 2.5 above: the whole gap
    assert got[1] == 0  # no gap
    assert got[2] == 0  # insufficient evidence
    assert got[3:] == (0,) * (n - 3)  # the giver is not above the taker


def test_a_gap_within_measurement_error_is_no_gap_to_cover(profiles):
    # early career, target 3.5, band 0.75: a 3 (0.5 below) is at target within measurement
    # error in the person's report, so nobody covers it; a 2 (1.5 below) is a gap
    comps = list(profiles.competencies)
    near = record_from_sheet(make_sheet(profiles, years=3, rid="near", default=3), profiles, "near")
    low = record_from_sheet(make_sheet(profiles, years=3, rid="low", default=2), profiles, "low")
    strong = record_from_sheet(make_sheet(profiles, background="traditional", years=10,
                                          rid="strong", default=5), profiles, "strong")
    i = comps.index("healthcare_context")
    assert near.gaps["healthcare_context"] == 0.5 and not near.below("healthcare_context")
    assert low.below("healthcare_context")
    assert person(near, profiles).gaps[i] == 0.0
    assert cover(person(strong, profiles), person(near, profiles))[i] == 0
    assert cover(person(strong, profiles), person(low, profiles))[i] == 150
