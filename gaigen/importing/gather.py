"""The official tables of a report found among its blocks, joined where they were cut, and read.

A table is recognised by its labels (``recognise.kind_of``). A piece that follows a recognised
table goes on with it when it holds only numbers or only that table's labels (the rest of a table
broken across pages, or cut up by a Markdown converter), or when it stands under the same part
heading (二, 三 or 四). A table whose labels were all torn out is taken for the table its part
heading announces. A table copied as one cell a line without tabs is found in the short lines
under its heading. When one table's fused runs prove that blank cells left no trace, no table's
runs are split.
"""

from __future__ import annotations

import re
from typing import Any

from gaigen.importing.clean import compact
from gaigen.importing.model import Block, Cell, Paragraph, Table, Where
from gaigen.importing.narrative import Narrative, part_of
from gaigen.importing.recognise import all_labels_compact, kind_of
from gaigen.importing.tables import TableRead, read_table
from gaigen.importing.values import looks_like_value
from gaigen.spec import layout
from gaigen.spec.layout import Edition


def read_tables(blocks: list[Block], fallback: Edition) -> dict[str, TableRead]:
    """Return each official table found, read; a table continued in a second block is joined."""
    grouped: dict[str, tuple[list[list[Any]], Where]] = {}
    previous: str | None = None
    section: str | None = None  # the table the last part heading (二, 三, 四) announces
    for block in blocks:
        if not isinstance(block, Table):
            heading = part_of(block.text) if len(block.text) < 50 else None
            if heading is not None:
                section = _TABLE_OF_PART.get(heading[0])
            continue
        kind = kind_of(block)
        if kind is None:
            kind = previous if previous is not None and _continues(block, previous) else None
        if (
            kind is None
            and section is not None
            and _has_numbers(block)
            and (section == previous or section not in grouped)
        ):
            # Its labels were torn out of the grid or mangled, but it stands under its part's heading:
            # the first piece there, or one going on from the piece before it.
            kind = section
        if kind is None:
            continue
        if kind in grouped:
            grouped[kind][0].extend(block.rows)
        else:
            grouped[kind] = (list(block.rows), block.where)
        previous = kind
    found: dict[str, TableRead] = {}
    edition = fallback
    for key in layout.TABLE_KEYS:
        if key in grouped:
            rows, where = grouped[key]
            found[key] = read_table(key, rows, where, edition)
            edition = found[key].edition or edition
    proof = next((read.vanished for read in found.values() if read.vanished is not None), None)
    if proof is not None:  # blank cells vanished from one table's runs: no table's runs can be split
        for key, read in found.items():
            if read.runs and read.vanished is None:
                rows, where = grouped[key]
                found[key] = read_table(key, rows, where, read.edition or edition, vanished=proof)
    return found


_TABLE_PARTS = {layout.TABLE2: 2, layout.TABLE3: 3, layout.TABLE4: 4}


_TOKEN_MAX = 40  # the longest official label (表三 （六）2) has 36 characters


def read_streamed_tables(
    found: dict[str, TableRead], paragraphs: list[Paragraph], narrative: Narrative, fallback: Edition
) -> None:
    """Read a table copied as one cell a line without tabs (it looks like short paragraphs).

    A table not found among the real tables is looked for in the short lines under its part's
    heading: a label line starts a row, the number lines after it are the row's cells. Blank
    cells leave no line in such a copy, so a row short of numbers is unreadable, never aligned.
    """
    headings = sorted(narrative.headings.values(), key=lambda heading: heading.index)
    edition = next((read.edition for read in found.values() if read.edition is not None), fallback)
    for key, part in _TABLE_PARTS.items():
        heading = narrative.headings.get(part)
        if key in found or heading is None:
            continue
        end = next((h.index for h in headings if h.index > heading.index), len(paragraphs))
        rows: list[list[Cell]] = []
        for paragraph in paragraphs[heading.index + 1 : end]:
            if len(compact(paragraph.text)) > _TOKEN_MAX:
                continue
            cell = Cell(paragraph.text, paragraph.where)
            if rows and looks_like_value(rows[-1][-1].text) and not looks_like_value(cell.text):
                rows.append([cell])
            elif rows:
                rows[-1].append(cell)
            else:
                rows.append([cell])
        table = Table(rows, heading.where)
        if rows and kind_of(table) == key:
            found[key] = read_table(key, rows, heading.where, edition, blanks_shown=False)
            edition = found[key].edition or edition


_TABLE_OF_PART = {2: layout.TABLE_KEYS[0], 3: layout.TABLE_KEYS[1], 4: layout.TABLE_KEYS[2]}


def _has_numbers(block: Table) -> bool:
    return any(looks_like_value(cell.text) and cell.text.strip() for row in block.rows for cell in row)


def _continues(block: Table, previous: str) -> bool:
    """Return True for the rest of a table cut into pieces (across pages, or by a Markdown converter).

    The piece holds only numbers, or its labels are all labels of the table it follows.
    """
    cells = [cell for row in block.rows for cell in row if cell.text.strip()]
    labels = all_labels_compact(previous)
    return bool(cells) and all(looks_like_value(cell.text) or re.sub(r"\s+", "", cell.text) in labels for cell in cells)
