"""Problems found in a data file, as records, and the one function that words them in Chinese.

Every command (validate, render, batch) says the same problem the same way (DECISIONS §7):
``{file} 第 {line} 行：{table}“{row}”行“{column}”列为 {found}，{why}（{rule}）。{what to do}``
with the parts that do not apply dropped.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from gaigen.core.numbers import TooLong


class Severity(str, enum.Enum):
    ERROR = "error"  # blocks rendering
    WARNING = "warning"  # shown, rendering goes on

    @property
    def chinese(self) -> str:
        return "错误" if self is Severity.ERROR else "提示"


@dataclass(frozen=True)
class Problem:
    """One finding: where it is, what was found, why it is wrong, what to do."""

    rule: str
    severity: Severity
    why: str
    fix: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    table: str | None = None
    row: str | None = None
    col_label: str | None = None
    found: str | None = None
    subject: str | None = None  # a key or part name when the problem is not about a table cell
    path: tuple[str | int, ...] | None = field(default=None, compare=False)  # key path in the file
    cell: str | None = None  # in a workbook: sheet and cell (``表三!D12``), said instead of the line

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, file: str | None, line: int | None, column: int | None = None, cell: str | None = None) -> Problem:
        return replace(self, file=file, line=line, column=column, cell=cell)

    def sort_key(self) -> tuple[str, int, int, str]:
        sheet = self.cell.rpartition("!")[0] if self.cell else ""  # a workbook: sheet by sheet
        return (sheet, self.line if self.line is not None else 1 << 30, self.column or 0, self.rule)

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["severity"] = self.severity.value
        record["path"] = list(self.path) if self.path is not None else None
        record["message"] = message(self)
        return record


class HasProblems:
    """For results that carry ``problems``: their errors, their warnings, and whether none blocks."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def message(problem: Problem) -> str:
    """Return the problem as one Chinese sentence in the shape of DECISIONS §7."""
    location = ""
    if problem.file is not None and problem.cell is not None:
        location = f"{problem.file} {problem.cell}："
    elif problem.file is not None and problem.line is not None:
        location = f"{problem.file} 第 {problem.line} 行："
    elif problem.file is not None:
        location = f"{problem.file}："
    subject = problem.table or ""
    if problem.row:
        subject += f"“{problem.row}”行"
    if problem.col_label:
        subject += f"“{problem.col_label}”列"
    if problem.subject:
        subject += f"“{problem.subject}”"
    if problem.found is not None:
        subject += f"为 {problem.found}"
    body = f"{subject}，{problem.why}" if subject else problem.why
    text = f"{location}{body}（{problem.rule}）。"
    if problem.fix:
        text += problem.fix
    return text


def show(value: Any) -> str:
    """Return ``value`` as the clerk wrote it, for the 'found' part of a message."""
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f") if value == value.to_integral_value() and "E" in str(value) else str(value)
    if isinstance(value, TooLong):
        return value.shown()
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, (list, dict)):
        return "列表" if isinstance(value, list) else "多个子项"
    return str(value)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
