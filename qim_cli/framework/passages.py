"""Passage pointers: where in its sources a claim of the profile set rests.

A passage names a source id and a place in it, part by part: ``"A: Results,
trustworthiness; Table 2, coach others; P: Box 2"``. A part that starts with a source id
and a colon moves to that source; a part without one stays in the source before it. The
pseudo-source ``qim:`` marks what is qim's own choice rather than a source's
(``"A: Results, QI knowledge and experience; qim: mentoring is qim's own suggestion"``).
It is a pointer for a reader to look up, never a quotation.
"""

from __future__ import annotations

import re

#: a part that names its source: "A: Results, trustworthiness" (or "qim: own choice")
_PART = re.compile(r"^\s*([A-Z]|qim):\s*\S")
#: what marks qim's own choice inside a passage
OWN = "qim"


def sources_named(passage: str) -> list[str]:
    """The source ids a passage points into, in order (``qim`` included)."""
    out: list[str] = []
    for part in passage.split(";"):
        m = _PART.match(part)
        if m is not None and m.group(1) not in out:
            out.append(m.group(1))
    return out


def passage_problems(passage: str, sources: list[str],
                     whose: str = "the entry's sources do not list") -> list[str]:
    """What is wrong with a passage for an entry citing `sources` (empty: nothing)."""
    problems: list[str] = []
    if _PART.match(passage.split(";")[0]) is None:
        problems.append('must start with a source id and a colon, e.g. "A: Results, '
                        f'supportiveness" (got "{passage[:40]}")')
    for sid in sources_named(passage):
        if sid != OWN and sid not in sources:
            problems.append(f'points into source "{sid}", which {whose}')
    return problems
