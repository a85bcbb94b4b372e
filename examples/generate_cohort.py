#!/usr/bin/env python3
"""Generate synthetic answer sheets for a cohort of QI managers (no real people).

    python examples/generate_cohort.py                      # rebuilds examples/cohort/ (48 sheets)
    python examples/generate_cohort.py --n 10000 --out /tmp/big --seed 7

The same seed always gives the same files, byte for byte. Items, roles, settings and
career stages are read from qim's profile set, so the sheets are always valid.

How the answers are drawn
-------------------------
1. **Background and role.** 60 % clinical (nurse 55 %, physician 35 %, allied health
   10 %), 40 % traditional (operations manager 45 %, process engineer 40 %, other
   industry 15 %): roughly the study's 36 clinical and 20 traditional QIMs [A].
2. **Experience and setting.** Years as a QIM uniform between 0.5 and 15 (so all three
   career stages occur); 60 % metropolitan, 40 % rural, like the study's 34 and 22 [A].
3. **A true level per competency** = the background's mean (``MEANS`` below) + 0.15 per
   career stage beyond "new" + a personal deviation drawn from N(0, 0.45). The means
   follow the evidence [A]: clinical QIMs strong in healthcare context and
   trustworthiness, weaker in systems thinking, long-term thinking and sense-giving;
   traditional QIMs the reverse (strong in methods and systems, weaker in context and
   trust); both weak in external stakeholder orientation.
4. **Each item** = the true level + N(0, 0.6) noise, rounded and kept within 1–5;
   a reverse-keyed item is written as 6 − that value, as a person agreeing with a
   negatively worded statement would. About 3 % of items are answered "na".
5. **Importance**: around 4 (± 1), except that clinical QIMs rate systems thinking,
   long-term thinking and sense-giving around 2.5: the study's authors say clinical QIMs
   overlook the first two, and fewer clinical than traditional QIMs cited all three
   (Table 2 [A]; the figures are in profiles/table2.toml). A synthetic choice, not data.
6. **Organisational context**: one value per person around 3 (± 1) plus per-question
   noise; about 5 % "na".
7. **Scenarios** (``JUDGEMENT`` below; drawn from a random stream of their own, so the
   answers above do not depend on them): 75 % of people answer every scenario. For each,
   the chance of naming the best-ranked response as most likely, and the worst-ranked as
   least likely, is the person's judgement in that competency: a background's base
   (``JUDGEMENT``) + N(0, 0.15). Otherwise another response is drawn, the one ranked last
   three times as often where it is the typical error of the person's background (the
   scenario's tripwire). The bases are qim's synthetic reading of [A]: clinical QIMs judge
   context and trust well and systems and long-term thinking less well; traditional QIMs
   the reverse.
8. **Organisation and unit** (``ORGANISATIONS`` and ``UNITS``; a random stream of their
   own, so nothing above depends on them): two made-up organisations, 55 % and 45 %, so
   that a cohort split by organisation has something to show; clinical QIMs work in a
   clinical unit, most traditional QIMs in the quality improvement office.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from random import Random

import tomli_w

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "cohort"
DEFAULT_N = 48
DEFAULT_SEED = 2026

BACKGROUNDS = (("clinical", 0.6), ("traditional", 0.4))
ROLES = {
    "clinical": (("nurse", 0.55), ("physician", 0.35), ("allied_health", 0.10)),
    "traditional": (("operations_manager", 0.45), ("process_engineer", 0.40),
                    ("other_industry", 0.15)),
}
SETTINGS = (("metropolitan", 0.6), ("rural", 0.4))
MEANS = {
    "clinical": {
        "healthcare_context": 4.3, "qi_methods": 3.0, "sense_giving": 2.9,
        "long_term_thinking": 2.7, "motivating": 3.4, "systems_thinking": 2.6,
        "approachability": 3.9, "supportiveness": 3.6, "trustworthiness": 4.2,
        "external_orientation": 2.4,
    },
    "traditional": {
        "healthcare_context": 2.8, "qi_methods": 4.4, "sense_giving": 3.5,
        "long_term_thinking": 3.9, "motivating": 3.4, "systems_thinking": 4.1,
        "approachability": 3.1, "supportiveness": 3.5, "trustworthiness": 3.0,
        "external_orientation": 2.4,
    },
}
LOW_IMPORTANCE = {"clinical": {"systems_thinking", "long_term_thinking", "sense_giving"},
                  "traditional": set()}
#: the chance of judging a competency's scenarios like the evidence (see step 7)
JUDGEMENT = {
    "clinical": {
        "healthcare_context": 0.8, "qi_methods": 0.5, "sense_giving": 0.55,
        "long_term_thinking": 0.45, "motivating": 0.6, "systems_thinking": 0.45,
        "approachability": 0.7, "supportiveness": 0.6, "trustworthiness": 0.75,
        "external_orientation": 0.4,
    },
    "traditional": {
        "healthcare_context": 0.3, "qi_methods": 0.75, "sense_giving": 0.55,
        "long_term_thinking": 0.7, "motivating": 0.6, "systems_thinking": 0.75,
        "approachability": 0.45, "supportiveness": 0.6, "trustworthiness": 0.3,
        "external_orientation": 0.4,
    },
}
#: two made-up organisations (no real one), and the units a QIM of each background works in
ORGANISATIONS = (("Northbridge Health", 0.55), ("Ridgeway Health", 0.45))
UNITS = {
    "clinical": (("Medicine", 0.55), ("Surgery and critical care", 0.45)),
    "traditional": (("Quality improvement office", 0.7), ("Medicine", 0.15),
                    ("Surgery and critical care", 0.15)),
}
ANSWER_SCENARIOS = 0.75
JUDGEMENT_SD = 0.15
STAGE_STEP = 0.15
PERSON_SD = 0.45
ITEM_SD = 0.6
NA_ITEM = 0.03
NA_CONTEXT = 0.05


def pick(rng: Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def scale(x: float) -> int:
    return min(5, max(1, round(x)))


def make_sheet(rng: Random, rid: str, profiles) -> dict:
    background = pick(rng, BACKGROUNDS)
    role = pick(rng, ROLES[background])
    years = round(rng.uniform(0.5, 15.0), 1)
    setting = pick(rng, SETTINGS)
    stages = list(profiles.stages)
    stage_index = stages.index(profiles.career_stage(years).id)

    answers: dict[str, int | str] = {}
    importance: dict[str, int] = {}
    for cid, comp in profiles.competencies.items():
        level = MEANS[background][cid] + STAGE_STEP * stage_index + rng.gauss(0, PERSON_SD)
        for item in comp.items:
            value = scale(level + rng.gauss(0, ITEM_SD))
            if rng.random() < NA_ITEM:
                answers[item.id] = "na"
            else:
                answers[item.id] = 6 - value if item.reverse else value
        centre = 2.5 if cid in LOW_IMPORTANCE[background] else 4.0
        importance[cid] = scale(centre + rng.gauss(0, 1.0))

    climate = rng.gauss(3.0, 1.0)
    context: dict[str, int | str] = {}
    for ctx in profiles.context_items:
        context[ctx] = "na" if rng.random() < NA_CONTEXT else scale(climate + rng.gauss(0, 0.7))

    return {
        "schema_version": 1,
        "synthetic": True,
        "respondent": {"id": rid, "background": background, "role": role,
                       "years_as_qim": years, "setting": setting},
        "answers": answers,
        "importance": importance,
        "context": context,
    }


def workplace(rng: Random, background: str) -> dict[str, str]:
    """The organisation and unit a person works in (step 8 of the module doc)."""
    return {"organisation": pick(rng, ORGANISATIONS), "unit": pick(rng, UNITS[background])}


#: a person's own random streams (scenarios, workplace) are seeded with the cohort's seed
#: times this, plus their number
STREAM = 1_000_003


def scenario_answers(rng: Random, background: str, profiles) -> dict[str, dict[str, str]]:
    """Best and worst picks for every scenario, or none (see step 7 of the module doc)."""
    if rng.random() >= ANSWER_SCENARIOS:
        return {}
    skill = {cid: min(0.95, max(0.05, base + rng.gauss(0, JUDGEMENT_SD)))
             for cid, base in JUDGEMENT[background].items()}
    out = {}
    for sc in profiles.scenarios.values():
        q = skill[sc.competency]
        by_rank = {o.rank: o.key for o in sc.option}
        trap = 3.0 if sc.tripwire == background else 1.0
        if rng.random() < q:
            best = 1
        else:
            best = rng.choices([2, 3, 4], weights=[1.0, 1.0, trap])[0]
        if best != 4 and rng.random() < q:
            worst = 4
        else:
            worst = rng.choice([r for r in (1, 2, 3, 4) if r not in (best, 4)] or [1])
        out[sc.id] = {"best": by_rank[best], "worst": by_rank[worst]}
    return out


def generate(n: int, out: Path, seed: int, *, force: bool = False) -> list[Path]:
    from qim_cli.framework.profiles import load_profiles

    profiles = load_profiles()
    rng = Random(seed)
    width = max(3, len(str(n)))
    out.mkdir(parents=True, exist_ok=True)
    header = (f"# Synthetic answer sheet (not a real person), generated by "
              f"examples/generate_cohort.py --seed {seed}\n")
    written = []
    for i in range(1, n + 1):
        rid = f"qim-{i:0{width}d}"
        path = out / f"{rid}.toml"
        if path.exists() and not force:
            raise FileExistsError(f"{path}: already exists (use --force to overwrite)")
        sheet = make_sheet(rng, rid, profiles)
        background = sheet["respondent"]["background"]
        sheet["respondent"].update(workplace(Random(f"workplace {seed * STREAM + i}"), background))
        picks = scenario_answers(Random(seed * STREAM + i), background, profiles)
        if picks:
            sheet["scenarios"] = picks
        path.write_text(header + tomli_w.dumps(sheet), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N,
                        help=f"how many sheets (default {DEFAULT_N})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--force", action="store_true", help="overwrite existing sheets")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    try:
        written = generate(args.n, args.out, args.seed, force=args.force)
    except (FileExistsError, OSError) as exc:
        print(f"generate_cohort: {exc}", file=sys.stderr)
        return 73
    print(f"wrote {len(written)} sheets to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
