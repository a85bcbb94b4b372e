"""Generate the reference that comes from the code, when the site is built (mkdocs-gen-files).

- reference/cli.md: the page's own introduction, then every command, option and argument,
  from the Typer application itself (`typer.cli.get_docs_for_click` on
  `typer.main.get_command(app)`), so the reference is `qim COMMAND --help` as it is now;
- reference/answer-sheet.md, rating-sheet.md and context-sheet.md: the page's own text,
  then the fields of the sheet from the JSON Schema `qim schema KIND` prints.

Nothing is written into docs/: the pages are edited in memory for the build only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import mkdocs_gen_files
import typer
import typer.cli
import typer.main

sys.path.insert(0, str(Path(__file__).parent))
from schema_pages import fields  # noqa: E402

from qim_cli.cli.app import app  # noqa: E402

# "Example:" or "Examples:" (or "Try:") and the lines indented under it, in a help text
EXAMPLES = re.compile(r"^(Examples?:|Try:)\n((?:  .*\n?)+)", re.M)


def _examples_as_code(text: str) -> str:
    """A help text's indented examples as a code block, instead of one run-on paragraph."""
    def block(match: re.Match[str]) -> str:
        lines = [line[2:] for line in match.group(2).rstrip("\n").splitlines()]
        language = "text" if match.group(1) == "Try:" else "sh"
        return f"{match.group(1)}\n\n```{language}\n" + "\n".join(lines) + "\n```\n"
    # "\b" is Click's mark for a paragraph not to be rewrapped: nothing to show here
    return EXAMPLES.sub(block, text.replace("\b\n", "\n"))


def cli_reference() -> str:
    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="qim")
    text = typer.cli.get_docs_for_click(obj=command, ctx=ctx, name="qim", title="Commands and options")
    text = _examples_as_code(text)
    # one level down: the page has its own title
    return _link_commands(re.sub(r"^(#+) ", r"#\1 ", text, flags=re.M), _summaries(command))


def _summaries(command, path: str = "qim") -> dict[str, str]:
    """Each command's path ("qim export redcap") -> the first sentence of its help."""
    found = {}
    for name, sub in getattr(command, "commands", {}).items():
        found[f"{path} {name}"] = sub.get_short_help_str(limit=400)
        found.update(_summaries(sub, f"{path} {name}"))
    return found


def _link_commands(text: str, summaries: dict[str, str]) -> str:
    """Each entry of a "Commands" list links to that command's section, with the first
    sentence of its help whole (Click shortens it to 45 characters)."""
    lines, current, listing = [], "qim", False
    for line in text.splitlines():
        heading = re.match(r"^#+ `(qim[^`]*)`$", line)
        if heading:
            current = heading.group(1)
        if line == "**Commands**:":
            listing = True
        elif listing and line.startswith("* `"):
            name = re.match(r"^\* `([^`]+)`", line).group(1)
            anchor = "-".join(f"{current} {name}".split())
            line = f"* [`{current} {name}`](#{anchor}): {summaries[f'{current} {name}']}"
        elif listing and line.strip():
            listing = False
        lines.append(line)
    return "\n".join(lines) + "\n"


def schema(kind: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "qim_cli", "schema", kind],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


with mkdocs_gen_files.open("reference/cli.md", "a") as page:
    page.write("\n" + cli_reference())

for kind, name in (("answers", "answer-sheet"), ("rating", "rating-sheet"), ("context", "context-sheet")):
    document = schema(kind)
    with mkdocs_gen_files.open(f"reference/{name}.md", "a") as page:
        page.write(f"\n## Every field\n\nFrom `qim schema {kind}` ({document['title']}), "
                   "when this site was built.\n\n" + fields(document))


def api_sections() -> dict[str, list[str]]:
    """The public API, by where to import it from: what `qim_cli` exports, then what the
    library page's examples import from its modules."""
    import qim_cli

    sections = {"qim_cli": [f"{getattr(qim_cli, name).__module__}.{name}"
                            for name in qim_cli.__all__ if not name.startswith("_")]}
    library = Path(__file__).parent.parent / "reference" / "library.md"
    for module, imported in re.findall(r"^from (qim_cli\.[\w.]+) import ([\w, ]+)$",
                                       library.read_text(encoding="utf-8"), re.M):
        sections.setdefault(module, []).extend(f"{module}.{name.strip()}" for name in imported.split(","))
    return sections


with mkdocs_gen_files.open("reference/library.md", "a") as page:
    page.write("\n## API\n")
    for module, names in api_sections().items():
        page.write(f"\n### `from {module} import ...`\n\n")
        page.write("\n".join(f"::: {name}\n" for name in dict.fromkeys(names)))
