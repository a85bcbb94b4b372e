"""The bundled situational-judgement scenarios (profiles/scenarios.toml): one for every
competency with four ranked options, and worded to read well."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

from conftest import ROOT

from qim_cli.framework.scenarios import sentences

SCENARIOS = ROOT / "profiles" / "scenarios.toml"


def test_every_competency_has_a_scenario_with_four_ranked_options(profiles):
    per = Counter(s.competency for s in profiles.scenarios.values())
    assert set(per) == set(profiles.competencies)
    assert len(profiles.scenarios) == 14
    for sc in profiles.scenarios.values():
        assert sorted(o.key for o in sc.option) == ["a", "b", "c", "d"]
        assert sorted(o.rank for o in sc.option) == [1, 2, 3, 4]
        assert sc.tripwire in (None, *profiles.backgrounds)


def test_bundled_scenarios_read_well():
    """The style rules the scenarios were written to (the linter only warns about them)."""
    data = tomllib.loads(SCENARIOS.read_text(encoding="utf-8"))
    best_keys: Counter[str] = Counter()
    for sc in data["scenario"]:
        assert 3 <= sentences(sc["situation"]) <= 5, sc["id"]
        opts = sc["option"]
        assert len({o["text"] for o in opts}) == 4
        for o in opts:
            assert sentences(o["text"]) == 1, (sc["id"], o["key"])
            assert 1 <= sentences(o["rationale"]) <= 2, (sc["id"], o["key"])
            assert re.match(r"^[APQD]: ", o["passage"]) and len(o["passage"].split()) <= 16
        ranks = [o["rank"] for o in sorted(opts, key=lambda o: o["key"])]
        assert ranks != [1, 2, 3, 4], f"{sc['id']}: the options are listed best to worst"
        best_keys[next(o["key"] for o in opts if o["rank"] == 1)] += 1
    assert len(best_keys) >= 3, best_keys  # the best answer is not always the same letter
