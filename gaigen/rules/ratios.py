"""The derived ratios evaluators look at, each defined once (README, 异常比例的计算公式).

A ratio is None when a cell it needs is missing or its denominator is 0. ``base`` is the
denominator, so a comparison can leave out ratios built on too few cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gaigen.core.report import Report, Value
from gaigen.core.totals import OUTCOME_TOTAL_ROW, effective, sum_or_none
from gaigen.spec import layout
from gaigen.spec.layout import (
    CARRIED_FORWARD,
    CARRIED_OVER,
    DIRECT_SUIT,
    LITIGATION,
    NEW_REQUESTS,
    OUTCOMES,
    REVIEW,
    SUIT_AFTER_REVIEW,
    TOTAL,
)

DISCLOSED = "（一）予以公开"
UNABLE = "（四）无法提供"
CORRECTED = "结果纠正"


@dataclass(frozen=True)
class Ratio:
    """One derived ratio: its Chinese name, its formula as the README states it, and how to compute it."""

    name: str
    formula: str
    parts: Callable[[Report], tuple[Value | None, Value | None]]  # numerator, denominator

    @property
    def table(self) -> str:
        return self.formula.split(" ", 1)[0]


def _outcomes(report: Report) -> Value | None:
    return effective(report, "表三", OUTCOME_TOTAL_ROW, TOTAL)


def _disclosed(report: Report) -> tuple[Value | None, Value | None]:
    return effective(report, "表三", (OUTCOMES, DISCLOSED), TOTAL), _outcomes(report)


def _unable(report: Report) -> tuple[Value | None, Value | None]:
    rows = layout.table(report.edition, "表三").node_at((OUTCOMES, UNABLE))
    part = sum_or_none(effective(report, "表三", (OUTCOMES, UNABLE, row.label), TOTAL) for row in rows)
    return part, _outcomes(report)


def _carried(report: Report) -> tuple[Value | None, Value | None]:
    received = sum_or_none(effective(report, "表三", (row,), TOTAL) for row in (NEW_REQUESTS, CARRIED_OVER))
    return effective(report, "表三", (CARRIED_FORWARD,), TOTAL), received


def _review_corrected(report: Report) -> tuple[Value | None, Value | None]:
    return report.cell("表四", (REVIEW,), CORRECTED), effective(report, "表四", (REVIEW,), TOTAL)


def _suit_corrected(report: Report) -> tuple[Value | None, Value | None]:
    rows = [(LITIGATION, suit) for suit in (DIRECT_SUIT, SUIT_AFTER_REVIEW)]
    corrected = sum_or_none(report.cell("表四", row, CORRECTED) for row in rows)
    return corrected, sum_or_none(effective(report, "表四", row, TOTAL) for row in rows)


RATIOS = (
    Ratio("予以公开率", "表三 三（一）予以公开 总计 ÷ 三（七）总计 总计", _disclosed),
    Ratio("无法提供率", "表三 三（四）无法提供 1～3 项总计之和 ÷ 三（七）总计 总计", _unable),
    Ratio("结转率", "表三 四、结转下年度继续办理 总计 ÷（一、本年新收 总计 + 二、上年结转 总计）", _carried),
    Ratio("复议纠错率", "表四 行政复议 结果纠正 ÷ 行政复议 总计", _review_corrected),
    Ratio("诉讼纠错率", "表四 行政诉讼（未经复议直接起诉 + 复议后起诉）结果纠正 ÷ 两行总计之和", _suit_corrected),
)


@dataclass(frozen=True)
class Measured:
    value: float | None
    base: int


def measure(report: Report) -> dict[str, Measured]:
    """Return every ratio of ``report`` by name (value None when it cannot be computed)."""
    result = {}
    for ratio in RATIOS:
        top, bottom = ratio.parts(report)
        if top is None or bottom is None or bottom <= 0:
            result[ratio.name] = Measured(None, int(bottom or 0))
        else:
            result[ratio.name] = Measured(float(top) / float(bottom), int(bottom))
    return result
