"""Text against tables (format-spec §5.5, DECISIONS §4 X-1 … X-3): numbers quoted in the narrative."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report, Value
from gaigen.core.totals import OUTCOME_TOTAL_ROW, effective, sum_or_none
from gaigen.rules.base import part_problem, rule
from gaigen.spec import layout
from gaigen.spec.layout import (
    CARRIED_FORWARD,
    CARRIED_OVER,
    DIRECT_SUIT,
    FEE_LAPSED,
    LITIGATION,
    NEW_REQUESTS,
    OTHER_PROCESSING,
    OUTCOMES,
    REVIEW,
    SUIT_AFTER_REVIEW,
    TOTAL,
    Edition,
)

_GAP = r"[^，,。；;\d]{0,12}?"
_UNIT = r"\s*(?:件|个|宗|起|份)"


@dataclass(frozen=True)
class Quoted:
    """A kind of number the narrative quotes, how to find it, and the table cell it must equal."""

    name: str
    pattern: re.Pattern[str]
    cell: Callable[[Report], Value | None]
    cell_name: str


def _t3(row: tuple[str, ...]) -> Callable[[Report], Value | None]:
    return lambda report: _row_sum(report, row)


def _row_sum(report: Report, row: tuple[str, ...]) -> Value | None:
    """Return a 表三 row's total as its cells add up (a wrong 总计 cell is T3-3's business)."""
    columns = [c.label for c in layout.APPLICANT_COLUMNS if c.label != TOTAL]
    return sum_or_none(effective(report, layout.TABLE3, row, column) for column in columns)


def _t4(*rows: tuple[str, ...]) -> Callable[[Report], Value | None]:
    return lambda report: sum_or_none(effective(report, layout.TABLE4, row, TOTAL) for row in rows)


def _t2(row: dict[Edition, str], column: dict[Edition, str]) -> Callable[[Report], Value | None]:
    def value(report: Report) -> Value | None:
        if report.edition not in row:
            return None
        return report.cell(layout.TABLE2, (row[report.edition],), column[report.edition])

    return value


_DOCS = {Edition.E2019: "规范性文件", Edition.E2021: layout.NORMATIVE_DOCS}
QUOTED = (
    Quoted(
        "收到申请",
        re.compile(r"(?:收到|受理|新收)" + _GAP + r"申请" + r"[^，,。；;\d]{0,6}?(\d+)" + _UNIT),
        _t3((NEW_REQUESTS,)),
        "表三“一、本年新收政府信息公开申请数量”总计",
    ),
    Quoted(
        "上年结转",
        re.compile(r"上一?年度?结转" + _GAP + r"(\d+)" + _UNIT),
        _t3((CARRIED_OVER,)),
        "表三“二、上年结转政府信息公开申请数量”总计",
    ),
    Quoted(
        "办结申请",
        re.compile(r"(?:办结|答复)" + _GAP + r"申请" + r"[^，,。；;\d]{0,6}?(\d+)" + _UNIT),
        _t3(OUTCOME_TOTAL_ROW),
        "表三“（七）总计”总计",
    ),
    Quoted(
        "结转下年度",
        re.compile(r"结转(?:至|到)?下一?年度?" + _GAP + r"(\d+)" + _UNIT),
        _t3((CARRIED_FORWARD,)),
        "表三“四、结转下年度继续办理”总计",
    ),
    Quoted(
        "行政复议",
        re.compile(r"行政复议" + r"[^，,。；;\d、和及]{0,8}?(\d+)" + _UNIT),
        _t4((REVIEW,)),
        "表四行政复议总计",
    ),
    Quoted(
        "行政诉讼",
        re.compile(r"行政诉讼" + r"[^，,。；;\d、和及]{0,8}?(\d+)" + _UNIT),
        _t4((LITIGATION, DIRECT_SUIT), (LITIGATION, SUIT_AFTER_REVIEW)),
        "表四行政诉讼（未经复议直接起诉与复议后起诉）总计之和",
    ),
    Quoted(
        "制发规范性文件",
        re.compile(r"(?:制发|印发|出台|制定)" + r"[^，,。；;\d]{0,6}?规范性文件" + r"[^，,。；;\d]{0,4}?(\d+)" + _UNIT),
        _t2(_DOCS, {Edition.E2019: layout.MADE_2019, Edition.E2021: layout.ISSUED}),
        "表二规范性文件的本年制发（新制作）数量",
    ),
    Quoted(
        "废止文件",
        re.compile(r"废止" + r"[^，,。；;\d]{0,10}?(\d+)" + _UNIT),
        _t2({Edition.E2021: _DOCS[Edition.E2021]}, {Edition.E2021: layout.REPEALED}),
        "表二行政规范性文件“本年废止件数”",
    ),
)

_NONE_RECEIVED = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到)"
    + r"[^，,。；;]{0,12}?申请|(?:收到|受理)"
    + _GAP
    + r"申请[^，,。；;\d]{0,6}?0"
    + _UNIT
)


def _overview_parts(report: Report) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Yield (data path, name, paragraph) for every paragraph of 一、总体情况."""
    headings = dict(zip(layout.TOPICS, layout.TOPIC_HEADINGS[report.edition], strict=True))
    for paragraph in report.narrative.opening:
        yield (layout.OVERVIEW, layout.OVERVIEW_OPENING), "一、总体情况", paragraph
    for topic, paragraphs in report.narrative.topics.items():
        for paragraph in paragraphs:
            yield (layout.OVERVIEW, topic), f"一、总体情况{headings[topic]}", paragraph


@rule(
    "X-1",
    "format-spec §5.5; DECISIONS §4",
    Severity.WARNING,
    "总体情况中引用的申请、复议、诉讼、规范性文件数字应与表中一致",
)
def quoted_numbers(report: Report) -> Iterator[Problem]:
    reported: set[tuple[str, int]] = set()
    for path, name, paragraph in _overview_parts(report):
        for quoted in QUOTED:
            for found in quoted.pattern.finditer(paragraph):
                number = int(found.group(1))
                value = quoted.cell(report)
                if value is None or value == number or (quoted.name, number) in reported:
                    continue
                reported.add((quoted.name, number))
                yield part_problem(
                    report,
                    "X-1",
                    path,
                    name,
                    f"写有“{found.group(0)}”，但{quoted.cell_name}为 {value}",
                    "请核对文字和表格，使两者一致。",
                )


@rule(
    "X-2",
    "format-spec §5.5; DECISIONS §4",
    Severity.WARNING,
    "文字说未收到申请时，表三新收应为 0，上年结转和结转下年度也应为 0",
)
def none_received(report: Report) -> Iterator[Problem]:
    for path, name, paragraph in _overview_parts(report):
        found = _NONE_RECEIVED.search(paragraph)
        if not found:
            continue
        for row, label in (
            ((NEW_REQUESTS,), "一、本年新收"),
            ((CARRIED_OVER,), "二、上年结转"),
            ((CARRIED_FORWARD,), "四、结转下年度继续办理"),
        ):
            value = _row_sum(report, row)
            if value:
                yield part_problem(
                    report,
                    "X-2",
                    path,
                    name,
                    f"写有“{found.group(0)}”，但表三“{label}”各列合计为 {value}",
                    "请核对文字和表三。",
                )
        return


@rule(
    "X-3",
    "format-spec §5.5; DECISIONS §4–5",
    Severity.WARNING,
    "表三（六）2 与“六”中的信息处理费情况应相互印证",
    (Edition.E2021,),
)
def fee_notices(report: Report) -> Iterator[Problem]:
    text = report.narrative
    lapsed = effective(report, layout.TABLE3, (OUTCOMES, OTHER_PROCESSING, FEE_LAPSED), TOTAL)
    where = (layout.OTHER_MATTERS, layout.FEE_GROUP)
    if lapsed and text.fee_notices == 0:
        yield part_problem(
            report,
            "X-3",
            where,
            "六、信息处理费",
            f"发出收费通知件数为 0，但表三（六）2（逾期未缴费不再处理）为 {lapsed}，说明本年发出过收费通知",
            "请在“六”中如实填写发出收费通知的件数和金额。",
        )
    if text.fee_collected and not text.fee_notices:
        yield part_problem(
            report,
            "X-3",
            where,
            "六、信息处理费",
            f"实际收取 {text.fee_collected} 元，但发出收费通知件数为 0",
            "请核对收费通知件数。",
        )
    if text.fee_collected is not None and text.fee_billed is not None and text.fee_collected > text.fee_billed:
        yield part_problem(
            report,
            "X-3",
            where,
            "六、信息处理费",
            f"实际收取总金额 {text.fee_collected} 元多于收费通知总金额 {text.fee_billed} 元",
            "请核对两个金额。",
        )
