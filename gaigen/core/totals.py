"""The 总计 cells: given ones are checked by the rules, missing ones are computed here.

format-spec §5: a row's 总计 is the sum of its other cells (表三 T3-3, 表四 T4-1…3), and 表三
（七）总计 is the sum of the outcome rows above it (T3-2). The renderers print ``completed(report)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from gaigen.core.report import Report, Value
from gaigen.spec import layout
from gaigen.spec.layout import CellKey, Kind, RowPath


def sum_or_none(values: Iterable[Value | None]) -> Value | None:
    """Return the sum, or None when any value is None (a missing cell makes a sum unknown)."""
    total: Value = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def parts_sum(report: Report, table: str, row: RowPath) -> Value | None:
    """Return the sum of a row's cells other than 总计."""
    columns = layout.table(report.edition, table).row(row).columns
    return sum_or_none(report.cell(table, row, c.label) for c in columns if c.kind is not Kind.TOTAL)


def outcome_rows(report: Report) -> list[RowPath]:
    """Return the 表三 rows summed by （七）总计: every row under 三、 except （七） itself."""
    return [
        path
        for path, _ in layout.table(report.edition, layout.TABLE3).rows()
        if path[0] == layout.OUTCOMES and path[-1] != layout.OUTCOME_TOTAL
    ]


OUTCOME_TOTAL_ROW: RowPath = (layout.OUTCOMES, layout.OUTCOME_TOTAL)


def effective(report: Report, table: str, row: RowPath, column: str) -> Value | None:
    """Return the cell as given, or as computed when it is a 总计 cell left out."""
    given = report.cell(table, row, column)
    if given is not None:
        return given
    key = (table, row, column)
    if key not in report.computed:
        report.computed[key] = _computed(report, table, row, column)
    return report.computed[key]


def _computed(report: Report, table: str, row: RowPath, column: str) -> Value | None:
    if (table, *row, column) in report.refused:
        return None
    if table == layout.TABLE3 and row == OUTCOME_TOTAL_ROW:
        return sum_or_none(effective(report, table, r, column) for r in outcome_rows(report))
    if column == layout.TOTAL:
        columns = layout.table(report.edition, table).row(row).columns
        return sum_or_none(effective(report, table, row, c.label) for c in columns if c.kind is not Kind.TOTAL)
    return None


def completed(report: Report) -> dict[CellKey, Value | None]:
    """Return every cell of the three tables, 总计 cells computed where the file left them out."""
    cells: dict[CellKey, Value | None] = {}
    for table in report.tables():
        for path, row in table.rows():
            for column in row.columns:
                cells[(table.key, path, column.label)] = effective(report, table.key, path, column.label)
    return cells
