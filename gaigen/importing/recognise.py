"""Which official table a printed table is (by its labels), and which edition its labels belong to."""

from __future__ import annotations

import functools

from gaigen.importing.labels import HEADING, TABLE2, TABLE3, TABLE4, core, normalize, split_row
from gaigen.importing.model import Cell, Table
from gaigen.spec import layout
from gaigen.spec.layout import Edition


def has_values(values: list[Cell]) -> bool:
    """Return True when any of the cells holds text."""
    return any(cell.text.strip() for cell in values)


def all_labels(key: str) -> set[str]:
    """Return every label a table of ``key`` prints in either edition: rows, columns, aliases, headings."""
    labels: set[str] = set()
    for edition in Edition:
        table = layout.table(edition, key)
        for path, row in table.rows():
            labels.update(path)
            labels.update(c.label for c in row.columns)
            labels.update(row.aliases)
            labels.update(a for c in row.columns for a in c.aliases)
        for block in table.blocks:
            labels.add(block.heading)
    if key == TABLE2:
        labels.add("信息内容")
    if key == TABLE3:
        labels.update({layout.TABLE3_NOTE, layout.TABLE3_GROUP, layout.TABLE3_LEGAL_PERSONS})
    return labels


_SIGNATURES = {key: {core(label) for label in all_labels(key)} for key in layout.TABLE_KEYS}
_SHARED = _SIGNATURES[TABLE3] & _SIGNATURES[TABLE4] | _SIGNATURES[TABLE2] & _SIGNATURES[TABLE3]
_SIGNATURES = {key: labels - _SHARED for key, labels in _SIGNATURES.items()}


def kind_of(table: Table) -> str | None:
    """Return 表二, 表三 or 表四 when the table's labels say which it is, else None."""
    scores = dict.fromkeys(layout.TABLE_KEYS, 0)
    for row in table.rows:
        for cell in row:
            text = core(cell.text)
            if not text:
                continue
            for key, labels in _SIGNATURES.items():
                if (
                    text in labels
                    or (key == TABLE2 and HEADING.match(normalize(cell.text)))
                    or (key == TABLE3 and "勾稽" in text)
                ):
                    scores[key] += 1
    best = max(layout.TABLE_KEYS, key=lambda key: scores[key])
    return best if scores[best] >= 3 else None


def edition_of(key: str, rows: list[list[Cell]], fallback: Edition) -> Edition:
    """Return the edition a table's labels belong to (format-spec §8.4)."""
    scores = dict.fromkeys(Edition, 0)
    labels = {edition: _edition_labels(edition, key) for edition in Edition}
    only = {edition: labels[edition] - labels[edition.other] for edition in Edition}
    single_other = 0
    for cells in rows:
        row_labels, values = split_row(cells)
        for cell in row_labels:
            text = core(cell.text)
            for edition in Edition:
                if text in only[edition]:
                    scores[edition] += 1
        if key == TABLE3 and row_labels and core(row_labels[-1].text) == "其他处理" and has_values(values):
            single_other += 1
    if key == TABLE3:
        if scores[Edition.E2021]:
            return Edition.E2021
        if single_other:
            return Edition.E2019
        data_rows = sum(1 for cells in rows if has_values(split_row(cells)[1]))
        if data_rows in (23, 25):
            return Edition.E2019 if data_rows == 23 else Edition.E2021
        return fallback
    if scores[Edition.E2019] == scores[Edition.E2021]:
        return fallback
    return max(Edition, key=lambda e: scores[e])


@functools.cache
def _edition_labels(edition: Edition, key: str) -> frozenset[str]:
    table = layout.table(edition, key)
    labels: set[str] = set()
    for path, row in table.rows():
        labels.update(core(part) for part in path)
        labels.update(core(c.label) for c in row.columns)
    if key == TABLE3 and edition is Edition.E2021:
        labels.discard(core(layout.OTHER_PROCESSING))
    return frozenset(labels)


@functools.cache
def all_labels_compact(key: str) -> frozenset[str]:
    """Return ``all_labels(key)`` without white space, as labels are compared in copies."""
    return frozenset("".join(label.split()) for label in all_labels(key))
