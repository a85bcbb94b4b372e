"""The `qim` command: thin Typer commands over the core library."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import assess, batch, compare, completion, interop, pair, person, streams
from .common import err
from .framework import framework_app
from .help import QimCommand, QimGroup

app = typer.Typer(
    cls=QimGroup,
    name="qim",
    help=(
        "Assess a healthcare Quality Improvement Manager against an evidence-based "
        "competency framework and get an explained, tailored development plan."
    ),
    epilog=(
        "\b\nExit codes: 0 ok, 1 unexpected, 2 usage, 65 invalid data, 66 not found,\n"
        "69 not installed (the pdf extra), 73 cannot write, 75 saved but not finished,\n"
        "130 interrupted.\n"
        "Try:\n"
        "  qim framework       the competencies qim assesses, and what they mean\n"
        "  qim assess          the self-check, in this terminal"
    ),
    no_args_is_help=True,
    add_completion=False,  # the shell is the options' value: see completion.py
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _verbose(ctx: typer.Context, value: bool) -> None:
    if value:
        ctx.meta["qim.verbose"] = True


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        from ..version import version_text

        # --version exits at once: a --verbose after it is seen in the arguments
        verbose = ctx.meta.get("qim.verbose", False) or "--verbose" in sys.argv[1:]
        sys.stdout.write(version_text(verbose=verbose))
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", callback=_verbose, is_eager=True,
                     help="With --version: also the Python and the TOML parser in use."),
    ] = False,
    install_completion: Annotated[
        str | None,
        typer.Option("--install-completion", metavar="SHELL", callback=completion.install,
                     is_eager=True, expose_value=False, show_default=False,
                     help="Install completion for SHELL (bash, zsh, fish or powershell; "
                     "alone: the shell in use)."),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option("--show-completion", metavar="SHELL", callback=completion.show,
                     is_eager=True, expose_value=False, show_default=False,
                     help="Print the completion script for SHELL, to install it your own way."),
    ] = None,
) -> None:
    """Assess a healthcare Quality Improvement Manager against an evidence-based
    competency framework and get an explained, tailored development plan.

    Exit codes: 0 ok, 1 unexpected, 2 usage, 65 invalid data, 66 not found,
    69 not installed (the pdf extra), 73 cannot write, 75 saved but not finished,
    130 interrupted.
    """


def main() -> None:
    """Console entry point."""
    streams.setup()  # text for people never fails on an encoding
    try:
        args = completion.with_detected_shell(sys.argv[1:])
        app(args=args, prog_name="qim")  # also under `python -m qim_cli`: completion is for `qim`
    except KeyboardInterrupt:
        err("qim: interrupted")
        sys.exit(130)


__all__ = ["app", "main"]


# --- every command, registered here in the order `qim --help` lists them; the command
# modules import only typer at the top, so `qim --help` stays fast ---
for command in (person.report, person.template, person.validate, person.schema,
                assess.assess, batch.score, batch.cohort, compare.compare):
    app.command(cls=QimCommand)(command)
app.command("compare-cohort", cls=QimCommand)(compare.compare_cohort)
app.command(cls=QimCommand)(pair.pair)
app.command("import", cls=QimCommand)(interop.import_)
app.command(cls=QimCommand)(interop.form)
app.add_typer(interop.export_app, name="export")
app.add_typer(framework_app, name="framework")
completion.register()
