"""The programme proposal (cohort/proposal.py): the fewest sessions that meet every need, an
exact minimum set cover checked by brute force, smaller than a greedy choice, and the fewest
hours among equally small covers."""

from __future__ import annotations

import itertools

from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from qim_cli.cohort.proposal import minimum_cover


def _brute_force(needs: list[frozenset[str]], cost: dict[str, float]) -> tuple[int, float]:
    """(fewest sessions, fewest hours among those) by trying every subset."""
    sessions = sorted(set().union(*needs))
    for k in range(len(sessions) + 1):
        costs = [sum(cost[s] for s in combo) for combo in itertools.combinations(sessions, k)
                 if all(set(combo) & n for n in needs)]
        if costs:
            return k, min(costs)
    raise AssertionError("unreachable: all sessions together cover every need")


def test_the_cover_is_smaller_than_a_greedy_choice():
    # sessions as sets of needs: C meets four needs, A and B three each; greedy takes C first
    # and then still needs A and B (3 sessions), but A and B alone meet all six
    meets = {"A": {1, 2, 3}, "B": {4, 5, 6}, "C": {1, 2, 4, 5}}
    needs = [frozenset(s for s, met in meets.items() if e in met) for e in range(1, 7)]
    assert minimum_cover(needs, {"A": 5, "B": 5, "C": 1}) == ["A", "B"]


def test_among_equally_small_covers_the_fewest_hours_wins():
    needs = [frozenset({"long", "short"}), frozenset({"long", "other"})]
    assert minimum_cover(needs, {"long": 40, "short": 1, "other": 1}) == ["long"]
    needs = [frozenset({"a", "b"})]
    assert minimum_cover(needs, {"a": 8, "b": 3}) == ["b"]


def test_no_needs_no_sessions():
    assert minimum_cover([], {}) == []


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.frozensets(st.sampled_from("abcdefg"), min_size=1, max_size=4), min_size=1, max_size=9),
       st.lists(st.integers(min_value=1, max_value=40), min_size=7, max_size=7))
def test_the_cover_is_exactly_minimal(needs, hours):
    cost = dict(zip("abcdefg", map(float, hours), strict=True))
    chosen = minimum_cover(needs, cost)
    assert all(set(chosen) & n for n in needs)
    assert (len(chosen), sum(cost[s] for s in chosen)) == _brute_force(needs, cost)
