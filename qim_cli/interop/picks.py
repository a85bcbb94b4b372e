"""A scenario's two picks in a flat row: both or neither, two different ones.

A scenario's answer is the response a person would most likely give (``best``) and the
one they would least likely give (``worst``). A row may leave a scenario out; a row that
gives one pick without the other, or the same response twice, or a letter that is no
option, cannot be scored. The scenarios are optional and independent of everything else,
so such a scenario is reported and left out of the sheet while the person's other answers
are kept: a bad scenario never costs the statements, the importance and the context.

A file with only one of a pair's two columns can never give that scenario: the lone column
is reported once for the file and left out, instead of on every row that answered it.
"""

from __future__ import annotations

from typing import Any

from .fields import PICK_NAMES, PICKS, Field

#: the words a row's message adds after the column of a pick
NOT_WRITTEN = "the sheet is written without this scenario"


def where_pick(f: Field) -> str:
    """The scenario and the pick a column holds, for a message: whatever a column's header
    (a long question cut short, a name of the user's choosing) the line says which it is."""
    return f"scenario {f.scenario}, {PICK_NAMES[f.name]}"


def pair_problems(cells: dict[Field, Any], data: dict[str, Any],
                  unread: set[str]) -> list[tuple[str, str]]:
    """(key, message) for each scenario answered by halves: one pick of the two, or the same
    letter twice. A scenario with neither pick is simply not answered; one in ``unread``
    (a pick that could not be read, reported already) is not reported again."""
    out: list[tuple[str, str]] = []
    for sid in dict.fromkeys(f.scenario for f in cells if f.scenario):
        if sid in unread:
            continue
        picks = data.get("scenarios", {}).get(sid, {})
        best, worst = (picks.get(p) for p in PICKS)
        if best is None and worst is None:
            continue
        if worst is None:
            out.append((f"scenarios.{sid}.worst", f'missing, while the most likely is "{best}" '
                        "(give both or neither)"))
        elif best is None:
            out.append((f"scenarios.{sid}.best", f'missing, while the least likely is "{worst}" '
                        "(give both or neither)"))
        elif best == worst:
            out.append((f"scenarios.{sid}.worst", f'"{worst}", the same as the most likely '
                        "(give two different responses)"))
    return out


def drop_scenarios(data: dict[str, Any], sids: set[str]) -> None:
    """Take the scenarios ``sids`` out of a sheet's data (and ``[scenarios]`` once empty)."""
    scenarios = data.get("scenarios", {})
    for sid in sids:
        scenarios.pop(sid, None)
    if not scenarios:
        data.pop("scenarios", None)


def lone_picks(held: list[Field], fields: list[Field]) -> list[tuple[Field, Field]]:
    """(the pick a column holds, the pick no column holds) for each scenario that has only
    one of its two columns, in the order of the fields."""
    keys = {f.key for f in held}
    by_key = {f.key: f for f in fields}
    out: list[tuple[Field, Field]] = []
    for f in fields:
        if f.scenario and f.key in keys:
            other = f"scenarios.{f.scenario}.{'worst' if f.name == 'best' else 'best'}"
            if other not in keys and other in by_key:
                out.append((f, by_key[other]))
    return out


__all__ = ["NOT_WRITTEN", "drop_scenarios", "lone_picks", "pair_problems", "where_pick"]
