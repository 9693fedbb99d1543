"""A department's own workbook sent back with a 问题清单 sheet and each problem cell marked.

The copy keeps every sheet, value and formula of the department's workbook; each cell a problem
names (``表三!D12``) gets a light red fill and a comment with the problem in ``validate``'s wording,
and a 问题清单 sheet lists them all. gaigen's reader ignores sheets it does not know, so the copy
still validates the same way.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from pathlib import Path

from gaigen.core.errors import InputError
from gaigen.core.problems import Problem, message

ISSUES_SHEET = "问题清单"
_FILL = "FFC7CE"  # Excel's light red of “bad” cells


def annotated_name(agency: str, year: int) -> str:
    return f"{year}年{agency}（问题标注）.xlsx"


def annotate_workbook(path: Path, problems: Sequence[Problem]) -> bytes:
    """Return a copy of the workbook at ``path`` with its problems marked.

    Raise ``InputError`` when the workbook cannot be opened again.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise InputError(f"{path}：无法再次打开这个工作簿以标注问题（{type(error).__name__}）。") from error
    if ISSUES_SHEET in book.sheetnames:
        del book[ISSUES_SHEET]  # a workbook sent back before and returned again
    fill = PatternFill("solid", start_color=_FILL, end_color=_FILL)
    notes: dict[str, list[str]] = {}
    for problem in problems:
        if problem.cell and "!" in problem.cell:
            notes.setdefault(problem.cell, []).append(message(problem))
    for place, texts in notes.items():
        sheet_name, _, coordinate = place.rpartition("!")
        if sheet_name not in book.sheetnames:
            continue
        cell = book[sheet_name][coordinate]
        cell.fill = fill
        comment = Comment("\n".join(texts), "gaigen")
        comment.width, comment.height = 360, 40 + 60 * len(texts)
        cell.comment = comment
    sheet = book.create_sheet(ISSUES_SHEET, 0)
    sheet.append(["序号", "位置", "类别", "规则", "问题及修改意见"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, problem in enumerate(problems, start=1):
        sheet.append(
            [
                number,
                problem.cell or (f"第 {problem.line} 行" if problem.line else ""),
                problem.severity.chinese,
                problem.rule,
                message(problem),
            ]
        )
    for column, width in zip("ABCDE", (6, 14, 8, 8, 110), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
