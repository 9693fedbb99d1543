"""Printed rows matched to the official rows of a table: by label, else by position between named rows.

A row is named by its label (``labels.match_label``); recognised rows are kept in increasing order
and the rows between two of them that named nothing are paired with the official rows left there
when the counts agree and each label is unreadable, empty (a label wrapped onto another line), a
torn piece of the official one, or close to it. 表二's column headers are remembered for the rows
below them; a 表三 printed without its 总计 column is recognised.
"""

from __future__ import annotations

import difflib
import itertools

from gaigen.importing.clean import compact, looks_garbled
from gaigen.importing.labels import Expected, Observed, core, match_label, normalize, split_row
from gaigen.importing.model import Cell
from gaigen.importing.recognise import has_values
from gaigen.spec import layout

_FRAGMENT_MIN = 6


def observe(rows: list[list[Cell]], expected: list[Expected]) -> list[Observed]:
    """Return the data rows, each with the official row its label names (None when it names none).

    表二's column header rows (``信息内容`` …) are remembered for the rows below them; a header
    broken over two table rows (seed 003: ``本年新`` / ``制作数量``) is joined cell by cell.
    """
    observed: list[Observed] = []
    header: list[str] = []
    after_header = False
    for cells in rows:
        labels, values = split_row(cells)
        match = None
        for cell in reversed(labels):
            match = match_label(cell.text, expected)
            if match is not None:
                break
        if labels and core(labels[0].text) == "信息内容" and not has_values(values):
            header = [cell.text for cell in cells[1:]]
            after_header = True
            continue
        inline = [i for i, cell in enumerate(labels[:-1]) if core(cell.text) == "信息内容"]
        if inline:  # a copy without row breaks: the header runs into the row below it
            header = [cell.text for cell in labels[inline[0] + 1 : -1]]
        exact = match is not None and bool(labels) and normalize(labels[-1].text) == expected[match].forms.label
        if has_values(values) or (exact and values):
            where = values[0].where if values else cells[0].where
            observed.append(Observed(labels, values, where, header, match))
        elif after_header and match is None and len(cells) == len(header) + 1:
            header = [
                top + "\n" + cell.text if cell.text.strip() else top
                for top, cell in zip(header, cells[1:], strict=True)
            ]
        after_header = False
    return observed


def align(
    observed: list[Observed], count: int, expected: list[Expected] | None = None
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Return official row index → observed row index, and the pairs recovered by order only.

    Recognised rows are kept in increasing order; between two of them, unrecognised rows are
    paired with the official rows left there when their numbers agree and each label is
    unreadable (mojibake, none) or close to the official one — a readable label of a row the
    format does not have (a local addition) is never taken for an official row.
    """
    anchors: list[tuple[int, int]] = []
    last = -1
    for i, row in enumerate(observed):
        if row.match is not None and row.match > last:
            anchors.append((i, row.match))
            last = row.match
    result = {j: i for i, j in anchors}
    by_order: list[tuple[int, int]] = []
    bounds = [(-1, -1), *anchors, (len(observed), count)]
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        rows_between = [i for i in range(i0 + 1, i1) if observed[i].match is None]
        expected_between = list(range(j0 + 1, j1))
        pairs = list(zip(rows_between, expected_between, strict=False))
        if rows_between and len(rows_between) == len(expected_between):
            if expected is not None and not all(_may_be(observed[i], expected[j]) for i, j in pairs):
                continue
            for i, j in pairs:
                result[j] = i
                by_order.append((j, i))
    return result, by_order


def _may_be(row: Observed, official: Expected) -> bool:
    """Return True when a row whose label named nothing may stand for ``official`` by its position."""
    label = row.labels[-1].text if row.labels else ""
    if not label.strip() or looks_garbled(label):
        return True
    printed, wanted = core(label), core(official.row.label)
    if len(printed) >= _FRAGMENT_MIN and printed in wanted:
        return True  # a piece of the label, the rest torn off by a converter (``行政机关不再处理其政``)
    return difflib.SequenceMatcher(None, printed, wanted).ratio() >= 0.6


def absent_total(rows: list[list[Cell]], observed: list[Observed]) -> str | None:
    """Return 总计 when 表三 was printed without its 总计 column: no such header, six numbers a row.

    Without this, every row would be one cell short and aligned to the wrong columns.
    """
    first_data = min((id(row.labels[0]) if row.labels else id(row.values[0]) for row in observed), default=None)
    headers: set[str] = set()
    for cells in rows:
        if any(id(cell) == first_data for cell in cells):
            break
        headers.update(compact(cell.text) for cell in cells)
    if {layout.TOTAL, "合计"} & headers or not observed:
        return None
    lengths = [len(_trimmed(row.values)) for row in observed]
    six = sum(1 for length in lengths if length == len(layout.APPLICANT_COLUMNS) - 1)
    return layout.TOTAL if six >= 0.6 * len(lengths) else None


def _trimmed(values: list[Cell]) -> list[Cell]:
    cells = list(values)
    while cells and not cells[-1].text.strip():
        cells.pop()
    while cells and not cells[0].text.strip():
        cells.pop(0)
    return cells
