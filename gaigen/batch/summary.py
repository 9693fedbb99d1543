"""The batch summary: ``汇总.xlsx`` (openpyxl) and ``汇总.csv``, one row per file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import Any

from gaigen.batch.results import COLUMNS, FIGURES, PREVIOUS_COLUMN, SUMMARY_STEM, BatchResult, Status, shown_name
from gaigen.core.report import Value
from gaigen.files.output import write_atomic


def summary_paths(summary: Path | None, out_dir: Path) -> tuple[Path, Path]:
    """Return the .xlsx and .csv the summary goes to (``OUTDIR/汇总.xlsx`` and ``.csv`` by default)."""
    base = summary if summary is not None else out_dir / f"{SUMMARY_STEM}.xlsx"
    if base.suffix.lower() not in (".xlsx", ".csv"):
        base = base.with_name(base.name + ".xlsx")
    return base.with_suffix(".xlsx"), base.with_suffix(".csv")


def summary_rows(batch: BatchResult, with_previous: bool = False) -> list[list[Any]]:
    """Return the summary table: a header row (``COLUMNS``), then one row per file."""
    header = [*COLUMNS, PREVIOUS_COLUMN] if with_previous else list(COLUMNS)
    rows: list[list[Any]] = [header]
    for result in batch.files:
        row: list[Any] = [
            result.name,
            result.agency or "",
            result.year if result.year is not None else "",
            result.edition or "",
            result.status.value,
            result.errors,
            result.warnings,
            result.message,
            "\n".join(p.name for p in result.outputs),
        ]
        # A file that was not generated has no figures to show: empty cells, never zeros.
        row += [_cell(result.figures.get(name)) if result.status.rendered else "" for name in FIGURES]
        if with_previous:
            row.append(shown_name(result.previous) if result.previous is not None else "")
        rows.append(row)
    return rows


def _cell(value: Value | None) -> Any:
    """Return a key figure for the sheet: counts are integers; a missing one is an empty cell."""
    return "" if value is None else value


def status_counts(batch: BatchResult) -> str:
    """Return “共 N 个文件：已生成 a，…” for the statuses that occur."""
    counts = Counter(f.status for f in batch.files)
    parts = [f"{status.value} {counts[status]}" for status in Status if counts[status]]
    return f"共 {len(batch.files)} 个文件：{'，'.join(parts)}。"


def write_summary(batch: BatchResult, xlsx: Path, csv_path: Path, with_previous: bool = False) -> None:
    """Write the summary workbook (sheets 汇总 and 说明) and the same table as CSV (UTF-8 with BOM)."""
    rows = summary_rows(batch, with_previous)
    write_atomic(xlsx, _workbook(rows, _explanation(batch)))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    # With a BOM, Excel on Chinese Windows opens the CSV as UTF-8 instead of GBK.
    write_atomic(csv_path, text.getvalue().encode("utf-8-sig"))


def _explanation(batch: BatchResult) -> list[str]:
    lines = [status_counts(batch), f"用时 {batch.seconds:.1f} 秒，{batch.jobs} 个进程。", *batch.notes]
    return lines


def _workbook(rows: list[list[Any]], notes: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    widths = {"文件": 36, "机关名称": 28, "第一个问题": 80, "输出文件": 50}
    for index, title in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    notes_sheet = book.create_sheet("说明")
    notes_sheet.column_dimensions["A"].width = 120
    for line in notes:
        notes_sheet.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
