"""`qim cohort --format html`: a self-contained page a trainer can show to a board."""

from __future__ import annotations

from typing import Any

from .common import (
    AUTHORS_LEGEND,
    AUTHORS_MARK,
    _columns,
    _training_rows,
    cohort_summary,
    doc_date,
)
from .organisation import with_barrier_competencies, with_barrier_sentence

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


def _needs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Training needs as bars: the overall share, then each group's figure in words."""
    cols = _columns(doc)
    rows = []
    for tid, title, cells in _training_rows(doc):
        first = next((t for t in cols[0]["training_needs"] if t["id"] == tid), None) if cols else None
        share = first["share"] if first else 0.0
        rows.append({
            "id": tid,
            "title": title,
            "share": share,
            "people": first["people"] if first else 0,
            "groups": [(g["label"], c) for g, c in zip(cols[1:], cells[1:], strict=True)],
        })
    return rows


def render_cohort_html(doc: dict[str, Any], *, color: bool = False) -> str:
    from .html import _environment

    columns = _columns(doc)
    heat_rows = []
    if columns:
        for i, comp in enumerate(columns[0]["competencies"]):
            cells = []
            for g in columns:
                c = g["competencies"][i]
                share = c["below_target_share"]
                colour, ink = heat(share)
                text = "–" if share is None else f"{share * 100:.0f}%"
                mean = "" if c["mean"] is None else f"{c['mean']:.2f}"
                cells.append({"group": g["label"], "colour": colour, "ink": ink, "text": text,
                              "mean": mean})
            heat_rows.append({"label": comp["label"], "cells": cells,
                              "note": comp.get("note")})
    env = _environment()
    by_label = doc["by"].replace("_", " ")
    return env.get_template("cohort.html.j2").render(
        doc=doc,
        title=doc.get("title") or "Cohort report",
        when=doc_date(doc),
        by_label=by_label,
        summary=cohort_summary(doc),
        columns=columns,
        heat_rows=heat_rows,
        legend=legend(),
        needs=_needs(doc),
        proposal=doc.get("proposal"),
        with_barrier_sentence=with_barrier_sentence,
        with_barrier_competencies=with_barrier_competencies,
        authors_mark=AUTHORS_MARK,
        authors_legend=AUTHORS_LEGEND,
        **_calibration_context(doc),
    ).rstrip("\n") + "\n"


def _calibration_context(doc: dict[str, Any]) -> dict[str, Any]:
    """What templates/_cohort_calibration.html.j2 needs."""
    from . import cohort_calibration as cc

    cal = doc.get("calibration")
    return {"kind_labels": cc.KIND_LABEL, "competency_cell": cc.competency_cell,
            "cal_explain": cc.EXPLAIN.format(marked=cal["marked"]) if cal else ""}
