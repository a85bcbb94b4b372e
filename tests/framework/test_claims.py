"""Claims as strong as their sources, in the profile set itself: no figure of the study typed
into prose (profiles, templates, the documentation's own words), and profiles/EVIDENCE.md
with a row for every claim, its passage and a verdict."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from conftest import ROOT

from qim_cli.framework.claims import claims

PROFILES = ROOT / "profiles"
LOOSE = re.compile(r"\b\d+\s*(?:of|/)\s*(?:36|20)\b(?:\s+(?:clinical|traditional)\s+QIMs)?")


def test_no_table2_figure_is_typed_into_prose():
    """Profile texts (but table2.toml), templates and the documentation's own words (the
    README and docs/) type no figure of the study; the pages may hold them only inside
    excerpts of real output (checked against the output by test_docs)."""
    def strings(node: Any):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for v in node.values():
                yield from strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v)

    for path in sorted(PROFILES.glob("*.toml")):
        if path.name == "table2.toml":
            continue
        for text in strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            assert not LOOSE.search(text), (path.name, text)
            assert "rarely name" not in text.lower(), (path.name, text)
    for path in sorted((ROOT / "qim_cli" / "templates").iterdir()):
        text = path.read_text(encoding="utf-8")
        assert not LOOSE.search(text) and "rarely name" not in text, path.name
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        prose = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        assert not LOOSE.search(prose), (page.name, LOOSE.search(prose))
    for path in (PROFILES / "README.md", PROFILES / "EVIDENCE.md"):
        assert not LOOSE.search(path.read_text(encoding="utf-8")), path.name


def test_evidence_md_has_a_row_for_every_claim_with_its_passage_and_a_verdict(profiles):
    text = (PROFILES / "EVIDENCE.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([^`]+)` \| ([^|]*) \| ((?:[^|\\]|\\\|)*) \| ((?:[^|\\]|\\\|)*) \| (.*) \|$", line)
        if m:
            rows[m[1]] = (m[3].replace("\\|", "|"), m[5])
    every = list(claims(profiles.framework, profiles.backgrounds_file, profiles.trainings_file,
                        profiles.rules_file, profiles.alignment, profiles.scenarios_file,
                        profiles.table2))
    assert len(every) > 150
    for c in every:
        assert c.where in rows, f"EVIDENCE.md has no row for {c.where}"
        passage, verdict = rows[c.where]
        assert passage == c.passage, c.where
        assert verdict.split(":")[0] in ("kept", "reworded"), (c.where, verdict)
    assert "| removed |" in text
