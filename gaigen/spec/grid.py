"""The printed grid of each table: every cell with its row, column, rowspan and colspan.

Built from ``layout`` per format-spec §4 (and checked cell by cell against format-grids.json in
the tests). A cell is either a label or a number cell that names the data it shows; the Word,
plain-text and later HTML/Excel renderers all draw this one grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gaigen.spec import layout
from gaigen.spec.layout import CellKey, Edition, Group, Row, Table


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str | None = None  # a label; None for a number cell
    key: CellKey | None = None  # the data a number cell shows

    @property
    def is_number(self) -> bool:
        return self.key is not None

    @property
    def name(self) -> str:
        """Return the cell's name in templates: ``r{row}c{col}``."""
        return f"r{self.row}c{self.col}"


@dataclass(frozen=True)
class Grid:
    key: str  # 表二 / 表三 / 表四
    title: str
    cols: int
    rows: int
    cells: tuple[GridCell, ...]
    header_rows: int  # rows repeated at the top of each page

    def number_cells(self) -> tuple[GridCell, ...]:
        return tuple(c for c in self.cells if c.is_number)

    def row_cells(self, row: int) -> tuple[GridCell, ...]:
        """Return the cells that start in ``row``, left to right."""
        return tuple(c for c in self.cells if c.row == row)


@cache
def grid(edition: Edition, key: str) -> Grid:
    """Return the official grid of table ``key`` (表二, 表三 or 表四) in ``edition``."""
    table = layout.table(edition, key)
    build = {"表二": _table2, "表三": _table3, "表四": _table4}[key]
    return build(table)


def grids(edition: Edition) -> tuple[Grid, Grid, Grid]:
    return grid(edition, "表二"), grid(edition, "表三"), grid(edition, "表四")


@cache
def kept_rows(table: Grid) -> frozenset[int]:
    """Return the rows that must stay on the page of the row below them (Word's keep-with-next,
    the web page's ``break-after: avoid``).

    The header rows keep with the first body row; each 表二 block (heading, column labels, data
    rows) stays on one page, and so does each merged group of 表三 (（三）…（六）) — every
    vertical merge except 表三's first column, which spans nearly the whole table.
    """
    kept = set(range(table.header_rows))
    for cell in table.cells:
        if cell.rowspan > 1 and not (cell.col == 0 and cell.row >= table.header_rows):
            kept.update(range(cell.row, cell.row + cell.rowspan - 1))
    if table.key == "表二":
        starts = {cell.row for cell in table.cells if cell.colspan == table.cols}
        kept.update(row for row in range(table.rows - 1) if row + 1 not in starts)
    return frozenset(kept)


def _spans(count: int, width: int) -> list[tuple[int, int]]:
    """Return (start, span) of ``count`` value cells over ``width`` grid columns (last one widens)."""
    return [(i, 1) for i in range(count - 1)] + [(count - 1, width - count + 1)]


def _table2(table: Table) -> Grid:
    cells: list[GridCell] = []
    width = 3
    row = 0
    for block in table.blocks:
        cells.append(GridCell(row, 0, colspan=4, text=block.heading))
        spans = _spans(len(block.columns), width)
        cells.append(GridCell(row + 1, 0, text="信息内容"))
        for column, (start, span) in zip(block.columns, spans, strict=True):
            cells.append(GridCell(row + 1, 1 + start, colspan=span, text=column.label))
        row += 2
        for data_row in block.rows:
            cells.append(GridCell(row, 0, text=data_row.label))
            for column, (start, span) in zip(block.columns, spans, strict=True):
                cells.append(GridCell(row, 1 + start, colspan=span, key=(table.key, (data_row.label,), column.label)))
            row += 1
    return Grid(table.key, table.title, 4, row, tuple(cells), header_rows=0)


def _table3(table: Table) -> Grid:
    cells = [
        GridCell(0, 0, rowspan=3, colspan=3, text=layout.TABLE3_NOTE),
        GridCell(0, 3, colspan=7, text=layout.TABLE3_GROUP),
        GridCell(1, 3, rowspan=2, text=layout.NATURAL_PERSON),
        GridCell(1, 4, colspan=5, text=layout.TABLE3_LEGAL_PERSONS),
        GridCell(1, 9, rowspan=2, text=layout.TOTAL),
        *(GridCell(2, 4 + i, text=label) for i, label in enumerate(layout.LEGAL_PERSON_COLUMNS)),
    ]
    row = 3
    for node in table.children:
        if isinstance(node, Row):
            cells.append(GridCell(row, 0, colspan=3, text=node.label))
            cells += _numbers(table.key, row, (node.label,), node)
            row += 1
            continue
        height = sum(1 for _ in _leaves(node))
        cells.append(GridCell(row, 0, rowspan=height, text=node.label))
        for child in node.children:
            if isinstance(child, Row):
                cells.append(GridCell(row, 1, colspan=2, text=child.label))
                cells += _numbers(table.key, row, (node.label, child.label), child)
                row += 1
                continue
            cells.append(GridCell(row, 1, rowspan=len(child.children), text=child.label))
            for leaf in child.children:
                assert isinstance(leaf, Row)
                cells.append(GridCell(row, 2, text=leaf.label))
                cells += _numbers(table.key, row, (node.label, child.label, leaf.label), leaf)
                row += 1
    return Grid(table.key, table.title, 10, row, tuple(cells), header_rows=3)


def _leaves(group: Group) -> list[Row]:
    rows: list[Row] = []
    for child in group.children:
        rows += [child] if isinstance(child, Row) else _leaves(child)
    return rows


def _numbers(table: str, row: int, path: tuple[str, ...], data_row: Row) -> list[GridCell]:
    return [GridCell(row, 3 + i, key=(table, path, column.label)) for i, column in enumerate(data_row.columns)]


def _table4(table: Table) -> Grid:
    review = layout.CASE_COLUMNS
    cells = [
        GridCell(0, 0, colspan=5, text=layout.REVIEW),
        GridCell(0, 5, colspan=10, text=layout.LITIGATION),
        *(GridCell(1, i, rowspan=2, text=column.label) for i, column in enumerate(review)),
        GridCell(1, 5, colspan=5, text=layout.DIRECT_SUIT),
        GridCell(1, 10, colspan=5, text=layout.SUIT_AFTER_REVIEW),
        *(GridCell(2, 5 + i, text=column.label) for i, column in enumerate(review)),
        *(GridCell(2, 10 + i, text=column.label) for i, column in enumerate(review)),
    ]
    rows = [(layout.REVIEW,), (layout.LITIGATION, layout.DIRECT_SUIT), (layout.LITIGATION, layout.SUIT_AFTER_REVIEW)]
    for block, path in enumerate(rows):
        for i, column in enumerate(review):
            cells.append(GridCell(3, block * 5 + i, key=(table.key, path, column.label)))
    return Grid(table.key, table.title, 15, 4, tuple(cells), header_rows=3)
