"""``gaigen check``: review a published report (.docx, .txt, .html) or a data file.

A report is imported in memory (``gaigen.importing``) and checked with every rule of
``gaigen.rules`` plus the format findings the importer made (F-1 … F-9). Each problem is placed in
the report, not in a data file: the line of a .txt, or the paragraph or table row of a .docx or
web page. A cell the importer could not read is rule T0-1, worded with the reason. A data file
(.yaml/.yml/.json, or a gaigen workbook) is validated as ``gaigen validate`` does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gaigen.api import reports as api
from gaigen.api.audit import FAIL, PASS, UNDECIDED, USED, Audit, audit_of
from gaigen.core.document import Document
from gaigen.core.errors import InputError, UsageError
from gaigen.core.problems import HasProblems, Problem, Severity
from gaigen.core.report import Report
from gaigen.files.inputs import WORKBOOK_SUFFIXES
from gaigen.files.reading import read_report
from gaigen.importing import REPORT_SUFFIXES, Imported, import_report
from gaigen.importing.model import NOWHERE, Finding, Paragraph, Table, Where
from gaigen.rules import check_report
from gaigen.spec import datafile, layout
from gaigen.spec.layout import Edition

DATA_SUFFIXES = (".yaml", ".yml", ".json", *WORKBOOK_SUFFIXES)
# Rules whose wording is about a data file, not a published report, or that the F- rules say better.
_NOT_FOR_REPORTS = {"N-3"}  # a missing 发布日期 is about the data file's signature line
_GAP_FIX = "请核对原报告：网上发布的表格常在转换时丢失数字，丢失的格不能当作 0。"


@dataclass
class Checked(HasProblems):
    """The outcome of checking one file."""

    path: Path
    name: str
    problems: list[Problem] = field(default_factory=list)
    imported: Imported | None = None  # None for a data file
    places: dict[int, Where] = field(default_factory=dict)  # id(problem) → place in the report
    audit: Audit | None = None  # a published report's counts and rule states

    def where(self, problem: Problem) -> Where:
        return self.places.get(id(problem), NOWHERE)


def check_file(path: Path, previous: Path | None = None) -> Checked:
    """Return every problem of the report or data file at ``path``.

    Raise ``InputError`` when the file cannot be read or is not an annual report.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        validation = api.validate_file(path, previous)
        return Checked(path, name, validation.problems)
    if suffix not in REPORT_SUFFIXES:
        raise InputError(
            f"{name}：不支持这种文件（{suffix or '无扩展名'}）。gaigen check 可以审阅 .docx、.doc、.wps、.pdf、.txt、.md、"
            ".html、.htm 格式的年度报告和 .yaml、.json 数据文件。"
        )
    imported = import_report(path, name)
    last_year = previous_report(previous) if previous is not None else None
    year = imported.year
    if last_year is not None and last_year.year is not None and year is not None and last_year.year != year - 1:
        raise UsageError(
            f"{previous}：--previous 给出的是 {last_year.year} 年度的报告，而本报告是 {year} 年度，"
            f"应给出 {year - 1} 年度的报告或数据文件。"
        )
    return check_imported(imported, path, last_year)


def previous_report(path: Path) -> Report:
    """Return last year's report from a data file or a published report (for cross-year rules)."""
    if path.suffix.lower() in REPORT_SUFFIXES:
        return in_memory_report(import_report(path, str(path)))
    return api.load_report(path)[0]


def in_memory_report(imported: Imported) -> Report:
    """Return the ``Report`` of an imported report's data, as ``validate`` would read it."""
    document = Document(path=Path(imported.name), name=imported.name, data=copy.deepcopy(imported.data))
    return read_report(document).report


def check_imported(imported: Imported, path: Path | None = None, previous: Report | None = None) -> Checked:
    """Return the problems of an imported report: every rule, the format findings, each placed.

    The verdict is an auditor's (DECISIONS §17): an identity that fails, tables of the wrong
    edition and a missing required part (五, 六, 表三, 表四) are errors; a cell that could not be
    read or decided, a missing sub-heading of 一, blank cells and the format findings are warnings.
    A table printed in the other edition is checked in its own layout.
    """
    found = _rule_problems(imported, previous)
    checked = Checked(path or Path(imported.name), imported.name, imported=imported)
    gaps = {gap.path: gap for gap in imported.gaps}
    placed: list[tuple[Problem, Where]] = []
    for problem in found:
        if problem.rule in _NOT_FOR_REPORTS:
            continue
        path_key = tuple(str(part) for part in problem.path or ())
        if problem.rule == "T0-1" and (problem.subject,) in gaps and not path_key[1:]:
            continue  # a whole table missing: said once below as a missing required part (N-1)
        where = imported.where(problem.path)
        gap = gaps.get(_cell_path(problem)) or gaps.get(path_key)
        if problem.rule == "T0-1" and gap is not None:
            problem = replace(problem, severity=Severity.WARNING, why=f"{gap.why}，无法读取", fix=_GAP_FIX)
            where = gap.where if gap.where != NOWHERE else where
        elif problem.rule == "N-1" and _part_missing(problem, imported):
            problem = replace(problem, why=_MISSING_PART)
        if problem.is_error and _not_blocking(problem):
            problem = replace(problem, severity=Severity.WARNING)
        placed.append((problem, where))
    placed += _missing_required(imported)
    for finding in imported.findings:
        placed.append((_problem(finding), finding.where))
    order = _block_order(imported)
    placed.sort(key=lambda item: (_order_key(item[1], order), item[0].rule))
    for problem, where in placed:
        located = _locate(problem, imported.name, where)
        checked.problems.append(located)
        checked.places[id(located)] = where
    checked.audit = audit_of(imported, checked.problems)
    return checked


def _rule_problems(imported: Imported, previous: Report | None) -> list[Problem]:
    """Return the problems of every rule, each table checked in the layout it is printed in."""
    problems = _rules_on(_as_printed(imported), imported, previous)
    skip = {f.table for f in imported.findings if f.rule == "F-3" and f.table} | set(imported.table_editions)
    problems = [p for p in problems if not _covered_by_edition(p, skip, imported)]
    for key, edition in imported.table_editions.items():
        data = _as_printed(imported)
        data[datafile.YEAR] = _A_YEAR[edition]
        data[datafile.EDITION] = edition.value
        own = _rules_on(data, imported, previous)
        problems = [p for p in problems if _table_of(p) != key] + [p for p in own if _table_of(p) == key]
    return problems


_A_YEAR = {Edition.E2019: 2020, Edition.E2021: 2021}


def _rules_on(data: dict[str, Any], imported: Imported, previous: Report | None) -> list[Problem]:
    document = Document(path=Path(imported.name), name=imported.name, data=data)
    result = read_report(document)
    return result.problems + check_report(result.report, previous)


def _table_of(problem: Problem) -> str | None:
    return problem.table or (str(problem.path[0]) if problem.path else None)


def _not_blocking(problem: Problem) -> bool:
    """Return True for an error of a data file that is only a warning for a published report.

    Of the completeness rules only a missing 五 or 六 blocks a published report; a missing
    sub-heading of 一 (most real reports have none), the 信息处理费 figures 六 does not state and
    metadata the title does not give (M-) are warnings (DECISIONS §17).
    """
    if problem.rule.startswith("M-"):
        return True
    return problem.rule == "N-1" and problem.subject not in (layout.PROBLEMS, layout.OTHER_MATTERS)


def _missing_required(imported: Imported) -> list[tuple[Problem, Where]]:
    """Return an error for each required part the report lacks entirely: 六, 表三, 表四 (五 is N-1's)."""
    missing: list[tuple[Problem, Where]] = []
    if layout.OTHER_MATTERS in imported.missing_parts:
        missing.append(
            (
                Problem(
                    "N-1",
                    Severity.ERROR,
                    _MISSING_PART,
                    f"请按格式写明“{layout.OTHER_MATTERS}”（没有可写“无”）。",
                    subject=layout.OTHER_MATTERS,
                ),
                NOWHERE,
            )
        )
    for gap in imported.gaps:
        if len(gap.path) == 1 and gap.path[0] in layout.TABLE_KEYS[1:]:
            title = layout.table(imported.edition, gap.path[0]).title
            missing.append(
                (
                    Problem("N-1", Severity.ERROR, f"原报告中找不到{gap.path[0]}（{title}）", "请按格式补上这张表。"),
                    NOWHERE,
                )
            )
    return missing


def _as_printed(imported: Imported) -> dict[str, Any]:
    """Return the data to check: tables printed in the other edition are checked in that edition.

    F-3 says the edition is wrong; reading the tables in the year's edition would only add an
    error for every row of the other edition, while their own edition still shows whether the
    numbers add up. The year is then one of that edition's (no rule of one report words it).
    """
    data = copy.deepcopy(imported.data)
    year = imported.year
    if year is not None and Edition.for_year(year) is not imported.edition:
        data[datafile.YEAR] = 2020 if imported.edition is Edition.E2019 else max(year, 2021)
    return data


def _cell_path(problem: Problem) -> tuple[str, ...]:
    """Return the data path of a cell problem (table, row path, column) from its record."""
    if problem.table is None or problem.col_label is None or problem.path is None:
        return ()
    keys = tuple(str(part) for part in problem.path)
    return keys if keys[-1] == problem.col_label else (*keys, problem.col_label)


def _covered_by_edition(problem: Problem, tables: set[str], imported: Imported) -> bool:
    """Return True for the per-cell noise of a table that F-3 already says is of the other edition."""
    if not tables:
        return False
    return _table_of(problem) in tables and problem.rule in ("E-1", "K-1", "T0-1")


_MISSING_PART = "原报告中没有找到这一部分（没有这样的标题或小标题）"


def _part_missing(problem: Problem, imported: Imported) -> bool:
    """Return True when an N-1 problem is about a part the importer did not find at all."""
    subject = problem.subject or ""
    overview = imported.data.get(layout.OVERVIEW) or {}
    for topic, heading in zip(layout.TOPICS, layout.TOPIC_HEADINGS[imported.edition], strict=True):
        if subject == f"{layout.OVERVIEW}{heading}":
            return topic not in overview
    return subject in (layout.PROBLEMS, layout.OTHER_MATTERS) and subject not in imported.data


def _problem(finding: Finding) -> Problem:
    return Problem(
        finding.rule,
        finding.severity,
        finding.why,
        finding.fix,
        table=finding.table,
        row=finding.row,
        col_label=finding.col_label,
        found=finding.found,
        subject=finding.subject,
    )


def _locate(problem: Problem, name: str, where: Where) -> Problem:
    if where.line is not None:
        return replace(problem, file=name, line=where.line, column=None, cell=None)
    place = where.text()
    return replace(problem, file=name, line=None, column=None, cell=place or None)


def _block_order(imported: Imported) -> dict[tuple[str, int], int]:
    order: dict[tuple[str, int], int] = {}
    for index, block in enumerate(imported.source.blocks):
        if isinstance(block, Paragraph) and block.where.paragraph is not None:
            order.setdefault(("p", block.where.paragraph), index)
        elif isinstance(block, Table) and block.where.table is not None:
            order.setdefault(("t", block.where.table), index)
    return order


def _order_key(where: Where, order: dict[tuple[str, int], int]) -> tuple[int, int]:
    if where.line is not None:
        return (where.line, 0)
    if where.table is not None:
        return (order.get(("t", where.table), 0), where.row or 0)
    if where.paragraph is not None:
        return (order.get(("p", where.paragraph), 0), 0)
    return (-1, 0)  # the report as a whole: first


# --- what the command prints ------------------------------------------------------------------------


def summary(checked: Checked) -> str:
    """Return the closing lines for one file: counts and verdict, then a report's checklist."""
    read = ""
    audit = checked.audit
    if audit is not None:
        read = f"（读到 {audit.read} 个数字格"
        read += f"，空白 {audit.blank} 格按 0 计" if audit.blank else ""
        read += f"，丢失 {audit.lost} 格" if audit.lost else ""
        read += f"，无法确定 {audit.ambiguous} 格" if audit.ambiguous else ""
        read += "）"
    errors, warnings = len(checked.errors), len(checked.warnings)
    if errors:
        line = f"{checked.name}{read}：{errors} 个错误，{warnings} 个提示。"
    elif warnings:
        line = f"{checked.name}{read}：没有错误，{warnings} 个提示。"
    else:
        line = f"{checked.name}{read}：检查通过。"
    if audit is None:
        return line
    groups = []
    for state in (FAIL, UNDECIDED, USED, PASS):
        rules = [rule for rule, got in audit.rules.items() if got == state]
        if rules:
            groups.append(f"{state} {'、'.join(rules)}")
    used = "；切分粘连数字时用到 " + "、".join(sorted(audit.used)) if audit.used else ""
    return line + "\n  核对清单：" + "；".join(groups) + used + "。"


def record(checked: Checked) -> dict[str, Any]:
    """Return the JSON record of one file for ``gaigen check --json``."""
    problems = []
    for problem in checked.problems:
        entry = problem.to_json()
        entry["location"] = checked.where(problem).to_json()
        problems.append(entry)
    result: dict[str, Any] = {
        "file": checked.name,
        "ok": checked.ok,
        "errors": len(checked.errors),
        "warnings": len(checked.warnings),
        "problems": problems,
    }
    if checked.imported is not None:
        imported = checked.imported
        result["kind"] = imported.source.kind
        result["edition"] = imported.edition.value
        result["year"] = imported.year
        result["agency"] = imported.agency
        result["cells_read"] = imported.cells_read
        if checked.audit is not None:
            audit = checked.audit
            result["verdict"] = audit.verdict
            result["cells"] = {
                "read": audit.read,
                "blank": audit.blank,
                "lost": audit.lost,
                "ambiguous": audit.ambiguous,
                "fixed": audit.fixed,
            }
            result["rules"] = dict(audit.rules)
            result["fixed"] = [{"path": list(path), "rules": list(rules)} for path, rules in imported.fixed.items()]
        result["gaps"] = [
            {"path": list(gap.path), "why": gap.why, "location": gap.where.to_json()} for gap in imported.gaps
        ]
    return result
