"""The long-format export of every cell of every report (CSV and JSON) for the county's archive.

One row per cell: 机关名称, 年度, 版式, 表, 行, 列, 值, 状态 (填写, 空白 — the key is there with no
value, 缺失 — the key is not there, 计算 — a 总计 left out and computed by gaigen, 无效 — a value
that was refused, such as “12个”) and 文件. Rows are in the order of the official tables.

Each report's rows are formatted where the report is read (a batch worker, in parallel) into a
chunk of CSV and of JSON, which the worker appends to a spool file of its own (``Spool``); the
export joins the pieces in the order of the files, read back from the spools, so the parent never
holds a county's cells in memory. Money stays exact: the number as entered.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NamedTuple

from gaigen.core.errors import OutputError
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
    """One report's rows of the export, formatted."""

    csv: bytes  # the UTF-8 rows
    json: bytes  # the UTF-8 records, comma-separated, without the enclosing brackets


@dataclass(frozen=True)
class Piece:
    """Where a chunk was spooled: its CSV, then its JSON, from ``offset`` in ``path``."""

    path: Path
    offset: int
    csv: int  # bytes
    json: int


class Spool:
    """Appends chunks to one file (a batch worker's, in its staging folder) and says where each went."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "ab")  # noqa: SIM115  (kept open for the worker's life)
        self._end = self._file.tell()

    def add(self, chunk: Chunk) -> Piece:
        """Append ``chunk``; it is on its way to disk before this returns (a killed worker loses none)."""
        piece = Piece(self.path, self._end, len(chunk.csv), len(chunk.json))
        try:
            self._file.write(chunk.csv + chunk.json)
            self._file.flush()
        except OSError as error:  # a full disk is the user's to fix, not a defect of gaigen
            raise OutputError(f"{self.path}：无法写入逐格明细的暂存文件（{error.strerror}）。") from error
        self._end += piece.csv + piece.json
        return piece

    def close(self) -> None:
        self._file.close()


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
    return Chunk(text.getvalue().encode("utf-8"), encoded.encode("utf-8"))


def export_csv(pieces: Sequence[Piece]) -> Iterator[bytes]:
    """Yield the export as CSV (UTF-8 with BOM, so Excel on Chinese Windows reads it as UTF-8), piece by piece."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(EXPORT_COLUMNS)
    yield header.getvalue().encode("utf-8-sig")
    with _Reader() as read:
        for piece in pieces:
            yield read(piece.path, piece.offset, piece.csv)


def export_json(pieces: Sequence[Piece]) -> Iterator[bytes]:
    """Yield the export as a JSON list of objects, one report a line, piece by piece."""
    yield b"["
    first = True
    with _Reader() as read:
        for piece in pieces:
            records = read(piece.path, piece.offset + piece.csv, piece.json)
            if records:
                yield (b"\n" if first else b",\n") + records
                first = False
    yield b"\n]\n"


class _Reader:
    """Reads pieces of the spools, each spool opened once."""

    def __enter__(self) -> Callable[[Path, int, int], bytes]:
        self._open: dict[Path, BinaryIO] = {}
        return self._read

    def __exit__(self, *exc: object) -> None:
        for stream in self._open.values():
            stream.close()

    def _read(self, path: Path, offset: int, size: int) -> bytes:
        stream = self._open.get(path)
        if stream is None:
            stream = self._open[path] = open(path, "rb")  # noqa: SIM115  (closed in __exit__)
        stream.seek(offset)
        data = stream.read(size)
        if len(data) != size:  # the spool was cut short (its disk filled up): no export rather than a wrong one
            raise OutputError(f"{path}：逐格明细的暂存文件不完整，数据明细未能写出。请检查磁盘空间后重新运行。")
        return data
