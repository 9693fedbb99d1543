"""The long-format export of every cell of every report (CSV and JSON) for the county's archive.

One row per cell: 机关名称, 年度, 版式, 表, 行, 列, 值, 状态 (填写, 空白 — the key is there with no
value, 缺失 — the key is not there, 计算 — a 总计 left out and computed by gaigen, 无效 — a value
that was refused, such as “12个”) and 文件. Rows are in the order of the official tables.

Each report's rows are formatted where the report is read (a batch worker, in parallel) into a
chunk of CSV and of JSON; the export joins the chunks. Money stays exact: the number as entered.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from gaigen.core.report import Report, Value, cell_path
from gaigen.core.totals import effective

EXPORT_STEM = "数据明细"
EXPORT_COLUMNS = ("机关名称", "年度", "版式", "表", "行", "列", "值", "状态", "文件")

# The state of a cell.
FILLED, BLANK, MISSING, COMPUTED, REFUSED = "填写", "空白", "缺失", "计算", "无效"


class CellRecord(NamedTuple):
    table: str
    row: str  # the row path joined with “/”
    column: str
    value: Value | None
    state: str


@dataclass(frozen=True)
class Chunk:
    """One report's rows of the export, formatted and compressed (a tenth of the size to keep)."""

    csv: bytes  # zlib of the UTF-8 rows
    json: bytes  # zlib of the UTF-8 records, comma-separated, without the enclosing brackets


def cell_records(report: Report) -> list[CellRecord]:
    """Return every cell of the three tables with its value and whether it was filled, blank or missing."""
    records = []
    for table in report.tables():
        for path, row in table.rows():
            row_name = "/".join(path)
            for column in row.columns:
                key = (table.key, path, column.label)
                value = report.cells.get(key)
                if value is not None:
                    state = FILLED
                elif cell_path(key) in report.refused:
                    state = REFUSED
                elif cell_path(key) in report.given:
                    state = BLANK
                else:
                    value = effective(report, table.key, path, column.label)
                    state = COMPUTED if value is not None else MISSING
                records.append(CellRecord(table.key, row_name, column.label, value, state))
    return records


def chunk(report: Report, file: str) -> Chunk:
    """Return the export rows of ``report`` (read from ``file``, as messages name it)."""
    head = (report.agency or "", report.year or "", report.edition.value)
    rows = [
        (
            *head,
            c.table,
            c.row,
            c.column,
            format(c.value, "f") if isinstance(c.value, Decimal) else c.value,
            c.state,
            file,
        )
        for c in cell_records(report)
    ]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    records = [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows]
    encoded = json.dumps(records, ensure_ascii=False)[1:-1]
    return Chunk(zlib.compress(text.getvalue().encode("utf-8"), 1), zlib.compress(encoded.encode("utf-8"), 1))


def export_csv(chunks: Sequence[Chunk]) -> Iterator[bytes]:
    """Yield the export as CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it as UTF-8), piece by piece."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(EXPORT_COLUMNS)
    yield header.getvalue().encode("utf-8-sig")
    for each in chunks:
        yield zlib.decompress(each.csv)


def export_json(chunks: Sequence[Chunk]) -> Iterator[bytes]:
    """Yield the export as a JSON list of objects, one report a line, piece by piece."""
    yield b"["
    first = True
    for each in chunks:
        records = zlib.decompress(each.json)
        if records:
            yield (b"\n" if first else b",\n") + records
            first = False
    yield b"\n]\n"
