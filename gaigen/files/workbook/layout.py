"""Every cell of the fill-in workbook gaigen writes and reads, per edition: sheets, slots, limits.

The sheets 表二、表三、表四 are the official tables cell for cell (``gaigen.spec.grid``: the same
labels, the same merges); 基本信息 and 文字部分 hold the metadata and the narrative, one slot a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from openpyxl.utils import get_column_letter

from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Leaf, ValueKind
from gaigen.spec.grid import Grid, grids
from gaigen.spec.layout import Edition, Kind

SHEET_GUIDE = "填写说明"


SHEET_META = "基本信息"


SHEET_TEXT = "文字部分"


TABLE_SHEETS = layout.TABLE_KEYS  # 表二 / 表三 / 表四: the sheet is named after the table


SHEETS = (SHEET_GUIDE, SHEET_META, *TABLE_SHEETS, SHEET_TEXT)


GRID_TOP = 3  # the sheet row of a table's grid row 0 (row 1: title, row 2: how to fill in)


HEADER_ROW = 3  # 基本信息 and 文字部分: the column headings (rows 1–2 as on the tables)


MAX_BYTES = 10 * 1024 * 1024  # a report's workbook is about 30 KB


MAX_UNPACKED = 100 * 1024 * 1024  # refuse zip bombs before openpyxl unpacks anything


MAX_CELL_TEXT = 32767  # Excel's limit for one cell


FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"  # document properties: never the clock


DataPath = tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """One cell (or merged range) of the workbook: a label to keep, or a value with its data path."""

    sheet: str
    row: int  # 1-based sheet row of the top-left cell
    col: int  # 1-based
    label: str | None = None  # a label, checked when the workbook is read
    path: DataPath | None = None  # the data path of a value cell
    kind: ValueKind | None = None
    rowspan: int = 1
    colspan: int = 1
    formula: str | None = None  # a 总计: the formula written in it
    total: bool = False  # a 总计 cell: may be left out, then computed
    locked: bool = False  # a value cell the clerk does not change (版式)

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def ref(self) -> str:
        """Return the cell as messages name it: ``表三!D12``."""
        return f"{self.sheet}!{self.coordinate}"

    @property
    def last(self) -> tuple[int, int]:
        return self.row + self.rowspan - 1, self.col + self.colspan - 1


_META_ROWS: tuple[tuple[str, str], ...] = (
    (datafile.AGENCY, "机关全称，如：某某县交通运输局"),
    (datafile.YEAR, "报告所属年度，如 2024"),
    (datafile.LEVEL, "部门 或 政府（从下拉列表选择）"),
    (datafile.EDITION, "由年度确定，不能修改；换版式请用 gaigen init --xlsx 重新生成"),
    (datafile.PUBLISHED, "发布日期（落款日期），如 2025-01-20；不填则落款日期留空待手写"),
    (datafile.WEBSITE, "可选：本报告电子版的发布网站（名称和网址）"),
    (datafile.CONTACT, "可选：联系单位、地址、邮编、电话"),
)


def _meta_slots(edition: Edition) -> list[Slot]:
    tree = datafile.tree(edition)
    slots = [Slot(SHEET_META, HEADER_ROW, col, text) for col, text in enumerate(("项目", "内容", "说明"), start=1)]
    for offset, (label, _help) in enumerate(_META_ROWS):
        row = HEADER_ROW + 1 + offset
        entry = tree.child(label)
        assert isinstance(entry, datafile.Key)
        slots.append(Slot(SHEET_META, row, 1, label))
        slots.append(Slot(SHEET_META, row, 2, path=(label,), kind=entry.kind, locked=label == datafile.EDITION))
    return slots


def _text_rows(edition: Edition) -> list[tuple[str, str, DataPath, ValueKind]]:
    """Return (part, item, data path, kind) of each row of 文字部分, in report order."""
    rows: list[tuple[str, str, DataPath, ValueKind]] = [
        (layout.OVERVIEW, "开头段落（可不填）", (layout.OVERVIEW, layout.OVERVIEW_OPENING), Leaf.TEXT)
    ]
    for topic, heading in zip(layout.TOPICS, layout.TOPIC_HEADINGS[edition], strict=True):
        rows.append((layout.OVERVIEW, heading, (layout.OVERVIEW, topic), Leaf.TEXT))
    rows.append((layout.PROBLEMS, "", (layout.PROBLEMS,), Leaf.TEXT))
    if edition is Edition.E2019:
        rows.append((layout.OTHER_MATTERS, "", (layout.OTHER_MATTERS,), Leaf.TEXT))
        return rows
    fee = (layout.OTHER_MATTERS, layout.FEE_GROUP)
    rows += [
        (layout.OTHER_MATTERS, f"{layout.FEE_GROUP}：{layout.FEE_NOTICES}", (*fee, layout.FEE_NOTICES), Kind.COUNT),
        (layout.OTHER_MATTERS, f"{layout.FEE_GROUP}：{layout.FEE_BILLED}", (*fee, layout.FEE_BILLED), Leaf.YUAN),
        (layout.OTHER_MATTERS, f"{layout.FEE_GROUP}：{layout.FEE_COLLECTED}", (*fee, layout.FEE_COLLECTED), Leaf.YUAN),
        (layout.OTHER_MATTERS, "其他事项（没有可不填）", (layout.OTHER_MATTERS, layout.OTHER_TEXT), Leaf.TEXT),
    ]
    return rows


def _text_slots(edition: Edition) -> list[Slot]:
    slots = [Slot(SHEET_TEXT, HEADER_ROW, col, text) for col, text in enumerate(("部分", "项目", "内容"), start=1)]
    rows = _text_rows(edition)
    start = HEADER_ROW + 1
    for index, (part, item, path, kind) in enumerate(rows):
        row = start + index
        if index == 0 or rows[index - 1][0] != part:
            span = sum(1 for r in rows if r[0] == part)
            slots.append(Slot(SHEET_TEXT, row, 1, part, rowspan=span, colspan=1 if item or span > 1 else 2))
        if item:
            slots.append(Slot(SHEET_TEXT, row, 2, item))
        slots.append(Slot(SHEET_TEXT, row, 3, path=path, kind=kind))
    return slots


def _table_slots(grid: Grid, edition: Edition) -> list[Slot]:
    table = layout.table(edition, grid.key)
    slots: list[Slot] = []
    number_at: dict[tuple[DataPath, str], tuple[int, int]] = {}
    for cell in grid.cells:
        if cell.key is not None:
            _table, row_path, column = cell.key
            number_at[(row_path, column)] = (GRID_TOP + cell.row, 1 + cell.col)
    for cell in grid.cells:
        row, col = GRID_TOP + cell.row, 1 + cell.col
        if cell.key is None:
            slots.append(Slot(grid.key, row, col, cell.text, rowspan=cell.rowspan, colspan=cell.colspan))
            continue
        key, row_path, column = cell.key
        kind = next(c.kind for c in table.row(row_path).columns if c.label == column)
        outcome_total = key == layout.TABLE3 and row_path == (layout.OUTCOMES, layout.OUTCOME_TOTAL)
        formula = None
        if kind is Kind.TOTAL:
            parts = [number_at[(row_path, c.label)] for c in table.row(row_path).columns if c.kind is not Kind.TOTAL]
            formula = _sum(parts)
        elif outcome_total:
            parts = [number_at[(path, column)] for path in _outcome_rows(edition)]
            formula = _sum(parts)
        slots.append(
            Slot(
                grid.key,
                row,
                col,
                path=(key, *row_path, column),
                kind=kind,
                colspan=cell.colspan,
                formula=formula,
                total=formula is not None,
            )
        )
    return slots


def _outcome_rows(edition: Edition) -> list[DataPath]:
    return [
        path
        for path, _ in layout.table(edition, layout.TABLE3).rows()
        if path[0] == layout.OUTCOMES and path[-1] != layout.OUTCOME_TOTAL
    ]


def _sum(cells: list[tuple[int, int]]) -> str:
    """Return ``=SUM(first:last)`` over cells that lie in one row or one column, in order."""
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    first, last = min(cells), max(cells)
    contiguous = (len(rows) == 1 and max(cols) - min(cols) + 1 == len(cells)) or (
        len(cols) == 1 and max(rows) - min(rows) + 1 == len(cells)
    )
    assert contiguous, cells
    return f"=SUM({get_column_letter(first[1])}{first[0]}:{get_column_letter(last[1])}{last[0]})"


@cache
def slots(edition: Edition) -> tuple[Slot, ...]:
    """Return every label and value cell of the workbook of ``edition``, sheet by sheet."""
    result = _meta_slots(edition)
    for grid in grids(edition):
        result += _table_slots(grid, edition)
    result += _text_slots(edition)
    return tuple(result)


def value_slots(edition: Edition) -> tuple[Slot, ...]:
    return tuple(s for s in slots(edition) if s.path is not None)


def table_title(key: str) -> str:
    return next(t.title for t in layout.tables(Edition.E2021) if t.key == key)


def decimal_text(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    return format(value, "f") if isinstance(exponent, int) and exponent < 0 else str(value)


def shortest_decimal(number: float) -> Decimal:
    """Return the shortest decimal that reads back as the float ``number`` (DECISIONS §12)."""
    if number.is_integer() and abs(number) < 2**53:
        return Decimal(int(number))
    return Decimal(repr(number))


class Unwritable(Exception):
    """Raised when a value cannot be put in a workbook cell; ``path`` says which."""

    def __init__(self, path: DataPath, why: str) -> None:
        super().__init__(why)
        self.path = path
        self.why = why
