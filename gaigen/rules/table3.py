"""表三 rules (format-spec §5.1): the 勾稽关系 of each column, the outcome total, the row totals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report, Value
from gaigen.core.totals import OUTCOME_TOTAL_ROW, effective, outcome_rows, sum_or_none
from gaigen.rules.base import cell_problem, rule
from gaigen.spec import layout
from gaigen.spec.layout import APPLICANT_COLUMNS, CARRIED_FORWARD, CARRIED_OVER, NEW_REQUESTS, OUTCOME_TOTAL

T = layout.TABLE3
COLUMNS = tuple(c.label for c in APPLICANT_COLUMNS)


def _received(report: Report, column: str) -> Value | None:
    """Return 一 + 二 of a column: the requests there were to handle."""
    return sum_or_none([effective(report, T, (NEW_REQUESTS,), column), effective(report, T, (CARRIED_OVER,), column)])


@rule(
    "T3-1",
    "format-spec §5.1",
    Severity.ERROR,
    "表三每一列：一（本年新收）+ 二（上年结转）= 三（七）总计 + 四（结转下年度）",
)
def balance_per_column(report: Report) -> Iterator[Problem]:
    for column in COLUMNS:
        received = _received(report, column)
        handled = sum_or_none(
            [effective(report, T, OUTCOME_TOTAL_ROW, column), effective(report, T, (CARRIED_FORWARD,), column)]
        )
        if received is None or handled is None or received == handled:
            continue
        problem = cell_problem(
            report,
            "T3-1",
            T,
            (CARRIED_FORWARD,),  # placed at row 四, the last term of the identity
            column,
            None,
            f"“一、本年新收”加“二、上年结转”为 {received}，"
            f"但“（七）总计”加“四、结转下年度继续办理”为 {handled}，两者应相等",
            "请核对该列的新收、结转和办理结果数字。",
        )
        yield replace(problem, row=None)


@rule("T3-2", "format-spec §5.1", Severity.ERROR, "表三每一列：（七）总计 = （一）至（六）各项之和")
def outcome_total(report: Report) -> Iterator[Problem]:
    for column in COLUMNS:
        given = report.cell(T, OUTCOME_TOTAL_ROW, column)
        expected = sum_or_none(effective(report, T, row, column) for row in outcome_rows(report))
        if given is None or expected is None or given == expected:
            continue
        yield cell_problem(
            report,
            "T3-2",
            T,
            OUTCOME_TOTAL_ROW,
            column,
            given,
            f"但（一）至（六）各项之和为 {expected}",
            "请核对各项数字。",
        )


@rule(
    "T3-3",
    "format-spec §5.1",
    Severity.ERROR,
    "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
)
def row_totals(report: Report) -> Iterator[Problem]:
    for path, _row in layout.table(report.edition, T).rows():
        given = report.cell(T, path, layout.TOTAL)
        expected = sum_or_none(effective(report, T, path, c) for c in COLUMNS[:-1])
        if given is None or expected is None or given == expected:
            continue
        yield cell_problem(
            report,
            "T3-3",
            T,
            path,
            layout.TOTAL,
            given,
            f"但自然人至其他各列之和为 {expected}",
            "请核对该行各列数字，或删除总计由 gaigen 计算。",
        )


@rule("T3-5", "format-spec §5.1", Severity.ERROR, "表三每一列：办理结果总计不超过新收加结转；两者为 0 的列各项均为 0")
def nothing_from_nothing(report: Report) -> Iterator[Problem]:
    for column in COLUMNS:
        received = _received(report, column)
        if received is None:
            continue
        handled = effective(report, T, OUTCOME_TOTAL_ROW, column)
        if received == 0:
            for path, _row in layout.table(report.edition, T).rows():
                value = report.cell(T, path, column)
                if path[0] in (NEW_REQUESTS, CARRIED_OVER) or not value or path[-1] == OUTCOME_TOTAL:
                    continue
                yield cell_problem(
                    report,
                    "T3-5",
                    T,
                    path,
                    column,
                    value,
                    "但该列本年新收和上年结转均为 0，没有申请可以办理或结转",
                    "请核对该数字是否填错了行或列。",
                )
        elif handled is not None and handled > received:
            yield cell_problem(
                report,
                "T3-5",
                T,
                OUTCOME_TOTAL_ROW,
                column,
                handled,
                f"但本年新收加上年结转只有 {received}，办理结果不能多于收到的申请",
                "请核对办理结果各项数字。",
            )
