"""The plain-text report: the Word report's content, tables drawn as grids for a monospace font.

Widths are measured with wcwidth (a Chinese character takes two columns), borders are ASCII
(``+ - |``) because box-drawing characters are drawn double-width by many Chinese fonts, and a
merged cell is drawn once with no inner border. One paragraph a line, UTF-8: fit for pasting into
a web CMS or an e-mail.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from wcwidth import wcswidth, wcwidth

from gaigen.render.context import Context
from gaigen.spec import layout
from gaigen.spec.grid import Grid, GridCell

INDENT = "\u3000\u3000"  # two full-width spaces: the first-line indent of Chinese body text
LINE_WIDTH = 72

# Content width of each grid column, in display columns (a Chinese character is 2).
COLUMN_WIDTHS = {
    layout.TABLE2: (20, 14, 14, 14),
    layout.TABLE3: (2, 8, 26, 8, 8, 8, 8, 8, 8, 8),
    layout.TABLE4: (4,) * 15,
}
_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8


def render_text(context: Context) -> str:
    """Return the whole report as plain text."""
    lines = [context.title, "", *(INDENT + p for p in context.preamble)]
    for part in context.parts:
        lines.append(part.heading)
        for section in part.sections:
            if section.heading:
                lines.append(section.heading)
            lines += [INDENT + p for p in section.paragraphs]
        if part.table:
            lines += ["", *draw_grid(context.grids[part.table], context.cells[part.table]), ""]
    lines += ["", _right(context.signature), _right(context.date)]
    return "\n".join(lines) + "\n"


# Line-breaking rules (禁则): never at the start of a line, never at its end.
CLOSING = "，。、；：？！）》〉」』】〕”’…—%％·"
OPENING = "（《〈「『【〔“‘"
# Punctuation of ambiguous width (“ ” ‘ ’ … — ·): wcwidth counts one column, but every Chinese
# monospace font, and so a Chinese reader's editor, draws it two columns wide next to Chinese text.
_AMBIGUOUS = frozenset("“”‘’…—·")


def _right(text: str) -> str:
    return " " * max(0, LINE_WIDTH - display_width(text)) + text


def char_widths(text: str) -> list[int]:
    """Return the display width of each character of ``text``: a Chinese character takes two
    columns, and so does ambiguous punctuation (“”) beside a Chinese character."""
    widths = [max(wcwidth(char), 1) for char in text]
    for index, char in enumerate(text):
        if char in _AMBIGUOUS:
            neighbours = text[max(0, index - 1) : index] + text[index + 1 : index + 2]
            if any(_wide(other) for other in neighbours):
                widths[index] = 2
    return widths


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str) -> int:
    """Return the columns ``text`` takes in a Chinese reader's monospace editor."""
    if text.isascii():  # the numbers of every table: one column a character, as below
        return len(text)
    if wcswidth(text) < 0:
        return len(text)
    return sum(char_widths(text))


def wrap(text: str, width: int) -> list[str]:
    """Return ``text`` broken into lines of at most ``width`` display columns.

    A label that opens with an ordinal such as ``（三）`` and does not fit breaks after it, as
    printed tables do (``（三）`` / ``不予公开``).
    """
    if display_width(text) > width and text.startswith("（") and "）" in text[:5]:
        head, _, rest = text.partition("）")
        if display_width(head) + 2 <= width:
            return [head + "）", *wrap(rest, width)]
    lines: list[str] = []
    start, used = 0, 0
    widths = char_widths(text)
    for index, char_width in enumerate(widths):
        if index > start and used + char_width > width:
            end = index
            # closing punctuation never starts a line, opening never ends one: take a character
            # down with it (the previous line then stays a little short)
            while end - 1 > start and (text[end] in CLOSING or text[end - 1] in OPENING):
                end -= 1
            lines.append(text[start:end])
            start, used = end, sum(widths[end:index])
        used += char_width
    lines.append(text[start:])
    return lines


def draw_grid(grid: Grid, values: dict[str, str]) -> list[str]:
    """Return the lines of ``grid`` drawn with its merges, numbers taken from ``values``."""
    widths = list(COLUMN_WIDTHS[grid.key])
    for cell in grid.number_cells():  # widen a single column for a number that does not fit
        if cell.colspan == 1:
            widths[cell.col] = max(widths[cell.col], display_width(values.get(cell.name, "")))
    frame = _frame(grid, tuple(widths))
    rows = [list(row) for row in frame.rows]
    for name, x, y, inner in frame.slots:
        text = values.get(name, "")[:inner]  # numbers are ASCII: one column a character
        start = x + (inner - len(text)) // 2
        rows[y][start : start + len(text)] = list(text)
    return ["".join(row).rstrip() for row in rows]


@dataclass(frozen=True)
class _Frame:
    """A grid drawn once for a set of column widths: borders and labels, with slots for numbers."""

    rows: tuple[tuple[str, ...], ...]
    slots: tuple[tuple[str, int, int, int], ...]  # cell name, x, y, inner width


@functools.lru_cache(maxsize=64)
def _frame(grid: Grid, widths: tuple[int, ...]) -> _Frame:
    labels = {cell: wrap(cell.text or "", _span_width(widths, cell)) for cell in grid.cells if not cell.is_number}
    heights = [1] * grid.rows
    for cell, lines in sorted(labels.items(), key=lambda item: item[0].rowspan):
        inside = sum(heights[cell.row : cell.row + cell.rowspan]) + cell.rowspan - 1
        if len(lines) > inside:
            heights[cell.row + cell.rowspan - 1] += len(lines) - inside
    xs = [0]
    for width in widths:
        xs.append(xs[-1] + width + 1)
    ys = [0]
    for height in heights:
        ys.append(ys[-1] + height + 1)
    canvas = _Canvas(xs[-1] + 1, ys[-1] + 1)
    slots = []
    for cell in grid.cells:
        left, right = xs[cell.col], xs[cell.col + cell.colspan]
        top, bottom = ys[cell.row], ys[cell.row + cell.rowspan]
        canvas.box(left, top, right, bottom)
        inner = right - left - 1
        if cell.is_number:
            slots.append((cell.name, left + 1, top + 1, inner))
            continue
        for offset, line in enumerate(labels[cell]):
            canvas.text(left + 1 + _align(cell, line, inner), top + 1 + offset, line)
    return _Frame(tuple(tuple(row) for row in canvas.cells()), tuple(slots))


def _span_width(widths: Sequence[int], cell: GridCell) -> int:
    return sum(widths[cell.col : cell.col + cell.colspan]) + cell.colspan - 1


def _align(cell: GridCell, line: str, inner: int) -> int:
    if cell.is_number or (cell.colspan > 1 and cell.row < 3 and cell.col > 0):
        return (inner - display_width(line)) // 2
    return 0


class _Canvas:
    """Character cells with line flags at border points; wide characters take two cells."""

    def __init__(self, width: int, height: int) -> None:
        self.chars: list[list[str]] = [[" "] * width for _ in range(height)]
        self.flags = [[0] * width for _ in range(height)]

    def box(self, left: int, top: int, right: int, bottom: int) -> None:
        for x in range(left, right):
            self.flags[top][x] |= _RIGHT
            self.flags[top][x + 1] |= _LEFT
            self.flags[bottom][x] |= _RIGHT
            self.flags[bottom][x + 1] |= _LEFT
        for y in range(top, bottom):
            self.flags[y][left] |= _DOWN
            self.flags[y + 1][left] |= _UP
            self.flags[y][right] |= _DOWN
            self.flags[y + 1][right] |= _UP

    def text(self, x: int, y: int, line: str) -> None:
        for char, char_width in zip(line, char_widths(line), strict=True):
            self.chars[y][x] = char
            for extra in range(1, char_width):
                self.chars[y][x + extra] = ""  # the right half of a wide character
            x += char_width

    def cells(self) -> list[list[str]]:
        """Return each line as its character cells, borders drawn (a wide character's right half is "")."""
        return [
            [_border(flag) if flag else char for char, flag in zip(row, self.flags[y], strict=True)]
            for y, row in enumerate(self.chars)
        ]


def _border(flag: int) -> str:
    horizontal = flag & (_LEFT | _RIGHT)
    vertical = flag & (_UP | _DOWN)
    if horizontal and vertical:
        return "+"
    return "-" if horizontal else "|"
