"""Spreadsheet-safe cells (render/spreadsheet.py): text that looks like a formula is
neutralised, numbers stay numbers."""

from __future__ import annotations

import pytest

from qim_cli.render.spreadsheet import csv_cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_text_cells_that_look_like_formulas_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", [-0.25, 0.0, 1.75, -1, 12])
def test_numbers_stay_numbers(value):
    assert csv_cell(value) == value
