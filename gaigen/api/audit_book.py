"""The audit workbook ``gaigen check`` writes for several files: one row per report, like batch's summary.

Each row: the file, agency, year, edition, the verdict (通过 / 不通过 / 无法判定), error and warning
counts, the cells read / blank / lost / ambiguous / split by an identity, then each rule of the
checklist with its state; a file that could not be read has its reason instead. The sheet “说明”
says what the states mean. Written atomically (DECISIONS §19).
"""

from __future__ import annotations

import io
from pathlib import Path

from gaigen.api.audit import CHECKLIST, FAIL, PASS, UNDECIDED
from gaigen.api.check import Checked
from gaigen.core.problems import message
from gaigen.files.output import write_atomic

AUDIT_BOOK = "审阅汇总.xlsx"
HEADER = [
    "文件",
    "机关名称",
    "年度",
    "版式",
    "结论",
    "错误",
    "提示",
    "读出格数",
    "空白格（按 0 计）",
    "丢失格",
    "无法确定格",
    "按勾稽关系切分的格",
    *(f"{rule} {name}" for rule, name in CHECKLIST.items()),
    "第一个错误",
]
NOTES = [
    f"结论：有错误为“{FAIL}”；没有错误但有规则因缺格无法核对为“{UNDECIDED}”；其余为“{PASS}”。",
    "错误：勾稽关系不成立、表格版式不对、缺少必备部分（五、六、表三、表四）。其余问题（小标题、格式、措辞、空白格、读不出的格）为提示。",
    "空白格：原报告中存在但没有填写的格，按 0 核对（空白的总计格由 gaigen 计算），每张表提示一次。",
    "丢失格：网页或转换丢掉的格（一行的格数不够），不当作 0；用到它的规则记为“无法判定”，不算违反。",
    "无法确定格：数字粘连在一起、有多种切分都满足勾稽关系的格，不猜测，列出可能的数字。",
    "按勾稽关系切分的格：粘连的数字只有一种切分满足勾稽关系时读出；这些格据此确定，不再用同一关系核验。",
    "“用于切分”：这条关系只用来确定粘连数字的切分，没有可以独立核验的格，既不算通过也不算违反。",
]


def write_audit_book(results: list[tuple[Path, Checked | str]], path: Path) -> None:
    """Write the audit workbook of checked files (a string is why a file could not be checked)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "审阅汇总"
    sheet.append(HEADER)
    for file, result in results:
        sheet.append(_row(file, result))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"文件": 36, "机关名称": 28, "第一个错误": 80}
    for index, title in enumerate(HEADER, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 120
    for line in NOTES:
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def _row(file: Path, result: Checked | str) -> list[object]:
    if isinstance(result, str):
        return [str(file), None, None, None, "无法读取", None, None, *([None] * (5 + len(CHECKLIST))), result]
    imported, audit = result.imported, result.audit
    first = message(result.errors[0]) if result.errors else None
    if imported is None or audit is None:  # a data file: validated, no checklist
        verdict = FAIL if result.errors else PASS
        empty: list[object] = [None] * (5 + len(CHECKLIST))
        return [str(file), None, None, None, verdict, len(result.errors), len(result.warnings), *empty, first]
    verdict = FAIL if result.errors else audit.verdict
    counts = [audit.read, audit.blank, audit.lost, audit.ambiguous, audit.fixed]
    states = [audit.rules.get(rule) for rule in CHECKLIST]
    return [
        str(file),
        imported.agency,
        imported.year,
        imported.edition.value,
        verdict,
        len(result.errors),
        len(result.warnings),
        *counts,
        *states,
        first,
    ]
