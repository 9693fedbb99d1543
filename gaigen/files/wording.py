"""Hints worded for where the clerk fixes them: a data file's line, a workbook's cell, a form's field.

The value checks and rules word their hints for a YAML data file (``请去掉数字两边的引号``,
``发布日期: 2025-01-20``). A workbook cell or a field of ``gaigen app`` has no quotes and no ``键: 值``:
the clerk types into the cell or field, so its hint says what to type; a workbook's number stored as
text is fixed through the cell's format.
"""

from __future__ import annotations

import dataclasses
import re

from gaigen.core.problems import Problem

_TEXT_NUMBER = "该格是文本格式的数字。请把单元格格式改为“常规”或“数值”，再重新输入这个数字（单元格左上角的绿色小三角即表示“以文本形式存储的数字”）。"
# `键: ` before an example value in a hint: in a cell or a field the place already is that key.
_KEY = re.compile(r"[\u4e00-\u9fff（）]+: ")


def for_field(problem: Problem) -> Problem:
    """Return ``problem`` with its hint worded for typing into the place itself (a cell or a form field)."""
    fix = _KEY.sub("", problem.fix.replace("如：", "如 "))
    fix = fix.replace("（不要加“年”字或引号）", "（不要加“年”字）")
    return dataclasses.replace(problem, fix=fix) if fix != problem.fix else problem


def for_workbook(problem: Problem) -> Problem:
    """Return ``problem`` with its hint worded for a workbook cell (unchanged when it has no cell)."""
    if problem.cell is None:
        return problem
    if problem.fix in ("请去掉数字两边的引号。",) or problem.fix.startswith("请去掉引号，写作"):
        return dataclasses.replace(problem, fix=_TEXT_NUMBER)
    return for_field(problem)
