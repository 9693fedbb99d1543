"""The batch summary: ``汇总.xlsx`` (openpyxl, with native charts), ``汇总.csv``, ``汇总.html``, and the
long-format export of every cell (``数据明细.csv`` and ``.json``), one row per file in the summary."""

from __future__ import annotations

import copy
import csv
import io
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

from gaigen.batch.results import (
    COLUMNS,
    FIGURES,
    PREVIOUS_COLUMN,
    SUMMARY_STEM,
    BatchResult,
    Status,
    shown_name,
)
from gaigen.core.report import Value
from gaigen.files.output import sync_folder, write_atomic
from gaigen.review.export import EXPORT_STEM, export_csv, export_json
from gaigen.review.page import ChartData, PageCell, Series, county_page
from gaigen.review.record import STATES
from gaigen.rules.ratios import RATIOS
from gaigen.rules.similarity import percent

CHARTS_SHEET, PAIRS_SHEET, RATIOS_SHEET = "图表", "雷同", "比例"
PAIR_COLUMNS = ("机关", "文件", "与之雷同的机关", "其文件", "重复率", "重复的部分")


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
    similar = _similar_by_file(batch)
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
        row += [result.review_state, result.review_change, "\n".join(similar.get(result.name, []))]
        ratios = result.digest.ratios if result.digest is not None else {}
        row += [_ratio(ratios[ratio.name].value) if ratio.name in ratios else "" for ratio in RATIOS]
        if with_previous:
            row.append(shown_name(result.previous) if result.previous is not None else "")
        rows.append(row)
    return rows


def _ratio(value: float | None) -> Any:
    """Return a ratio as a percentage with one decimal (an integral one as an integer, as Excel keeps it)."""
    if value is None:
        return ""
    shown = round(value * 100, 1)
    return int(shown) if shown.is_integer() else shown


def _similar_by_file(batch: BatchResult) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for each in batch.similar:
        share = percent(each.pair.share)
        found.setdefault(each.first.file, []).append(f"与{each.second.agency or each.second.file}重复 {share}")
        found.setdefault(each.second.file, []).append(f"与{each.first.agency or each.first.file}重复 {share}")
    return found


def _cell(value: Value | None) -> Any:
    """Return a key figure for the sheet: counts are integers; a missing one is an empty cell."""
    return "" if value is None else value


def status_counts(batch: BatchResult) -> str:
    """Return “共 N 个文件：已生成 a，…” for the statuses that occur."""
    counts = Counter(f.status for f in batch.files)
    parts = [f"{status.value} {counts[status]}" for status in Status if counts[status]]
    return f"共 {len(batch.files)} 个文件：{'，'.join(parts)}。"


def write_summary(batch: BatchResult, xlsx: Path, csv_path: Path, with_previous: bool = False) -> list[Path]:
    """Write the summary (xlsx with charts, csv, html) and the export of every cell; return the paths."""
    return SummaryWriter(batch, xlsx, csv_path, with_previous).finish()


class SummaryWriter:
    """Writes the summary in two halves, so that a batch can do the first while its workers write letters.

    ``prepare`` yields after each step of what the letters cannot change (the table, the charts and
    the other sheets, the CSV text); ``finish`` does what is left of it, then what can change (the
    notes: a letter that could not be written is one), saves the workbook and writes every file.
    Nothing is written before ``finish``.
    """

    def __init__(self, batch: BatchResult, xlsx: Path, csv_path: Path, with_previous: bool = False) -> None:
        self.batch, self.xlsx, self.csv_path, self.with_previous = batch, xlsx, csv_path, with_previous
        self._rows: list[list[Any]] = []
        self._charts: list[ChartData] = []
        self._book: Any = None
        self._csv = b""
        self._steps = self._prepare()  # run by whoever takes ``prepare``'s steps, the rest by ``finish``

    def prepare(self) -> Iterator[None]:
        """Return the steps of the first half (each a few tens of milliseconds at most, but openpyxl's import)."""
        return self._steps

    def _prepare(self) -> Iterator[None]:
        self._rows = summary_rows(self.batch, self.with_previous)
        self._charts = chart_data(self.batch, self.with_previous)
        yield
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        for row in self._rows:
            writer.writerow(["" if value is None else value for value in row])
        # With a BOM, Excel on Chinese Windows opens the CSV as UTF-8 instead of GBK.
        self._csv = text.getvalue().encode("utf-8-sig")
        yield
        import openpyxl  # noqa: F401  (a step of its own: the longest, about a tenth of a second)

        yield
        book = yield from _book(self._rows, self._charts, _pair_rows(self.batch), _ratio_rows(self.batch))
        self._book = book

    def finish(self) -> list[Path]:
        """Do the rest of the first half, then write the workbook, CSV, page and export; return the paths."""
        for _step in self._steps:
            pass
        batch, xlsx = self.batch, self.xlsx
        notes = _explanation(batch)
        write_atomic(xlsx, _save(self._book, notes), sync=False)
        write_atomic(self.csv_path, self._csv, sync=False)
        html = xlsx.with_suffix(".html")
        write_atomic(html, _page(batch, self._rows, notes, self._charts).encode("utf-8"), sync=False)
        pieces = [f.export for f in batch.files if f.export is not None and f.status is not Status.CONFLICT]
        exported = [xlsx.with_name(f"{EXPORT_STEM}.csv"), xlsx.with_name(f"{EXPORT_STEM}.json")]
        write_atomic(exported[0], export_csv(pieces), sync=False)
        write_atomic(exported[1], export_json(pieces), sync=False)
        written = [xlsx, self.csv_path, html, *exported]
        sync_folder(xlsx.parent, written)  # once for the five (DECISIONS §19)
        return written


def _explanation(batch: BatchResult) -> list[str]:
    lines = [status_counts(batch), f"用时 {batch.seconds:.1f} 秒，{batch.jobs} 个进程。", *batch.notes]
    if batch.similar:
        lines.append(f"正文雷同的报告 {len(batch.similar)} 对，见“{PAIRS_SHEET}”。")
    return lines


def _pair_rows(batch: BatchResult) -> list[list[Any]]:
    rows: list[list[Any]] = [list(PAIR_COLUMNS)]
    for each in batch.similar:
        parts = each.parts
        rows.append(
            [
                each.first.agency or "",
                each.first.file,
                each.second.agency or "",
                each.second.file,
                round(each.pair.share, 4),
                parts,
            ]
        )
    return rows


def _ratio_rows(batch: BatchResult) -> list[list[Any]]:
    rows: list[list[Any]] = [["比例", "公式", "有该比例的报告", "中位数", "四分位距"]]
    for ratio in RATIOS:
        spread = batch.spreads.get(ratio.name)
        rows.append(
            [
                ratio.name,
                ratio.formula,
                spread.count if spread else "",
                round(spread.median, 4) if spread else "",
                round(spread.iqr, 4) if spread else "",
            ]
        )
    return rows


def chart_data(batch: BatchResult, with_previous: bool) -> list[ChartData]:
    """Return the charts of the summary: reports by state, requests by agency, year over year."""
    review = Counter(f.review_state for f in batch.files if f.review_state)
    status = Counter(f.status.value for f in batch.files)
    charts = [
        ChartData("states", "审核状态", list(STATES), [Series("报告数", [review[s] for s in STATES])]),
        ChartData("statuses", "处理结果", list(status), [Series("文件数", list(status.values()))]),
    ]
    done = [f for f in batch.files if f.status.rendered and f.agency]
    names = [f.agency or "" for f in done]
    charts.append(
        ChartData(
            "requests",
            "各机关收到和办理的申请",
            names,
            [
                Series(name, [_number(f.figures.get(name)) for f in done])
                for name in ("本年新收", "予以公开", "结转下年度")
            ],
        )
    )
    if with_previous:
        paired = [f for f in done if f.previous_figures]
        charts.append(
            ChartData(
                "years",
                "本年新收申请：与上年对比",
                [f.agency or "" for f in paired],
                [
                    Series("上年", [_number(f.previous_figures.get("本年新收")) for f in paired]),
                    Series("本年", [_number(f.figures.get("本年新收")) for f in paired]),
                ],
            )
        )
    return charts


def _number(value: Value | None) -> float:
    return float(value) if value is not None else 0.0


_ROWS_PER_STEP = 250  # summary rows put into the workbook in one step of ``SummaryWriter.prepare``


def _book(
    rows: list[list[Any]],
    charts: Sequence[ChartData],
    pairs: list[list[Any]],
    ratios: list[list[Any]],
) -> Generator[None, None, Any]:
    """Build the workbook but its notes, yielding between steps; return it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    bold = Font(bold=True)
    for start in range(0, len(rows), _ROWS_PER_STEP):
        for row in rows[start : start + _ROWS_PER_STEP]:
            sheet.append(row)
        yield
    for cell in sheet[1]:
        cell.font = bold
    widths = {"文件": 36, "机关名称": 28, "第一个问题": 80, "输出文件": 50, "与上次相比": 30, "雷同": 30}
    for index, title in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 12)
    if len(rows) > 1:
        # Setting a style looks it up in the workbook's style table on every cell; one lookup, then
        # the same style array copied to each cell, does the same for a tenth of the time.
        first: Any = sheet.cell(2, 1)  # ``_style``, openpyxl's own way of copying a style, is not in its stubs
        first.alignment = Alignment(wrap_text=True, vertical="top")
        style = first._style
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cast(Any, cell)._style = copy.copy(style)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    yield
    _charts_sheet(book.create_sheet(CHARTS_SHEET), charts)
    for title, table, percent_column in ((PAIRS_SHEET, pairs, 5), (RATIOS_SHEET, ratios, None)):
        extra = book.create_sheet(title)
        for row in table:
            extra.append(row)
        for cell in extra[1]:
            cell.font = bold
        for index in range(1, len(table[0]) + 1):
            extra.column_dimensions[get_column_letter(index)].width = 28
        if percent_column is not None:
            for cells in extra.iter_rows(min_row=2):
                cells[percent_column - 1].number_format = "0%"
        if title == RATIOS_SHEET:
            extra.column_dimensions["B"].width = 70
            for cells in extra.iter_rows(min_row=2):
                for cell in cells[3:5]:
                    cell.number_format = "0.0%"
    return book


def _save(book: Any, notes: list[str]) -> bytes:
    """Add the notes sheet to the workbook ``_book`` built and return the workbook's bytes."""
    notes_sheet = book.create_sheet("说明")
    notes_sheet.column_dimensions["A"].width = 120
    for line in notes:
        notes_sheet.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return bytes(buffer.getvalue())


def _charts_sheet(sheet: Any, charts: Sequence[ChartData]) -> None:
    """Write each chart's data as a small table and a native bar chart beside it (Excel and WPS draw it)."""
    from openpyxl.chart import BarChart, Reference

    top = 1
    for chart in charts:
        if not chart.categories:
            continue
        sheet.cell(top, 1, chart.title)
        for number, series in enumerate(chart.series, start=2):
            sheet.cell(top + 1, number, series.name)
        for index, category in enumerate(chart.categories):
            sheet.cell(top + 2 + index, 1, category)
            for number, series in enumerate(chart.series, start=2):
                sheet.cell(top + 2 + index, number, series.values[index])
        last = top + 1 + len(chart.categories)
        bars = BarChart()
        bars.type = "bar" if len(chart.categories) > 6 else "col"
        bars.title = chart.title
        bars.grouping = "clustered"
        data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=top + 1, max_row=last)
        bars.add_data(data, titles_from_data=True)
        bars.set_categories(Reference(sheet, min_col=1, min_row=top + 2, max_row=last))
        bars.height = max(7.5, 0.5 * len(chart.categories) * len(chart.series))
        bars.width = 18
        sheet.add_chart(bars, f"F{top}")
        rows_taken = max(len(chart.categories) + 3, int(bars.height / 0.5) + 2)
        top += rows_taken
    sheet.column_dimensions["A"].width = 28


def _page(batch: BatchResult, rows: list[list[Any]], notes: list[str], charts: Sequence[ChartData]) -> str:
    header = [str(title) for title in rows[0]]
    cells = []
    for row in rows[1:]:
        shown = []
        for value in row:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown.append(PageCell(str(value), True, float(value)))
            else:
                shown.append(PageCell(str(value)))
        cells.append(shown)
    pairs = [
        {
            "first": each.first.agency or each.first.file,
            "second": each.second.agency or each.second.file,
            "share": percent(each.pair.share),
            "parts": each.parts,
        }
        for each in batch.similar
    ]
    ratios = [
        {
            "name": row[0],
            "formula": row[1],
            "count": row[2],
            "median": f"{row[3]:.1%}" if row[3] != "" else "",
            "iqr": f"{row[4]:.1%}" if row[4] != "" else "",
        }
        for row in _ratio_rows(batch)[1:]
    ]
    statuses = sorted({f.status.value for f in batch.files})
    return county_page(
        f"{SUMMARY_STEM}（{len(batch.files)} 个文件）",
        notes,
        header,
        cells,
        charts,
        pairs,
        ratios,
        {"审核状态": STATES, "状态": statuses},
    )
