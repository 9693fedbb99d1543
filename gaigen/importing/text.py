"""Read a plain-text copy of a report: paragraphs one a line, tables in any of the shapes web pages give.

Text copies of published reports flatten their tables in several ways, all seen in the seeds:

- one cell a line, each cell line starting with a tab, a blank line after each table row, an
  empty cell line for a cell covered by a vertical merge, and a label broken over two lines
  (``\\t本年新`` / ``制作数量``) — seeds 000, 002, 003;
- one row a line, cells separated by tabs — seed 001;
- one row a line, cells separated by ``|`` — seed 004;
- tables drawn with ``+ - |`` borders, as ``gaigen render`` writes them: merged cells are read
  back from the borders (display widths measured with wcwidth, a Chinese character being two
  columns wide).

Paragraphs that a web page broke in the middle of a sentence are joined again.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from wcwidth import wcwidth

from gaigen.files.inputs import decode
from gaigen.importing.clean import split_breaks
from gaigen.importing.columns import looks_laid_out, parse_laid_out
from gaigen.importing.limits import read_limited
from gaigen.importing.model import Block, Cell, Paragraph, Source, Table, Where
from gaigen.importing.narrative import part_of
from gaigen.render.text import char_widths

MAX_TEXT_BYTES = 8 * 1024 * 1024

# Markdown: ``## 一、总体情况`` headings and ``|---|:--:|`` rows under a table's first row.
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MARKDOWN_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_BORDER = re.compile(r"^\+(?:[-=]*\+)+$")
_ENDS_SENTENCE = re.compile(r"[。！？；：…”’）)】」』.!?;:]$")
_OPENS_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+)"
)
_JOIN_MIN = 20  # a line shorter than this is a heading or a short paragraph, never half a sentence
_CONTINUATION_MAX = 12  # the second half of a label broken inside a cell


def read_text(path: Path, name: str) -> Source:
    """Return the report in the text file at ``path``; raise ``InputError`` when it cannot be read."""
    raw = read_limited(path, name, MAX_TEXT_BYTES)
    text, _encoding = decode(raw, name)
    return parse_text(text, name)


def parse_text(text: str, name: str) -> Source:
    """Return the blocks of a report given as text."""
    if looks_laid_out(text):
        return parse_laid_out(text, name)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_MARKDOWN_HEADING.sub("", line) for line in lines]
    kinds = _with_lone_blank_rows(lines, [_classify(line) for line in lines])
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind in ("blank", "separator"):
            i += 1
        elif kind == "border":
            end = i
            while end < len(lines) and lines[end].strip()[:1] in ("+", "|"):
                end += 1
            blocks.append(Table(parse_grid(lines[i:end], i + 1), Where(line=i + 1)))
            i = end
        elif kind in ("cell", "row"):
            end = _table_end(lines, kinds, i)
            blocks.append(Table(_rows(lines, kinds, i, end), Where(line=i + 1)))
            i = end
        else:
            text_line, i = _paragraph(lines, kinds, i)
            for piece in split_breaks(text_line[1]):
                if piece.strip():
                    blocks.append(Paragraph(piece.strip(), Where(line=text_line[0])))
    return Source(name=name, kind="txt", blocks=blocks)


def _classify(line: str) -> str:
    stripped = line.strip()
    if _MARKDOWN_SEPARATOR.match(stripped):
        return "separator"
    if not stripped:
        return "cell" if line.startswith("\t") and line.count("\t") == 1 else "blank"
    if _BORDER.match(stripped):
        return "border"
    if "\t" in line.rstrip("\r\n "):  # trailing tabs are blank cells, not white space
        parts = line.rstrip(" ").split("\t")
        if line.startswith("\t") and len(parts) == 2:
            return "cell"
        filled = sum(1 for part in parts if part.strip())
        if line.startswith("\t") or filled >= 2 or len(parts) >= 3:
            return "row"
    if "|" in stripped and len(stripped.split("|")) >= 3:
        return "row"
    return "text"


def _with_lone_blank_rows(lines: list[str], kinds: list[str]) -> list[str]:
    """Return ``kinds`` with a label and one blank tab cell (``行政处罚\t``) among table rows made a row.

    Alone such a line could be prose with a stray tab; between rows of a tab-separated table it is
    the row of a one-column block whose only cell the agency left blank.
    """
    kinds = list(kinds)
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n ")
        lone_blank = kinds[i] == "text" and body.count("\t") == 1 and body.endswith("\t") and body.strip()
        near_rows = (i > 0 and kinds[i - 1] == "row") or (i + 1 < len(kinds) and kinds[i + 1] == "row")
        if lone_blank and near_rows:
            kinds[i] = "row"
    return kinds


def _continues_cell(lines: list[str], kinds: list[str], i: int) -> bool:
    """Return True when line ``i`` is the second half of a label broken inside the cell above it."""
    if kinds[i] != "text" or i == 0 or kinds[i - 1] not in ("cell", "continuation"):
        return False
    text = lines[i].strip()
    return len(text) <= _CONTINUATION_MAX and not text.endswith("。") and part_of(text) is None


def _table_end(lines: list[str], kinds: list[str], start: int) -> int:
    end = start
    while end < len(lines):
        if kinds[end] in ("cell", "row", "blank", "separator"):
            end += 1
        elif _continues_cell(lines, kinds, end):
            kinds[end] = "continuation"
            end += 1
        else:
            break
    while end > start and kinds[end - 1] in ("blank", "separator"):
        end -= 1
    return end


def _rows(lines: list[str], kinds: list[str], start: int, end: int) -> list[list[Cell]]:
    """Return the rows of a flattened table: one cell a line (blank line ends a row) or one row a line."""
    cell_lines = sum(1 for k in kinds[start:end] if k == "cell")
    row_lines = sum(1 for k in kinds[start:end] if k == "row")
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for i in range(start, end):
        kind, where = kinds[i], Where(line=i + 1)
        if kind == "separator":
            continue
        if kind == "blank":
            if current:
                rows.append(current)
                current = []
        elif kind == "continuation":
            if current:
                current[-1].text += "\n" + lines[i].strip()
        elif kind == "cell" and cell_lines >= row_lines:
            current.append(Cell(lines[i][1:].strip(), where))
        else:
            if current:
                rows.append(current)
                current = []
            rows.append([Cell(text, where) for text in _split_row(lines[i])])
    if current:
        rows.append(current)
    return rows


def _split_row(line: str) -> list[str]:
    text = line.rstrip("\n")
    if "\t" in text:
        return [part.strip() for part in text.split("\t")]
    parts = [part.strip() for part in text.strip().split("|")]
    if text.startswith("|"):  # Markdown's outer pipe; `` | 3 |`` (a space first) opens with a blank cell
        parts = parts[1:]
    if text.strip().endswith("|") and parts:
        parts = parts[:-1]  # the closing pipe ends the last cell; nothing follows it
    return parts


def _paragraph(lines: list[str], kinds: list[str], start: int) -> tuple[tuple[int, str], int]:
    """Return (line number, text) of the paragraph at ``start`` and the line after it.

    A line a web page broke in the middle of a sentence (long, no closing punctuation) is joined
    with the next one unless that opens a heading or a numbered item.
    """
    text = lines[start].strip()
    i = start + 1
    while (
        i < len(lines)
        and kinds[i] == "text"
        and len(text) >= _JOIN_MIN
        and not _ENDS_SENTENCE.search(text)
        and not text.endswith("报告")
        and not _OPENS_ITEM.match(text)
        and not _OPENS_ITEM.match(lines[i])
    ):
        text += lines[i].strip()
        i += 1
    return (start + 1, text), i


# --- tables drawn with + - | ----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _width(char: str) -> int:
    return max(wcwidth(char), 1)


def _display(line: str, ambiguous_wide: bool = False) -> list[str]:
    """Return the line as display columns: a wide character, then '' for its right half.

    With ``ambiguous_wide``, “” beside Chinese text are two columns too, as gaigen draws them
    (``gaigen.render.text.char_widths``) and a Chinese editor shows them.
    """
    if line.isascii():
        return list(line)
    widths = char_widths(line) if ambiguous_wide else [_width(char) if char >= "\u1100" else 1 for char in line]
    columns: list[str] = []
    for char, width in zip(line, widths, strict=True):
        columns.append(char)
        if width == 2:
            columns.append("")
    return columns


def parse_grid(lines: list[str], first_line: int) -> list[list[Cell]]:
    """Return the rows of a table drawn with ``+ - |`` borders; covered cells are empty cells.

    Border corners give the column and row boundaries; a boundary without a wall between two
    slots means they belong to one merged cell. A cell's text is its lines joined without
    spaces (a label wrapped inside a cell is one label).
    """
    canvas = [_display(line.rstrip()) for line in lines]
    # A table drawn with “” two columns wide (gaigen's own): the lines holding them come out two
    # columns short per quote when measured one column each; measure those the other way.
    common = max((len(row) for row in canvas), key=[len(row) for row in canvas].count)
    canvas = [
        wide if len(row) != common and len(wide := _display(line.rstrip(), ambiguous_wide=True)) == common else row
        for row, line in zip(canvas, lines, strict=True)
    ]
    width = max(len(row) for row in canvas)
    for row in canvas:
        row.extend([" "] * (width - len(row)))
    corners = [
        (y, x) for y, row in enumerate(canvas) for x, char in enumerate(row) if char == "+" and _is_corner(canvas, y, x)
    ]
    ys = sorted({y for y, _ in corners})
    xs = sorted({x for _, x in corners})
    if len(ys) < 2 or len(xs) < 2:
        return []
    slots = {(i, j): (i, j) for i in range(len(ys) - 1) for j in range(len(xs) - 1)}

    def find(slot: tuple[int, int]) -> tuple[int, int]:
        while slots[slot] != slot:
            slots[slot] = slots[slots[slot]]
            slot = slots[slot]
        return slot

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            slots[max(root_a, root_b)] = min(root_a, root_b)

    for i in range(len(ys) - 1):
        for j in range(len(xs) - 1):
            if j + 1 < len(xs) - 1 and not _vertical_wall(canvas, xs[j + 1], ys[i], ys[i + 1]):
                union((i, j), (i, j + 1))
            if i + 1 < len(ys) - 1 and not _horizontal_wall(canvas, ys[i + 1], xs[j], xs[j + 1]):
                union((i, j), (i + 1, j))
    cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in slots:
        cells.setdefault(find(slot), []).append(slot)
    boxes = []
    for members in cells.values():
        top, left = min(i for i, _ in members), min(j for _, j in members)
        bottom, right = max(i for i, _ in members), max(j for _, j in members)
        text_lines = []
        for y in range(ys[top] + 1, ys[bottom + 1]):
            text_lines.append("".join(canvas[y][xs[left] + 1 : xs[right + 1]]).strip())
        boxes.append((top, left, bottom, "".join(text_lines)))
    rows: list[list[Cell]] = []
    for i in range(len(ys) - 1):
        where = Where(line=first_line + ys[i] + 1)
        starts = [(left, text if top == i else "") for top, left, bottom, text in boxes if top <= i <= bottom]
        rows.append([Cell(text, where) for _, text in sorted(starts)])
    return rows


# Sets, not strings: the right half of a wide character is "", which ``in "|+"`` would accept.
_VERTICAL = frozenset("|+")
_HORIZONTAL = frozenset("-=+")


def _is_corner(canvas: list[list[str]], y: int, x: int) -> bool:
    if canvas[y][x] != "+":
        return False
    row = canvas[y]
    horizontal = (x > 0 and row[x - 1] in _HORIZONTAL) or (x + 1 < len(row) and row[x + 1] in _HORIZONTAL)
    vertical = (y > 0 and canvas[y - 1][x] in _VERTICAL) or (y + 1 < len(canvas) and canvas[y + 1][x] in _VERTICAL)
    return horizontal and vertical


def _vertical_wall(canvas: list[list[str]], x: int, top: int, bottom: int) -> bool:
    return all(canvas[y][x] in _VERTICAL for y in range(top + 1, bottom))


def _horizontal_wall(canvas: list[list[str]], y: int, left: int, right: int) -> bool:
    return all(canvas[y][x] in _HORIZONTAL for x in range(left + 1, right))
