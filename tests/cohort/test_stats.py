"""The statistics of `qim cohort` in the library: Cronbach's alpha and item-total correlations
against hand-computed references (cohort/reliability.py), the group statistics against a
two-pass computation (cohort/stats.py), the suppression rule (cohort/privacy.py), the example
cohort as its generator makes it, and a cohort added up by hand."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, make_sheet
from support.reference import alpha_two_pass

from qim_cli.cohort.privacy import suppressed_groups
from qim_cli.cohort.records import outcome_for, record_from_sheet
from qim_cli.cohort.reliability import ItemSums, reliability
from qim_cli.cohort.stats import Cohort, counter_median
from qim_cli.cohort.summary import summarise

COHORT = EXAMPLES / "cohort"


#: Five people, three items. Worked by hand:
#:   item variances (n-1): 2.5, 1.0, 1.3; totals 5, 7, 10, 13, 12 -> variance 11.3
#:   alpha = 3/2 * (1 - 4.8/11.3) = 9.75/11.3 = 0.86283
#:   corrected item-total r: item1 vs (i2+i3): cov 2.5, var 3.8 -> 2.5/sqrt(2.5*3.8) = 0.81111
#:                           item2 vs (i1+i3): cov 1.75, var 6.8 -> 1.75/sqrt(1.0*6.8) = 0.67109
#:                           item3 vs (i1+i2): cov 2.25, var 5.5 -> 2.25/sqrt(1.3*5.5) = 0.84144
REFERENCE = [(1, 2, 2), (2, 2, 3), (3, 4, 3), (4, 4, 5), (5, 3, 4)]


def test_alpha_and_item_total_match_the_hand_computed_reference():
    sums = ItemSums(["i1", "i2", "i3"])
    for row in REFERENCE:
        sums.add(list(row))
    r = reliability(sums, "x")
    assert r.n == 5 and r.k == 3
    assert r.alpha == 0.863
    assert [it.r for it in r.items] == [0.811, 0.671, 0.841]
    assert r.flagged == []


def test_listwise_deletion_and_a_flagged_item():
    sums = ItemSums(["i1", "i2", "i3"])
    for row in REFERENCE:
        sums.add(list(row))
    sums.add([5, None, 1])  # incomplete: left out entirely
    assert sums.n == 5
    # an item that runs against the others is flagged
    odd = ItemSums(["a", "b", "c"])
    for a, b in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]:
        odd.add([a, b, 6 - a])
    r = reliability(odd, "x")
    assert r.flagged == ["c"]
    assert r.items[2].r is not None and r.items[2].r < 0


def test_alpha_is_undefined_without_variance_or_people():
    flat = ItemSums(["a", "b"])
    for _ in range(4):
        flat.add([3, 3])
    r = reliability(flat, "x")
    assert r.alpha is None and "undefined" in (r.note or "")
    few = ItemSums(["a", "b"])
    few.add([1, 2])
    assert reliability(few, "x").alpha is None


def test_cohort_stats_match_a_two_pass_computation_on_the_example_cohort(profiles):
    records = [outcome_for(p, profiles).record for p in sorted(COHORT.glob("*.toml"))]
    doc = summarise(Cohort(profiles).add_all(records)).model_dump(mode="json")
    shown = [comp for comp in doc["reliability"]["rows"] if comp["alpha"] is not None]
    assert shown, "the example cohort's clinical group reaches 30 on some competencies"
    for comp in doc["reliability"]["rows"]:
        items = [it.id for it in profiles.competencies[comp["competency"]].items]
        rows = [[r.items[i] for i in items] for r in records if r.background == comp["group"]]
        complete = [row for row in rows if None not in row]
        assert comp["n"] == len(complete)
        if len(complete) < 30:
            assert comp["alpha"] is None and comp["item_total"] == [] and not comp["flagged"]
            continue
        assert comp["alpha"] == pytest.approx(alpha_two_pass(complete), abs=0.0005)
    for c in doc["overall"]["competencies"]:
        scores = [r.scores[c["id"]] for r in records if r.scores[c["id"]] is not None]
        assert c["n"] == len(scores)
        assert c["mean"] == round(statistics.fmean(scores), 2)
        assert c["median"] == round(statistics.median(scores), 2)


@pytest.mark.parametrize("values", [[3.0], [1.0, 2.0], [5.0, 1.0, 3.0], [2.5, 2.5, 4.0, 1.75]])
def test_counter_median_is_exact(values):
    assert counter_median(Counter(values), len(values)) == round(statistics.median(values), 2)


def test_suppression_rule():
    assert suppressed_groups({"a": 10, "b": 6}, 5) == ([], [])
    # one small group: the smallest shown one is withheld as well
    assert suppressed_groups({"a": 10, "b": 6, "c": 2}, 5) == (["c"], ["b"])
    assert suppressed_groups({"a": 10, "b": 2, "c": 1}, 5) == (["b", "c"], [])


def test_the_example_cohort_is_what_the_committed_generator_makes(tmp_path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_cohort",
                                                  EXAMPLES / "generate_cohort.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    written = gen.generate(gen.DEFAULT_N, tmp_path / "cohort", gen.DEFAULT_SEED)
    committed = sorted(COHORT.glob("*.toml"))
    assert [p.name for p in written] == [p.name for p in committed]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(written, committed, strict=True))
    # any size, any folder, any seed; and never over existing sheets without force
    other = gen.generate(3, tmp_path / "other", 7)
    assert [p.name for p in other] == ["qim-001.toml", "qim-002.toml", "qim-003.toml"]
    with pytest.raises(FileExistsError):
        gen.generate(3, tmp_path / "other", 7)
    assert gen.main(["--n", "2", "--out", str(tmp_path / "cli"), "--seed", "1"]) == 0
    assert len(list((tmp_path / "cli").glob("*.toml"))) == 2


def test_a_cohort_added_by_hand_still_says_when_an_id_repeats(profiles, tmp_path: Path):
    """A library user who adds records without the batch rule is told, as before."""
    from qim_cli.cohort.stats import Cohort

    sheet = make_sheet(profiles, rid="x-1")
    cohort = Cohort(profiles).add_all([record_from_sheet(sheet, profiles, "a"),
                                       record_from_sheet(sheet, profiles, "b")])
    doc = summarise(cohort, 1).model_dump(mode="json")
    assert any("1 respondent id appears in more than one sheet; each sheet counts as one person"
               in n for n in doc["notes"])
