"""What the document renderers (Markdown, HTML) share."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from ..framework.actors import ACTOR_LABEL as ACTOR_LABEL
from ..framework.labels import AUTHORS_SUGGESTION as AUTHORS_SUGGESTION
from ..words import and_list as and_list
from ..words import in_sentence, plural

if TYPE_CHECKING:  # annotations only: renderers' shared helpers stay light to import
    from ..assessment.results import CompetencyResult, Objective, Result
    from ..framework.profiles import Profiles

def no_trailing_spaces(render: Callable[..., str]) -> Callable[..., str]:
    """A terminal renderer's text without the spaces Rich pads its lines with, as the
    person's report has (kept when coloured: the escape codes follow them)."""

    @functools.wraps(render)
    def plain(*args: Any, color: bool = False, **kwargs: Any) -> str:
        text = render(*args, color=color, **kwargs)
        return text if color else "\n".join(line.rstrip() for line in text.split("\n"))

    return plain


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(day: date | None) -> str:
    """2 Mar 2026 (the same in every locale)."""
    if day is None:
        return "–"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def doc_date(doc: dict[str, Any]) -> str:
    """A JSON document's ISO "date" in words (2 Mar 2026)."""
    return fmt_date(date.fromisoformat(doc["date"])) if doc.get("date") else "–"


def stage_words(label: str) -> str:
    """A career stage inside a sentence, without the years its label spells out
    ("Early career (2 to 5 years as a QIM)" -> "early career")."""
    return in_sentence(label.split(" (")[0])


def experience_words(years: float, stage_label: str) -> str:
    """`3.5 years as a QIM (early career)`, `1 year as a QIM (new)`."""
    return f"{years:g} {'year' if years == 1 else 'years'} as a QIM ({stage_words(stage_label)})"


def constrains_sentence(labels: list[str], *, whose: str = "") -> str:
    """What a barrier may do to the needs beside it, never setting them aside: "It may make
    work on sense-giving harder; it does not set that need aside." (one), "... on long-term
    thinking and supportiveness harder; it does not set those needs aside." (several).
    `whose`: "your " in the person's own report."""
    names = and_list([in_sentence(label) for label in labels])
    need = "that need" if len(labels) == 1 else "those needs"
    return f"It may make {whose}work on {names} harder; it does not set {need} aside."


def unanswered_words(counts: dict[str, int]) -> str:
    """`1 item, 2 importance ratings and 1 workplace question` (the sections left out)."""
    nouns = {"items": ("item", None), "importance": ("importance rating", None),
             "context": ("workplace question", None)}
    return and_list([plural(n, *nouns.get(k, (k, k))) for k, n in counts.items() if n])


def due_words(o: Objective) -> str:
    """When an objective is due, and when it starts: dates, or weeks without assessed_on."""
    weeks = o.due_week - o.start_week
    if o.due is None:
        start = "" if o.start_week == 0 else f", starting in week {o.start_week}"
        return f"week {o.due_week} after the assessment (about {weeks} weeks{start})"
    start = "start now" if o.start_week == 0 else f"start {fmt_date(o.starts)}"
    if o.after is not None:
        start += f" when objective {o.after} ends"
    return f"{fmt_date(o.due)} ({start}; about {weeks} weeks)"


# Markdown: only what would otherwise turn into markup is escaped, so that the text reads
# as plain text too (no "&lt;", no "\\[A\\]"): a backslash before punctuation, code
# and emphasis marks, "<" that could open a tag or autolink, "&" that could start an entity,
# "]" that could close a link or image, and "|" inside a table cell.
_MD_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])"        # a backslash that would escape the next mark
    r"|[`*~]"                          # code spans, emphasis, strikethrough
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # "_" that is not inside a word
    r"|<(?=[A-Za-z/!?])"               # a tag, comment or autolink
    r"|&(?=#?[A-Za-z0-9]+;)"           # an entity or character reference
    r"|\](?=[(\[:])"                   # the end of a link, image or reference
)
# what would start a heading, quote, list or setext underline at the start of a line
_MD_BLOCK_START = re.compile(r"^(?:>|[#+=-](?=\s|$))")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md_inline(text: object, *, table: bool = False) -> str:
    """Any text as inert Markdown on one line, escaping only what would become markup."""
    if text is None:
        return ""
    s = " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())
    s = _MD_INLINE.sub(lambda m: "\\" + m.group(0), s)
    s = _MD_BLOCK_START.sub(lambda m: "\\" + m.group(0), s)
    s = _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    if table:
        s = s.replace("|", "\\|")
    return s


#: what a plan dominated by workplace barriers says of itself
BARRIER_DOMINATED = ("Many workplace barriers are reported, so they come first and the plan "
                     "keeps new personal objectives few; what your background overlooks is "
                     "planned all the same.")

#: the marks of a competency the person's background overlooks, or a known gap of it
FLAG_MARK = {"overlooked": "◆", "known_gap": "○"}
#: what each mark means, as every report's legend says it
FLAG_LEGEND = {
    "overlooked": "◆ the study's authors say your background overlooks it.",
    "known_gap": "○ a known gap for QIMs from outside healthcare (they named it themselves).",
}
#: the mark of a competency suggested by the study's authors (no Table 2 row)
AUTHORS_MARK = "†"
AUTHORS_LEGEND = f"{AUTHORS_MARK} {AUTHORS_SUGGESTION}"


def percent(k: int, n: int) -> str:
    """A share of a group as a whole percentage: 15 of 36 -> 42%."""
    return f"{round(100 * k / n)}%"


def table2_quote(e: Any) -> str:
    """A row of Table 2 quoted in full: its printed label, then each group's count and
    share beside the other group's. The one wording of a Table 2 figure in every output
    (tests/test_table2_figures.py reads it back against profiles/table2.toml)."""
    return (f"Table 2 [{e.source}], “{e.printed}”: cited by {e.clinical} of {e.clinical_of} "
            f"clinical QIMs ({percent(e.clinical, e.clinical_of)}) and {e.traditional} of "
            f"{e.traditional_of} traditional QIMs ({percent(e.traditional, e.traditional_of)}).")


def evidence_sentence(c: CompetencyResult) -> str | None:
    """What the study says of how many QIMs cited a competency: its Table 2 row, or that
    the QIMs did not name it and its authors suggest it."""
    if c.origin == "authors":
        return f"{c.label}: {AUTHORS_SUGGESTION} [A, Limitations of the study]."
    return None if c.evidence is None else table2_quote(c.evidence)


def flag_marks(c: CompetencyResult) -> str:
    """The marks after a competency's label: ◆ or ○ for the background, † for the authors'."""
    marks = [FLAG_MARK[c.background_flag]] if c.background_flag else []
    if c.origin == "authors":
        marks.append(AUTHORS_MARK)
    return " ".join(marks)


def legend_lines(result: Result) -> list[str]:
    """What the marks and the targets of a competency table mean, for this report."""
    flags = {c.background_flag for c in result.competencies if c.background_flag}
    out = [f"Target: {result.standard.basis}"]
    out += [FLAG_LEGEND[f] for f in ("overlooked", "known_gap") if f in flags]
    if any(c.origin == "authors" for c in result.competencies):
        out.append(AUTHORS_LEGEND + ".")  # (the legend ends each with a full stop)
    return out


def sources_used(result: Result) -> list[str]:
    ids: set[str] = set()
    for rec in result.recommendations:
        ids.update(rec.training.sources)
        for reason in rec.reasons:
            ids.update(reason.sources)
    for b in result.barriers:
        ids.update(b.sources)
    ids.update(c.evidence.source for c in result.competencies if c.evidence)
    if any(c.origin == "authors" or c.background_flag for c in result.competencies):
        ids.add("A")
    if result.calibration is not None:
        ids.update(s for sc in result.calibration.scenarios for s in sc.sources)
    return sorted(ids)


def references(result: Result, profiles: Profiles) -> list[tuple[str, str]]:
    return [(s, profiles.framework.sources.get(s, s)) for s in sources_used(result)]


def _num(x: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if x is None else fmt.format(x)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def _columns(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Overall first, then every shown group."""
    return ([doc["overall"]] if doc["overall"] else []) + list(doc["groups"])


def _training_rows(doc: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(id, title, cells per column) for every training recommended to anyone shown."""
    cols = _columns(doc)
    titles: dict[str, str] = {}
    for g in cols:
        for t in g["training_needs"]:
            titles.setdefault(t["id"], t["title"])
    order = [t["id"] for t in cols[0]["training_needs"]] if cols else []
    order += [tid for tid in titles if tid not in order]
    rows = []
    for tid in order:
        cells = []
        for g in cols:
            hit = next((t for t in g["training_needs"] if t["id"] == tid), None)
            cells.append("–" if hit is None else f"{hit['people']} ({_pct(hit['share'])})")
        rows.append((tid, titles[tid], cells))
    return rows


def cohort_summary(doc: dict[str, Any]) -> list[str]:
    """The cohort report's opening paragraph, as plain sentences (the renderers escape them)."""
    if doc["n"] is None:
        return ["Too few people to show any figures."]
    by = doc["by"].replace("_", " ")
    groups = [f"{g['label']} ({g['n']})" for g in doc["groups"]]
    first = f"{doc['n']} {'person' if doc['n'] == 1 else 'people'}"
    if groups:
        first += f", grouped by {by}: {and_list(groups)}"
    hidden = len(doc.get("suppressed") or [])
    if hidden:
        first += (f"; {hidden} smaller group{'s are' if hidden > 1 else ' is'} counted only in the "
                  "overall figures")
    out = [first + "."]
    low = doc.get("most_below") or []
    if low:
        parts = [f"{c['label']} ({c['note'] + '; ' if c.get('note') else ''}"
                 f"{c['below_target']} of {c['n']}, {_pct(c['share'])})" for c in low]
        out.append(f"Most below target: {and_list(parts)}.")
    else:
        out.append("Nobody is below target in any competency.")
    prop = doc.get("proposal")
    if prop and prop["sessions"]:
        k = len(prop["sessions"])
        out.append(f"A programme of {plural(k, 'session')} ({plural(prop['hours'], 'hour')} in all) "
                   f"meets the high-priority needs of {prop['people']} "
                   f"{'person' if prop['people'] == 1 else 'people'}.")
    return out
