"""Text laid out in columns with spaces, as ``pdftotext -layout`` writes a published PDF.

Such a copy keeps each table row on one line with its numbers at the end, but wraps long labels
onto the lines above and below, prints the vertical group labels one or two characters a line
through the rows, and repeats the header at the top of each page. So a table row is a line of a
table part (二, 三 or 四) that ends in a run of numbers; it is named by an official label on that
line when there is one and otherwise left unnamed, for ``tables.align`` to match it to the grid
by order between the named rows (never when the count does not fit). Header lines keep only the
official labels in them, so that the table is recognised. Everything else is paragraphs, wrapped
lines joined, spaces that justification put between Chinese characters removed.
"""

from __future__ import annotations

import functools
import re

from gaigen.importing.model import Block, Cell, Paragraph, Source, Table, Where
from gaigen.importing.narrative import part_of
from gaigen.importing.recognise import all_labels
from gaigen.spec import layout

_TABLE_PARTS = {2: layout.TABLE_KEYS[0], 3: layout.TABLE_KEYS[1], 4: layout.TABLE_KEYS[2]}
_NUMBER = r"[+-]?\d[\d,]*(?:\.\d+)?"
_ROW = re.compile(rf"^(?P<label>.*?)(?P<numbers>(?:(?:^|\s+){_NUMBER})+)\s*$")
_ALIGNED = re.compile(rf"\S {{2,}}{_NUMBER}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*[-—－]*\s*\d{1,3}\s*[-—－]*\s*$")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》〈〉"
_SPREAD = re.compile(rf"(?<=[{_CJK}])\s+(?=\S)|(?<=\S)\s+(?=[{_CJK}])")
_ENDS_SENTENCE = re.compile(r"[。！？；：…”’）)】」』.!?;:]$")
_MIN_ALIGNED = 8


def looks_laid_out(text: str) -> bool:
    """Return True for a ``pdftotext -layout`` copy: page breaks, or many lines ending in aligned numbers."""
    lines = text.split("\n")
    if any("\t" in line.strip() for line in lines):
        return False
    return "\f" in text or sum(1 for line in lines if _ALIGNED.search(line)) >= _MIN_ALIGNED


def parse_laid_out(text: str, name: str) -> Source:
    """Return the blocks of a report copied with ``pdftotext -layout``."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    blocks: list[Block] = []
    part: int | None = None
    rows: list[list[Cell]] = []
    table_line = 0
    paragraph: list[str] = []
    paragraph_line = 0

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Paragraph("".join(paragraph), Where(line=paragraph_line)))
            paragraph.clear()

    def flush_table() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(rows, Where(line=table_line)))
            rows = []

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if _is_page_number(lines, number - 1):
            continue
        heading = part_of(_SPREAD.sub("", stripped)) if stripped else None
        if heading is not None:
            flush_paragraph()
            flush_table()
            part = heading[0]
            blocks.append(Paragraph(_SPREAD.sub("", stripped), Where(line=number)))
            continue
        key = _TABLE_PARTS.get(part or 0)
        if key is not None:
            row = _row(key, line, Where(line=number))
            if row:
                table_line = table_line if rows else number
                rows.append(row)
                continue
            if not stripped or not _is_prose(stripped):
                continue
            flush_table()
        if not stripped:
            flush_paragraph()
            continue
        text = _SPREAD.sub("", stripped)
        if paragraph and (_ENDS_SENTENCE.search(paragraph[-1]) or _opens_paragraph(line)):
            flush_paragraph()
        if not paragraph:
            paragraph_line = number
        paragraph.append(text)
    flush_paragraph()
    flush_table()
    return Source(name=name, kind="txt", blocks=blocks)


def _row(key: str, line: str, where: Where) -> list[Cell]:
    """Return a table line as cells: an official label (or an empty one) and its numbers, or known labels only."""
    found = _ROW.match(line)
    tokens = line.split()
    if found is None or not found.group("numbers").strip():
        return [Cell(token, where) for token in tokens if _plain(token) in _labels(key)]
    label = next((t for t in reversed(found.group("label").split()) if _plain(t) in _labels(key)), "")
    return [Cell(label, where), *(Cell(n, where) for n in found.group("numbers").split())]


def _is_prose(text: str) -> bool:
    """Return True for a line of text under a table part that is not part of the table (a note, a sentence)."""
    return len(text) > 40 and bool(_ENDS_SENTENCE.search(text)) and "  " not in text


def _opens_paragraph(line: str) -> bool:
    """Return True for an indented line: the first line of a paragraph (the others start at the margin)."""
    indent = len(line) - len(line.lstrip())
    return indent >= 2 and bool(line.strip())


def _is_page_number(lines: list[str], index: int) -> bool:
    if not _PAGE_NUMBER.match(lines[index]) or not lines[index].strip():
        return False
    before = lines[index - 1].strip() if index > 0 else ""
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return not before or not after or "\f" in lines[index]


@functools.cache
def _labels(key: str) -> frozenset[str]:
    return frozenset(_plain(label) for label in all_labels(key))


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)
