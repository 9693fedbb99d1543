"""Completeness: every cell filled (T0-1), metadata present (M-1), every part written (N-1 … N-4).

DECISIONS §3: ``init`` writes 0 in every cell, so an absent or empty count cell is missing data,
never read as 0. Only 总计 cells may be left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace

from gaigen.core.problems import Problem, Severity, show
from gaigen.core.report import Report
from gaigen.rules.base import cell_problem, part_problem, rule
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import PLACEHOLDER, Key, Section
from gaigen.spec.layout import Edition, Kind

_NOTHING = re.compile(r"^(?:无|暂无|没有|无问题|不存在问题|没有问题|无其他需要报告的事项)[。.！!]?$")


@rule("T0-1", "DECISIONS §3", Severity.ERROR, "表中每个数字格都要填写（没有发生的填 0），只有总计格可以不填")
def missing_cells(report: Report) -> Iterator[Problem]:
    for table in report.tables():
        if (table.key,) not in report.given:
            yield part_problem(
                report,
                "T0-1",
                (table.key,),
                table.key,
                f"缺少{table.key}（{table.title}）",
                "请补上整张表，没有发生的事项填 0。",
            )
            continue
        for path, row in table.rows():
            if row.optional:
                continue
            required = [c for c in row.columns if c.kind is not Kind.TOTAL]
            missing = [c for c in required if _absent(report, (table.key, *path, c.label))]
            if not missing:
                continue
            if len(missing) == len(required) and (table.key, *path) not in report.given:
                yield cell_problem(
                    report,
                    "T0-1",
                    table.key,
                    path,
                    None,
                    None,
                    "缺少这一行的数据",
                    "请补上这一行，没有发生的事项填 0。",
                )
                continue
            for column in missing:
                yield cell_problem(
                    report, "T0-1", table.key, path, column.label, None, "缺少数据", "请填写数字，没有发生的事项填 0。"
                )


def _absent(report: Report, path: tuple[str, ...]) -> bool:
    return path not in report.given and path not in report.refused


@rule("M-1", "format-spec §3.3; DECISIONS §4", Severity.ERROR, "机关名称、年度、级别必须填写")
def metadata(report: Report) -> Iterator[Problem]:
    # Judged on the typed value, after stripping: a name of spaces only (what an Excel cell
    # holding a space gives) is as missing as no name at all.
    values = {datafile.AGENCY: report.agency, datafile.YEAR: report.year, datafile.LEVEL: report.level}
    for label, value in values.items():
        if value is not None or (label,) in report.refused:
            continue
        if (label,) not in report.given:
            yield part_problem(report, "M-1", (label,), label, "缺少这一项", _META_FIX[label])
            continue
        problem = part_problem(report, "M-1", (label,), label, "但只有空格，等于没有填写", _META_FIX[label])
        yield replace(problem, found=show(_raw(report, (label,))))


def _raw(report: Report, path: tuple[str, ...]) -> object:
    node = report.document.data if report.document is not None else None
    for part in report.source_path(path):
        node = node.get(part) if isinstance(node, dict) else None
    return node


_META_FIX = {
    datafile.AGENCY: "请填写机关全称，如：机关名称: 某某县交通运输局",
    datafile.YEAR: "请填写报告所属年度，如：年度: 2024",
    datafile.LEVEL: "请填写：级别: 部门（政府部门）或 级别: 政府（人民政府）",
}


def _empty_or_placeholder(paragraphs: list[str]) -> str | None:
    if not paragraphs:
        return "内容为空"
    if any(PLACEHOLDER in p for p in paragraphs):
        return "仍是 gaigen init 留下的待填写提示"
    return None


@rule(
    "N-1",
    "format-spec §3.1–3.2; DECISIONS §4",
    Severity.ERROR,
    "一、总体情况的五个方面和五、存在的主要问题及改进情况必须写明",
)
def required_parts(report: Report) -> Iterator[Problem]:
    text = report.narrative
    headings = layout.TOPIC_HEADINGS[report.edition]
    for topic, heading in zip(layout.TOPICS, headings, strict=True):
        path = (layout.OVERVIEW, topic)
        if path in report.refused:
            continue
        why = _empty_or_placeholder(text.topics.get(topic, []))
        if why:
            yield part_problem(
                report, "N-1", path, f"一、总体情况{heading}", why, f"请写明本年度{heading[3:]}方面的工作情况。"
            )
    if (layout.OVERVIEW,) in report.given and any(PLACEHOLDER in p for p in text.opening):
        yield part_problem(
            report,
            "N-1",
            (layout.OVERVIEW, layout.OVERVIEW_OPENING),
            "一、总体情况 概述",
            "仍是 gaigen init 留下的待填写提示",
            "请改写或删除这一段。",
        )
    why = _empty_or_placeholder(text.problems)
    if why and (layout.PROBLEMS,) not in report.refused:
        yield part_problem(report, "N-1", (layout.PROBLEMS,), layout.PROBLEMS, why, "请写明存在的主要问题和改进措施。")
    if report.edition is Edition.E2019:
        why = _empty_or_placeholder(text.other)
        if why and (layout.OTHER_MATTERS,) not in report.refused:
            yield part_problem(
                report, "N-1", (layout.OTHER_MATTERS,), layout.OTHER_MATTERS, why, "没有其他需要报告的事项时请写“无”。"
            )
    elif any(PLACEHOLDER in p for p in text.other):
        yield part_problem(
            report,
            "N-1",
            (layout.OTHER_MATTERS, layout.OTHER_TEXT),
            layout.OTHER_MATTERS,
            "仍是 gaigen init 留下的待填写提示",
            "没有其他事项时可删除这一段。",
        )
    if report.edition is Edition.E2021:
        yield from _fee_cells(report)


def _fee_cells(report: Report) -> Iterator[Problem]:
    fee = datafile.entry_at(report.edition, (layout.OTHER_MATTERS, layout.FEE_GROUP))
    assert isinstance(fee, Section)
    for key in fee.children:
        assert isinstance(key, Key)
        path = (layout.OTHER_MATTERS, layout.FEE_GROUP, key.label)
        if path not in report.given and path not in report.refused:
            yield part_problem(
                report, "N-1", path, f"六、信息处理费·{key.label}", "缺少数据", "请填写数字，未收取信息处理费时填 0。"
            )


@rule("N-2", "format-spec §5.5; DECISIONS §4", Severity.WARNING, "五、存在的主要问题及改进情况不宜只写“无”")
def problems_not_nothing(report: Report) -> Iterator[Problem]:
    paragraphs = report.narrative.problems
    if paragraphs and _NOTHING.match("".join(paragraphs).strip()):
        yield part_problem(
            report,
            "N-2",
            (layout.PROBLEMS,),
            layout.PROBLEMS,
            "只写了“无”，评估时会被认为是敷衍",
            "请写明本年度工作中存在的主要问题和改进措施。",
        )


@rule("N-3", "DECISIONS §8", Severity.WARNING, "发布日期应填写，且在报告年度之后")
def publication_date(report: Report) -> Iterator[Problem]:
    if report.published is None:
        if (datafile.PUBLISHED,) not in report.refused:
            yield part_problem(
                report,
                "N-3",
                (datafile.PUBLISHED,),
                datafile.PUBLISHED,
                "未填写，落款日期将留空（“年  月  日”）待手写",
                f"如已确定发布日期，请填写，如：发布日期: {_example_date(report)}",
            )
        return
    if report.year is not None and isinstance(report.published, dt.date) and report.published.year <= report.year:
        yield part_problem(
            report,
            "N-3",
            (datafile.PUBLISHED,),
            datafile.PUBLISHED,
            f"为 {report.published.isoformat()}，但年度报告应在统计期（{report.year} 年 12 月 31 日）结束后发布",
            f"请核对发布日期（部门一般在 {report.year + 1} 年 1 月 31 日前发布）。",
        )


_ACCOUNTABILITY = ("考核", "评议", "责任追究")


@rule(
    "N-4",
    "format-spec §1.2, §3.2",
    Severity.WARNING,
    "人民政府的报告应在监督保障中写明工作考核、社会评议和责任追究结果情况",
)
def government_accountability(report: Report) -> Iterator[Problem]:
    if report.level != "政府":
        return
    text = "".join(report.narrative.topics.get("监督保障", []))
    if not text:
        return
    absent = [word for word in _ACCOUNTABILITY if word not in text]
    if absent:
        yield part_problem(
            report,
            "N-4",
            (layout.OVERVIEW, "监督保障"),
            "一、总体情况（五）监督保障",
            f"未提到{'、'.join(absent)}，而《条例》第五十条要求各级人民政府报告工作考核、社会评议和责任追究结果情况",
            "请在监督保障部分补充这些情况。",
        )


def _example_date(report: Report) -> str:
    """Return a plausible 发布日期 for the hint: in January of the year after the report year."""
    year = report.year + 1 if report.year is not None else dt.date.today().year
    return f"{year}-01-20"
