#!/usr/bin/env python3
"""The start-up floor of a qim command that reads a sheet, built from qim's own packages.

    python benchmarks/floor_app.py report examples/nurse-early-career.toml

One Typer command with the options `qim report` has, that reads the TOML file, validates
two of its fields with a small pydantic model and prints one line with Rich: the least any
command that reads an answer sheet must do with Typer, pydantic and Rich. benchmarks/run.py
measures it beside `qim report`, so that what qim itself adds can be told apart from what
its packages cost before qim does any work.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


class Format(str, Enum):
    table = "table"
    json = "json"


@app.command()
def report(
    files: Annotated[list[str], typer.Argument()],
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: Annotated[str | None, typer.Option("--output", "-o")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    min_raters: Annotated[int, typer.Option("--min-raters", min=1)] = 3,
    explain: Annotated[bool, typer.Option("--explain")] = False,
    profiles: Annotated[str | None, typer.Option("--profiles")] = None,
) -> None:
    import tomllib
    from pathlib import Path

    from pydantic import BaseModel, ConfigDict
    from rich.console import Console

    class Respondent(BaseModel):
        model_config = ConfigDict(extra="ignore", strict=True)
        id: str
        background: str

    with Path(files[0]).open("rb") as fh:
        data = tomllib.load(fh)
    person = Respondent.model_validate(data["respondent"])
    Console().print(f"{person.id}: {person.background}")


@app.command()
def other() -> None:
    """A second command, so that Typer builds a group as qim's does."""


if __name__ == "__main__":
    app()
