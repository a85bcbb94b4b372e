"""A planned self-check, fed to `qim assess --interactive` through the runner a key at a time.

`planned(profiles)` answers every question (every value 1–5 and "na" occurs), `DETAILS`
answers "about you" (`OTHER`: another respondent, whose sheet is `other_sheet`), `question_keys` turns a plan into the keys typed, `expected_sheet` is
the sheet qim must write for it; `assess` runs the command, `draft_file` is where the
draft of a respondent is kept, `read` reads a written sheet, `flat` undoes the wrapping.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()

# clinical nurse, rural (years in healthcare left out), her organisation and ward
DETAILS = ["rn-ward7", "Aroha Ngata", "1", "1", "3", "", "2", "Northbridge Health", "Ward 7"]

OTHER = ["pt-ortho", "", "1", "2", "7", "", "1", "", ""]  # a clinical physician, 7 years, metropolitan


def planned(profiles) -> dict[str, Any]:
    """A varied set of answers: every value 1–5 and "na" occurs."""
    cycle = [5, 4, 3, 2, 1, "na", 4, 2]
    answers = {item: cycle[i % len(cycle)] for i, item in enumerate(item_order(profiles))}
    importance = {c: 1 + i % 5 for i, c in enumerate(importance_order(profiles))}
    context = {c: ["na", 2, 4, 5, 1][i % 5] for i, c in enumerate(profiles.context_items)}
    return {"answers": answers, "importance": importance, "context": context}


def item_order(profiles) -> list[str]:
    fw = profiles.framework
    return [i.id for t in fw.themes for c in fw.competencies if c.theme == t.id for i in c.items]


def importance_order(profiles) -> list[str]:
    fw = profiles.framework
    return [c.id for t in fw.themes for c in fw.competencies if c.theme == t.id]


def key(value: Any) -> str:
    return "n" if value == "na" else str(value)


def question_keys(plan: dict[str, Any]) -> list[str]:
    return [key(v) for section in ("answers", "importance", "context")
            for v in plan[section].values()]


def expected_sheet(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "assessed_on": date.today(),  # `assess` dates the finished sheet
        "respondent": {"id": "rn-ward7", "name": "Aroha Ngata", "background": "clinical",
                       "role": "nurse", "years_as_qim": 3.0, "setting": "rural",
                       "organisation": "Northbridge Health", "unit": "Ward 7"},
        **plan,
    }


def assess(args: list[str], keys: list[str], columns: int = 100):
    return runner.invoke(app, ["assess", "--interactive", *args], input="".join(k + "\n" for k in keys),
                         env={"COLUMNS": str(columns)})


def flat(text: str) -> str:
    """Text as one line, as it was before it was wrapped to the terminal (a long path
    may be wrapped after a "/")."""
    return re.sub(r"(?<=\S)/ ", "/", " ".join(text.split()))


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


def draft_file(rid: str = "rn-ward7") -> Path:
    return Path(os.environ["QIM_STATE_DIR"]) / "drafts" / f"{rid}.json"


def other_sheet(plan) -> dict:
    return {**expected_sheet(plan), "respondent": {
        "id": "pt-ortho", "background": "clinical", "role": "physician", "years_as_qim": 7.0,
        "setting": "metropolitan"}}
