"""The web page: one self-contained, semantic HTML file per report, ready for an agency's website.

The page is UTF-8 with no external asset: its print style sheet gives an A4 page close to the
Word report (GB/T 9704 margins, 仿宋 body, 黑体 and 楷体 headings), and each table is the official
grid of ``gaigen.spec.grid`` cell for cell (``rowspan``/``colspan`` as the grid says, ``<th scope>`` for
every label, ``<thead>`` for the header rows, one ``<tbody>`` per 表二 block). Borders, padding and
alignment are written on the table and on every cell (plus ``border="1"``), so a table pasted into
a CMS editor keeps its look without the page's style sheet — pasting from Word is what breaks the
tables on agencies' sites today.

The template is package data (``gaigen/templates/report.html``, a copy of ``templates/report.html``
kept in sync by ``scripts/build_templates.py``), compiled once by the one jinja environment with
escaping on: narrative text is data, never markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2

from gaigen.render.context import Context
from gaigen.render.jinja_env import environment
from gaigen.render.printed import BREAK, JOINER, breakable, clean, lines, signature_indents, title_lines
from gaigen.spec import layout
from gaigen.spec.grid import Grid, GridCell, kept_rows

TEMPLATE_NAME = "report.html"
TABLE_IDS = {layout.TABLE2: "table-2", layout.TABLE3: "table-3", layout.TABLE4: "table-4"}
# Column widths in per cent of the table, from the Word report's millimetres (format-spec §7.3).
COLUMN_PERCENT = {
    layout.TABLE2: (30.77, 23.08, 23.08, 23.07),
    layout.TABLE3: (8.97, 13.78, 25.96, 8.97, *(7.05,) * 5, 7.07),
    layout.TABLE4: (6.67,) * 14 + (6.62,),
}


def template_text() -> str:
    """Return the packaged HTML template (``gaigen/templates/report.html``)."""
    return resources.files("gaigen").joinpath("templates", TEMPLATE_NAME).read_text(encoding="utf-8")


@functools.cache
def _template() -> jinja2.Template:
    return environment(xml=True).from_string(template_text())


@dataclass(frozen=True)
class HtmlCell:
    """One ``<th>`` or ``<td>`` as the template writes it."""

    tag: str  # th / td
    kind: str  # heading (a 表二 block), col (column header), row (row header), number
    text: str
    rowspan: int = 1
    colspan: int = 1
    scope: str | None = None


def _scope(cell: GridCell, grid: Grid) -> tuple[str, str]:
    """Return the kind of a label cell and its ``scope``."""
    if grid.key == layout.TABLE2 and cell.colspan == grid.cols:
        return "heading", "rowgroup"  # 第二十条第（…）项: heads the rows of its <tbody>
    if cell.row < grid.header_rows or (grid.key == layout.TABLE2 and _is_header_row(grid, cell.row)):
        return "col", "colgroup" if cell.colspan > 1 else "col"
    return "row", "rowgroup" if cell.rowspan > 1 else "row"


def _is_header_row(grid: Grid, row: int) -> bool:
    """Return whether a 表二 row is a column-header row (信息内容 | column labels)."""
    return all(not c.is_number for c in grid.row_cells(row)) and len(grid.row_cells(row)) > 1


def html_cells(grid: Grid, values: dict[str, str]) -> list[list[HtmlCell]]:
    """Return the rows of ``grid`` as HTML cells, each starting where the grid says."""
    rows: list[list[HtmlCell]] = []
    for row in range(grid.rows):
        cells = []
        for cell in sorted(grid.row_cells(row), key=lambda c: c.col):
            if cell.is_number:
                cells.append(HtmlCell("td", "number", clean(values.get(cell.name, "")), cell.rowspan, cell.colspan))
            else:
                kind, scope = _scope(cell, grid)
                cells.append(HtmlCell("th", kind, clean(cell.text or ""), cell.rowspan, cell.colspan, scope))
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class HtmlRow:
    """One ``<tr>``: its cells, and whether it stays on the page of the row below (``class="keep"``)."""

    cells: list[HtmlCell]
    keep: bool = False


def _groups(grid: Grid, cells: list[list[HtmlCell]]) -> tuple[list[HtmlRow], list[list[HtmlRow]]]:
    """Return the ``<thead>`` rows and the ``<tbody>`` groups: one per 表二 block, else one."""
    kept = kept_rows(grid)
    rows = [HtmlRow(row, index in kept) for index, row in enumerate(cells)]
    head = rows[: grid.header_rows]
    body = rows[grid.header_rows :]
    if grid.key != layout.TABLE2:
        return head, [body]
    groups: list[list[HtmlRow]] = []
    for row in body:
        if row.cells and row.cells[0].kind == "heading":
            groups.append([])
        groups[-1].append(row)
    return head, groups


def variables(context: Context) -> dict[str, Any]:
    """Return the values the HTML template reads."""
    tables = {}
    for key, grid in context.grids.items():
        head, bodies = _groups(grid, html_cells(grid, context.cells.get(key, {})))
        tables[key] = {
            "id": TABLE_IDS[key],
            "widths": COLUMN_PERCENT[key],
            "head": head,
            "bodies": bodies,
        }
    parts = [
        {
            "id": f"part-{index}",
            "heading": clean(part.heading),
            "sections": [
                {"heading": clean(section.heading), "paragraphs": [_pieces(p) for p in section.paragraphs]}
                for section in part.sections
            ],
            "table": tables[part.table] if part.table is not None else None,
        }
        for index, part in enumerate(context.parts, start=1)
    ]
    return {
        "title": clean(context.title),
        "title_lines": title_lines(context.title),
        "preamble": [_pieces(p) for p in context.preamble],
        "parts": parts,
        "signature": clean(context.signature),
        "date": clean(context.date),
        # GB/T 9704 §7.3.5.2, as in the Word report: how far each line stands from the right, in em
        "signature_right": [f"{chars:g}" for chars in signature_indents(context.signature, context.date)],
        "agency": clean(context.agency),
        "edition": context.edition.value,
    }


def _pieces(paragraph: str) -> list[list[str]]:
    """Return a paragraph's lines, each split where an address may break (``<wbr>`` in the page)."""
    return [line.replace(JOINER, "").split(BREAK) for line in lines(breakable(paragraph))]


def render_html(context: Context) -> str:
    """Return the report as one HTML page; the same context always gives the same text."""
    return _template().render(variables(context))
