"""表二 rules of both editions (format-spec §5.3, §5.4)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from gaigen.core.model import MONEY_PLACES
from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report
from gaigen.rules.base import cell_problem, rule
from gaigen.spec import layout
from gaigen.spec.layout import Edition, Kind

T = layout.TABLE2
FEES = layout.FEES
FEE_AMOUNT = layout.FEE_AMOUNT
RULES_ROW = layout.REGULATIONS


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _precision(report: Report, rule_id: str) -> Iterator[Problem]:
    for path, row in layout.table(report.edition, T).rows():
        for column in row.columns:
            value = report.cell(T, path, column.label)
            if column.kind is Kind.MONEY and isinstance(value, Decimal) and _places(value) > MONEY_PLACES:
                yield cell_problem(
                    report,
                    rule_id,
                    T,
                    path,
                    column.label,
                    value,
                    f"小数超过 {MONEY_PLACES} 位（万元的第 {MONEY_PLACES} 位小数已是“分”）",
                    "请核对单位是否为万元，并保留至多 6 位小数。",
                )


@rule("T2-2", "format-spec §5.3; DECISIONS §1", Severity.WARNING, "表二收费金额（万元）最多 6 位小数", (Edition.E2021,))
def fee_precision(report: Report) -> Iterator[Problem]:
    return _precision(report, "T2-2")


@rule(
    "T2o-5", "format-spec §5.4; DECISIONS §1", Severity.WARNING, "表二采购总金额（万元）最多 6 位小数", (Edition.E2019,)
)
def purchase_precision(report: Report) -> Iterator[Problem]:
    return _precision(report, "T2o-5")


@rule("T2o-2", "format-spec §5.4", Severity.ERROR, "表二（2019 版）：上一年项目数量 + 本年增/减 ≥ 0", (Edition.E2019,))
def items_not_negative(report: Report) -> Iterator[Problem]:
    for path, row in layout.table(report.edition, T).rows():
        labels = [c.label for c in row.columns]
        if layout.ITEMS_CHANGE not in labels:
            continue
        before = report.cell(T, path, layout.ITEMS_LAST_YEAR)
        change = report.cell(T, path, layout.ITEMS_CHANGE)
        if before is not None and change is not None and before + change < 0:
            yield cell_problem(
                report,
                "T2o-2",
                T,
                path,
                layout.ITEMS_CHANGE,
                change,
                f"但上一年项目数量只有 {before}，减少后项目数量成了负数",
                "请核对上一年项目数量和本年增减数。",
            )


@rule(
    "T2o-3", "format-spec §5.4", Severity.WARNING, "表二（2019 版）：对外公开总数量 ≥ 本年新公开数量", (Edition.E2019,)
)
def published_total(report: Report) -> Iterator[Problem]:
    for row in layout.table(report.edition, T).blocks[0].rows:
        path = (row.label,)
        total = report.cell(T, path, layout.OPEN_TOTAL_2019)
        new = report.cell(T, path, layout.PUBLISHED_2019)
        if total is not None and new is not None and total < new:
            yield cell_problem(
                report,
                "T2o-3",
                T,
                path,
                layout.OPEN_TOTAL_2019,
                total,
                f"但本年新公开数量就有 {new}，对外公开总数量应不少于此数",
                "请核对这两个数字。",
            )


@rule("T2-6", "format-spec §5.3", Severity.WARNING, "表二“规章”只有设区的市级以上人民政府才会有数字")
def rules_only_for_governments(report: Report) -> Iterator[Problem]:
    if report.level != "部门":
        return
    row = layout.table(report.edition, T).row((RULES_ROW,))
    for column in row.columns:
        value = report.cell(T, (RULES_ROW,), column.label)
        if value:
            yield cell_problem(
                report,
                "T2-6",
                T,
                (RULES_ROW,),
                column.label,
                value,
                "但规章只能由省级和设区的市级人民政府制定，部门一般应填 0",
                "如数字实为规范性文件，请填入规范性文件一行。",
            )


@rule(
    "T2-7",
    "format-spec §5.3",
    Severity.WARNING,
    "表二（八）行政事业性收费不是信息处理费，信息处理费在“六”中报告",
    (Edition.E2021,),
)
def fees_are_not_information_fees(report: Report) -> Iterator[Problem]:
    amount = report.cell(T, (FEES,), FEE_AMOUNT)
    collected = report.narrative.fee_collected
    if not amount or not collected:
        return
    if collected == amount or collected / 10000 == amount:
        yield cell_problem(
            report,
            "T2-7",
            T,
            (FEES,),
            FEE_AMOUNT,
            amount,
            "与“六”中报告的信息处理费实际收取金额相同，而表二（八）只填行政事业性收费",
            "请确认未把信息处理费填入表二。",
        )
