"""表四 rules (format-spec §5.2): each group's 总计 is the sum of its four results."""

from __future__ import annotations

from collections.abc import Iterator

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report
from gaigen.core.totals import parts_sum
from gaigen.rules.base import cell_problem, rule
from gaigen.spec import layout
from gaigen.spec.layout import DIRECT_SUIT, LITIGATION, REVIEW, SUIT_AFTER_REVIEW, RowPath

T = layout.TABLE4


def _check_total(report: Report, rule_id: str, row: RowPath) -> Iterator[Problem]:
    given = report.cell(T, row, layout.TOTAL)
    expected = parts_sum(report, T, row)
    if given is not None and expected is not None and given != expected:
        yield cell_problem(
            report,
            rule_id,
            T,
            row,
            layout.TOTAL,
            given,
            f"但结果维持、结果纠正、其他结果、尚未审结之和为 {expected}",
            "请核对各项数字，或删除总计由 gaigen 计算。",
        )


@rule("T4-1", "format-spec §5.2", Severity.ERROR, "表四行政复议：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结")
def review_total(report: Report) -> Iterator[Problem]:
    return _check_total(report, "T4-1", (REVIEW,))


@rule("T4-2", "format-spec §5.2", Severity.ERROR, "表四未经复议直接起诉：总计 = 四项结果之和")
def direct_suit_total(report: Report) -> Iterator[Problem]:
    return _check_total(report, "T4-2", (LITIGATION, DIRECT_SUIT))


@rule("T4-3", "format-spec §5.2", Severity.ERROR, "表四复议后起诉：总计 = 四项结果之和")
def suit_after_review_total(report: Report) -> Iterator[Problem]:
    return _check_total(report, "T4-3", (LITIGATION, SUIT_AFTER_REVIEW))
