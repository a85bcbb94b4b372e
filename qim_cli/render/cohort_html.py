"""`qim cohort --format html`: a self-contained page a trainer can show to a board."""

from __future__ import annotations

from typing import Any

from .common import _columns, _training_rows

LOW = (255, 255, 255)
HIGH = (161, 29, 29)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def heat(share: float | None) -> tuple[str, str]:
    """(background, text colour) for a share below target: the text colour is whichever of
    black and white contrasts more with the background; by the WCAG formula that is never
    below 4.58:1, whatever the background."""
    if share is None:
        return "#f3f6f9", "#1b1f24"
    rgb = tuple(round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    bg = _luminance(rgb)  # type: ignore[arg-type]
    ink = "#000000" if _contrast(bg, 0.0) >= _contrast(bg, 1.0) else "#ffffff"
    return "#{:02x}{:02x}{:02x}".format(*rgb), ink


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
                if c["mean"] is not None:
                    text += f" ({c['mean']:.2f})"
                cells.append({"group": g["label"], "colour": colour, "ink": ink, "text": text})
            heat_rows.append({"label": comp["label"], "cells": cells})
    env = _environment()
    return env.get_template("cohort.html.j2").render(
        doc=doc,
        by_label=doc["by"].replace("_", " "),
        columns=columns,
        heat_rows=heat_rows,
        trainings=_training_rows(doc),
    ).rstrip("\n") + "\n"
