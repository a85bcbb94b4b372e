"""`qim pair` as Markdown: the pairs, each explained, then who is unpaired and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...words import and_list
from ..text import md_inline
from .words import cover, who

if TYPE_CHECKING:
    from ...cohort.pairing import PairingResult
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PairingResult, profiles: Profiles, layout: Layout) -> str:
    out = [f"# {doc.title}", "", md_inline(doc.intro), ""]
    if not doc.groups and not doc.unpaired:
        return "\n".join(out + ["No answer sheets to pair.", ""])
    out += [f"## Pairs ({len(doc.groups)})", ""]
    if not doc.groups:
        out += ["No pairs could be made.", ""]
    for g in doc.groups:
        line = f"{g.number}. **{md_inline(and_list(who(g)))}**: {md_inline(g.explanation)}"
        if doc.scores:
            line += f" ({md_inline(cover(g))})"
        out.append(line)
    out.append("")
    if doc.unpaired:
        out += ["## Unpaired", ""]
        out += [f"- **{md_inline(u.shown)}**: {md_inline(u.reason)}" for u in doc.unpaired]
        out.append("")
    return "\n".join(out)
