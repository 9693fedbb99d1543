"""Tables of a published report to the cells of 表二, 表三 and 表四, by their labels.

A table is recognised by its labels, not by its position. Within a table, each row is split
into its label cells and the value cells after the last label; the row is named by its label
(official label, alias, or the label without its ordinal, ``keys.normalize``/``keys.core``) and
the official rows are matched in order. A row whose label is unreadable (mojibake) takes the
place of the one official row left between two recognised rows — recovered by position, never by
decoding. Value cells are matched to the official columns in order: surplus empty cells left by
merges are dropped, a row that lost cells on the web is aligned to its right edge (where the
总计 column is) and every cell that cannot be read is a ``Gap``, never a guess.

The edition of each table is read from its labels (format-spec §8.4: 2019's 表二 has 规范性文件,
上一年项目数量, 政府集中采购…; 2021's 表三 splits （六）其他处理 into three rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from gaigen.core.problems import Severity
from gaigen.core.report import Value
from gaigen.importing.labels import (
    TABLE2,
    TABLE3,
    TABLE4,
    Observed,
    expected_rows,
    label_findings,
    match_label,
    split_row,
)
from gaigen.importing.labels import header_findings as _header_findings
from gaigen.importing.model import Cell, Finding, Gap, Where
from gaigen.importing.recognise import edition_of, has_values
from gaigen.importing.rows import absent_total, align, observe
from gaigen.importing.runs import Pending, as_cells, fused_text, solve_runs, vanishing
from gaigen.importing.solver import Run
from gaigen.importing.values import WAN, Read, header_unit, read_cell
from gaigen.spec import layout
from gaigen.spec.layout import Column, Edition, Kind, Row, RowPath

W = Severity.WARNING


@dataclass
class TableRead:
    """What one official table gave: values and where they came from, gaps, findings."""

    key: str
    edition: Edition | None = None
    values: dict[tuple[str, ...], Value] = field(default_factory=dict)
    origin: dict[tuple[str, ...], Where] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    where: Where | None = None
    fixed: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)  # cell → rules that fixed it
    blanks: list[tuple[str, ...]] = field(default_factory=list)  # cells printed empty (read as 0)
    runs: int = 0  # rows read from fused digit runs
    vanished: Run | None = None  # a run proving that blank cells left no trace in the copy


# --- rows ---------------------------------------------------------------------------------------


def fit(values: list[Cell], count: int, blanks_shown: bool = True) -> tuple[list[Cell | None], str | None]:
    """Return exactly ``count`` value cells (None for a lost one) and a note when the row was irregular.

    A short row is aligned to its right edge (the 总计 column), where text copies keep their cells
    when a merge on the left lost one — but only when the copy shows blank cells at all
    (``blanks_shown``); a copy that drops blank cells gives no clue where a number belongs.
    """
    cells = list(values)
    while len(cells) > count and not cells[-1].text.strip():
        cells.pop()
    while len(cells) > count and not cells[0].text.strip():
        cells.pop(0)
    if len(cells) > count:
        return [None] * count, f"该行有 {len(cells)} 个数字格，多于应有的 {count} 格，无法确定各数字所在的列"
    if len(cells) < count and not blanks_shown:
        return [None] * count, f"该行只有 {len(cells)} 个数字（应为 {count} 个），无法确定各数字所在的列"
    padded: list[Cell | None] = [None] * (count - len(cells))
    padded += cells
    if len(cells) < count:
        return padded, f"该行只有 {len(cells)} 格（应为 {count} 格），网页转换时丢失了 {count - len(cells)} 格"
    return padded, None


# --- reading an official table -------------------------------------------------------------------


class _Reader:
    def __init__(
        self, key: str, edition: Edition, table_where: Where, blanks_shown: bool = True, vanished: Run | None = None
    ) -> None:
        self.result = TableRead(key, edition, where=table_where)
        self.key = key
        self.edition = edition
        self.blanks_shown = blanks_shown
        self.pending = Pending()
        self.vanished = vanished

    def blank_finding(self) -> None:
        """Report the blank cells of the table once: read as 0, but the format wants 0 written."""
        blanks = self.result.blanks
        if blanks:
            self.result.findings.append(
                Finding(
                    "F-10",
                    W,
                    f"有 {len(blanks)} 个空白格，按 0 计（空白的总计格由 gaigen 计算）",
                    "没有发生的事项应填 0，不应留空。",
                    self.result.where or Where(),
                    table=self.key,
                )
            )

    def solve(self) -> None:
        """Read the fused runs of the table together, with the official identities."""
        if not self.pending.runs:
            return
        self.result.runs = len(self.pending.runs)
        self.result.vanished = vanishing(self.pending)
        vanished = self.vanished or self.result.vanished
        values, gaps, findings, notes, fixed = solve_runs(
            self.key, self.edition, self.pending, self.result.values, vanished
        )
        self.result.values.update(values)
        self.result.gaps += gaps
        self.result.findings += findings
        self.result.notes += notes
        self.result.fixed.update(fixed)

    def cell(
        self, path: RowPath, column: Column, cell: Cell | None, why_lost: str | None, unit: str | None, where: Where
    ) -> None:
        full = (self.key, *path, column.label)
        if cell is None:
            self.result.gaps.append(Gap(full, _lost(why_lost), where))
            return
        self.result.origin[full] = cell.where
        if not cell.text.strip() and why_lost is not None:
            self.result.gaps.append(Gap(full, _lost(why_lost), cell.where))  # a short row: empty is lost
            return
        if not cell.text.strip() and self.blanks_shown:
            # A cell that is there and empty: blank, read as 0 (a 总计 is computed), one finding a table.
            self.result.blanks.append(full)
            if column.kind is not Kind.TOTAL:
                self.result.values[full] = Decimal(0) if column.kind is Kind.MONEY else 0
            return
        read: Read = read_cell(cell.text, column.kind, unit)
        if read.value is None:
            self.result.gaps.append(Gap(full, read.why or "无法读取", cell.where))
            return
        self.result.values[full] = read.value
        if read.unit is not None:
            self.result.findings.append(
                Finding(
                    "F-8",
                    W,
                    "单元格中写了单位，数字格应只写数字",
                    "请只填数字，单位写在表头。",
                    cell.where,
                    table=self.key,
                    row=path[-1],
                    col_label=column.label,
                    found=f"“{' '.join(cell.text.split())}”",
                )
            )

    def row(
        self, path: RowPath, row: Row, observed: Observed | None, unit: str | None = None, absent: str | None = None
    ) -> None:
        """Read one official row; ``absent`` names a column the printed table does not have at all."""
        columns = [column for column in row.columns if column.label != absent]
        if observed is None:
            where = self.result.where or Where()
            for column in columns:
                self.result.gaps.append(Gap((self.key, *path, column.label), "原报告中找不到这一行", where))
            return
        self.result.origin[(self.key, *path)] = observed.labels[-1].where if observed.labels else observed.where
        run = fused_text(observed.values)
        if run is not None:
            pieces = as_cells(run, len(columns), observed.where)
            if pieces is None:
                keys = tuple((path, column.label) for column in columns)
                signed = frozenset(i for i, column in enumerate(columns) if column.kind is Kind.SIGNED)
                self.pending.runs.append(Run(keys, run, path[-1], signed))
                self.pending.places.append(observed.where)
                for column in columns:
                    self.result.origin[(self.key, *path, column.label)] = observed.where
                return
            observed = replace(observed, values=pieces)
        cells, note = fit(observed.values, len(columns), self.blanks_shown)
        if note is not None and _deducible(cells, columns):
            # One cell lost, every other 0 and a 总计 column: whichever was lost is 0 (总计 0 means
            # every column is 0; a lost 总计 is the sum of zeros). The 总计 is then computed.
            present = [c for c in observed.values if c.text.strip()]
            for column, kept in zip([c for c in columns if c.kind is not Kind.TOTAL], present, strict=False):
                self.cell(path, column, kept, None, unit, observed.where)
            total = next(c for c in columns if c.kind is Kind.TOTAL)
            self.result.gaps.append(
                Gap(
                    (self.key, *path, total.label),
                    f"{note}；其余各格均为 0，丢失的一格只能是 0，总计由 gaigen 计算",
                    observed.where,
                )
            )
            self.result.notes.append(
                f"{self.key}“{path[-1]}”行：{note}；其余各格均为 0，各列按 0 读取，总计由 gaigen 计算。"
            )
            return
        if note is not None:
            self.result.notes.append(f"{self.key}“{path[-1]}”行：{note}，按右端对齐读取（总计列在最右）。")
        for column, cell in zip(columns, cells, strict=True):
            self.cell(path, column, cell, note, unit, observed.where)


def _deducible(cells: list[Cell | None], columns: list[Column]) -> bool:
    lost = [c for c in cells if c is None]
    present = [c for c in cells if c is not None]
    has_total = any(c.kind is Kind.TOTAL for c in columns)
    return (
        len(lost) == 1
        and has_total
        and bool(present)
        and all(read_cell(c.text, Kind.COUNT).value == 0 for c in present)
    )


def _lost(note: str | None) -> str:
    if note is None:
        return "原报告中没有这一格"
    return f"原报告{note}" if "无法确定" in note else f"原报告{note}，无法确定这一格"


def read_table(
    key: str,
    rows: list[list[Cell]],
    where: Where,
    fallback: Edition,
    blanks_shown: bool = True,
    vanished: Run | None = None,
) -> TableRead:
    """Return the cells of official table ``key`` read from ``rows``.

    ``blanks_shown`` is False for a copy that leaves out blank cells altogether (one cell a line
    with nothing for an empty cell): a row short of numbers is then unreadable, not aligned.
    ``vanished`` is a fused run of another table that proves blank cells left no trace: fused runs
    are then not split at all.
    """
    if key == TABLE4:
        return _table4(rows, where, fallback, blanks_shown, vanished)
    edition = edition_of(key, rows, fallback)
    expected = expected_rows(edition, key)
    observed = observe(rows, expected)
    reader = _Reader(key, edition, where, blanks_shown, vanished)
    mapping, by_order = align(observed, len(expected), expected)
    absent = absent_total(rows, observed) if key == TABLE3 else None
    if absent is not None:
        reader.result.notes.append(
            f"{key}：原表没有“{absent}”列（各行都只有 6 个数字，表头也没有“{absent}”），总计由 gaigen 计算。"
        )
    for j, i in by_order:
        shown = " ".join(observed[i].labels[-1].text.split()) if observed[i].labels else ""
        if shown:
            reader.result.notes.append(f"{key}：行名“{shown}”无法辨认，按所在位置读作“{expected[j].row.label}”。")
        else:
            reader.result.notes.append(
                f"{key}：有一行数字的行名不在同一行（折行或竖排），按所在位置读作“{expected[j].row.label}”。"
            )
    for j, each in enumerate(expected):
        observed_row = observed[mapping[j]] if j in mapping else None
        unit = None
        if key == TABLE2 and observed_row is not None:
            unit = _money_unit(observed_row.header, edition)
        reader.row(each.path, each.row, observed_row, unit, absent)
    reader.solve()
    reader.blank_finding()
    used = set(mapping.values())
    for i, row in enumerate(observed):
        if i not in used:
            _unused_row(reader.result, key, row, edition)
    reader.result.findings += label_findings(key, rows, observed, expected, mapping, edition)
    return reader.result


def _money_unit(header: list[str], edition: Edition) -> str | None:
    """Return the unit of 表二's money column: as its header says, else 万元 in 2021 (the format fixes it)."""
    for text in header:
        if "金额" in text:
            unit = header_unit(text)
            if unit is not None:
                return unit
    return WAN if edition is Edition.E2021 else None


def _unused_row(result: TableRead, key: str, row: Observed, edition: Edition) -> None:
    label = " ".join(row.labels[-1].text.split()) if row.labels else ""
    other = edition.other
    if (
        label
        and match_label(label, expected_rows(other, key)) is not None
        and match_label(label, expected_rows(edition, key)) is None
    ):
        result.findings.append(
            Finding(
                "F-3",
                Severity.ERROR,
                f"这是 {other.value} 版式（{other.notice}）的行，本表的其他行属于 {edition.value} 版式，这一行没有读取",
                f"请按 {edition.value} 版式的表格填写。",
                row.where,
                table=key,
                subject=label,
            )
        )
        return
    result.notes.append(f"{key}：有一行“{label or '（无行名）'}”不是官方表格的行，没有读取。")


def _table4(
    rows: list[list[Cell]], where: Where, edition: Edition, blanks_shown: bool, vanished: Run | None
) -> TableRead:
    reader = _Reader(TABLE4, edition, where, blanks_shown, vanished)
    values: list[Cell] = []
    data_where: Where | None = None
    for cells in rows:
        _labels, row_values = split_row(cells)
        if has_values(row_values):
            values += row_values
            data_where = data_where or row_values[0].where
    expected = expected_rows(edition, TABLE4)
    count = sum(len(e.row.columns) for e in expected)
    run = fused_text(values)
    if run is not None and data_where is not None:
        pieces = as_cells(run, count, data_where)
        if pieces is None:
            keys = tuple((each.path, column.label) for each in expected for column in each.row.columns)
            reader.pending.runs.append(Run(keys, run, TABLE4))
            reader.pending.places.append(data_where)
            for each in expected:
                reader.result.origin[(TABLE4, *each.path)] = data_where
            reader.solve()
            reader.result.findings += _header_findings(TABLE4, rows, _table4_headers())
            return reader.result
        values = pieces
    nothing: list[Cell | None] = [None] * count
    placed, note = fit(values, count, blanks_shown) if values else (nothing, "没有数字行")
    if note is not None:
        reader.result.notes.append(f"表四：{note}。")
    start = 0
    for each in expected:
        width = len(each.row.columns)
        reader.result.origin[(TABLE4, *each.path)] = data_where or where
        for column, cell in zip(each.row.columns, placed[start : start + width], strict=True):
            reader.cell(each.path, column, cell, note, None, data_where or where)
        start += width
    reader.blank_finding()
    reader.result.findings += _header_findings(TABLE4, rows, _table4_headers())
    return reader.result


def _table4_headers() -> set[str]:
    columns = {c.label for c in layout.CASE_COLUMNS}
    return {layout.REVIEW, layout.LITIGATION, layout.DIRECT_SUIT, layout.SUIT_AFTER_REVIEW, *columns}
