"""Property tests: random consistent tables pass; any single broken cell is caught and located."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gaigen.api.reports import validate_file
from gaigen.core.totals import completed
from gaigen.spec import layout
from gaigen.spec.layout import Edition, Kind
from tests.builders import fill_consistent, get_cell, set_cell, starter, write

editions = st.sampled_from(list(Edition))
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _validate(data: dict) -> object:
    with tempfile.TemporaryDirectory() as folder:
        return validate_file(write(data, Path(folder) / "data.yaml"))


@given(edition=editions, seed=seeds, with_totals=st.booleans())
def test_random_consistent_tables_have_no_errors(edition: Edition, seed: int, with_totals: bool) -> None:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(seed), with_totals)
    result = _validate(data)
    assert result.errors == []  # type: ignore[attr-defined]


def _count_cells(edition: Edition) -> list[tuple[str, tuple[str, ...], str]]:
    cells = []
    for key in ("表三", "表四"):
        for path, row in layout.table(edition, key).rows():
            if row.optional:
                continue
            cells += [(key, path, c.label) for c in row.columns if c.kind is Kind.COUNT]
    return cells


@given(edition=editions, seed=seeds, pick=st.integers(min_value=0), delta=st.integers(min_value=1, max_value=50))
def test_any_single_changed_cell_is_caught_and_located(edition: Edition, seed: int, pick: int, delta: int) -> None:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(seed), with_totals=True)
    cells = _count_cells(edition)
    table, row, column = cells[pick % len(cells)]
    set_cell(data, table, row, column, get_cell(data, table, row, column) + delta)
    errors = _validate(data).errors  # type: ignore[attr-defined]
    assert errors, (table, row, column)
    assert any(e.table == table and (e.row == row[-1] or e.col_label == column) for e in errors)


@given(edition=editions, seed=seeds)
def test_cells_read_back_exactly(edition: Edition, seed: int) -> None:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(seed), with_totals=False)
    report = _validate(data).report  # type: ignore[attr-defined]
    values = completed(report)
    for (table, row, column), value in values.items():
        given_value = get_cell(data, table, row, column) if _has(data, table, row) else None
        if given_value is not None:
            assert value == given_value and type(value) is type(given_value)


def _has(data: dict, table: str, row: tuple[str, ...]) -> bool:
    node = data[table]
    for part in row:
        if part not in node:
            return False
        node = node[part]
    return True
