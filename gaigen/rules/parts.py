"""A-1 (format-spec §8.2): a county government's report against the sum of its departments'.

The county report is written from the departments' figures, cell by cell. ``gaigen validate
county.yaml --parts DIR`` sums the departments' data files (``gaigen.api.aggregate``) and this rule
names every cell of 表二, 表三 and 表四 (and 2021's 信息处理费) that differs from the sum. It needs
the other files, so it is not run by ``check_report``; ``declare`` lists and documents it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report, Value, number_text
from gaigen.core.totals import completed
from gaigen.rules.base import cell_problem, declare, part_problem
from gaigen.spec import layout
from gaigen.spec.layout import CellKey, Kind

declare(
    "A-1", "format-spec §8.2", Severity.WARNING, "汇总报告（validate --parts）：表中每一格应等于各部门数据文件该格之和"
)

FIX = "请核对该格；如应与各部门一致，可用 gaigen aggregate 由部门数据文件重新汇总。"


def parts_differ(
    report: Report, expected: Mapping[CellKey, Value], fees: Mapping[str, Value], count: int
) -> Iterator[Problem]:
    """Yield an A-1 problem for each cell (总计 cells aside) that differs from the parts' sum."""
    values = completed(report)
    for table in report.tables():
        for path, row in table.rows():
            if row.optional:
                continue  # 表三（七）总计 follows the rows above it
            for column in row.columns:
                if column.kind is Kind.TOTAL:
                    continue  # a total follows its cells; a wrong one is T3-3 or T4-1…3
                key = (table.key, path, column.label)
                have, want = values.get(key), expected.get(key)
                if have is None or want is None or have == want:
                    continue
                yield cell_problem(
                    report,
                    "A-1",
                    table.key,
                    path,
                    column.label,
                    have,
                    f"但 {count} 份部门数据文件该格之和为 {number_text(want)}",
                    FIX,
                )
    narrative = report.narrative
    given = {
        layout.FEE_NOTICES: narrative.fee_notices,
        layout.FEE_BILLED: narrative.fee_billed,
        layout.FEE_COLLECTED: narrative.fee_collected,
    }
    for fee, want in fees.items():
        have = given.get(fee)
        if have is None or have == want:
            continue
        yield part_problem(
            report,
            "A-1",
            (layout.OTHER_MATTERS, layout.FEE_GROUP, fee),
            f"{layout.FEE_GROUP}“{fee}”",
            f"为 {number_text(have)}，但 {count} 份部门数据文件之和为 {number_text(want)}",
            FIX,
        )
