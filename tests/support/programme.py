"""A small programme, before and after, whose figures are worked out by hand in the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from conftest import make_sheet


def write(folder: Path, sheet: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = sheet.model_dump(mode="json", exclude_none=True)
    (folder / f"{sheet.respondent.id}.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


def write_programme(tmp_path: Path, profiles: Any) -> tuple[Path, Path]:
    """Six clinical early-career QIMs before; five of them after, and one who joined.

    systems_thinking before 2, 2, 3, 3, 4 (p6: 2, left) and after 3, 4, 3, 4, 4 (p7 joined);
    p1 reports no protected time before only; p3 reports middle managers not aligned after,
    which holds back p3's systems-thinking need (target 3.5, gap 0.5 both times).
    """
    before, after = tmp_path / "before", tmp_path / "after"
    for rid, level, ctx in (("p1", 2, {"protected_time": 1}), ("p2", 2, {}), ("p3", 3, {}),
                            ("p4", 3, {}), ("p5", 4, {}), ("p6", 2, {})):
        write(before, make_sheet(profiles, rid=rid, years=3.0, default=4, context=ctx,
                                 by_competency={"systems_thinking": level}))
    for rid, level, ctx in (("p1", 3, {}), ("p2", 4, {}), ("p3", 3, {"middle_managers_aligned": 1}),
                            ("p4", 4, {}), ("p5", 4, {}), ("p7", 1, {})):
        write(after, make_sheet(profiles, rid=rid, years=3.2, default=4, context=ctx,
                                by_competency={"systems_thinking": level}))
    return before, after
