"""Write the fill-in workbook from a data file's values, reproducibly (the same values give the same bytes)."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from gaigen.core.errors import ContentError
from gaigen.files.source import parse_text
from gaigen.files.workbook.layout import (
    SHEET_GUIDE,
    SHEETS,
    DataPath,
    Slot,
    Unwritable,
    _outcome_rows,
    decimal_text,
    shortest_decimal,
    slots,
)
from gaigen.files.workbook.style import (
    _finish_sheet,
    _reproducible,
    _style_label,
    _style_value,
    _validation,
    _validation_rule,
    _write_guide,
    put,
)
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Leaf
from gaigen.spec.layout import Edition, Kind

# Column widths (Excel character units) per sheet, in grid order.


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
            put(cell, slot.label, ())
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
    if table == layout.TABLE3 and row == (layout.OUTCOMES, layout.OUTCOME_TOTAL):
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
    given = _dig(data, (layout.TABLE3, layout.OUTCOMES, layout.OUTCOME_TOTAL, column))
    if given is not None:
        return given
    cells = [_dig(data, (layout.TABLE3, *path, column)) for path in _outcome_rows(edition)]
    return sum(cells) if all(_is_number(c) for c in cells) else None


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
        put(cell, "\n".join(_text(item) for item in items), slot.path)
        return
    if kind in (Kind.MONEY, Leaf.YUAN) and isinstance(value, (int, Decimal)):
        _put_money(cell, slot.path, Decimal(value))
        return
    if kind in (Kind.COUNT, Kind.TOTAL, Kind.SIGNED, Leaf.YEAR) and isinstance(value, Decimal):
        put(cell, decimal_text(value), slot.path)  # 12.0 stays refused: Excel has no 12.0 apart from 12
        return
    if kind is Leaf.DATE and isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
        cell.number_format = "yyyy-mm-dd"
        return
    if isinstance(value, (int, str)):
        put(cell, value, slot.path)
        return
    put(cell, _text(value), slot.path)


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _put_money(cell: Cell, path: DataPath, value: Decimal) -> None:
    if not value.is_finite():
        put(cell, str(value), path)
        return
    number = float(value)
    if not math.isfinite(number) or shortest_decimal(number) != value:
        raise Unwritable(path, f"金额 {decimal_text(value)} 的有效数字超过 15 位，Excel 不能精确保存")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    places = max(0, -exponent)
    if places > 30:
        raise Unwritable(path, f"金额 {decimal_text(value)} 的小数位数超过 Excel 能显示的 30 位")
    cell.value = int(value) if value == value.to_integral_value() and places == 0 else number
    if places:
        cell.number_format = "0." + "0" * places  # shows, and gives back, the places as written


def starter_workbook(starter_text: str) -> bytes:
    """Return the workbook of a new data file (``gaigen init --xlsx``) from ``init``'s YAML text."""
    document = parse_text(starter_text, "init")
    data = document.data
    assert isinstance(data, dict)
    year = data.get(datafile.YEAR)
    edition = Edition.for_year(year) if isinstance(year, int) else Edition.E2021
    return workbook_bytes(data, edition)
