"""Cross-year rules (``--previous``): this year's figures against last year's report.

All are warnings (format-spec §5.1 T3-6, §5.3 T2-3/T2-4, §5.4 T2o-4): they break legitimately
when agencies merge or split, or when last year's published report was itself wrong. Each message
names both values and both file locations.
"""

from __future__ import annotations

from collections.abc import Iterator

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report
from gaigen.core.totals import effective
from gaigen.rules.base import cell_problem, cross_rule, part_problem, where_text
from gaigen.spec import layout
from gaigen.spec.layout import APPLICANT_COLUMNS, CARRIED_FORWARD, CARRIED_OVER, Edition

_DOCS_2021 = (layout.REGULATIONS, layout.NORMATIVE_DOCS)


@cross_rule(
    "T3-6", "format-spec §5.1", Severity.WARNING, "表三本年“二、上年结转”应等于上年报告的“四、结转下年度继续办理”"
)
def carried_over_matches(report: Report, previous: Report) -> Iterator[Problem]:
    for column in (c.label for c in APPLICANT_COLUMNS):
        now = effective(report, layout.TABLE3, (CARRIED_OVER,), column)
        before = effective(previous, layout.TABLE3, (CARRIED_FORWARD,), column)
        if now is None or before is None or now == before:
            continue
        yield cell_problem(
            report,
            "T3-6",
            layout.TABLE3,
            (CARRIED_OVER,),
            column,
            now,
            f"但上年报告（{where_text(previous, ('表三', CARRIED_FORWARD, column))}）“四、结转下年度继续办理”为 {before}",
            "请核对是否有申请在上年结转后漏记或多记；机构调整的情况请在报告中说明。",
        )


@cross_rule(
    "T2-3",
    "format-spec §5.3",
    Severity.WARNING,
    "现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数",
    (Edition.E2021,),
)
def documents_in_force(report: Report, previous: Report) -> Iterator[Problem]:
    if previous.edition is not Edition.E2021:
        return  # 2020's 对外公开总数量 is another quantity (T2-5)
    for row in _DOCS_2021:
        issued = report.cell(layout.TABLE2, (row,), layout.ISSUED)
        repealed = report.cell(layout.TABLE2, (row,), layout.REPEALED)
        in_force = report.cell(layout.TABLE2, (row,), layout.IN_FORCE)
        before = previous.cell(layout.TABLE2, (row,), layout.IN_FORCE)
        if None in (issued, repealed, in_force, before):
            continue
        assert issued is not None and repealed is not None and before is not None
        expected = before + issued - repealed
        if in_force != expected:
            yield cell_problem(
                report,
                "T2-3",
                layout.TABLE2,
                (row,),
                layout.IN_FORCE,
                in_force,
                f"但上年报告（{where_text(previous, ('表二', row, '现行有效件数'))}）现行有效 {before} 件，"
                f"加本年制发 {issued} 件、减本年废止 {repealed} 件应为 {expected} 件",
                "请核对；同年制发又废止的文件会造成差异，请在报告中说明。",
            )


@cross_rule(
    "T2-4", "format-spec §5.3", Severity.WARNING, "本年废止件数不超过上年现行有效件数 + 本年制发件数", (Edition.E2021,)
)
def repealed_at_most(report: Report, previous: Report) -> Iterator[Problem]:
    if previous.edition is not Edition.E2021:
        return
    for row in _DOCS_2021:
        issued = report.cell(layout.TABLE2, (row,), layout.ISSUED)
        repealed = report.cell(layout.TABLE2, (row,), layout.REPEALED)
        before = previous.cell(layout.TABLE2, (row,), layout.IN_FORCE)
        if issued is None or repealed is None or before is None or repealed <= before + issued:
            continue
        yield cell_problem(
            report,
            "T2-4",
            layout.TABLE2,
            (row,),
            layout.REPEALED,
            repealed,
            f"但上年报告（{where_text(previous, ('表二', row, '现行有效件数'))}）现行有效仅 {before} 件，本年制发 {issued} 件",
            "废止的文件不能多于有效的文件，请核对。",
        )


@cross_rule(
    "T2o-4",
    "format-spec §5.4",
    Severity.WARNING,
    "上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减",
    (Edition.E2019,),
)
def items_roll_forward(report: Report, previous: Report) -> Iterator[Problem]:
    if previous.edition is not Edition.E2019:
        return
    for path, row in layout.table(report.edition, layout.TABLE2).rows():
        if layout.ITEMS_CHANGE not in (c.label for c in row.columns):
            continue
        now = report.cell(layout.TABLE2, path, layout.ITEMS_LAST_YEAR)
        before = previous.cell(layout.TABLE2, path, layout.ITEMS_LAST_YEAR)
        change = previous.cell(layout.TABLE2, path, layout.ITEMS_CHANGE)
        if now is None or before is None or change is None or now == before + change:
            continue
        yield cell_problem(
            report,
            "T2o-4",
            layout.TABLE2,
            path,
            layout.ITEMS_LAST_YEAR,
            now,
            f"但上年报告（{where_text(previous, ('表二', *path, '上一年项目数量'))}）上一年项目数量 {before}、"
            f"本年增/减 {change}，本年应为 {before + change}",
            "请核对。",
        )


@cross_rule(
    "N-2",
    "format-spec §3.2 (内容雷同); DECISIONS §4",
    Severity.WARNING,
    "五、存在的主要问题及改进情况不宜只写“无”或照抄上年",
)
def problems_copied(report: Report, previous: Report) -> Iterator[Problem]:
    now = "".join(report.narrative.problems)
    if now and now == "".join(previous.narrative.problems):
        yield part_problem(
            report,
            "N-2",
            (layout.PROBLEMS,),
            layout.PROBLEMS,
            f"与上年报告（{where_text(previous, (layout.PROBLEMS,))}）完全相同，属于“内容雷同”",
            "请根据本年度的实际情况重写。",
        )
