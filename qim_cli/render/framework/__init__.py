"""`qim framework`: the profile set itself (framework.profiles.Profiles) as a terminal
listing or as JSON, one module per format."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout, format_module

if TYPE_CHECKING:
    from ...framework.profiles import Profiles


class ListFormat(str, Enum):
    table = "table"
    json = "json"


def render(fmt: ListFormat, profiles: Profiles, layout: Layout) -> str:
    text: str = format_module(__name__, fmt).render(profiles, profiles, layout)
    return text
