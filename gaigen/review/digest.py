"""A report reduced to what the county-level checks and exports need, small enough to send between processes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from gaigen.core.report import Report, Value, cell_path
from gaigen.core.totals import effective
from gaigen.rules.ratios import Measured, measure
from gaigen.rules.similarity import narrative_parts
from gaigen.spec import layout

# The state of a cell in the long export.
FILLED, BLANK, MISSING, COMPUTED, REFUSED = "填写", "空白", "缺失", "计算", "无效"


class CellRecord(NamedTuple):
    """One cell for the export. A tuple, and the labels shared objects: a digest crosses a pipe per report."""

    table: str
    row: str  # the row path joined with “/”
    column: str
    value: Value | None
    state: str


@dataclass
class Digest:
    """One report: who, when, its normalised narrative, its ratios, every cell, and where its parts stand."""

    file: str
    agency: str | None
    year: int | None
    level: str | None
    edition: str
    published: dt.date | None
    parts: dict[str, str]  # normalised text of 一, 五, 六 by part name
    ratios: dict[str, Measured]
    cells: list[CellRecord] = field(default_factory=list)
    places: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)  # part → (line, cell)

    def place(self, key: str) -> tuple[int | None, str | None]:
        return self.places.get(key, (None, None))


PLACED = (layout.OVERVIEW, "表三", "表四")


def digest(report: Report, file: str) -> Digest:
    """Return the digest of a report read from ``file`` (the name messages use)."""
    places: dict[str, tuple[int | None, str | None]] = {}
    for key in PLACED:
        position = report.position((key,))
        if position is not None:
            places[key] = (position.line if position.cell is None else None, position.cell)
    return Digest(
        file=file,
        agency=report.agency,
        year=report.year,
        level=report.level,
        edition=report.edition.value,
        published=report.published if isinstance(report.published, dt.date) else None,
        parts=narrative_parts(report),
        ratios=measure(report),
        cells=list(cell_records(report)),
        places=places,
    )


def cell_records(report: Report) -> list[CellRecord]:
    """Return every cell of the three tables with its value and whether it was filled, blank or missing."""
    records = []
    for table in report.tables():
        for path, row in table.rows():
            row_name = "/".join(path)
            for column in row.columns:
                key = (table.key, path, column.label)
                data_path = cell_path(key)
                value = report.cells.get(key)
                if value is not None:
                    state = FILLED
                elif data_path in report.refused:
                    state = REFUSED
                elif data_path in report.given:
                    state = BLANK
                else:
                    value = effective(report, table.key, path, column.label)
                    state = COMPUTED if value is not None else MISSING
                records.append(CellRecord(table.key, row_name, column.label, value, state))
    return records
