"""Text someone typed that a report must show as text: a script, an image with a handler,
Markdown and a link, in a respondent's name and notes."""

from __future__ import annotations

import json
import re
from pathlib import Path

NURSE = Path(__file__).resolve().parents[2] / "examples" / "nurse-early-career.toml"
HOSTILE_NAME = "<script>document.body.setAttribute('data-xss','1')</script>"
HOSTILE_NOTES = '<img src=x onerror="document.body.setAttribute(\'data-xss\',\'2\')"> **bold** [x](http://x)'


def hostile_sheet(tmp_path: Path) -> Path:
    """The nurse's sheet with a script as her name and HTML and Markdown in her notes."""
    text = NURSE.read_text().replace('name = "Aroha Ngata"', f"name = {json.dumps(HOSTILE_NAME)}")
    text = re.sub(r'^notes = ".*"$', lambda m: f"notes = {json.dumps(HOSTILE_NOTES)}", text, flags=re.M)
    path = tmp_path / "hostile.toml"
    path.write_text(text)
    return path
