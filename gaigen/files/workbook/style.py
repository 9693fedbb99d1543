"""How the workbook looks in Excel and WPS: borders, fills, fonts, widths, page setup, input checks."""

from __future__ import annotations

import io
import math
import re
import zipfile
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from gaigen.files.workbook.layout import (
    _META_ROWS,
    FIXED_TIMESTAMP,
    GRID_TOP,
    HEADER_ROW,
    MAX_CELL_TEXT,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_TEXT,
    TABLE_SHEETS,
    DataPath,
    Slot,
    Unwritable,
    slots,
    table_title,
)
from gaigen.spec import layout
from gaigen.spec.datafile import Leaf
from gaigen.spec.grid import grids
from gaigen.spec.layout import Edition, Kind

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
_WIDTHS = {
    SHEET_GUIDE: (110,),
    SHEET_META: (14, 60, 56),
    layout.TABLE2: (26, 16, 16, 16),
    layout.TABLE3: (7, 13, 40, *(9,) * 7),
    layout.TABLE4: (9,) * 15,
    SHEET_TEXT: (22, 34, 90),
}
_LANDSCAPE = {layout.TABLE4, SHEET_TEXT}
_TEXT_ROW_HEIGHT = 66  # points: an empty text cell still shows four lines to write in
_MAX_ROW_HEIGHT = 409  # points: Excel's limit; longer text scrolls inside the cell
_HINTS = {
    layout.TABLE2: "白色格子填写数字，没有的填 0；灰色为标签，不能修改。",
    layout.TABLE3: "白色格子填写数字，没有的填 0；蓝色“总计”由公式计算，不用填写。灰色为标签，不能修改。",
    layout.TABLE4: "白色格子填写数字，没有的填 0；蓝色“总计”由公式计算，不用填写。灰色为标签，不能修改。",
    SHEET_META: "机关名称、年度、级别必须填写；灰色为标签，不能修改。",
    SHEET_TEXT: "每段文字之间换行（Excel、WPS 中按 Alt+Enter）；把【待填写】提示替换为实际内容。",
}


def _style_label(sheet: Worksheet, slot: Slot) -> None:
    heading = slot.row == HEADER_ROW and slot.sheet in (SHEET_META, SHEET_TEXT)
    row_header = (
        slot.sheet == layout.TABLE3 and slot.row >= GRID_TOP + 3 and slot.rowspan == 1
    )  # as in the official table
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
        put(cell, line, ())
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
            put(cell, help_text, ())
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
        if name == layout.TABLE3:
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


def put(cell: Cell | MergedCell, value: Any, path: DataPath) -> None:
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
