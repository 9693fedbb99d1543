"""A report read from a data file: metadata, narrative paragraphs and every table cell.

This is what the rules check and what the renderers print. Cells are addressed by
``(table, row path, column)`` with the official labels of ``layout``; a cell the file did not give
(or gave in a form that was refused) is None, and ``totals`` fills in the 总计 cells left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from gaigen.core.document import Document, Position
from gaigen.spec import layout
from gaigen.spec.layout import CellKey, Column, Edition, Row, RowPath

Value = int | Decimal
SourcePath = tuple[str | int, ...]


@dataclass
class Narrative:
    """The text parts, each a list of paragraphs (empty when the file gave none)."""

    opening: list[str] = field(default_factory=list)
    topics: dict[str, list[str]] = field(default_factory=dict)  # by layout.TOPICS
    problems: list[str] = field(default_factory=list)  # 五
    other: list[str] = field(default_factory=list)  # 六, free text
    fee_notices: int | None = None  # 六 信息处理费 (2021 edition)
    fee_billed: Decimal | None = None
    fee_collected: Decimal | None = None


@dataclass
class Report:
    """One agency's annual report for one year."""

    edition: Edition
    agency: str | None = None
    year: int | None = None
    level: str | None = None
    published: dt.date | None = None
    website: str | None = None
    contact: str | None = None
    narrative: Narrative = field(default_factory=Narrative)
    cells: dict[CellKey, Value | None] = field(default_factory=dict)
    refused: set[tuple[str, ...]] = field(default_factory=set)  # data paths whose value was refused
    given: set[tuple[str, ...]] = field(default_factory=set)  # data paths present in the file
    file: str | None = None
    document: Document | None = None
    origin: dict[tuple[str, ...], SourcePath] = field(default_factory=dict)
    # Computed totals, filled by ``totals.effective``; cells do not change once a report is read.
    computed: dict[CellKey, Value | None] = field(default_factory=dict, repr=False, compare=False)

    def tables(self) -> tuple[layout.Table, layout.Table, layout.Table]:
        return layout.tables(self.edition)

    def cell(self, table: str, row: RowPath, column: str) -> Value | None:
        return self.cells.get((table, row, column))

    def source_path(self, path: tuple[str, ...]) -> SourcePath:
        """Return the path as written in the file of the key at (or nearest above) ``path``."""
        for end in range(len(path), 0, -1):
            found = self.origin.get(path[:end])
            if found is not None:
                return found
        return ()

    def position(self, path: tuple[str, ...]) -> Position | None:
        """Return where the key at (or nearest above) the data path ``path`` stands in the file."""
        if self.document is None:
            return None
        return self.document.where(self.source_path(path))

    def cells_of(self, table: layout.Table) -> Iterator[tuple[RowPath, Row, Column, Value | None]]:
        for path, row in table.rows():
            for column in row.columns:
                yield path, row, column, self.cells.get((table.key, path, column.label))


def cell_path(key: CellKey) -> tuple[str, ...]:
    table, row, column = key
    return (table, *row, column)


def number_text(value: Value | None) -> str:
    """Return a cell as printed: integers plainly, money exactly as entered, never rounded."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
