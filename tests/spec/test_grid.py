"""The printed grids equal the official grids of format-grids.json, cell for cell, both editions."""

from __future__ import annotations

import pytest

from gaigen.spec.grid import grid
from gaigen.spec.layout import Edition, Kind, table
from tests.reference import GRIDS


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize("key", ["表二", "表三", "表四"])
def test_grid_matches_reference(edition: Edition, key: str) -> None:
    reference = GRIDS["editions"][edition.value]["tables"][key]
    mine = grid(edition, key)
    assert (mine.rows, mine.cols) == (reference["rows"], reference["cols"])
    cells = sorted((c.row, c.col, c.rowspan, c.colspan, c.text or "#") for c in mine.cells)
    expected = sorted(
        (c["row"], c["col"], c["rowspan"], c["colspan"], "".join(c["text"].split())) for c in reference["cells"]
    )
    assert cells == expected
    assert len(mine.number_cells()) == reference["number_cells"]


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize("key", ["表二", "表三", "表四"])
def test_every_data_cell_is_printed_once(edition: Edition, key: str) -> None:
    shown = [c.key for c in grid(edition, key).number_cells()]
    data = [(key, path, column.label) for path, row in table(edition, key).rows() for column in row.columns]
    assert sorted(shown, key=str) == sorted(data, key=str)
    assert all(isinstance(column.kind, Kind) for _, row in table(edition, key).rows() for column in row.columns)
