"""The Excel fill-in workbook: written from a data file's values, read back into the same values.

Clerks keep their figures in Excel or WPS. ``gaigen init --xlsx`` and ``gaigen convert`` write a
workbook whose sheets 表二、表三、表四 are the official tables cell for cell (``gaigen.spec.grid``: the
same labels, the same merged cells), with 基本信息 and 文字部分 on their own sheets and the
instructions on 填写说明. Labels are locked (sheet protection without a password), each input cell
is unlocked and limited by data validation (counts: whole numbers ≥ 0; 2019 本年增/减: whole
numbers; money: decimals ≥ 0), and every 总计 is a formula.

``read_workbook`` turns such a workbook back into the values a YAML data file gives, with a
position per value that names the sheet and cell (``表三!D12``), so ``validate``, ``render`` and
``batch`` treat it like YAML. Every label is compared with the layout first: a moved, inserted or
deleted row, a renamed label or a missing sheet stops the reading with a message naming the cell,
never a number read from the wrong place. openpyxl computes no formula (DECISIONS §12): a formula
cell is read by the value the file has cached; a 总计 without one is read as empty, so gaigen
computes it from the data cells. Money comes back as the shortest decimal of the stored number, with as many
decimal places as the cell's number format shows (``12.50`` stays ``12.50``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from gaigen.core.document import Document, Path_, Position
from gaigen.core.errors import ContentError, InputError
from gaigen.core.keys import normalize
from gaigen.files.source import parse_text
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

# --- Layout: every cell gaigen writes and reads, per edition ------------------------------------


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
        outcome_total = key == "表三" and row_path == (layout.OUTCOMES, layout.OUTCOME_TOTAL)
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
        for path, _ in layout.table(edition, "表三").rows()
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


# --- Writing ------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_FONT = "宋体"
_BODY = Font(name=_FONT, size=11)
_BOLD = Font(name=_FONT, size=11, bold=True)
_TITLE = Font(name=_FONT, size=14, bold=True)
_HINT = Font(name=_FONT, size=10, color="595959")
_UNLOCKED = Protection(locked=False)

# Column widths (Excel character units) per sheet, in grid order.
_WIDTHS = {
    SHEET_GUIDE: (110,),
    SHEET_META: (14, 60, 56),
    "表二": (26, 16, 16, 16),
    "表三": (7, 13, 40, *(9,) * 7),
    "表四": (9,) * 15,
    SHEET_TEXT: (22, 34, 90),
}
_LANDSCAPE = {"表四", SHEET_TEXT}
_TEXT_ROW_HEIGHT = 66  # points: an empty text cell still shows four lines to write in
_MAX_ROW_HEIGHT = 409  # points: Excel's limit; longer text scrolls inside the cell

_HINTS = {
    "表二": "白色格子填写数字，没有的填 0；灰色为标签，不能修改。",
    "表三": "白色格子填写数字，没有的填 0；蓝色“总计”由公式计算，不用填写。灰色为标签，不能修改。",
    "表四": "白色格子填写数字，没有的填 0；蓝色“总计”由公式计算，不用填写。灰色为标签，不能修改。",
    SHEET_META: "机关名称、年度、级别必须填写；灰色为标签，不能修改。",
    SHEET_TEXT: "每段文字之间换行（Excel、WPS 中按 Alt+Enter）；把【待填写】提示替换为实际内容。",
}


class Unwritable(Exception):
    """Raised when a value cannot be put in a workbook cell; ``path`` says which."""

    def __init__(self, path: DataPath, why: str) -> None:
        super().__init__(why)
        self.path = path
        self.why = why


def guide_lines(edition: Edition, data: dict[str, Any]) -> list[str]:
    """Return the lines of the 填写说明 sheet."""
    year = data.get(datafile.YEAR)
    agency = data.get(datafile.AGENCY)
    about = f"{year}年{agency}" if isinstance(year, int) and isinstance(agency, str) else ""
    return [
        f"{about}政府信息公开工作年度报告 数据工作簿",
        f"版式：{edition.value} 版（{edition.notice}），适用于{edition.years_text}报告。",
        "",
        "一、填写顺序",
        "1. “基本信息”：机关名称、年度、级别（必填），发布日期、网站、联系方式（可选）。",
        "2. “表二”“表三”“表四”：与官方表格相同的三张统计表。白色格子填写数字，没有发生的事项填 0，不要留空。",
        "3. “文字部分”：一、总体情况的五个方面，五、存在的主要问题及改进情况，六、其他需要报告的事项。",
        "",
        "二、数字",
        "1. 数量只能填不小于 0 的整数（2019 版表二“本年增/减”可以是负数）；金额（万元）可以有小数，按填写的数字原样打印。",
        "2. 蓝色的“总计”格是公式，自动计算，不用填写；gaigen 会按各格数字重新核算。",
        "3. 表中每一格都要填写：空格会被指出（T0-1），不会当作 0。",
        "",
        "三、不要改变表格结构",
        "1. 灰色格子是标签，已保护（工作表保护没有密码）。请不要插入、删除或移动行列，也不要修改工作表名称。",
        "2. gaigen 按固定位置读取数字；发现结构被改动时会指出是哪一格，而不会读错。",
        "3. 多段文字：在一个格子里每段之间换行（Excel、WPS 按 Alt+Enter）。",
        "",
        "四、核对和生成报告",
        "1. 填完后保存，运行：gaigen validate 本文件.xlsx —— 逐条指出哪个工作表哪一格（如 表三!D12）有什么问题。",
        "2. 没有错误后运行：gaigen render 本文件.xlsx —— 生成 Word 和纯文本报告（--format html 另生成网页）。",
        "3. 也可以转为 YAML 数据文件：gaigen convert 本文件.xlsx -o 数据.yaml（以及反向转换）。",
    ]


def workbook_bytes(data: dict[str, Any], edition: Edition, name_of: Callable[[DataPath], str] | None = None) -> bytes:
    """Return the .xlsx of the data file values ``data`` (keys under the official labels).

    The same values always give the same bytes. Raise ``ContentError`` when a value cannot be
    kept in a cell (a control character, more than 32,767 characters, money Excel cannot hold
    exactly); ``name_of`` names a data path in the message (the source file and line).
    """
    try:
        book = _build(data, edition)
    except Unwritable as error:
        where = name_of(error.path) if name_of is not None else ""
        raise ContentError(f"{where}{error.why}，无法写入 Excel 工作簿。请修改后再转换。") from None
    stream = io.BytesIO()
    book.save(stream)
    return _reproducible(stream.getvalue())


def _build(data: dict[str, Any], edition: Edition) -> Workbook:
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    sheets = {name: book.create_sheet(name) for name in SHEETS}
    _write_guide(sheets[SHEET_GUIDE], guide_lines(edition, data))
    validations: dict[tuple[str, str], list[str]] = {}
    for slot in slots(edition):
        sheet = sheets[slot.sheet]
        if slot.rowspan > 1 or slot.colspan > 1:
            last_row, last_col = slot.last
            sheet.merge_cells(start_row=slot.row, start_column=slot.col, end_row=last_row, end_column=last_col)
        cell = sheet.cell(slot.row, slot.col)
        if slot.label is not None:
            _put(cell, slot.label, ())
            _style_label(sheet, slot)
            continue
        assert slot.path is not None and slot.kind is not None
        value = _dig(data, slot.path)
        if slot.total and _formula_holds(data, slot, value, edition):
            assert slot.formula is not None
            cell.value = slot.formula
        else:
            _put_value(cell, slot, value)
        _style_value(sheet, slot)
        rule = _validation_rule(slot)
        if rule is not None and not slot.total and not slot.locked:
            validations.setdefault((slot.sheet, rule), []).append(slot.coordinate)
    for (sheet_name, rule), cells in validations.items():
        sheets[sheet_name].add_data_validation(_validation(rule, cells))
    for name in SHEETS[1:]:
        _finish_sheet(sheets[name], name, edition)
    book.active = 0
    book.properties.creator = "gaigen"
    book.properties.lastModifiedBy = "gaigen"
    book.properties.title = f"政府信息公开工作年度报告数据（{edition.value} 版式）"
    return book


def _dig(data: Any, path: DataPath) -> Any:
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _formula_holds(data: dict[str, Any], slot: Slot, given: Any, edition: Edition) -> bool:
    """Return whether the 总计 formula keeps what the data says: no total given, or the right one.

    A given total that differs from the sum of its cells is written as a plain number, so the
    workbook reports the same error the data file does.
    """
    if given is None:
        return True
    assert slot.path is not None
    table, *rest = slot.path
    row, column = tuple(rest[:-1]), rest[-1]
    columns = [c.label for c in layout.table(edition, table).row(row).columns if c.kind is not Kind.TOTAL]
    if table == "表三" and row == (layout.OUTCOMES, layout.OUTCOME_TOTAL):
        if column == layout.TOTAL:
            cells = [_outcome_total(data, c, edition) for c in columns]
        else:
            cells = [_dig(data, (table, *path, column)) for path in _outcome_rows(edition)]
    else:
        cells = [_dig(data, (table, *row, c)) for c in columns]
    return _is_number(given) and all(_is_number(c) for c in cells) and sum(cells) == given


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _outcome_total(data: dict[str, Any], column: str, edition: Edition) -> Any:
    """Return 表三（七）总计 of ``column`` as the workbook shows it: given, else the formula's sum."""
    given = _dig(data, ("表三", layout.OUTCOMES, layout.OUTCOME_TOTAL, column))
    if given is not None:
        return given
    cells = [_dig(data, ("表三", *path, column)) for path in _outcome_rows(edition)]
    return sum(cells) if all(_is_number(c) for c in cells) else None


def _put(cell: Cell | MergedCell, value: Any, path: DataPath) -> None:
    """Write ``value`` as it is; text is always text (``=…`` never becomes a formula)."""
    try:
        cell.value = value
    except IllegalCharacterError:
        bad = next(ch for ch in str(value) if ord(ch) < 32 and ch not in "\t\n\r")
        raise Unwritable(path, f"含有 Excel 不能保存的控制字符（U+{ord(bad):04X}）") from None
    if isinstance(value, str):
        cell.data_type = "s"
        if len(value) > MAX_CELL_TEXT:
            raise Unwritable(path, f"文字有 {len(value)} 个字符，超过 Excel 一个格子的上限 {MAX_CELL_TEXT}")


def _put_value(cell: Cell, slot: Slot, value: Any) -> None:
    """Write a data value in its cell, keeping every value a data file can hold."""
    assert slot.path is not None
    kind = slot.kind
    if value is None:
        return
    if isinstance(value, (dict, list)) and not (kind is Leaf.TEXT and isinstance(value, list)):
        raise Unwritable(slot.path, "这里应是一个值，文件中却是一组数据")
    if isinstance(value, bool):
        cell.value = value  # TRUE/FALSE: refused again as it was, with the same message
        return
    if kind is Leaf.TEXT:
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, (dict, list)) for item in items):
            raise Unwritable(slot.path, "这里应是文字段落，文件中却是一组数据")
        _put(cell, "\n".join(_text(item) for item in items), slot.path)
        return
    if kind in (Kind.MONEY, Leaf.YUAN) and isinstance(value, (int, Decimal)):
        _put_money(cell, slot.path, Decimal(value))
        return
    if kind in (Kind.COUNT, Kind.TOTAL, Kind.SIGNED, Leaf.YEAR) and isinstance(value, Decimal):
        _put(cell, _decimal_text(value), slot.path)  # 12.0 stays refused: Excel has no 12.0 apart from 12
        return
    if kind is Leaf.DATE and isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
        cell.number_format = "yyyy-mm-dd"
        return
    if isinstance(value, (int, str)):
        _put(cell, value, slot.path)
        return
    _put(cell, _text(value), slot.path)


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _decimal_text(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    return format(value, "f") if isinstance(exponent, int) and exponent < 0 else str(value)


def _put_money(cell: Cell, path: DataPath, value: Decimal) -> None:
    if not value.is_finite():
        _put(cell, str(value), path)
        return
    number = float(value)
    if not math.isfinite(number) or _shortest(number) != value:
        raise Unwritable(path, f"金额 {_decimal_text(value)} 的有效数字超过 15 位，Excel 不能精确保存")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    if places > 30:
        raise Unwritable(path, f"金额 {_decimal_text(value)} 的小数位数超过 Excel 能显示的 30 位")
    cell.value = int(value) if value == value.to_integral_value() and places == 0 else number
    if places:
        cell.number_format = "0." + "0" * places  # shows, and gives back, the places as written


def _style_label(sheet: Worksheet, slot: Slot) -> None:
    heading = slot.row == HEADER_ROW and slot.sheet in (SHEET_META, SHEET_TEXT)
    row_header = slot.sheet == "表三" and slot.row >= GRID_TOP + 3 and slot.rowspan == 1  # as in the official table
    centered = slot.sheet in TABLE_SHEETS and not row_header
    alignment = Alignment(horizontal="center" if centered or heading else "left", vertical="center", wrap_text=True)
    _box(sheet, slot, alignment, _BOLD if heading or slot.sheet in (SHEET_META, SHEET_TEXT) else _BODY, _LABEL_FILL)


def _style_value(sheet: Worksheet, slot: Slot) -> None:
    text = slot.kind in (Leaf.TEXT, Leaf.NAME)
    alignment = Alignment(
        horizontal="left" if text or slot.sheet == SHEET_META else "center",
        vertical="top" if slot.kind is Leaf.TEXT else "center",
        wrap_text=True,
    )
    fill = _TOTAL_FILL if slot.total else _LOCKED_FILL if slot.locked else None
    _box(sheet, slot, alignment, _BODY, fill)
    if not slot.total and not slot.locked:
        sheet.cell(slot.row, slot.col).protection = _UNLOCKED


def _box(sheet: Worksheet, slot: Slot, alignment: Alignment, font: Font, fill: PatternFill | None) -> None:
    last_row, last_col = slot.last
    for row in range(slot.row, last_row + 1):
        for col in range(slot.col, last_col + 1):
            cell = sheet.cell(row, col)
            cell.border = _BORDER  # every cell of a merged range, or Excel leaves gaps in its border
            if row == slot.row and col == slot.col:
                cell.alignment = alignment
                cell.font = font
                if fill is not None:
                    cell.fill = fill


def _validation_rule(slot: Slot) -> str | None:
    kind = slot.kind
    if kind in (Kind.COUNT, Kind.TOTAL):
        return "count"
    if kind is Kind.SIGNED:
        return "signed"
    if kind in (Kind.MONEY, Leaf.YUAN):
        return "money"
    if kind is Leaf.YEAR:
        return "year"
    if kind is Leaf.LEVEL:
        return "level"
    return None


def _validation(rule: str, cells: list[str]) -> DataValidation:
    settings: dict[str, Any] = {
        "count": {
            "type": "whole",
            "operator": "greaterThanOrEqual",
            "formula1": "0",
            "error": "这里只能填写不小于 0 的整数，没有发生的事项填 0。",
        },
        "signed": {
            "type": "whole",
            "operator": "between",
            "formula1": "-999999999",
            "formula2": "999999999",
            "error": "这里只能填写整数（减少时填负数）。",
        },
        "money": {
            "type": "decimal",
            "operator": "greaterThanOrEqual",
            "formula1": "0",
            "error": "这里只能填写不小于 0 的金额数字。",
        },
        "year": {
            "type": "whole",
            "operator": "between",
            "formula1": str(layout.FIRST_YEAR),
            "formula2": "2100",
            "error": "请填写四位数的年度，如 2024。",
        },
        "level": {"type": "list", "formula1": '"部门,政府"', "error": "级别只能是“部门”或“政府”。"},
    }[rule]
    validation = DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="输入有误",
        **settings,
    )
    for cell in cells:
        validation.add(cell)
    return validation


def _write_guide(sheet: Worksheet, lines: list[str]) -> None:
    sheet.column_dimensions["A"].width = _WIDTHS[SHEET_GUIDE][0]
    for row, line in enumerate(lines, start=1):
        cell = sheet.cell(row, 1)
        _put(cell, line, ())
        cell.font = _TITLE if row == 1 else _BOLD if re.match("[一二三四五]、", line) else _BODY
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.row_dimensions[row].height = 24 if row == 1 else max(16, 16 * _lines(line, _WIDTHS[SHEET_GUIDE][0]))
    sheet.protection.sheet = True
    sheet.print_area = f"A1:A{len(lines)}"
    _page(sheet, landscape=False, centered=False)


def _finish_sheet(sheet: Worksheet, name: str, edition: Edition) -> None:
    widths = _WIDTHS[name]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    title = table_title(name) if name in TABLE_SHEETS else name
    sheet["A1"] = title
    sheet["A1"].font = _TITLE
    sheet.row_dimensions[1].height = 24
    sheet["A2"] = _HINTS[name]
    sheet["A2"].font = _HINT
    _row_heights(sheet, name, edition)
    if name == SHEET_META:
        for offset, (_label, help_text) in enumerate(_META_ROWS):
            cell = sheet.cell(HEADER_ROW + 1 + offset, 3)
            _put(cell, help_text, ())
            cell.font = _HINT
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = _BORDER
    grid_rows = {s.row for s in slots(edition) if s.sheet == name}
    last_row = max(grid_rows) if grid_rows else 2
    sheet.print_area = f"A1:{get_column_letter(len(widths))}{last_row}"
    if name in TABLE_SHEETS:
        header = next(g for g in grids(edition) if g.key == name).header_rows
        if header:
            sheet.print_title_rows = f"{GRID_TOP}:{GRID_TOP + header - 1}"
        if name == "表三":
            sheet.freeze_panes = f"D{GRID_TOP + header}"
    # No password: a clerk may lift the protection, but the labels are not changed by accident.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _page(sheet, landscape=name in _LANDSCAPE)


def _page(sheet: Worksheet, landscape: bool, centered: bool = True) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    properties = sheet.sheet_properties
    if properties.pageSetUpPr is None:
        properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = centered
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def _lines(text: str, width: float) -> int:
    """Return how many lines ``text`` takes in a cell ``width`` character units wide."""
    shown = wcswidth(text)
    shown = shown if shown >= 0 else len(text) * 2
    return max(1, math.ceil(shown * 1.1 / max(width - 1, 1)))


def _row_heights(sheet: Worksheet, name: str, edition: Edition) -> None:
    """Set row heights from the text each row holds: Excel does not grow a row for wrapped text it opened."""
    widths = _WIDTHS[name]
    heights: dict[int, float] = {}
    for slot in slots(edition):
        if slot.sheet != name or slot.rowspan > 1:
            continue
        width = sum(widths[slot.col - 1 : slot.col - 1 + slot.colspan])
        value = sheet.cell(slot.row, slot.col).value
        text = slot.label if slot.label is not None else value if isinstance(value, str) else ""
        lines = sum(_lines(line, width) for line in text.splitlines()) if text else 1
        height: float = 15 * lines + 5
        if slot.kind is Leaf.TEXT:
            height = max(_TEXT_ROW_HEIGHT, height)
        heights[slot.row] = max(heights.get(slot.row, 0), min(_MAX_ROW_HEIGHT, height))
    for row, height in heights.items():
        sheet.row_dimensions[row].height = max(height, 20)


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(blob: bytes) -> bytes:
    """Return the .xlsx ``blob`` with fixed timestamps: the same data gives the same bytes."""
    from gaigen.files.ooxml import write_package

    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    fixed = FIXED_TIMESTAMP.encode()
    entries = [
        (
            name,
            _CORE_DATES.sub(lambda m: m.group(1) + fixed + m.group(3), data) if name == "docProps/core.xml" else data,
        )
        for name, data in entries
    ]
    first = ("[Content_Types].xml", "_rels/.rels")  # where readers look first, as Excel writes them
    entries.sort(key=lambda entry: first.index(entry[0]) if entry[0] in first else len(first))
    return write_package(entries)


def starter_workbook(starter_text: str) -> bytes:
    """Return the workbook of a new data file (``gaigen init --xlsx``) from ``init``'s YAML text."""
    document = parse_text(starter_text, "init")
    data = document.data
    assert isinstance(data, dict)
    year = data.get(datafile.YEAR)
    edition = Edition.for_year(year) if isinstance(year, int) else Edition.E2021
    return workbook_bytes(data, edition)


# --- Reading ------------------------------------------------------------------------------------

_OTHER_FORMATS = {
    ".xls": "Excel 97-2003 工作簿（.xls）",
    ".et": "WPS 表格文件（.et）",
    ".ods": "OpenDocument 电子表格（.ods）",
}
_PLACES = re.compile(r"0\.(0+)")


def read_workbook(path: Path, shown: str) -> Document:
    """Return the data of the gaigen workbook at ``path``, each value placed at its sheet and cell.

    Raise ``InputError`` when the file is not a readable .xlsx, or its layout was changed.
    """
    suffix = path.suffix.lower()
    if suffix in _OTHER_FORMATS:
        raise InputError(
            f"{shown}：这是{_OTHER_FORMATS[suffix]}，gaigen 只读取 .xlsx 工作簿。"
            "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再试。"
        )
    book = _load(path, shown)
    edition = _check_layout(book, shown)
    _check_year(book, edition, shown)
    document = Document(path=path, name=shown, data=None)
    document.data = _read_values(book, edition, document)
    return document


@dataclass(frozen=True)
class _Cell:
    value: Any
    data_type: str
    number_format: str


class _Book:
    """The cells of a workbook that gaigen reads, as written (formulas) and as last computed."""

    def __init__(self, sheetnames: list[str]) -> None:
        self.sheetnames = sheetnames
        self.written: dict[str, dict[tuple[int, int], _Cell]] = {}
        self.cached: dict[str, dict[tuple[int, int], _Cell]] = {}

    def value(self, sheet: str, row: int, col: int) -> Any:
        cell = self.written[sheet].get((row, col))
        return cell.value if cell is not None else None

    def cells(self, sheet: str, row: int, col: int) -> tuple[_Cell, _Cell]:
        empty = _Cell(None, "n", "General")
        return self.written[sheet].get((row, col), empty), self.cached[sheet].get((row, col), empty)


def _load(path: Path, shown: str) -> _Book:
    try:
        if path.is_dir():
            raise InputError(f"{shown}：这是一个文件夹，不是数据文件。请给出 .yaml、.json 或 .xlsx 文件。")
        if not path.exists():
            raise InputError(f"{shown}：找不到这个文件。请检查文件名和所在文件夹。")
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{shown}：无法读取文件（{error.strerror or error}）。") from error
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"{shown}：文件超过 {MAX_BYTES // (1024 * 1024)} MB，不像是 gaigen 生成的工作簿。请检查是否选错了文件。"
        )
    not_xlsx = InputError(
        f"{shown}：不是有效的 .xlsx 工作簿（文件损坏，或只是改了扩展名）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise InputError(f"{shown}：工作簿解压后过大，不像是 gaigen 生成的工作簿。")
    except zipfile.BadZipFile:
        raise not_xlsx from None
    try:
        with warnings.catch_warnings():
            # Workbooks saved by Excel or WPS carry extensions openpyxl warns about and drops.
            warnings.simplefilter("ignore")
            return _read_cells(raw)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise not_xlsx from error


_READ_ROWS = 40  # every sheet gaigen reads ends above this row and left of column P
_READ_COLS = 16


def _read_cells(raw: bytes) -> _Book:
    """Return the cells gaigen reads, loaded twice (formulas, cached values) in read-only mode.

    Read-only mode skips styles and merged ranges, which makes loading about eight times faster.
    """
    book: _Book | None = None
    for data_only in (False, True):
        loaded = load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
        try:
            if book is None:
                book = _Book(list(loaded.sheetnames))
            target = book.cached if data_only else book.written
            for name in SHEETS[1:]:
                if name not in loaded.sheetnames:
                    continue
                sheet = loaded[name]
                sheet.reset_dimensions()  # the stored dimension may be wrong: read what is there
                cells: dict[tuple[int, int], _Cell] = {}
                for row in sheet.iter_rows(min_row=1, max_row=_READ_ROWS, max_col=_READ_COLS):
                    for cell in row:
                        where = (getattr(cell, "row", None), getattr(cell, "column", None))
                        if getattr(cell, "value", None) is not None and None not in where:
                            cells[(int(where[0] or 0), int(where[1] or 0))] = _Cell(
                                cell.value, cell.data_type, cell.number_format
                            )
                target[name] = cells
        finally:
            loaded.close()
    assert book is not None
    return book


def _label_text(value: Any) -> str:
    if value is None:
        return ""
    return normalize(str(value))


def _mismatches(book: _Book, edition: Edition) -> Iterator[tuple[Slot, Any]]:
    for slot in slots(edition):
        if slot.label is None:
            continue
        found = book.value(slot.sheet, slot.row, slot.col)
        if _label_text(found) != normalize(slot.label):
            yield slot, found


def _check_layout(book: _Book, shown: str) -> Edition:
    """Return the edition whose layout the workbook has; raise ``InputError`` naming a changed cell."""
    missing = [name for name in SHEETS[1:] if name not in book.sheetnames]
    if missing:
        raise InputError(
            f"{shown}：工作簿中没有“{'”“'.join(missing)}”工作表（被删除或改名了）。gaigen 按工作表名称和位置读取数据，"
            "为免读错，没有读取这个工作簿。请恢复原来的工作表名称，或用 gaigen init --xlsx 生成新的工作簿后把数据复制过去。"
        )
    found = {edition: list(_mismatches(book, edition)) for edition in Edition}
    candidates: list[Edition] = [_stated_edition(book), *Edition]
    for edition in candidates:
        if not found[edition]:
            return edition
    edition = min(Edition, key=lambda e: (len(found[e]), e is not _stated_edition(book)))
    slot, value = found[edition][0]
    shown_value = f"“{value}”" if value not in (None, "") else "空白"
    raise InputError(
        f"{shown} {slot.ref}：表格结构被改动，这一格应为“{slot.label}”，现为{shown_value}{_guess(book, slot, value, edition)}。"
        "gaigen 按固定位置读取数字，为免读错，没有读取这个工作簿。"
        "请撤销对行列和标签的改动（不要插入、删除或移动行列，不要修改标签），"
        "或用 gaigen init --xlsx 生成新的工作簿后把数字复制过去。"
    )


def _stated_edition(book: _Book) -> Edition:
    for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(_META_ROWS)):
        if _label_text(book.value(SHEET_META, row, 1)) == datafile.EDITION:
            value = str(book.value(SHEET_META, row, 2) or "").strip()
            if value in (e.value for e in Edition):
                return Edition(value)
    return Edition.E2021


def _guess(book: _Book, slot: Slot, value: Any, edition: Edition) -> str:
    """Return a hint of what happened: rows inserted, deleted or moved, a label cleared or renamed."""
    expected = normalize(slot.label or "")
    now_at = [
        row
        for (row, col), cell in book.written[slot.sheet].items()
        if col == slot.col and _label_text(cell.value) == expected
    ]
    if now_at:
        return "（看来上面插入了行）" if min(now_at) > slot.row else "（看来上面删除了行）"
    text = _label_text(value)
    if not text:
        return "（这一格被清空，或删除了行列）"
    for other in slots(edition):
        if other.sheet == slot.sheet and other.label is not None and normalize(other.label) == text:
            if other.col == slot.col and other.row > slot.row:
                return "（看来删除了行）"
            return "（看来行列的位置被移动）"
    return "（标签被修改）"


def _check_year(book: _Book, edition: Edition, shown: str) -> None:
    """Raise ``InputError`` when 年度 asks for the other edition than the workbook's tables have."""
    year_slot = next(s for s in slots(edition) if s.path == (datafile.YEAR,))
    year = book.value(SHEET_META, year_slot.row, year_slot.col)
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or not layout.FIRST_YEAR <= year <= 2100:
        return  # the model says what is wrong with it
    right = Edition.for_year(year)
    if right is not edition:
        raise InputError(
            f"{shown} {year_slot.ref}：“年度”为 {year}，应使用 {right.value} 版式（{right.notice}），"
            f"而这个工作簿的表格是 {edition.value} 版式的，两版的表格行列不同。"
            f"请用 gaigen init --year {year} --xlsx 生成 {right.value} 版式的工作簿后把数据复制过去，或把年度改回。"
        )


def _read_values(book: _Book, edition: Edition, document: Document) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for slot in value_slots(edition):
        assert slot.path is not None
        formula_cell, value_cell = book.cells(slot.sheet, slot.row, slot.col)
        position = Position(slot.row, slot.col, slot.ref)
        _place_parents(document, slot, edition)
        document.value_at[slot.path] = position
        document.key_at[slot.path] = position
        _set(data, slot.path, _cell_value(slot, formula_cell, value_cell))
    return _ordered(data, edition)


def _place_parents(document: Document, slot: Slot, edition: Edition) -> None:
    """Give each enclosing key (a table, a row, a part) the position of its label or first cell."""
    assert slot.path is not None
    for end in range(1, len(slot.path)):
        parent: Path_ = slot.path[:end]
        if parent in document.value_at:
            continue
        label = _label_slot(parent, edition)
        target = label if label is not None else slot
        position = Position(target.row, target.col, target.ref)
        if end == 1 and parent[0] in TABLE_SHEETS:
            position = Position(1, 1, f"{parent[0]}!A1")
        document.value_at[parent] = position
        document.key_at[parent] = position


def _label_slot(path: Path_, edition: Edition) -> Slot | None:
    """Return the label cell of a table row or of a group (``（三）不予公开``), if it has one."""
    if path[0] not in TABLE_SHEETS or len(path) < 2:
        return None
    grid = next(g for g in grids(edition) if g.key == path[0])
    if path[0] == "表二":
        candidates = [c for c in grid.cells if c.text == path[-1] and c.col == 0]
    else:
        depth = len(path) - 2  # 表三: 一、 at col 0, （三） at col 1, 1. at col 2
        candidates = [c for c in grid.cells if c.text == path[-1] and c.col == depth]
    if not candidates:
        return None
    cell = candidates[0]
    return Slot(path[0], GRID_TOP + cell.row, 1 + cell.col, cell.text)


def _set(data: dict[str, Any], path: DataPath, value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


def _ordered(data: dict[str, Any], edition: Edition) -> dict[str, Any]:
    """Return ``data`` with keys in the order of the data file (as ``gaigen init`` writes them)."""

    def walk(values: dict[str, Any], section: datafile.Section) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for entry in section.children:
            if entry.label not in values:
                continue
            value = values[entry.label]
            out[entry.label] = (
                walk(value, entry) if isinstance(entry, datafile.Section) and isinstance(value, dict) else value
            )
        return out

    return walk(data, datafile.tree(edition))


def _cell_value(slot: Slot, formula_cell: _Cell, value_cell: _Cell) -> Any:
    """Return the value of a cell as a data file would hold it.

    An empty cell gives None: missing data (T0-1), or for a 总计 a total gaigen computes. A total
    is kept as None rather than left out, so that a message about it names its cell.
    """
    written = formula_cell.value
    cached = value_cell.value
    is_formula = isinstance(written, str) and written.startswith("=") and formula_cell.data_type == "f"
    if not is_formula and not isinstance(written, (str, int, float, bool, dt.datetime, dt.date, dt.time, type(None))):
        is_formula = True  # an array or data-table formula
    if is_formula:
        if cached is None or cached == "":
            if slot.total:
                return None  # no cached value: gaigen computes the total
            return str(written) if isinstance(written, str) else "公式"
        raw = cached
    else:
        raw = written
    return _convert(raw, slot.kind, value_cell.number_format)


def _convert(raw: Any, kind: ValueKind | None, number_format: str) -> Any:
    """Return a cell's value as the data file would give it, by the kind of value the cell holds."""
    if raw is None:
        return None
    if isinstance(raw, str):
        if not raw.strip():
            return None
        return raw if kind is Leaf.TEXT else raw.strip()
    if isinstance(raw, dt.datetime):
        day = raw.date() if raw.time() == dt.time(0) else None
        if kind is Leaf.DATE and day is not None:
            return day
        return day.isoformat() if day is not None else raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw if kind is Leaf.DATE and isinstance(raw, dt.date) else raw.isoformat()
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        number = _number(raw)
        if kind in (Kind.MONEY, Leaf.YUAN):
            return _with_places(number, number_format)
        if kind in (Leaf.TEXT, Leaf.NAME, Leaf.LEVEL):
            return _decimal_text(number) if isinstance(number, Decimal) else str(number)
        return number
    return str(raw)


def _number(raw: int | float) -> int | Decimal:
    """Return a stored number as a data file writes it: whole numbers as int, else its shortest decimal."""
    if isinstance(raw, int):
        return raw
    if raw.is_integer() and abs(raw) < 2**53:
        return int(raw)
    return _shortest(raw)


def _shortest(number: float) -> Decimal:
    """Return the shortest decimal that reads back as the float ``number`` (DECISIONS §12)."""
    if number.is_integer() and abs(number) < 2**53:
        return Decimal(int(number))
    return Decimal(repr(number))


def _with_places(number: int | Decimal, number_format: str) -> int | Decimal:
    """Return money with the decimal places the cell's number format shows, when that adds only zeros."""
    found = _PLACES.search(number_format or "")
    if found is None:
        return number
    places = len(found.group(1))
    value = Decimal(number)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= places:
        return value.quantize(Decimal(1).scaleb(-places))
    return number
