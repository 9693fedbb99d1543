"""Turn a parsed data file into a ``Report`` and the problems met on the way.

Steps: choose the edition (``版式`` or ``年度``), match keys to official labels (``keys``), check
every value's type with the edition's pydantic model (``model``), and build the report. Refused
values are set aside so that one bad cell never hides the others: every problem of the file is
reported in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from gaigen.core import model
from gaigen.core.document import Document
from gaigen.core.errors import InputError
from gaigen.core.keys import canonicalize, match
from gaigen.core.problems import Problem, Severity, show
from gaigen.core.report import Narrative, Report
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import Key, Leaf, Section
from gaigen.spec.layout import Edition, Kind


@dataclass
class ReadResult:
    report: Report
    problems: list[Problem] = field(default_factory=list)


def read_report(doc: Document) -> ReadResult:
    """Return the report in ``doc`` with every problem of structure and type, located."""
    if not isinstance(doc.data, dict):
        kind = "列表" if isinstance(doc.data, list) else "单个值"
        raise InputError(
            f"{doc.name}：文件顶层是{kind}，而数据文件应由“机关名称: …”“年度: …”等键值组成。"
            "请用 gaigen init 生成的文件为模板填写。"
        )
    edition, problems = _choose_edition(doc.data)
    canonical = canonicalize(doc.data, datafile.tree(edition), edition)
    problems += canonical.problems
    values, refused, type_problems = _validate(canonical.data, edition)
    report = _build(values, edition)
    report.refused = refused
    report.given = _given_paths(canonical.data)
    report.file = doc.name
    report.document = doc
    report.origin = canonical.origin
    for problem in type_problems:
        problems.append(replace(problem, path=report.source_path(problem.path or ())))  # type: ignore[arg-type]
    return ReadResult(report, [locate(p, doc) for p in problems])


def locate(problem: Problem, doc: Document) -> Problem:
    """Return ``problem`` with file name, line and column from its path in ``doc``."""
    if problem.line is not None or problem.path is None:
        return problem if problem.file else replace(problem, file=doc.name)
    position = doc.where_key(problem.path) if _is_key_problem(problem) else doc.where(problem.path)
    if position is None:
        return replace(problem, file=doc.name)
    return problem.at(doc.name, position.line, position.column, position.cell)


def _is_key_problem(problem: Problem) -> bool:
    return problem.rule in ("K-1", "K-2", "E-1")


# --- edition ----------------------------------------------------------------------------------


def _top_value(data: dict[str, Any], label: str) -> tuple[str | None, Any]:
    top = datafile.tree(Edition.E2021)
    for key, value in data.items():
        entry = match(key, top)
        if entry is not None and entry.label == label:
            return key, value
    return None, None


def _choose_edition(data: dict[str, Any]) -> tuple[Edition, list[Problem]]:
    _, year_value = _top_value(data, datafile.YEAR)
    edition_key, edition_value = _top_value(data, datafile.EDITION)
    year = _try(model._year, year_value)
    stated = _try(model._edition, edition_value)
    if stated is not None:
        edition = Edition(stated)
        if year is not None and Edition.for_year(year) is not edition:
            # The year decides (条例 and the format notices): tables are read in its edition, so a
            # wrong 版式 alone gives one error, and rows copied from the other edition are named.
            right = Edition.for_year(year)
            return right, [
                Problem(
                    "E-1",
                    Severity.ERROR,
                    f"但 {year} 年度的报告应使用 {right.value} 版式（{right.notice}，适用于{right.years_text}报告）",
                    f"请把版式改为 {right.value}（或删除这一项），并按该版式填写各表。",
                    subject=datafile.EDITION,
                    found=edition.value,
                    path=(edition_key,) if edition_key else None,
                )
            ]
        return edition, []
    if year is not None:
        return Edition.for_year(year), []
    return _guess_edition(data), []


def _try(check: Any, value: Any) -> Any:
    try:
        return check(value)
    except Exception:  # the model reports the refusal with its location later
        return None


def _guess_edition(data: dict[str, Any]) -> Edition:
    """Pick the edition whose 表二 labels the file uses most (used only when 年度 is unusable)."""
    table2 = next((v for k, v in data.items() if k.strip() == layout.TABLE2), None)
    if not isinstance(table2, dict):
        return Edition.E2021
    scores = {}
    for edition in Edition:
        labels = {row.label for _, row in layout.table(edition, layout.TABLE2).rows()}
        scores[edition] = len(labels & set(table2))
    return max(Edition, key=lambda e: (scores[e], e.value))


# --- types ------------------------------------------------------------------------------------


def _validate(data: dict[str, Any], edition: Edition) -> tuple[dict[str, Any], set[tuple[str, ...]], list[Problem]]:
    """Return the typed values, the paths of refused values, and a problem for each refusal."""
    report_model = model.report_model(edition)
    refused: set[tuple[str, ...]] = set()
    problems: list[Problem] = []
    for _ in range(4):
        try:
            typed = report_model.model_validate(data)
        except ValidationError as error:
            for detail in error.errors():
                path = tuple(str(part) for part in detail["loc"])
                refused.add(path)
                problems.append(_type_problem(path, detail, edition))
                _delete(data, path)
            continue
        return typed.model_dump(by_alias=True), refused, problems
    raise AssertionError("refused values were not removed")


def _delete(data: dict[str, Any], path: tuple[str, ...]) -> None:
    node: Any = data
    for part in path[:-1]:
        if not isinstance(node, dict) or part not in node:
            return
        node = node[part]
    if isinstance(node, dict):
        node.pop(path[-1], None)


def _type_problem(path: tuple[str, ...], detail: Any, edition: Edition) -> Problem:
    context = detail.get("ctx") or {}
    why = context.get("why") or "但这一项的写法不对"
    fix = context.get("fix") or _generic_fix(detail)
    found = show(detail.get("input"))
    entry = datafile.entry_at(edition, path)
    if path[0] in layout.TABLE_KEYS:
        if isinstance(entry, Section):
            return Problem(
                _table_type_rule(path[0], edition, None),
                Severity.ERROR,
                "但这里应是由各列组成的一组数据",
                "请按 gaigen init 生成的格式填写这一组数据。",
                table=path[0],
                row=path[-1],
                path=path,
            )
        kind = entry.kind if isinstance(entry, Key) else Kind.COUNT
        return Problem(
            _table_type_rule(path[0], edition, kind),
            Severity.ERROR,
            why,
            fix,
            table=path[0],
            row=path[-2] if len(path) > 2 else None,
            col_label=path[-1],
            found=found,
            path=path,
        )
    rule = "M-1" if len(path) == 1 and path[0] in datafile.META_KEYS else "N-1"
    return Problem(rule, Severity.ERROR, why, fix, subject=path[-1], found=found, path=path)


def _generic_fix(detail: Any) -> str:
    if detail.get("type") == "model_type":
        return "这里应是一组子项（键: 值），请按 gaigen init 生成的格式填写。"
    return "请按 gaigen init 生成的格式填写。"


def _table_type_rule(table: str, edition: Edition, kind: Kind | Leaf | None) -> str:
    if table == layout.TABLE3:
        return "T3-4"
    if table == layout.TABLE4:
        return "T4-4"
    if edition is Edition.E2021:
        return "T2-2" if kind is Kind.MONEY else "T2-1"
    return "T2o-5" if kind is Kind.MONEY else "T2o-1"


# --- building ---------------------------------------------------------------------------------


def _given_paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for key, value in data.items():
        path = (*prefix, key)
        if value is not None:
            paths.add(path)
        if isinstance(value, dict):
            paths |= _given_paths(value, path)
    return paths


def _build(values: dict[str, Any], edition: Edition) -> Report:
    report = Report(
        edition=edition,
        agency=values.get(datafile.AGENCY),
        year=values.get(datafile.YEAR),
        level=values.get(datafile.LEVEL),
        published=values.get(datafile.PUBLISHED),
        website=values.get(datafile.WEBSITE),
        contact=values.get(datafile.CONTACT),
        narrative=_narrative(values, edition),
    )
    for table in layout.tables(edition):
        table_values = values.get(table.key) or {}
        for path, row in table.rows():
            row_values = _dig(table_values, path) or {}
            for column in row.columns:
                report.cells[(table.key, path, column.label)] = row_values.get(column.label)
    return report


def _dig(values: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    node: Any = values
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node if isinstance(node, dict) else None


def _narrative(values: dict[str, Any], edition: Edition) -> Narrative:
    overview = values.get(layout.OVERVIEW) or {}
    narrative = Narrative(
        opening=overview.get(layout.OVERVIEW_OPENING) or [],
        topics={topic: overview.get(topic) or [] for topic in layout.TOPICS},
        problems=values.get(layout.PROBLEMS) or [],
    )
    other = values.get(layout.OTHER_MATTERS)
    if edition is Edition.E2019:
        narrative.other = other or []
    elif isinstance(other, dict):
        narrative.other = other.get(layout.OTHER_TEXT) or []
        fee = other.get(layout.FEE_GROUP) or {}
        narrative.fee_notices = fee.get(layout.FEE_NOTICES)
        narrative.fee_billed = fee.get(layout.FEE_BILLED)
        narrative.fee_collected = fee.get(layout.FEE_COLLECTED)
    return narrative
