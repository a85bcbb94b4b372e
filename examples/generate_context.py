#!/usr/bin/env python3
"""Generate synthetic context sheets: staff at every level of the example cohort's two
organisations describe their workplace (no real people).

    python examples/generate_context.py              # rebuilds examples/context/ (58 sheets)
    python examples/generate_context.py --out /tmp/ctx --seed 7

The same seed always gives the same files, byte for byte. The levels of staff and the
questions are read from qim's profile set (alignment.toml's staff_levels, framework.toml's
context questions), so the sheets are always valid.

The story
---------
The example cohort's QIMs work in two made-up organisations (examples/generate_cohort.py).
Their staff answered the ten workplace questions, each in the words of their level:

* **Northbridge Health** is not aligned. Its board and senior leaders believe that
  frontline staff have protected time for improvement, that middle managers back it and
  have time for it, and that the number of initiatives is manageable; the front line says
  it has no protected time and too many initiatives, and its middle managers say they have
  no time to facilitate improvement. Everyone agrees that frontline staff are willing.
  This is the kind of disagreement between levels that the model of alignment is about
  [P]: a board that sees time as protected while the front line says it is not.
* **Ridgeway Health** is moderately aligned: the levels answer alike, around the middle
  of the scale. Its senior leaders are only four, fewer than qim's default --min-group of
  5, so a view of them on their own is withheld.

How the answers are drawn
-------------------------
Each person's answer to a question = the mean of their organisation and level for it
(``MEANS``) + a personal tendency drawn once from N(0, ``PERSON_SD``) + N(0, ``ITEM_SD``),
rounded and kept within 1–5. About ``NA`` of answers are "don't know" ("na"), and more
where a level sees little of what is asked (``NA_MORE``: the front line on the board's
time for quality, the board on how tools are adapted on the wards). Staff at the front line
and middle managers name their unit; senior leaders and board members do not. Every
sheet is dated ``ANSWERED``.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from random import Random

import tomli_w

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "context"
DEFAULT_SEED = 2026
ANSWERED = datetime.date(2026, 11, 16)

#: organisation -> (its code in ids, people at each level of staff)
ORGANISATIONS = {
    "Northbridge Health": ("nb", {"front_line": 14, "middle_managers": 7, "senior_leaders": 5,
                                  "board": 6}),
    "Ridgeway Health": ("rw", {"front_line": 11, "middle_managers": 6, "senior_leaders": 4,
                               "board": 5}),
}
UNITS = ("Medicine", "Surgery and critical care", "Emergency department")
QUESTIONS = ("protected_time", "frontline_engaged", "tools_adapted_locally",
             "middle_managers_aligned", "middle_manager_capacity", "board_quality_time",
             "strategic_selection", "manageable_change_load", "qi_infrastructure",
             "leaders_role_model")
_LEADERS = (4.3, 4.0, 3.8, 4.0, 3.8, 4.4, 4.0, 3.8, 4.0, 4.2)
#: organisation -> level of staff -> the mean answer to each question (in QUESTIONS' order)
MEANS = {
    "Northbridge Health": {
        "front_line": (1.6, 3.8, 2.2, 2.8, 2.0, 3.0, 2.2, 1.8, 2.4, 2.0),
        "middle_managers": (2.4, 3.6, 3.0, 3.8, 2.0, 3.4, 2.6, 2.2, 2.8, 3.0),
        "senior_leaders": _LEADERS,
        "board": tuple(min(5.0, m + 0.2) for m in _LEADERS),
    },
    "Ridgeway Health": {
        "front_line": (3.0, 3.8, 3.4, 3.3, 2.9, 3.5, 3.3, 3.0, 2.9, 3.4),
        "middle_managers": (3.2, 3.8, 3.5, 3.5, 3.0, 3.6, 3.4, 3.2, 3.0, 3.6),
        "senior_leaders": (3.4, 3.9, 3.6, 3.5, 3.1, 3.7, 3.5, 3.3, 3.1, 3.8),
        "board": (3.5, 3.9, 3.6, 3.5, 3.2, 3.8, 3.5, 3.4, 3.2, 3.8),
    },
}
PERSON_SD = 0.4
ITEM_SD = 0.6
NA = 0.04
#: (level of staff, question) -> the chance of "don't know" there
NA_MORE = {("front_line", "board_quality_time"): 0.25, ("board", "tools_adapted_locally"): 0.15}
#: the levels of staff who name their unit
WITH_UNIT = ("front_line", "middle_managers")


def scale(x: float) -> int:
    return min(5, max(1, round(x)))


def code(level: str) -> str:
    """A level's code in ids: its words' initials (front_line -> fl, board -> b)."""
    return "".join(part[0] for part in level.split("_"))


def make_sheet(rng: Random, rid: str, organisation: str, level: str, profiles) -> dict:
    means = dict(zip(QUESTIONS, MEANS[organisation][level], strict=True))
    tendency = rng.gauss(0, PERSON_SD)
    context: dict[str, int | str] = {}
    for q in profiles.context_items:
        value = scale(means[q] + tendency + rng.gauss(0, ITEM_SD))
        context[q] = "na" if rng.random() < NA_MORE.get((level, q), NA) else value
    respondent = {"id": rid, "level": level, "organisation": organisation}
    if level in WITH_UNIT:
        respondent["unit"] = rng.choice(UNITS)
    return {"schema_version": 1, "kind": "context", "assessed_on": ANSWERED,
            "respondent": respondent, "context": context}


def generate(out: Path, seed: int, *, force: bool = False) -> list[Path]:
    from qim_cli.framework.profiles import load_profiles

    profiles = load_profiles()
    unknown = set(profiles.context_items) ^ set(QUESTIONS)
    if unknown or set(profiles.staff_levels) != set(next(iter(MEANS.values()))):
        raise ValueError("the profile set's context questions or levels of staff are not the "
                         "ones this generator knows")
    rng = Random(seed)
    header = (f"# Synthetic context sheet (not a real person), generated by "
              f"examples/generate_context.py --seed {seed}\n")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for organisation, (org_code, sizes) in ORGANISATIONS.items():
        for level in profiles.staff_levels:
            for n in range(1, sizes[level] + 1):
                rid = f"{org_code}-{code(level)}-{n:02d}"
                path = out / f"{rid}.toml"
                if path.exists() and not force:
                    raise FileExistsError(f"{path}: already exists (use --force to overwrite)")
                sheet = make_sheet(rng, rid, organisation, level, profiles)
                path.write_text(header + tomli_w.dumps(sheet), encoding="utf-8")
                written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--force", action="store_true", help="overwrite existing sheets")
    args = parser.parse_args(argv)
    try:
        written = generate(args.out, args.seed, force=args.force)
    except (FileExistsError, OSError, ValueError) as exc:
        print(f"generate_context: {exc}", file=sys.stderr)
        return 73
    print(f"wrote {len(written)} sheets to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
