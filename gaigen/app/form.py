"""The report as a form: one field per value of the data file's key tree, the tables as the official grids.

Nothing here is a second data model: the fields are the leaves of ``gaigen.spec.datafile.tree`` (the
tree ``init``, ``validate`` and ``convert`` use), the tables are drawn from ``gaigen.spec.grid`` (the
grids of the Word tables), and the values typed into the form become the same plain values a YAML
file gives (``12`` an integer, ``12.50`` a ``Decimal``, an empty cell ``None``), which the library's
reader and rules then check. A problem is placed at the field its key path names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from gaigen.core.problems import Problem
from gaigen.core.report import Report
from gaigen.core.totals import OUTCOME_TOTAL_ROW, outcome_rows
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Key, Leaf, ValueKind
from gaigen.spec.grid import Grid, grids
from gaigen.spec.layout import Edition, Kind

Path_ = tuple[str, ...]
_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)")
NUMBER_KINDS = (Kind.COUNT, Kind.SIGNED, Kind.MONEY, Kind.TOTAL, Leaf.YUAN, Leaf.YEAR)
EDITABLE_META = (datafile.AGENCY, datafile.YEAR, datafile.LEVEL, datafile.PUBLISHED, datafile.WEBSITE, datafile.CONTACT)


@dataclass(frozen=True)
class Field:
    """One input of the form: the value at ``path`` in the data file."""

    id: str  # f0, f1, … in file order: the HTML id
    path: Path_
    kind: ValueKind
    label: str
    help: str = ""
    required: bool = True
    key: str = ""  # the path as one string (JSON): the name the draft uses

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", path_key(self.path))

    @property
    def is_number(self) -> bool:
        return self.kind in NUMBER_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind is Leaf.TEXT


@dataclass(frozen=True)
class Cell:
    """One cell of a table as the form draws it: a label, or a number field."""

    text: str | None
    rowspan: int
    colspan: int
    field: Field | None = None
    total: bool = False  # a 总计 the clerk may leave empty: gaigen computes it
    header: bool = False


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    rows: tuple[tuple[Cell, ...], ...]
    cols: int


@dataclass(frozen=True, eq=False)
class Form:
    """The fields and tables of one edition."""

    edition: Edition
    fields: tuple[Field, ...]
    tables: tuple[TableView, ...]
    sums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # 总计 field id → the field ids it adds
    by_path: Mapping[Path_, Field] = field(default_factory=dict)

    def meta(self) -> list[Field]:
        return [f for f in self.fields if len(f.path) == 1 and f.path[0] in EDITABLE_META]

    def texts(self) -> list[Field]:
        return [f for f in self.fields if f.is_text]

    def fee(self) -> list[Field]:
        return [f for f in self.fields if f.path[:2] == (layout.OTHER_MATTERS, layout.FEE_GROUP)]

    def parts(self) -> list[Part]:
        """Return the six parts of the report in order, each with its text fields or its table."""
        tables = {t.key: t for t in self.tables}
        parts = []
        for heading, table in zip(layout.PART_HEADINGS, (None, *layout.TABLE_KEYS, None, None), strict=True):
            texts = [f for f in self.texts() if f.path[0] == heading]
            fee = self.fee() if heading == layout.OTHER_MATTERS else []
            parts.append(Part(heading, texts, fee, tables[table] if table else None))
        return parts


@dataclass(frozen=True)
class Part:
    heading: str
    texts: list[Field]
    fee: list[Field]
    table: TableView | None = None


def path_key(path: Iterable[str | int]) -> str:
    return json.dumps([str(p) for p in path], ensure_ascii=False)


@cache
def form_for(edition: Edition) -> Form:
    """Return the form of ``edition``: every value of its data file, its three official tables."""
    fields: list[Field] = []
    for path, entry in datafile.walk(datafile.tree(edition)):
        if not isinstance(entry, Key) or path == (datafile.EDITION,):
            continue
        label = entry.label if len(path) == 1 or path[0] not in layout.TABLE_KEYS else path[-1]
        fields.append(Field(f"f{len(fields)}", path, entry.kind, label, entry.help, entry.required))
    by_path = {f.path: f for f in fields}
    tables = tuple(_table(grid, by_path) for grid in grids(edition))
    return Form(edition, tuple(fields), tables, _sums(edition, by_path), by_path)


def _table(grid: Grid, by_path: Mapping[Path_, Field]) -> TableView:
    rows = []
    for row in range(grid.rows):
        cells = []
        for cell in sorted(grid.row_cells(row), key=lambda c: c.col):
            if cell.key is None:
                cells.append(Cell(cell.text, cell.rowspan, cell.colspan, header=row < grid.header_rows))
                continue
            table, row_path, column = cell.key
            found = by_path[(table, *row_path, column)]
            cells.append(Cell(None, cell.rowspan, cell.colspan, found, total=not found.required))
        rows.append(tuple(cells))
    return TableView(grid.key, grid.title, tuple(rows), grid.cols)


def _sums(edition: Edition, by_path: Mapping[Path_, Field]) -> dict[str, tuple[str, ...]]:
    """Return what each 总计 adds up, from the layout (format-spec §5), for the totals shown while typing."""
    sums: dict[str, tuple[str, ...]] = {}
    for table in layout.tables(edition):
        for row_path, row in table.rows():
            parts = [by_path[(table.key, *row_path, c.label)].id for c in row.columns if c.kind is not Kind.TOTAL]
            for column in row.columns:
                if column.kind is Kind.TOTAL:
                    sums[by_path[(table.key, *row_path, column.label)].id] = tuple(parts)
    report = Report(edition)  # outcome_rows reads only the edition
    for column in layout.APPLICANT_COLUMNS:
        target = by_path[("表三", *OUTCOME_TOTAL_ROW, column.label)].id
        if column.kind is not Kind.TOTAL:
            sums[target] = tuple(by_path[("表三", *r, column.label)].id for r in outcome_rows(report))
    return sums


# --- values ---------------------------------------------------------------------------------------


def shown(value: Any) -> str:
    """Return a value of a data file as the form shows it (numbers as written, paragraphs a line each)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(shown(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def typed(text: str, kind: ValueKind) -> Any:
    """Return what the clerk typed as the value a data file would hold, for the reader to check.

    Numbers become ``int`` or ``Decimal`` from the text as typed (never through a float); anything
    else stays text, so the reader refuses it with its own message. An empty number is ``None``.
    """
    if kind is Leaf.TEXT:
        return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
    plain = text.strip()
    if not plain:
        return None
    if kind in NUMBER_KINDS:
        if _INT.fullmatch(plain):
            return int(plain)
        if _DECIMAL.fullmatch(plain):
            try:
                return Decimal(plain)
            except InvalidOperation:
                return plain
        return plain
    if kind is Leaf.DATE:
        try:
            return dt.date.fromisoformat(plain)
        except ValueError:
            return plain
    return plain


def values_of(form: Form, data: Mapping[str, Any]) -> dict[str, str]:
    """Return the form's values (by path key) from a data file's values under the official labels."""
    values = {}
    for item in form.fields:
        node: Any = data
        for part in item.path:
            node = node.get(part) if isinstance(node, Mapping) else None
        values[item.key] = shown(node)
    return values


def data_of(form: Form, values: Mapping[str, str], hints: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the data-file values of the form (official labels, file order); unknown keys are ignored.

    An empty 总计 or optional item is left out, as ``init`` leaves it out; an empty text that held
    ``init``'s hint keeps the hint (``hints``), so the file still says what to write there.
    """
    data: dict[str, Any] = {datafile.EDITION: int(form.edition.value)}  # as init writes it
    for item in form.fields:
        value = typed(values.get(item.key, ""), item.kind)
        if item.is_text and not value and hints and item.key in hints:
            value = hints[item.key]
        if value is None and (not item.required or item.path[0] not in layout.TABLE_KEYS):
            continue
        node = data
        for part in item.path[:-1]:
            node = node.setdefault(part, {})
        node[item.path[-1]] = value
    return data


def field_for(form: Form, problem: Problem) -> Field | None:
    """Return the field a problem is about: the one at its key path, else the first under it."""
    if problem.path is None:
        return None
    path = tuple(str(p) for p in problem.path)
    by_path = form.by_path
    if problem.col_label and (*path, problem.col_label) in by_path:
        path = (*path, problem.col_label)  # a 总计 the file leaves out: its row is all the file can place
    for end in range(len(path), 0, -1):
        prefix = path[:end]
        if prefix in by_path:
            return by_path[prefix]
        under = next((f for f in form.fields if f.path[:end] == prefix), None)
        if under is not None:
            return under
    return None
