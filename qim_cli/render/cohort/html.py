"""`qim cohort --format html`: a self-contained page a trainer can show to a board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..numbers import number, percent
from ..privacy import field
from ..study import AUTHORS_LEGEND, AUTHORS_MARK
from ..templates import environment
from ..text import date_words
from . import words as w

if TYPE_CHECKING:
    from ...cohort.organisation_results import OrganisationView
    from ...cohort.results import CohortSummary
    from ...framework.profiles import Profiles
    from ..formats import Layout

#: ColorBrewer's 5-class YlOrRd: a sequential palette that is safe for colour-blind
#: readers (its lightness falls steadily, so order survives without hue) and prints in grey.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA = "#f3f6f9"


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def ink_for(colour: str) -> str:
    """Black or white text, whichever contrasts more with the background (WCAG formula)."""
    bg = _luminance(_rgb(colour))
    return "#000000" if _contrast(bg, 0.0) >= _contrast(bg, 1.0) else "#ffffff"


def heat_class(share: float | None) -> int | None:
    """The palette class of a share below target: 0 for 0–19%, ... 4 for 80–100%."""
    if share is None:
        return None
    return min(len(PALETTE) - 1, int(share * 100 + 1e-9) // 20)


def heat(share: float | None) -> tuple[str, str]:
    """(background, text colour) for a share below target."""
    k = heat_class(share)
    colour = NO_DATA if k is None else PALETTE[k]
    return colour, ink_for(colour)


def legend() -> list[dict[str, str]]:
    step = 100 // len(PALETTE)
    out = []
    for k, colour in enumerate(PALETTE):
        lo, hi = k * step, (k + 1) * step - 1 if k < len(PALETTE) - 1 else 100
        out.append({"colour": colour, "ink": ink_for(colour), "text": f"{lo}–{hi}%"})
    out.append({"colour": NO_DATA, "ink": ink_for(NO_DATA), "text": "no score"})
    return out


def _needs(doc: CohortSummary) -> list[dict[str, Any]]:
    """Training needs as bars: the overall share, then each group's figure in words."""
    cols = doc.columns
    rows = []
    for tid, title, cells in w.training_rows(doc):
        first = cols[0].need(tid) if cols else None
        rows.append({
            "id": tid,
            "title": title,
            "share": first.share if first else None,
            "cell": cells[0] if cells else "",
            "groups": [(g.label, c) for g, c in zip(cols[1:], cells[1:], strict=True)],
        })
    return rows


def _heat_rows(doc: CohortSummary) -> list[dict[str, Any]]:
    """Per competency, a cell per column: the share below target as a colour, and the mean."""
    columns = doc.columns
    rows = []
    for i, comp in enumerate(columns[0].competencies if columns else []):
        cells = []
        for g in columns:
            c = g.competencies[i]
            colour, ink = heat(c.below_target_share)
            cells.append({"group": g.label, "colour": colour, "ink": ink,
                          "text": percent(c.below_target_share) if c.below_target is not None
                          else field(c, "below_target", doc.min_group),
                          "mean": "" if c.mean is None else number(c.mean)})
        rows.append({"label": comp.label, "cells": cells, "note": comp.note})
    return rows


def _organisation(doc: CohortSummary, org: OrganisationView | None) -> dict[str, Any]:
    """What templates/_organisation.html.j2 needs."""
    if org is None:
        return {"org": None}
    labels = dict(zip(org.columns, w.column_labels(doc, org), strict=True))
    return {
        "org": org,
        "col_labels": labels,
        "org_tables": [("By level", "levels", "Level", [(r.label, r.cells) for r in org.levels]),
                       ("By QUASER challenge", "quaser", "Challenge",
                        [(r.label, r.cells) for r in org.quaser]),
                       ("By question", "questions", "Question",
                        [(q.text, q.cells) for q in org.questions])],
        "finding_evidence": lambda f, o: w.finding_evidence(f, o, w.level_labels(o)),
        "board_intro": lambda o: w.board_intro(o, doc.n if o is org else None),
        "board_item": w.board_item,
        "comparison_intro": w.comparison_intro,
        "level_heading": lambda c: w.level_heading(c, doc.min_group),
        "level_cell": lambda c: w.level_cell(c, doc.min_group, short=True),
        "level_label": lambda cmp, level: next(c.label for c in cmp.levels if c.id == level),
        "organisation_heading": lambda o: w.organisation_heading(o, doc.min_group),
        "sources": w.sources_text,
        "answer_cell": w.answer_cell,
        "people_cell": w.people_cell,
        "with_barrier_sentence": w.with_barrier_sentence(org),
        "with_barrier_competencies": w.with_barrier_competencies,
    }


def render(doc: CohortSummary, profiles: Profiles, layout: Layout) -> str:
    cal = doc.calibration
    return environment().get_template("cohort.html.j2").render(
        doc=doc,
        title=doc.title or "Cohort report",
        when=date_words(doc.date),
        by_label=w.by_words(doc),
        summary=w.summary(doc),
        columns=doc.columns,
        heat_rows=_heat_rows(doc),
        legend=legend(),
        needs=_needs(doc),
        proposal=doc.proposal,
        proposal_intro=w.proposal_intro(doc.proposal, doc.min_group) if doc.proposal else "",
        proposal_rows=w.proposal_rows(doc.proposal, doc.min_group),
        preparation=w.preparation_sentence(doc.proposal, doc.min_group),
        unmet=w.unmet_sentence(doc.proposal, doc.min_group),
        need_counts=w.need_counts,
        authors_mark=AUTHORS_MARK,
        authors_legend=AUTHORS_LEGEND,
        kind_labels=w.KIND_LABEL,
        kind_cells=lambda col: w.kind_cells(col, doc.min_group),
        field=lambda m, name: field(m, name, doc.min_group),
        calibration_cell=lambda c: w.calibration_cell(c, doc.min_group),
        reliability_lines=(w.reliability_lines(doc.reliability, doc.low_item_total)
                           if doc.reliability else []),
        reliability_n=lambda r: w.reliability_n(r, doc.min_group),
        alpha_text=w.alpha_text,
        precision_toml=w.precision_toml(doc.reliability) if doc.reliability else [],
        cal_explain=w.CALIBRATION_EXPLAIN.format(chance=percent(cal.chance)) if cal else "",
        cal_cell=w.CALIBRATION_CELL,
        **_organisation(doc, doc.organisation),
    ).rstrip("\n") + "\n"
