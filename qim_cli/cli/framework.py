"""`qim framework`: list the profile set, and lint an edited copy."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..render.framework import ListFormat
from .common import ProfilesOpt, err, handle_errors, use_color
from .help import QimCommand, QimGroup
from .streams import write_data

framework_app = typer.Typer(
    cls=QimGroup,
    help="List themes, competencies, items, trainings and rules; `check` lints a profile set.",
    no_args_is_help=False,
    rich_markup_mode=None,
)


@framework_app.callback(invoke_without_command=True)
@handle_errors
def framework(
    ctx: typer.Context,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    profiles: ProfilesOpt = None,
) -> None:
    """List themes, competencies, items, context questions, trainings and rules.

    \b
    Example:
      qim framework --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..framework.profiles import load_profiles
    from ..render.formats import Layout
    from ..render.framework import render

    text = render(format, load_profiles(profiles), Layout(color=use_color(), width=120))
    if format is ListFormat.json:
        write_data(text)
    else:
        sys.stdout.write(text)


@framework_app.command(cls=QimCommand)
@handle_errors
def check(profiles: ProfilesOpt = None) -> None:
    """Lint a profile set: every file valid, every id that refers to something exists.

    Exits 0 when the set is usable, 65 naming the file and entry of each problem.

    \b
    Example:
      qim framework check --profiles my-profiles/
    """
    from ..framework.profiles import load_profiles_uncached, profiles_dir

    directory = profiles_dir(profiles)
    prof = load_profiles_uncached(directory)
    for w in prof.warnings:
        err(f"warning: {w}")
    for comp in prof.competencies:
        if not any(r.competency == comp and r.kind == "development" for r in prof.rules):
            err(f"warning: {directory}/rules.toml: no development rule for competency \"{comp}\"")
    items = sum(len(c.items) for c in prof.competencies.values())
    kinds = {k: sum(r.kind == k for r in prof.rules) for k in ("development", "barrier")}
    sys.stdout.write(
        f"{directory}: ok — framework {prof.version}: {len(prof.themes)} themes, "
        f"{len(prof.competencies)} competencies, {items} items, "
        f"{len(prof.context_items)} context questions, {len(prof.backgrounds)} backgrounds, "
        f"{len(prof.roles)} roles, {len(prof.trainings)} trainings, "
        f"{len(prof.rules)} rules ({kinds['development']} development, {kinds['barrier']} barrier), "
        f"{len(prof.scenarios)} scenarios\n"
    )
