"""Reports as the web mangles them, made from a render context (format-spec §8.5, the seeds).

``flattened`` writes the report as text with every table flattened the way a web page's text
copy flattens it: one cell a line after a tab with a blank line after each row and an empty cell
for a vertical merge (seeds 000, 002, 003), one row a line with tab-separated cells (seed 001), or
with ``|`` between cells (seed 004). ``split_labels`` breaks labels inside their cell, and the
text can then be turned into traditional characters (``traditional``) or get half-width
brackets (``half_width``).
"""

from __future__ import annotations

from typing import Any

from gaigen.render.context import Context
from gaigen.spec.grid import Grid

STYLES = ("cell-per-line", "tabs", "pipes")


def _grid_rows(
    grid: Grid, values: dict[str, str], drop_column: int | None = None, blank_zeros: bool = False
) -> list[list[str]]:
    """Return the table as a text copy shows it: per row the cells starting there, '' under a vertical merge.

    ``blank_zeros`` leaves every 0 cell empty, as an agency that leaves blank what did not happen.
    """
    rows: list[list[str]] = []
    for r in range(grid.rows):
        entries = []
        for cell in grid.cells:
            if cell.col == drop_column and cell.colspan == 1:
                continue
            if cell.row == r:
                text = values.get(cell.name, "") if cell.is_number else cell.text or ""
                if blank_zeros and cell.is_number and text == "0":
                    text = ""
                entries.append((cell.col, text))
            elif cell.row < r < cell.row + cell.rowspan:
                entries.append((cell.col, ""))
        rows.append([text for _, text in sorted(entries)])
    return rows


def _split(label: str) -> str:
    """Return a label with its last characters on a second line (``商业`` / ``企业``, seed 002)."""
    if len(label) < 4 or label.isdigit():
        return label
    tail = min(4, len(label) // 2)
    return label[:-tail] + "\n" + label[-tail:]


def flattened(
    context: Context, style: str, split_labels: bool = False, without_total: bool = False, blank_zeros: bool = False
) -> str:
    """Return the report as text with each table flattened in ``style`` (表三 without its 总计 column)."""
    lines = [context.title, *context.preamble]
    for part in context.parts:
        lines.append(part.heading)
        for section in part.sections:
            if section.heading:
                lines.append(section.heading)
            lines += list(section.paragraphs)
        if part.table:
            drop = 9 if without_total and part.table == "表三" else None
            rows = _grid_rows(context.grids[part.table], context.cells[part.table], drop, blank_zeros)
            if split_labels:
                rows = [[_split(text) if not _is_number(text) else text for text in row] for row in rows]
            lines += ["", *_table_lines(rows, style), "", ""]
    lines += [context.signature, context.date]
    return "\n".join(lines) + "\n"


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).lstrip("-").isdigit()


def _table_lines(rows: list[list[str]], style: str) -> list[str]:
    lines: list[str] = []
    for row in rows:
        if style == "cell-per-line":
            for text in row:
                lines.append("\t" + text)  # a label broken inside its cell continues on the next line
            lines.append("")
        elif style == "tabs":
            lines.append("\t".join(text.replace("\n", "") for text in row))
        else:
            lines.append(" | ".join(text.replace("\n", " ") for text in row) + " |")
    return lines


def traditional(text: str) -> str:
    """Return ``text`` in traditional characters, as a web site's conversion shows it (OpenCC s2t)."""
    import opencc  # type: ignore[import-untyped]

    converter: Any = opencc.OpenCC("s2t")
    result: str = converter.convert(text)
    return result


def half_width(text: str) -> str:
    """Return ``text`` with full-width brackets turned half-width (seed 001, seed 004)."""
    return text.replace("（", "(").replace("）", ")")


def one_line(context: Context, spaces: int = 0, blank_zeros: bool = False) -> str:
    """Return the report as a web page's text copy that lost every line break and cell separator.

    Headings run into their text and each table into one string: labels glued together, the
    numbers of a row fused into one run of digits. Bit ``i`` of ``spaces`` keeps a space at the
    ``i``-th boundary between two numbers (some pages keep a few); ``blank_zeros`` leaves out every
    0 cell, as a page whose agency left blank what did not happen.
    """
    pieces = [context.title, *context.preamble]
    boundary = 0
    for part in context.parts:
        pieces.append(part.heading)
        for section in part.sections:
            if section.heading:
                pieces.append(section.heading)
            pieces += list(section.paragraphs)
        if part.table:
            rows = _grid_rows(context.grids[part.table], context.cells[part.table])
            table = ""
            for row in rows:
                for text in row:
                    text = text.replace("\n", "")
                    if blank_zeros and text == "0":
                        text = ""
                    if _is_number(text) and table[-1:].isdigit():
                        if spaces >> (boundary % 60) & 1:
                            table += " "
                        boundary += 1
                    table += text
            pieces.append(table)
    pieces += [context.signature, context.date]
    return "".join(piece.replace("\n", "") for piece in pieces) + "\n"


def markdown(context: Context, cut_every: int = 0) -> str:
    """Return the report as a PDF-to-Markdown converter writes it.

    ``#`` heading marks, pipe tables with outer pipes and a ``|---|`` row under the first row, and,
    with ``cut_every``, each table cut into pieces of that many rows (a page break in the PDF),
    each piece opening with its own separator row after a blank line.
    """
    lines = ["# " + context.title, *context.preamble]
    for part in context.parts:
        lines.append("## " + part.heading)
        for section in part.sections:
            if section.heading:
                lines.append("### " + section.heading)
            lines += list(section.paragraphs)
        if part.table:
            rows = _grid_rows(context.grids[part.table], context.cells[part.table])
            lines.append("")
            for index, row in enumerate(rows):
                cells = [text.replace("\n", "") for text in row]
                if cut_every and index and index % cut_every == 0:
                    lines += ["", "|" + "---|" * len(cells)]
                lines.append("| " + " | ".join(cells) + " |")
                if index == 0:
                    lines.append("|" + "---|" * len(cells))
            lines.append("")
    lines += [context.signature, context.date]
    return "\n".join(lines) + "\n"
