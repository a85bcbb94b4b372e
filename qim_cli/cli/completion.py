"""`qim --show-completion SHELL` and `qim --install-completion [SHELL]`.

Typer's own pair of options are flags for the shell in use: a shell named after them was
never read (`--show-completion zsh` printed the bash script). These take the shell as their
value, so an unknown one is a usage error before any file is touched; given alone, the
shell in use is detected (`main` fills it in, see `with_detected_shell`).
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import PurePath

import typer

PROG = "qim"
COMPLETE_VAR = "_QIM_COMPLETE"  # what the scripts set to ask qim for completions
OPTIONS = ("--show-completion", "--install-completion")


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


def register() -> None:
    """Teach the bundled Click Typer's completion classes (what answers `_QIM_COMPLETE`):
    Typer does it only when it adds its own pair of options."""
    from typer.completion import completion_init

    completion_init()


def script(shell: Shell) -> str:
    from typer.completion import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell.value)


def shell_named(option: str, value: str) -> Shell:
    """The shell named after an option, or a usage error in one line (exit 2)."""
    try:
        return Shell(value.lower())
    except ValueError:
        from .common import err

        shells = ", ".join(s.value for s in Shell if s is not Shell.pwsh)
        err(f'{option}: must be one of {shells} (got "{value}")')
        raise typer.Exit(2) from None


def show(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    typer.echo(script(shell_named("--show-completion", value)))
    raise typer.Exit()


def install(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    shell_value = shell_named("--install-completion", value)  # before any file is touched
    from typer.completion import install as install_script

    shell, path = install_script(shell=shell_value.value, prog_name=PROG, complete_var=COMPLETE_VAR)
    typer.echo(f"{shell} completion installed in {path}; it takes effect in a new shell")
    raise typer.Exit()


def with_detected_shell(args: list[str]) -> list[str]:
    """`qim --show-completion` or `qim --install-completion` alone: the shell in use."""
    if len(args) != 1 or args[0] not in OPTIONS:
        return args
    import shellingham

    try:
        name = shellingham.detect_shell()[0].lower()
    except (shellingham.ShellDetectionFailure, RuntimeError):
        name = ""
    if name not in Shell._value2member_map_:  # no shell among the parents: the login shell
        name = PurePath(os.environ.get("SHELL", "")).name.lower()
    if name not in Shell._value2member_map_:
        shells = "|".join(s.value for s in Shell if s is not Shell.pwsh)
        from .common import err

        err(f"qim: cannot tell which shell this is; name it: qim {args[0]} {shells}")
        raise SystemExit(2)
    return [args[0], name]
