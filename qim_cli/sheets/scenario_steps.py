"""The optional scenario questions of the self-check (`qim assess --scenarios`).

Each scenario of the profile set is asked in two steps: the response the person would
most likely give (`scenarios.<id>.best`), then the one they would least likely give
(`scenarios.<id>.worst`, any other letter). `flow.build_steps` adds them when asked; the
draft keeps the answers under those keys; `sheet_table` turns them into the sheet's
`[scenarios]` section. No terminal I/O here.
"""

from __future__ import annotations

from typing import Any, Literal

from ..framework.profiles import Profiles

SECTION = "scenarios"
THEME = "Scenarios (a reflection aid, not a validated test)"
PICKS = ("best", "worst")
INTRO = ("Optional scenarios: for each situation, choose the response you would most likely "
         "give, then the one you would least likely give (type its letter; here b is a "
         "response, so type back or < to go back). There are no trick answers; the report "
         "sets your choices beside your self-rating as questions for your appraisal, never "
         "as a score of you.")


def question_dicts(profiles: Profiles) -> list[dict[str, Any]]:
    """The scenario steps as keyword arguments of `flow.Step` (without number and total)."""
    out: list[dict[str, Any]] = []
    for sc in profiles.scenarios.values():
        options = sorted(sc.option, key=lambda o: o.key)
        comp = profiles.competencies[sc.competency].label
        common = dict(section=SECTION, kind="option", theme=THEME, competency=comp,
                      labels=tuple(o.text for o in options), keys=tuple(o.key for o in options),
                      help=INTRO)
        out.append(dict(common, key=f"{SECTION}.{sc.id}.best", id=f"{sc.id}.best",
                        text=f"{sc.title}\n{sc.situation}\n{sc.question} Which response would "
                             "you be most likely to give?"))
        out.append(dict(common, key=f"{SECTION}.{sc.id}.worst", id=f"{sc.id}.worst",
                        text=f"{sc.title}: which response would you be least likely to give?"))
    return out


def allowed(step_id: str, keys: tuple[str, ...], labels: tuple[str, ...],
            scenarios: dict[str, str]) -> list[tuple[str, str]]:
    """(key, text) of the options that may be chosen: for `worst`, any but the `best` pick."""
    sid, _, pick = step_id.rpartition(".")
    taken = scenarios.get(f"{sid}.best") if pick == "worst" else None
    return [(k, text) for k, text in zip(keys, labels, strict=True) if k != taken]


#: b is a response here, so going back takes the word (or "<")
BACK = ("back", "<")
KEYS_HINT = "a letter {first}–{last}; back (or <) goes back, ? help, q save and quit"


#: what a typed line does (flow.py's Reply)
Action = Literal["answer", "keep", "back", "help", "quit", "invalid"]


def read(text: str, keys: tuple[str, ...], opts: list[tuple[str, str]],
         has_earlier: bool) -> tuple[Action, str | None, str]:
    """(action, value, hint) for a typed line: a letter (any case) answers; q, ? and back."""
    low = text.strip().lower()
    hint = "type " + KEYS_HINT.format(first=keys[0], last=keys[-1])
    if low == "q":
        return "quit", None, ""
    if low == "?":
        return "help", None, ""
    if low in BACK:
        return "back", None, ""
    if low == "":
        return ("keep", None, "") if has_earlier else ("invalid", None, "an answer is needed: " + hint)
    offered = [k for k, _ in opts]
    if low in offered:
        return "answer", low, ""
    if low in keys:  # the one taken as most likely
        return "invalid", None, (f"{low} is your most likely response; for the least likely "
                                 f"choose another: {', '.join(offered)}")
    return "invalid", None, hint


def check_draft_table(table: Any) -> dict[str, str] | None:
    """The draft's scenario answers when well formed ("<id>.best|worst" -> "a".."d"), else None."""
    if not isinstance(table, dict):
        return None
    for key, value in table.items():
        sid, _, pick = str(key).rpartition(".")
        if not sid or pick not in PICKS or value not in ("a", "b", "c", "d"):
            return None
    return dict(table)


def sheet_table(answers: dict[str, str], step_ids: list[str]) -> dict[str, dict[str, str]]:
    """The sheet's `[scenarios]` section: every scenario with both picks (two different
    letters), in the order of these steps, then any other in id order."""
    asked = [sid for sid, _, pick in (i.rpartition(".") for i in step_ids) if pick == "best" and sid]
    others = sorted({k.rpartition(".")[0] for k in answers} - set(asked))
    out = {}
    for sid in asked + others:
        best, worst = answers.get(f"{sid}.best"), answers.get(f"{sid}.worst")
        if best is not None and worst is not None and best != worst:
            out[sid] = {"best": best, "worst": worst}
    return out


def reconcile(answers: dict[str, str], profiles: Profiles) -> tuple[list[str], list[str]]:
    """Drop (and name) answers to scenarios this profile set no longer has; (kept, dropped)."""
    kept: list[str] = []
    dropped: list[str] = []
    for key in list(answers):
        sid = key.rpartition(".")[0]
        (kept if sid in profiles.scenarios else dropped).append(f"{SECTION}.{key}")
        if sid not in profiles.scenarios:
            del answers[key]
    return kept, dropped
