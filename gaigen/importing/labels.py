"""Official row labels as a report prints them: matching a printed label to its row, and F-5 findings.

A printed label names an official row by its exact text, an alias, its core (the label without its
ordinal, ``keys.normalize``/``keys.core``) or a readable tail of it; labels that differ from the
official wording are reported (F-5), half-width brackets once per table.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from gaigen.core.keys import core as _core
from gaigen.core.keys import normalize as _normalize
from gaigen.core.problems import Severity
from gaigen.importing.clean import compact, folded, looks_garbled
from gaigen.importing.model import Cell, Finding, Where
from gaigen.importing.values import looks_like_value
from gaigen.spec import layout
from gaigen.spec.layout import Edition, Row, RowPath

W = Severity.WARNING
TABLE2, TABLE3, TABLE4 = layout.TABLE_KEYS
# Labels repeat in every report: the key-matching forms of ``gaigen.core.keys``, memoised.
normalize = functools.lru_cache(maxsize=8192)(_normalize)
core = functools.lru_cache(maxsize=8192)(_core)
HEADING = re.compile(r"^第二十条第[(（]\s*[一二三四五六七八九十]+\s*[)）]项$")
_SUFFIX_MIN = 8  # a garbled label is still named by a readable tail this long
# Printed variants that name an official row but are not accepted in a data file: each one read
# is reported (F-5). The 2019 label ``规范性文件`` in a 2021 表二 is a wording slip, not the 2019 table.
_VARIANTS = {(Edition.E2021, TABLE2, "行政规范性文件"): ("规范性文件",)}


@dataclass
class Observed:
    """A data row as printed: its label cells, its value cells, and the official row it names."""

    labels: list[Cell]
    values: list[Cell]
    where: Where
    header: list[str] = field(default_factory=list)  # 表二: the column header row above it
    match: int | None = None


def split_row(cells: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """Return the label cells and the value cells (the cells after the last label cell)."""
    last = -1
    for index, cell in enumerate(cells):
        if cell.text.strip() and not looks_like_value(cell.text):
            last = index
    return cells[: last + 1], cells[last + 1 :]


@dataclass(frozen=True)
class Forms:
    """An official row label as compared: exact form, alias forms, cores, and whether it has an ordinal."""

    label: str
    aliases: frozenset[str]
    cores: frozenset[str]
    ordinal: bool


@dataclass(frozen=True)
class Expected:
    path: RowPath
    row: Row
    forms: Forms


@functools.cache
def _expected_rows(edition: Edition, key: str) -> tuple[Expected, ...]:
    rows = []
    for path, row in layout.table(edition, key).rows():
        variants = _VARIANTS.get((edition, key, row.label), ())
        forms = Forms(
            normalize(row.label),
            frozenset(normalize(a) for a in (*row.aliases, *variants)),
            frozenset({core(row.label), *(core(a) for a in row.aliases)}),
            core(row.label) != normalize(row.label),
        )
        rows.append(Expected(path, row, forms))
    return tuple(rows)


def expected_rows(edition: Edition, key: str) -> list[Expected]:
    return list(_expected_rows(edition, key))


def match_label(text: str, expected: list[Expected]) -> int | None:
    """Return the index of the official row ``text`` names, or None when none or several do."""
    plain, bare = normalize(text), core(text)
    if not plain:
        return None
    for test in (_exact, _alias, _by_core, _by_tail):
        found = [i for i, each in enumerate(expected) if test(plain, bare, each.forms)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def _exact(plain: str, bare: str, forms: Forms) -> bool:
    return plain == forms.label


def _alias(plain: str, bare: str, forms: Forms) -> bool:
    return plain in forms.aliases


def _by_core(plain: str, bare: str, forms: Forms) -> bool:
    return bare in forms.cores and (plain != bare or forms.ordinal)


def _by_tail(plain: str, bare: str, forms: Forms) -> bool:
    label = forms.label
    common = 0
    while common < min(len(plain), len(label)) and plain[-1 - common] == label[-1 - common]:
        common += 1
    return common >= _SUFFIX_MIN


# --- labels that differ from the official ones (F-5) -----------------------------------------------


def label_findings(
    key: str,
    rows: list[list[Cell]],
    observed: list[Observed],
    expected: list[Expected],
    mapping: dict[int, int],
    edition: Edition,
) -> list[Finding]:
    """Return F-5 (and F-9) findings for the labels of a table that are not the official ones."""
    official: set[str] = set()
    for each in expected:
        official.update(each.path)
    official_columns = {c.label for each in expected for c in each.row.columns}
    if key == TABLE2:
        official_columns.add("采购总金额")  # the national header has no unit (format-spec §4.1)
        official.update(block.heading for block in layout.table(edition, key).blocks)
        official.add("信息内容")
    else:
        official_columns.update({layout.TABLE3_NOTE, layout.TABLE3_GROUP, layout.TABLE3_LEGAL_PERSONS})
    used = {id(observed[i]) for i in mapping.values()}
    row_cells = [cell for row in observed if id(row) in used for cell in row.labels]
    data_ids = {id(cell) for row in observed for cell in (*row.labels, *row.values)}
    other_cells = [cell for cells in rows for cell in cells if id(cell) not in data_ids]
    return _compare(key, row_cells, official, "行名") + _compare(key, other_cells, official | official_columns, "表头")


def header_findings(key: str, rows: list[list[Cell]], official: set[str]) -> list[Finding]:
    cells = [cell for cells in rows for cell in split_row(cells)[0]]
    return _compare(key, cells, official, "表头")


def _compare(key: str, cells: Iterable[Cell], official: set[str], what: str) -> list[Finding]:
    exact = {compact(label): label for label in official}
    by_fold = {compact(folded(normalize(label))): label for label in official}
    odd = [
        cell
        for cell in cells
        if compact(cell.text)
        and compact(cell.text) not in exact
        and not looks_like_value(cell.text)
        and not looks_garbled(cell.text)  # mojibake is reported with the other web residue (F-9)
    ]
    findings: list[Finding] = []
    paired: set[int] = set()
    for i, first in enumerate(odd):  # a label broken over two cells (seed 003: 自 / 然人)
        for j in range(i + 1, len(odd)):
            joined = compact(first.text) + compact(odd[j].text)
            if i not in paired and j not in paired and joined in exact:
                paired |= {i, j}
                findings.append(
                    Finding(
                        "F-5",
                        W,
                        f"{what}被拆在两个格中（“{compact(first.text)}”与“{compact(odd[j].text)}”），复制或转换后读成两个标签",
                        "请在同一格中写完整的标签（格内可以换行）。",
                        first.where,
                        table=key,
                        subject=exact[joined],
                    )
                )
                break
    half_width: list[Cell] = []
    seen: set[str] = set()
    for index, cell in enumerate(odd):
        text = compact(cell.text)
        if index in paired or text in seen:
            continue
        seen.add(text)
        if compact(folded(normalize(text))) in by_fold:
            half_width.append(cell)
            continue
        near = _nearest(text, official)
        why = f"与官方标签“{near}”不一致" if near else "官方表格中没有这一标签"
        if near and compact(near).startswith(text):
            why += "（文字不完整）"
        findings.append(
            Finding(
                "F-5",
                W,
                f"{what}{why}",
                f"请改为“{near}”。" if near else "请按官方表格填写。",
                cell.where,
                table=key,
                subject=" ".join(cell.text.split()),
            )
        )
    if half_width:
        first = half_width[0]
        shown = "、".join(f"“{' '.join(c.text.split())}”" for c in half_width[:3])
        more = f"等 {len(half_width)} 处" if len(half_width) > 3 else ""
        findings.append(
            Finding(
                "F-5",
                W,
                f"{shown}{more}使用了半角括号或标点，与官方标签（全角）不一致",
                "请改用官方标签的写法，如“（三）不予公开”“第二十条第（一）项”。",
                first.where,
                table=key,
            )
        )
    return findings


def _nearest(text: str, official: set[str]) -> str | None:
    for label in sorted(official, key=len):
        compacted = compact(label)
        if compacted.startswith(text) or compacted.endswith(text) or text.startswith(compacted):
            return label
    if text == "社会组织":
        return "社会公益组织"
    close = difflib.get_close_matches(text, sorted(official), n=1, cutoff=0.5)
    return close[0] if close else None
