"""The longest 360° report we print: every competency rated higher by oneself or a hidden strength, and
every rater group large enough to be shown on its own.

The self-assessment is the example nurse's (examples/360/rn-ward7-self.toml). Twelve
colleagues rate her, three in each of the four groups (line managers shown apart with
``--show-line-manager``). Where she rates a competency at 3 or more, colleagues rate each of
its behaviours two points lower (self higher); below 3, two points higher (a hidden
strength). Each colleague writes both comments. So every competency, and nearly every
behaviour, disagrees by at least a point: the report's lists are as long as they get.

Write the set to a folder: ``python tests/support/feedback_worst.py FOLDER``, then
``qim report FOLDER --show-line-manager --format html``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[2]
SELF = ROOT / "examples" / "360" / "rn-ward7-self.toml"
GROUPS = ("line_manager", "peer", "frontline", "clinical_lead")
ARGS = ("--show-line-manager",)
STRENGTHS = ("Explains the data so the whole team can follow it, and always credits the ward for "
             "the results at the monthly meeting.")
DEVELOP = ("Bring the admissions unit and the community teams in earlier: the delays start "
           "before patients reach us, and they hear about our projects only at the end.")


def _framework() -> dict:
    with (ROOT / "profiles" / "framework.toml").open("rb") as f:
        return tomllib.load(f)


def _clamp(x: int) -> int:
    return max(1, min(5, x))


def write_worst_case(folder: Path) -> Path:
    """Write the self-assessment and the twelve ratings into FOLDER; returns FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    own = tomllib.loads(SELF.read_text(encoding="utf-8"))
    answers = own["answers"]
    (folder / "self.toml").write_text(SELF.read_text(encoding="utf-8"), encoding="utf-8")
    items = [(c["id"], item) for c in _framework()["competencies"] for item in c["items"]]
    scored_self: dict[str, list[int]] = {}
    for cid, item in items:
        a = answers.get(item["id"])
        if isinstance(a, int):
            scored_self.setdefault(cid, []).append(6 - a if item["reverse"] else a)
    # colleagues two points below a self-rating of 3 or more, two above one below 3
    shift = {cid: (-2 if sum(v) / len(v) >= 3 else 2) for cid, v in scored_self.items()}
    for g, group in enumerate(GROUPS):
        for n in range(3):
            k = 3 * g + n + 1
            values = {}
            for i, (cid, item) in enumerate(items):
                a = answers.get(item["id"])
                base = (6 - a if item["reverse"] else a) if isinstance(a, int) else 3
                step = shift.get(cid, 2)
                # a little disagreement among colleagues, so the spread is not zero
                scored = _clamp(base + step + (step // 2 if (i + g + 2 * n) % 4 == 0 else 0))
                values[item["id"]] = 6 - scored if item["reverse"] else scored
            sheet = {"schema_version": 1, "subject": own["respondent"]["id"],
                     "rater": {"role": group}, "answers": values,
                     "comments": {"strengths": f"{STRENGTHS} ({k})", "develop": f"{DEVELOP} ({k})"}}
            (folder / f"{group}-{n + 1}.toml").write_text(tomli_w.dumps(sheet), encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/support/feedback_worst.py FOLDER")
    print(write_worst_case(Path(sys.argv[1])))
