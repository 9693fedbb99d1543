"""Read a fill-in workbook back into a data file's values, each with its sheet and cell for messages.

The workbook is unpacked with size limits before openpyxl sees it (zip bombs), only the cells gaigen
wrote are read, formulas are never computed: a 总计 formula's cached value is compared, not trusted
(DECISIONS §12). Money cells are read back as the shortest decimal of the stored number.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from gaigen.core.document import Document, Path_, Position
from gaigen.core.errors import InputError
from gaigen.core.keys import normalize
from gaigen.core.numbers import TooLong, bounded
from gaigen.files.inputs import read_limited
from gaigen.files.workbook.layout import (
    _META_ROWS,
    GRID_TOP,
    HEADER_ROW,
    MAX_BYTES,
    MAX_UNPACKED,
    SHEET_META,
    SHEETS,
    TABLE_SHEETS,
    DataPath,
    Slot,
    decimal_text,
    shortest_decimal,
    slots,
    value_slots,
)
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Leaf, ValueKind
from gaigen.spec.grid import grids
from gaigen.spec.layout import Edition, Kind

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
    raw = read_limited(
        path,
        shown,
        MAX_BYTES,
        "不是数据文件。请给出 .yaml、.json 或 .xlsx 文件。",
        "不像是 gaigen 生成的工作簿。请检查是否选错了文件。",
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
    if path[0] == layout.TABLE2:
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
        if isinstance(number, TooLong):
            return number  # refused, with the cell named, by the value types
        if kind in (Kind.MONEY, Leaf.YUAN):
            return _with_places(number, number_format)
        if kind in (Leaf.TEXT, Leaf.NAME, Leaf.LEVEL):
            return decimal_text(number) if isinstance(number, Decimal) else str(number)
        return number
    return str(raw)


def _number(raw: int | float) -> int | Decimal | TooLong:
    """Return a stored number as a data file writes it: whole numbers as int, else its shortest decimal.

    Bounded as every number gaigen reads (``gaigen.core.numbers``): 1e300 in a cell is refused.
    """
    if isinstance(raw, int):
        return bounded(raw)
    if not math.isfinite(raw):
        return TooLong(str(raw))
    if raw.is_integer() and abs(raw) < 2**53:
        return int(raw)
    return bounded(shortest_decimal(raw), repr(raw))


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
