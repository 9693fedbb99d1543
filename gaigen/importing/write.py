"""An imported report written as a data file: ``gaigen init``'s shape, every gap listed on top.

The file is made by ``scaffold.starter_file`` in its exact mode: the numbers read, the 总计 cells
as printed, the narrative found; a cell that could not be read is left out, so ``gaigen
validate`` reports it (T0-1) at its place, and the header says why it could not be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from gaigen.core.names import safe_name
from gaigen.core.report import Value
from gaigen.files.output import write_outputs
from gaigen.files.scaffold import starter_file
from gaigen.importing.build import import_report
from gaigen.importing.model import NOWHERE, Gap, Imported
from gaigen.spec import datafile, layout
from gaigen.spec.layout import Edition

KINDS = {"docx": "Word 文件", "doc": "旧版 Word 文件", "wps": "WPS 文件", "pdf": "PDF", "txt": "纯文本", "html": "网页"}
MAX_LISTED = 200  # gaps listed in the file's header
MAX_SHOWN = 30  # gaps printed by the command


def data_file_text(imported: Imported) -> str:
    """Return the data file of ``imported`` as YAML text."""
    data = imported.data

    def values(path: tuple[str, ...]) -> Value | None:
        node: Any = data
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, (int, Decimal)) and not isinstance(node, bool) else None

    texts: dict[tuple[str, ...], Sequence[str]] = {}
    overview = data.get(layout.OVERVIEW) or {}
    for key, paragraphs in overview.items():
        texts[(layout.OVERVIEW, key)] = paragraphs
    if layout.PROBLEMS in data:
        texts[(layout.PROBLEMS,)] = data[layout.PROBLEMS]
    other = data.get(layout.OTHER_MATTERS)
    if isinstance(other, list):
        texts[(layout.OTHER_MATTERS,)] = other
    elif isinstance(other, dict):
        texts[(layout.OTHER_MATTERS, layout.OTHER_TEXT)] = other.get(layout.OTHER_TEXT) or []
    meta: dict[str, str] = {}
    for key in (datafile.WEBSITE, datafile.CONTACT):
        if key in data:
            meta[key] = data[key]
    published = data.get(datafile.PUBLISHED)
    if isinstance(published, dt.date):
        meta[datafile.PUBLISHED] = published.isoformat()
    year = imported.year if imported.year is not None else 0
    text = starter_file(
        year,
        imported.agency or "（未读出机关名称）",
        data.get(datafile.LEVEL, "部门"),
        values=values,
        header=header_lines(imported),
        edition=imported.edition,
        exact=True,
        texts=texts,
        meta=meta,
        notes=_table_notes(imported),
    )
    return _unset_missing_metadata(text, imported)


def _unset_missing_metadata(text: str, imported: Imported) -> str:
    """Comment out 机关名称 and 年度 when the report did not give them, so that validate names them (M-1)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if imported.agency is None and line.startswith(f"{datafile.AGENCY}:"):
            lines[index] = f"# {datafile.AGENCY}: 原报告标题中没有机关名称，请填写"
        if imported.year is None and line.startswith(f"{datafile.YEAR}:"):
            lines[index] = f"# {datafile.YEAR}: 原报告中没有年度，请填写"
    return "\n".join(lines)


def header_lines(imported: Imported) -> list[str]:
    """Return the comment lines on top of the file: source, gaps with reasons, notes."""
    source = imported.source
    edition = imported.edition
    lines = [
        f"由 gaigen import 从“{source.name}”（{KINDS.get(source.kind, source.kind)}）读取。",
        f"原报告标题：{imported.title or '（没有找到标题）'}",
        f"表格版式：按表中行列名判断为 {edition.value} 版（{Edition(edition.value).notice}）。",
        f"读到 {imported.cells_read} 个数字格。",
    ]
    gaps, layout_notes = file_gaps(imported)
    cell_gaps = [gap for gap in gaps if len(gap.path) > 1]
    if gaps:
        lines.append(
            f"无法读取（已留空，不当作 0；gaigen validate 会逐一指出，规则 T0-1 / N-1）：共 {len(cell_gaps)} 格"
            + (f"，{len(gaps) - len(cell_gaps)} 张表" if len(gaps) > len(cell_gaps) else "")
            + "："
        )
        lines += [f"  - {gap_text(gap)}" for gap in gaps[:MAX_LISTED]]
        if len(gaps) > MAX_LISTED:
            lines.append(f"  - ……另有 {len(gaps) - MAX_LISTED} 格，gaigen validate 会全部列出。")
    else:
        lines.append("表中每一格都已读出。")
    if imported.missing_parts:
        lines.append(
            "没有找到的文字部分（留空，gaigen validate 会指出，规则 N-1）：" + "、".join(imported.missing_parts)
        )
    if imported.notes or layout_notes:
        lines.append("读取说明：")
        lines += [f"  - {note}" for note in [*imported.notes, *layout_notes]]
    lines.append("请对照原报告核对后运行：gaigen validate 本文件")
    return lines


def file_gaps(imported: Imported) -> tuple[list[Gap], list[str]]:
    """Return the gaps of the data file and notes on what it cannot hold.

    The file has one 版式. A table printed in the other edition (``Imported.table_editions``) is
    read in its own layout; its cells that the file's layout has are written, each cell of the
    file's layout that it lacks is a gap, and a row of its own layout that the file has no place
    for is named with its numbers in a note — nothing is split or merged to fit.
    """
    gaps = list(imported.gaps)
    notes: list[str] = []
    for key, printed in imported.table_editions.items():
        wanted = layout.table(imported.edition, key)
        own = layout.table(printed, key)
        own_rows = {path for path, _row in own.rows()}
        have = {(path, column.label) for path, row in own.rows() for column in row.columns}
        where = imported.origin.get((key,), NOWHERE)
        for path, row in wanted.rows():
            for column in row.columns:
                if (path, column.label) not in have:
                    why = f"原报告{key}使用 {printed.value} 版式（{printed.notice}），没有这一格"
                    gaps.append(Gap((key, *path, column.label), why, where))
        wanted_rows = {path for path, _row in wanted.rows()}
        for path in sorted(own_rows - wanted_rows):
            node: Any = imported.data.get(key, {})
            for part in path:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            shown = "、".join(f"{label} {value}" for label, value in node.items()) if isinstance(node, dict) else ""
            notes.append(
                f"原报告{key}按 {printed.value} 版式印有“{path[-1]}”一行（{shown or '无数字'}），"
                f"{imported.edition.value} 版式没有这一行，没有写入本文件，也不拆分到其他行。"
            )
    return gaps, notes


def gap_text(gap: Gap) -> str:
    """Return one gap as a line: the cell, why it could not be read, and where it is in the report."""
    where = gap.where.text()
    place = f"（原报告{where}）" if where else ""
    if len(gap.path) == 1:
        return f"{gap.why}{place}"
    if gap.path[0] == layout.OTHER_MATTERS:
        return f"六、其他需要报告的事项·{gap.column}：{gap.why}{place}"
    row = f"“{gap.row[-1]}”行" if gap.row else ""
    return f"{gap.table}{row}“{gap.column}”列：{gap.why}{place}"


def _table_notes(imported: Imported) -> dict[str, str]:
    notes = {}
    gaps, _notes = file_gaps(imported)
    for key in layout.TABLE_KEYS:
        count = sum(1 for gap in gaps if gap.path[0] == key and len(gap.path) > 1)
        if count:
            notes[key] = f"本表有 {count} 格无法从原报告读取，已留空，原因见文件开头。"
    return notes


@dataclass
class Written:
    """What ``gaigen import`` did: the file written, the report read, and the lines to show."""

    target: Path
    imported: Imported
    lines: list[str]

    @property
    def complete(self) -> bool:
        return not file_gaps(self.imported)[0]


def import_to_file(report: Path, output: Path | None = None, force: bool = False) -> Written:
    """Read the report at ``report`` and write its data file (atomically, never over a file without ``force``).

    Raise ``InputError`` when the report cannot be read or is not an annual report, and
    ``OutputError`` when the data file exists (without ``force``) or cannot be written.
    """
    imported = import_report(report, str(report))
    target = output or default_target(imported, report)
    write_outputs({target: data_file_text(imported).encode("utf-8")}, force)
    return Written(target, imported, _summary_lines(imported, target))


def default_target(imported: Imported, report: Path) -> Path:
    """Return ``{年度}年{机关名称}.yaml`` beside the working folder, or the report's name with .yaml."""
    if imported.year is not None and imported.agency:
        return Path(f"{imported.year}年{safe_name(imported.agency)}.yaml")
    return Path(f"{safe_name(report.stem)}.yaml")


def _summary_lines(imported: Imported, target: Path) -> list[str]:
    what = f"{imported.year or '？'} 年度，{imported.edition.value} 版式"
    lines = [f"已生成 {target}（{what}，读到 {imported.cells_read} 个数字格）。"]
    gaps, _notes = file_gaps(imported)
    if gaps:
        lines.append(f"有 {len(gaps)} 项无法从原报告读取，已留空（不当作 0）：")
        lines += [f"  {gap_text(gap)}" for gap in gaps[:MAX_SHOWN]]
        if len(gaps) > MAX_SHOWN:
            lines.append(f"  ……共 {len(gaps)} 项，见文件开头的说明。")
    if imported.missing_parts:
        lines.append("没有找到的文字部分：" + "、".join(imported.missing_parts))
    lines.append(f"下一步：对照原报告核对，然后运行 gaigen validate {target}")
    return lines
