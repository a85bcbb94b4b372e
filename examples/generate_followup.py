#!/usr/bin/env python3
"""Generate a made-up follow-up of the example cohort, a year after a development programme.

    python examples/generate_followup.py        # rebuilds examples/cohort-after/ from examples/cohort/

No real people. The same seed always gives the same files, byte for byte.

The story
---------
The 48 QIMs of ``examples/cohort`` answered the self-check before a year-long programme.
The programme aimed at systems thinking and long-term thinking, which the study's authors
say clinical QIMs overlook [A], and sense-giving for clinical QIMs; and at healthcare
context and trustworthiness, a known gap for traditional QIMs from outside healthcare, for
traditional QIMs. A year later:

1. **Some leave.** Each person has a ``LEAVE`` chance of not answering again (moved on,
   on leave); they are absent from the follow-up.
2. **Those who stay are a year older in the role** (``years_as_qim`` + 1, so some move
   into the next career stage and meet a higher target).
3. **Some improve where the programme aimed.** For each aimed competency a person below
   the target of their career stage (the role standard, the same for every background)
   gains a true effect drawn from N(``EFFECT``, ``EFFECT_SD``); someone at or above target
   gains a third of it. Other competencies get no effect.
4. **Answers are noisy.** Every item is re-answered around its old effective value plus
   the effect, with N(0, ``RETEST_SD``) noise, rounded and kept within 1–5 (so scores
   also move where nothing changed, as on any retest). An item answered "na" before
   stays "na". Keeping the answer within 1–5 makes the noise one-sided at the ends of the
   scale: an item answered 5 can only stay or fall, one answered 1 only stay or rise. So
   where no effect is given, high means drift down a little and low means up: a ceiling
   (and floor) artefact of clamped noise, not regression to the mean (no one is picked
   by their first score). It is why the traditional QIMs' QI methods, high to start
   with and not aimed at, fall by about 0.1 in the follow-up. And because each answer
   is its old value plus a little noise, before and after correlate very highly (about
   0.97 for QI methods), more than a real retest of self-ratings a year apart would be
   likely to: d_z is then much larger than d_av.
5. **The organisation moves a little.** One in ``PROTECTED_TIME_WIN`` people's workplaces
   agreed protected time (that answer rises by 2); other context answers move by at most
   one point with probability ``CONTEXT_DRIFT``.
6. **Some join.** ``JOIN`` new QIMs answer for the first time, drawn as in
   ``generate_cohort.py`` with ids after the last one of the cohort (their organisation and
   unit too). Those who stay keep theirs.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from random import Random

import tomli_w

HERE = Path(__file__).resolve().parent
BEFORE = HERE / "cohort"
DEFAULT_OUT = HERE / "cohort-after"
DEFAULT_SEED = 2027

AIMED = {
    "clinical": ("systems_thinking", "long_term_thinking", "sense_giving"),
    "traditional": ("healthcare_context", "trustworthiness"),
}
LEAVE = 0.2
JOIN = 6
EFFECT = 0.7
EFFECT_SD = 0.35
RETEST_SD = 0.45
PROTECTED_TIME_WIN = 4
CONTEXT_DRIFT = 0.25


def clamp(x: float) -> int:
    return min(5, max(1, round(x)))


def follow_up(sheet: dict, rng: Random, profiles) -> dict:
    """The same person a year later (see the module doc, steps 2–5)."""
    r = dict(sheet["respondent"])
    r["years_as_qim"] = round(r["years_as_qim"] + 1.0, 1)
    stage = profiles.career_stage(sheet["respondent"]["years_as_qim"]).id
    answers: dict[str, int | str] = {}
    for cid, comp in profiles.competencies.items():
        old = [sheet["answers"][it.id] for it in comp.items]
        effective = [(6 - v if it.reverse else v) for it, v in zip(comp.items, old, strict=True)
                     if isinstance(v, int)]
        effect = 0.0
        if cid in AIMED[r["background"]]:
            score = sum(effective) / len(effective) if effective else 0.0
            below = score < profiles.target(stage, cid)
            effect = rng.gauss(EFFECT, EFFECT_SD) * (1.0 if below else 1 / 3)
        for it, v in zip(comp.items, old, strict=True):
            if not isinstance(v, int):
                answers[it.id] = v
                continue
            value = clamp((6 - v if it.reverse else v) + effect + rng.gauss(0, RETEST_SD))
            answers[it.id] = 6 - value if it.reverse else value
    context: dict[str, int | str] = {}
    won_time = rng.randrange(PROTECTED_TIME_WIN) == 0
    for cid, v in sheet["context"].items():
        if not isinstance(v, int):
            context[cid] = v
        elif cid == "protected_time" and won_time:
            context[cid] = clamp(v + 2)
        elif rng.random() < CONTEXT_DRIFT:
            context[cid] = clamp(v + rng.choice((-1, 1)))
        else:
            context[cid] = v
    return {"schema_version": 1, "synthetic": True, "respondent": r, "answers": answers,
            "importance": dict(sheet["importance"]), "context": context}


def generate(out: Path, seed: int, *, before: Path = BEFORE, force: bool = False) -> list[Path]:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import generate_cohort  # beside this file

    from qim_cli.framework.profiles import load_profiles

    profiles = load_profiles()
    rng = Random(seed)
    header = (f"# Synthetic follow-up answer sheet (not a real person), generated by "
              f"examples/generate_followup.py --seed {seed}\n")
    sheets: list[tuple[str, dict]] = []
    paths = sorted(before.glob("*.toml"))
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        stays = rng.random() >= LEAVE
        after = follow_up(data, rng, profiles)
        if stays:
            sheets.append((data["respondent"]["id"], after))
    width = max(3, len(str(len(paths) + JOIN)))
    for i in range(len(paths) + 1, len(paths) + JOIN + 1):
        rid = f"qim-{i:0{width}d}"
        joiner = generate_cohort.make_sheet(rng, rid, profiles)
        joiner["respondent"].update(generate_cohort.workplace(
            Random(f"workplace {seed * generate_cohort.STREAM + i}"),
            joiner["respondent"]["background"]))
        sheets.append((rid, joiner))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rid, data in sheets:
        path = out / f"{rid}.toml"
        if path.exists() and not force:
            raise FileExistsError(f"{path}: already exists (use --force to overwrite)")
        path.write_text(header + tomli_w.dumps(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--before", type=Path, default=BEFORE, help="the cohort to follow up")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--force", action="store_true", help="overwrite existing sheets")
    args = parser.parse_args(argv)
    try:
        written = generate(args.out, args.seed, before=args.before, force=args.force)
    except (FileExistsError, OSError) as exc:
        print(f"generate_followup: {exc}", file=sys.stderr)
        return 73
    print(f"wrote {len(written)} sheets to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
