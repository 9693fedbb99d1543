"""``gaigen aggregate`` and ``validate --parts``: a county government's figures from its departments'.

format-spec §8.2: the county government's report aggregates the work and data of every reporting
body in its region. ``aggregate_files`` sums every cell of 表二, 表三 and 表四 of the departments'
data files (money exactly, as ``Decimal``; 2019's 本年增/减 as signed numbers) and the 2021
信息处理费, and writes them into a data file of ``gaigen init``'s shape (``scaffold.starter_file``
with a values hook): the narrative is left for the office to write. Because every consistency
rule of §5 is linear (sums of cells equal other cells, or are no larger), the sum of valid files
is valid. ``validate_with_parts`` checks a county report written by hand against the same sum
(rule A-1).

Inputs are refused, with the reason in Chinese, when they mix years or editions, name one agency
twice, include the county government itself, cannot be read (exit 2) or have rule errors (exit 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gaigen.api import reports as api
from gaigen.core.errors import ContentError, InputError, UsageError
from gaigen.core.problems import message, sorted_problems
from gaigen.core.report import Report, Value
from gaigen.core.totals import completed
from gaigen.files.inputs import collect_inputs
from gaigen.files.reading import locate
from gaigen.files.scaffold import starter_file
from gaigen.rules.parts import parts_differ
from gaigen.spec import layout
from gaigen.spec.layout import LEVELS, CellKey, Edition

FEE_KEYS = (layout.FEE_NOTICES, layout.FEE_BILLED, layout.FEE_COLLECTED)


@dataclass(frozen=True)
class Part:
    """One department's data file that went into the sum."""

    path: Path
    name: str
    agency: str


@dataclass
class PartsSum:
    """The cell-by-cell sum of the departments' reports of one year."""

    year: int
    edition: Edition
    parts: list[Part]
    cells: dict[CellKey, Value] = field(default_factory=dict)  # every cell, 总计 cells included
    fees: dict[str, Value] = field(default_factory=dict)  # 2021: 六 信息处理费

    def value(self, path: tuple[str, ...]) -> Value | None:
        """Return the sum at a data path: (表, *row, column) or (六, 信息处理费, key)."""
        if path[0] in layout.TABLE_KEYS:
            return self.cells.get((path[0], tuple(path[1:-1]), path[-1]))
        if path[:2] == (layout.OTHER_MATTERS, layout.FEE_GROUP):
            return self.fees.get(path[-1])
        return None


@dataclass
class Aggregated:
    """The county's new data file (its text) and the sum it was made from."""

    text: str
    sums: PartsSum

    @property
    def year(self) -> int:
        return self.sums.year


def sum_parts(inputs: Sequence[str | Path], exclude: Iterable[Path] = ()) -> PartsSum:
    """Return the sum of the data files named by ``inputs`` (files, folders, globs).

    Raise ``UsageError`` when none is found, when they mix years or editions or name one agency
    twice; ``InputError`` when any cannot be read; ``ContentError`` when any has rule errors.
    """
    paths, notes = collect_inputs(inputs, exclude)
    if not paths:
        raise UsageError(
            "没有找到各部门的数据文件（.yaml、.yml、.json 或 .xlsx）。"
            + "".join(notes)
            + "请检查给出的文件、文件夹或通配符。"
        )
    unreadable: list[str] = []
    refused: list[str] = []
    reports: list[tuple[Path, str, Report]] = []
    for path in paths:
        name = str(path)
        try:
            validation = api.validate_file(path)
        except InputError as error:
            unreadable.append(str(error))
            continue
        if validation.errors:
            first = message(validation.errors[0])
            refused.append(f"{name}：{len(validation.errors)} 个错误，第一个是：{first}")
        reports.append((path, name, validation.report))
    if unreadable:
        raise InputError("\n".join([*unreadable, f"有 {len(unreadable)} 个数据文件无法读取，没有汇总。"]))
    _same_year(reports)  # before the rule errors: files of another year are the first thing to fix
    if refused:
        raise ContentError(
            "\n".join(
                [
                    *refused,
                    f"有 {len(refused)} 个数据文件存在错误，没有汇总。请先改正（gaigen validate 文件），再汇总。",
                ]
            )
        )
    _distinct_agencies(reports)
    _, _, first_report = reports[0]
    assert first_report.year is not None
    sums = PartsSum(
        first_report.year,
        first_report.edition,
        [Part(path, name, report.agency or "") for path, name, report in reports],
    )
    sums.cells = cell_sum(report for _path, _name, report in reports)
    for _path, _name, report in reports:
        if report.edition is Edition.E2021:
            narrative = report.narrative
            for fee_key, fee in zip(
                FEE_KEYS, (narrative.fee_notices, narrative.fee_billed, narrative.fee_collected), strict=True
            ):
                sums.fees[fee_key] = sums.fees.get(fee_key, 0) + (fee if fee is not None else 0)
    return sums


def _same_year(reports: list[tuple[Path, str, Report]]) -> None:
    by_year: dict[int | None, list[str]] = {}
    for _path, name, report in reports:
        by_year.setdefault(report.year, []).append(name)
    if len(by_year) > 1:
        groups = "；".join(
            f"{year} 年度 {len(names)} 份（{_few(names)}）" for year, names in sorted(by_year.items(), key=str)
        )
        raise UsageError(f"这些数据文件的年度不同：{groups}。汇总只能用同一年度的报告，请只给出一个年度的文件。")
    editions = Counter(report.edition for _path, _name, report in reports)
    if len(editions) > 1:
        raise UsageError("这些数据文件的版式不同（2019 版与 2021 版），不能逐格相加。请只给出同一版式的文件。")


def _distinct_agencies(reports: list[tuple[Path, str, Report]]) -> None:
    by_agency: dict[str, list[str]] = {}
    for _path, name, report in reports:
        by_agency.setdefault(report.agency or "", []).append(name)
    twice = {agency: names for agency, names in by_agency.items() if len(names) > 1}
    if twice:
        lines = [f"机关名称“{agency}”出现在 {'、'.join(names)} 中" for agency, names in twice.items()]
        raise UsageError("；".join(lines) + "。同一机关只能计入一次，请删除多余的文件或改正机关名称。")


def _few(names: list[str], limit: int = 3) -> str:
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 份" if len(names) > limit else "")


def aggregate_files(
    inputs: Sequence[str | Path],
    agency: str,
    level: str = "政府",
    exclude: Iterable[Path] = (),
) -> Aggregated:
    """Return the data file of ``agency`` whose tables are the sum of the files named by ``inputs``.

    The text has ``gaigen init``'s shape: official labels, the sums in place of 0 in every cell,
    a comment above each table saying how many files it came from, and the narrative placeholders
    for the office to replace. ``exclude`` (e.g. the output file) is left out of folders and globs.
    Raises as ``sum_parts`` does, and ``UsageError`` for a bad agency or level, or when a part is
    ``agency`` itself.
    """
    name = " ".join(agency.split())
    if not name:
        raise UsageError("请用 --agency 给出汇总报告的机关名称，如：--agency 某某县人民政府")
    if level not in LEVELS:
        raise UsageError("--level 只能是“部门”或“政府”。")
    sums = sum_parts(inputs, exclude)
    _not_itself(sums, name)
    count = len(sums.parts)
    note = f"本表由 {count} 份数据文件逐格相加得出（gaigen aggregate），请勿改动；如需调整请改部门数据后重新汇总。"
    header = [
        f"本文件由 gaigen aggregate 汇总以下 {count} 个机关的数据文件生成（表二、表三、表四逐格相加）：",
        *(f"  {part.agency}（{part.name}）" for part in sums.parts),
        "文字部分（一、五、六）请由本机关撰写。核对：gaigen validate 本文件 --parts 部门数据文件夹",
    ]
    if sums.edition is Edition.E2021:
        header.append("六、信息处理费三项也是各部门之和。")
    text = starter_file(
        sums.year,
        name,
        level,
        values=sums.value,
        notes=dict.fromkeys(layout.TABLE_KEYS, note),
        header=header,
    )
    return Aggregated(text, sums)


def _not_itself(sums: PartsSum, agency: str) -> None:
    for part in sums.parts:
        if part.agency == agency:
            raise UsageError(
                f"{part.name} 的机关名称就是“{agency}”，不能把汇总报告自己计入汇总。请把它移出部门数据文件夹后重新运行。"
            )


def validate_with_parts(path: Path, parts: PartsSum, previous: Path | None = None) -> api.Validation:
    """Return the validation of the county report at ``path`` plus an A-1 problem per cell that
    differs from the sum of its departments' reports (``parts``).

    Raise ``UsageError`` when the report's year differs from the parts' or it is one of them.
    """
    validation = api.validate_file(path, previous)
    report = validation.report
    if report.year is not None and report.year != parts.year:
        raise UsageError(
            f"{path}：本报告是 {report.year} 年度，而 --parts 给出的部门数据文件是 {parts.year} 年度，无法对照。"
        )
    if report.agency:
        _not_itself(parts, report.agency)
    assert report.document is not None
    found = [
        locate(problem, report.document) for problem in parts_differ(report, parts.cells, parts.fees, len(parts.parts))
    ]
    validation.problems = sorted_problems(validation.problems + found)
    return validation


def cell_sum(reports: Iterable[Report]) -> dict[CellKey, Value]:
    """Return the cell-by-cell sum of ``reports`` (every cell of ``completed``; a missing one counts 0)."""
    total: dict[CellKey, Value] = {}
    for report in reports:
        for key, value in completed(report).items():
            total[key] = total.get(key, 0) + (value if value is not None else 0)
    return total
