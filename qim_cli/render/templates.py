"""The Jinja2 environment every HTML report is made with: the templates of
`qim_cli/templates/` (one stylesheet for screen, phone and A4 print), autoescaped, an
undefined name an error, and the filters the templates share. Jinja2 is imported only
when a page is made, so `qim --help` never pays for it."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..words import and_list, plural
from .numbers import number, percent

if TYPE_CHECKING:
    from jinja2 import Environment


def css_string(text: object) -> str:
    """Any text as a quoted CSS string that is safe inside a <style> element: everything but
    letters, digits, spaces and a few marks becomes a CSS hex escape (so no quote, backslash,
    line break or "</style>" can end the string or the element)."""
    out = []
    for ch in str(text):
        if ch.isalnum() and ch.isascii() or ch in " .,:-·–()":
            out.append(ch)
        elif ch.isprintable():
            out.append(f"\\{ord(ch):06x} ")  # the space ends the escape (CSS consumes it)
        else:
            out.append("\\00fffd ")
    return '"' + "".join(out) + '"'


@cache
def environment() -> Environment:
    """The environment of this process, made once: each template is compiled the first time
    a page uses it, not once per page (a batch of reports, the 360° pages). A report that
    needs filters of its own adds them once (render/person/html.py); a filter never holds
    one page's data (it reads it from the page's context)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("qim_cli", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = lambda text: Markup(css_string(text))
    from ..framework.notice import FOOTER

    env.globals["notice_footer"] = FOOTER
    env.filters["plural"] = plural
    env.filters["and_list"] = and_list
    env.filters["number"] = number
    env.filters["percent"] = percent
    return env
