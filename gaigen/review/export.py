"""The long-format export of every cell of every report (CSV and JSON) for the county's archive.

One row per cell: 机关名称, 年度, 版式, 表, 行, 列, 值, 状态 (填写, 空白 — the key is there with no
value, 缺失 — the key is not there, 计算 — a 总计 left out and computed by gaigen, 无效 — a value
that was refused, such as “12个”) and 文件. Rows are in the order of the official tables.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from gaigen.review.digest import Digest

EXPORT_STEM = "数据明细"
EXPORT_COLUMNS = ("机关名称", "年度", "版式", "表", "行", "列", "值", "状态", "文件")


def export_rows(digests: Sequence[Digest]) -> list[list[Any]]:
    """Return the header and one row per cell of every report."""
    rows: list[list[Any]] = [list(EXPORT_COLUMNS)]
    for each in digests:
        for cell in each.cells:
            rows.append(
                [
                    each.agency or "",
                    each.year or "",
                    each.edition,
                    cell.table,
                    cell.row,
                    cell.column,
                    cell.value,
                    cell.state,
                    each.file,
                ]
            )
    return rows


def export_csv(digests: Sequence[Digest]) -> bytes:
    """Return the export as CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it as UTF-8)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for each in digests:
        head = (each.agency or "", each.year or "", each.edition)
        writer.writerows(
            (
                *head,
                c.table,
                c.row,
                c.column,
                format(c.value, "f") if isinstance(c.value, Decimal) else c.value,
                c.state,
                each.file,
            )
            for c in each.cells
        )
    return text.getvalue().encode("utf-8-sig")


def export_json(digests: Sequence[Digest]) -> bytes:
    """Return the export as a JSON list of objects; money stays exact (a string of the number as entered)."""
    keys = EXPORT_COLUMNS
    chunks = []
    for each in digests:  # one report a line: the C encoder does each, and a reader can skim by report
        records = [
            dict(
                zip(
                    keys,
                    (*row[:6], format(row[6], "f") if isinstance(row[6], Decimal) else row[6], *row[7:]),
                    strict=True,
                )
            )
            for row in export_rows([each])[1:]
        ]
        if records:
            chunks.append(json.dumps(records, ensure_ascii=False)[1:-1])
    return ("[\n" + ",\n".join(chunks) + "\n]\n").encode("utf-8")
