"""Tables that fit the terminal without cutting a figure.

Rich shrinks a table that is too wide by cutting its cells ("4.…", "Sco…"). Here a table
is shown at its natural widths when it fits; otherwise its text columns wrap at word
boundaries, each at least as wide as its longest word, while every figure stays on one
line (and, if need be, the lines between its columns go); and where even that cannot
fit, it becomes one block per row: the row's label,
then each column's heading with its value, wrapped with a hanging indent. A figure is
never cut.

Figure columns are the right-aligned ones and those that do not wrap (`no_wrap`): each
value is kept on one line, and only the heading wraps, at its spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import ConsoleRenderable

#: how far a block's lines are indented under the row's label
BLOCK_INDENT = 4
SEPARATOR = " · "


def _text(cell: RenderableType, con: Console) -> Text:
    """A cell as Text (qim passes Text for user text and plain strings for figures)."""
    if isinstance(cell, Text):
        return cell
    if isinstance(cell, str):
        return Text(cell)
    # anything else (never a figure in qim's tables) is rendered to plain text
    with con.capture() as captured:
        con.print(cell)
    return Text(captured.get().rstrip("\n"))


def _measure(con: Console, options: ConsoleOptions, cell: RenderableType) -> tuple[int, int]:
    """Least and natural width, under `options` (the console's, at an unbounded width).
    For text the least is its longest word with the spaces before it, as Rich wraps it
    (Rich's own measure leaves those spaces out)."""
    if isinstance(cell, str):
        cell = Text(cell)
    m = Measurement.get(con, options, cell)
    if isinstance(cell, Text):
        words = [cell_len(w) for w in _WORD.findall(cell.plain)]
        return max([m.minimum, *words]), m.maximum
    return m.minimum, m.maximum


_WORD = re.compile(r"[^\S\n]*\S+")


def _is_figure(column: Column, figures: set[int] | None) -> bool:
    if figures is not None:
        return column._index in figures
    return column.justify == "right" or column.no_wrap


def least_widths(con: Console, table: Table,
                 figures: set[int] | None = None) -> tuple[list[int], list[int], int]:
    """Each column's least and natural content width (a figure column: its widest value,
    or its heading's longest word if wider), and what borders and padding add."""
    least: list[int] = []
    natural: list[int] = []
    # the console's options made once: each `con.options` asks the terminal for its size
    unbounded = con.options.update_width(10_000)
    for column in table.columns:
        cells = list(column.cells)
        sizes = [_measure(con, unbounded, c) for c in cells] or [(0, 0)]
        head = _measure(con, unbounded, column.header) if table.show_header else (0, 0)
        if _is_figure(column, figures):
            low = max(max(s[1] for s in sizes), head[0])
        else:
            low = max(max(s[0] for s in sizes), head[0])
        high = max(max(s[1] for s in sizes), head[1])
        if column.max_width is not None:
            high = max(low, min(high, column.max_width))
        least.append(low)
        natural.append(max(low, high))
    # what the table adds around its columns: measured on a copy with every column fixed
    probe = Table(*[Column(width=1) for _ in table.columns], box=table.box,
                  show_edge=table.show_edge, pad_edge=table.pad_edge, padding=table.padding,
                  show_header=table.show_header, collapse_padding=table.collapse_padding)
    extra = Measurement.get(con, unbounded, probe).maximum - len(table.columns)
    return least, natural, extra


def fit_table(con: Console, table: Table, width: int | None = None,
              figures: Iterable[int] | None = None) -> bool:
    """Fix the widths of `table`'s columns so that it fits `width` (the console's) with no
    cell cut, if need be without the lines between its columns; False when it cannot fit
    (the table is left as it was)."""
    width = con.width if width is None else width
    chosen = None if figures is None else set(figures)
    if _fit(con, table, width, chosen):
        return True
    frame = (table.box, table.show_edge, table.pad_edge, table.padding)
    if table.box is None or frame == LIGHT:
        return False
    # the lines between columns give way: a rule under the heading, two spaces between
    # columns (one of padding, one of the box's blank divider)
    table.box, table.show_edge, table.pad_edge, table.padding = LIGHT
    if _fit(con, table, width, chosen):
        return True
    table.box, table.show_edge, table.pad_edge, table.padding = frame
    return False


#: a table's frame once its lines give way: (box, show_edge, pad_edge, padding)
LIGHT = (box.SIMPLE_HEAD, False, False, (0, 1, 0, 0))


def _fit(con: Console, table: Table, width: int, chosen: set[int] | None) -> bool:
    least, natural, extra = least_widths(con, table, chosen)
    if sum(natural) + extra <= width:
        widths = natural
    elif sum(least) + extra <= width:
        spare = width - extra - sum(least)
        wants = [n - low for low, n in zip(least, natural, strict=True)]
        widths = list(least)
        total = sum(wants)
        if total:
            # the spare room shared in proportion to what each column would like
            given = [spare * w // total for w in wants]
            for i, g in enumerate(given):
                widths[i] += min(g, wants[i])
    else:
        return False
    for column, w in zip(table.columns, widths, strict=True):
        column.width = max(w, 1)
        column.min_width = column.max_width = None
        if _is_figure(column, chosen):
            # the values fit on one line; a heading wider than them wraps at its spaces
            column.no_wrap = False
            column.overflow = "fold"
    table.expand = False
    return True


def blocks(con: Console, table: Table, *, label: int = 0, indent: int = BLOCK_INDENT,
           width: int | None = None) -> Group:
    """The table as one block per row: the label cell in bold, then "Heading: value" for
    each other non-empty cell, packed on lines and wrapped under the label."""
    width = con.width if width is None else width
    columns = table.columns
    parts: list[RenderableType] = []
    if table.title:
        title = _text(table.title, con).copy()
        title.stylize("italic")  # as Rich shows a table's title
        parts.append(title)
    cells = [list(c.cells) for c in columns]
    for r in range(len(table.rows)):
        name = _text(cells[label][r], con).copy()
        name.stylize("bold")
        parts.append(name)
        pairs: list[Text] = []
        for i, column in enumerate(columns):
            if i == label:
                continue
            value = _text(cells[i][r], con)
            if not value.plain.strip():
                continue
            heading = _text(column.header, con).plain.replace("\n", " ").strip()
            pair = Text(f"{heading}: " if heading else "")
            pair.append_text(value)
            pairs.append(pair)
        parts.extend(Padding(line, (0, 0, 0, indent)) for line in pack(pairs, width - indent))
    return Group(*parts)


def pack(items: Sequence[Text], room: int, separator: str = SEPARATOR) -> list[Text]:
    """Items side by side, separated, on lines of `room` columns; an item never split
    across two lines unless it is longer than a line on its own (it then wraps)."""
    lines: list[Text] = []
    line: Text | None = None
    for item in items:
        if "\n" in item.plain:  # several lines of its own (a list in a cell)
            if line is not None:
                lines.append(line)
                line = None
            lines.append(item)
            continue
        if line is not None and line.cell_len + len(separator) + item.cell_len <= room:
            line.append(separator)
            line.append_text(item)
        else:
            if line is not None:
                lines.append(line)
            line = item.copy()
    if line is not None:
        lines.append(line)
    return lines


def fitted(con: Console, table: Table, *, figures: Iterable[int] | None = None,
           stacked: ConsoleRenderable | Group | None = None) -> RenderableType:
    """`table` fitted to the console, else its rows as blocks (or `stacked`)."""
    if fit_table(con, table, figures=figures):
        return table
    return stacked if stacked is not None else blocks(con, table)


def hanging(mark: str, text: Text | str, indent: int | None = None) -> Table:
    """A line that starts with `mark` and whose wrapped lines start under its text (at
    `indent`, or the mark's width), never at column 0."""
    width = len(mark) if indent is None else indent
    grid = Table.grid()
    grid.add_column(width=width, no_wrap=True)
    grid.add_column()
    grid.add_row(mark, text if isinstance(text, Text) else Text(text))
    return grid
