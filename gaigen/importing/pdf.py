"""Read a report published as PDF: ruled tables cell for cell, the text around them as paragraphs.

pdfplumber finds each table by its ruling lines (the ``lines`` strategy read every 表三 and 表四
cell of the WPS-made PDFs tried; ``lines_strict`` loses rows and the ``text`` strategy does not
work on them). A "table" of one column is a text frame and stays text. A table that goes on at
the top of the next page (same number of columns, nothing but a page number between) is one
table. Text lines are joined into paragraphs by their layout: a paragraph starts on an indented
line or after a line that stops short of the right margin. Nothing is rendered or fetched.
"""

from __future__ import annotations

import functools
import io
import itertools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaigen.core.errors import InputError
from gaigen.importing.limits import read_limited
from gaigen.importing.model import Block, Cell, Paragraph, Source, Table, Where
from gaigen.importing.narrative import part_of
from gaigen.importing.recognise import all_labels
from gaigen.spec import layout

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_PAGES = 200
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# Justified Chinese lines come out with spaces between spread-out characters: none belongs there.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》〈〉"
_SPREAD = re.compile(rf"(?<=[{_CJK}])\s+(?=\S)|(?<=\S)\s+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^[-—－\s]*[0-9]+[-—－\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")


@dataclass
class _Line:
    text: str
    top: float
    x0: float
    x1: float
    size: float


def read_pdf(path: Path, name: str) -> Source:
    """Return the report in the PDF at ``path``; raise ``InputError`` when it cannot be read."""
    raw = read_limited(path, name, MAX_PDF_BYTES)
    return parse_pdf(raw, name)


def parse_pdf(raw: bytes, name: str) -> Source:
    """Return the blocks of a PDF given as bytes."""
    import pdfplumber  # imported here: a start-up cost only PDF input pays
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    items: list[tuple[str, Any]] = []  # ("line", _Line) / ("table", rows), in reading order
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"{name}：PDF 有 {len(pdf.pages)} 页，不像是一份政府信息公开工作年度报告，没有读取。")
            for page in pdf.pages:
                items += _page_items(page)
    except (PdfminerException, MalformedPDFException, PDFException, PSException) as error:
        if "encrypt" in repr(error).lower() or "password" in repr(error).lower():
            raise InputError(f"{name}：PDF 加了密码，无法读取。请去掉密码后再试。") from error
        raise InputError(f"{name}：不是有效的 PDF 文件（文件已损坏，或并非 PDF）。请确认文件完整后再试。") from error
    blocks = _blocks(items)
    if not blocks:
        raise InputError(f"{name}：PDF 中没有文字（可能是扫描件），无法读取。请给出含文字的 PDF 或 Word 文件。")
    return Source(name=name, kind="pdf", blocks=blocks)


def _page_items(page: Any) -> list[tuple[str, Any]]:
    tables = [t for t in page.find_tables(_SETTINGS) if _columns(t) > 1]
    kept: list[tuple[tuple[float, float, float, float], list[list[str]]]] = []
    for table in tables:
        box, rows = _without_prose(table)
        if rows:
            kept.append((box, rows))
    boxes = [box for box, _rows in kept]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    items: list[tuple[float, str, Any]] = []
    for line in page.filter(outside).extract_text_lines(keep_blank_chars=False):
        text = _SPREAD.sub("", line["text"]).strip()
        if not text:
            continue
        sizes = [char.get("size", 0) for char in line.get("chars", [])]
        size = max(sizes) if sizes else 10.0
        items.append((line["top"], "line", _Line(text, line["top"], line["x0"], line["x1"], size)))
    for box, rows in kept:
        items.append((box[1], "table", rows))
    items.sort(key=lambda item: item[0])
    lines = [item for item in items if item[1] == "line"]
    if lines and _PAGE_NUMBER.match(lines[-1][2].text):  # the page number at the foot
        items.remove(lines[-1])
    return [(kind, value) for _top, kind, value in items]


def _rejoin(rows: list[list[Cell]]) -> None:
    """Put back in one cell a label that a merged cell spread over two rows (or two pages).

    Some PDF writers draw the row rules through a cell merged across rows, and a page break may
    cut it; its text then falls into two cells (``（五）不予`` / ``处理``). Two cells one above the
    other that together make an official label, while neither is one, are the same cell.
    """
    labels = _labels()
    for upper, lower in itertools.pairwise(rows):
        for column in range(min(len(upper), len(lower))):
            top, bottom = upper[column].text.strip(), lower[column].text.strip()
            parts_unknown = _plain(top) not in labels and _plain(bottom) not in labels
            if top and bottom and parts_unknown and _plain(top + bottom) in labels:
                upper[column].text, lower[column].text = top + "\n" + bottom, ""


@functools.cache
def _labels() -> frozenset[str]:
    return frozenset(_plain(label) for key in layout.TABLE_KEYS for label in all_labels(key))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _without_prose(table: Any) -> tuple[tuple[float, float, float, float], list[list[str]]]:
    """Return the table's box and rows without the rows of running text its rules took in.

    A page whose text sits inside a frame can come out as one table: rows at its top or bottom
    with a single cell of prose (a sentence, a part heading) are text, not table rows.
    """
    rows = [[_SPREAD.sub("", cell or "") for cell in row] for row in table.extract()]
    x0, top, x1, bottom = table.bbox
    first, last = 0, len(rows)
    while first < last and _is_prose(rows[first]):
        first += 1
    while last > first and _is_prose(rows[last - 1]):
        last -= 1
    if first < len(table.rows) and first:
        top = table.rows[first].bbox[1]
    if last < len(table.rows) and last > first:
        bottom = table.rows[last - 1].bbox[3]
    return (x0, top, x1, bottom), rows[first:last]


def _is_prose(row: list[str]) -> bool:
    filled = [text for text in row if text.strip()]
    if len(filled) != 1:
        return False
    text = _plain(filled[0])
    return len(text) > 24 or text.endswith("。") or part_of(text) is not None


def _columns(table: Any) -> int:
    return max((len(row.cells) for row in table.rows), default=0)


def _blocks(items: list[tuple[str, Any]]) -> list[Block]:
    """Return paragraphs and tables: wrapped lines joined, a table continued on the next page joined."""
    blocks: list[Block] = []
    paragraph_count = table_count = 0
    lines = [value for kind, value in items if kind == "line"]
    left = min((line.x0 for line in lines), default=0.0)
    right = max((line.x1 for line in lines), default=0.0)
    current: list[_Line] = []
    previous_table: list[list[str]] | None = None

    def flush() -> None:
        nonlocal paragraph_count
        if current:
            paragraph_count += 1
            text = _joined(current)
            blocks.append(Paragraph(text, Where(paragraph=paragraph_count)))
            current.clear()

    for kind, value in items:
        if kind == "line":
            line: _Line = value
            if current and _starts_paragraph(current[-1], line, left, right):
                flush()
            current.append(line)
            previous_table = None
            continue
        rows: list[list[str]] = value
        flush()
        last = blocks[-1] if blocks else None
        if previous_table is not None and isinstance(last, Table) and rows and len(rows[0]) == len(previous_table[0]):
            head = [[cell.text for cell in row] for row in last.rows[: len(rows)]]
            while rows and rows[0] in head:  # the header rows repeated at the top of the page
                rows = rows[1:]
            start = len(last.rows)
            last.rows += [
                [Cell(text, Where(table=table_count, row=start + i + 1)) for text in row] for i, row in enumerate(rows)
            ]
        else:
            table_count += 1
            cells = [[Cell(text, Where(table=table_count, row=i + 1)) for text in row] for i, row in enumerate(rows)]
            blocks.append(Table(cells, Where(table=table_count)))
        previous_table = rows
    flush()
    for block in blocks:
        if isinstance(block, Table):
            _rejoin(block.rows)
    return blocks


def _starts_paragraph(before: _Line, line: _Line, left: float, right: float) -> bool:
    """Return True when ``line`` opens a new paragraph: indented, or the line above stopped short."""
    indent = line.x0 - left > 1.5 * line.size
    short = right - before.x1 > 1.5 * before.size
    bigger = abs(line.size - before.size) > 1.0
    return indent or short or bigger


def _joined(lines: list[_Line]) -> str:
    """Return wrapped lines as one paragraph: no space where a CJK line was wrapped."""
    text = lines[0].text
    for line in lines[1:]:
        if text[-1:].isascii() and text[-1:].isalnum() and line.text[:1].isascii() and line.text[:1].isalnum():
            text += " "
        text += line.text
    return text
