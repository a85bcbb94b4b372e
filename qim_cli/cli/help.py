"""How every command shows its usage, its help and a wrong value.

Typer writes a required argument as `{files}...`, an optional one as `[[ID]]`, and adds
each parameter's Python type to the help (`<list[str]>`, `<int range>`); a wrong choice
reads "Value error, 'jsn' is not one of ..." (pydantic's prefix). The command classes
below (passed to Typer as `cls`) show arguments by their metavar, as `FILE...`, `KIND`
or `[ID]`, and keep the messages plain. Options name their value with a metavar (`N`,
`DIR`, `FILE`) or list their choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # the Click that Typer bundles, named for the type checker only
    from typer._click.core import Command, Context, Parameter
    from typer._click.formatting import HelpFormatter
else:
    Command = object

#: what pydantic puts before the message of a ValueError raised while parsing a value
_PREFIXES = ("Value error, ", "Assertion failed, ")


def _argument_name(param: Parameter) -> str:
    """An argument as people read it: its metavar (or its name in capitals), `...` when it
    takes several values."""
    name = param.metavar or (param.name or "").upper()
    return name + "..." if param.nargs != 1 else name


class _Readable(Command):
    """Shared by commands and groups (listed first among their bases)."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), record[1]))
            else:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as exc:
            exc.message = plain(exc.message, exc.__cause__)
            raise


#: pydantic's checks of a number's range, worded as a sheet's are (messages.py)
_RANGES = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")


def plain(message: str, cause: BaseException | None = None) -> str:
    """A value's error without pydantic's prefix, as one sentence; a number out of range
    as every other message words it ("must be at least 1 (got 0)")."""
    errors = getattr(cause, "errors", None)
    if callable(errors):
        found = errors(include_url=False)
        if found and found[0].get("type") in _RANGES:
            from ..messages import problem_text

            err = dict(found[0])
            typed = str(err.get("input"))  # as typed: a number, shown as one
            err["input"] = int(typed) if typed.lstrip("-").isdigit() else typed
            return problem_text(err)
    for prefix in _PREFIXES:
        if message.startswith(prefix):
            message = message[len(prefix):]
    return message


class QimCommand(_Readable, TyperCommand):
    """Every qim command."""


class QimGroup(_Readable, TyperGroup):
    """qim itself and its groups of commands (`qim export`, `qim framework`)."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), self.subcommand_metavar]

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)
