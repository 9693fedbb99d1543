"""The rule registry and the helpers rules use to word a problem about a cell or a part."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from gaigen.core.problems import Problem, Severity, show
from gaigen.core.report import Report, Value
from gaigen.core.settings import DEFAULT_SETTINGS, Settings
from gaigen.spec.layout import Edition, RowPath

Check = Callable[[Report], Iterable[Problem]]
CrossCheck = Callable[[Report, Report], Iterable[Problem]]
# A check that reads the county's settings (deadlines, thresholds); last year's report may be None.
SettingsCheck = Callable[[Report, "Report | None", Settings], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    spec: str  # where format-spec or DECISIONS states it
    severity: Severity
    summary: str  # one Chinese line for the README and --help
    editions: tuple[Edition, ...]
    check: Check | None = None
    cross_check: CrossCheck | None = None
    settings_check: SettingsCheck | None = None


RULES: dict[str, Rule] = {}
BOTH = (Edition.E2019, Edition.E2021)


def rule(
    rule_id: str, spec: str, severity: Severity, summary: str, editions: tuple[Edition, ...] = BOTH
) -> Callable[[Check], Check]:
    """Register a check of one report under ``rule_id``."""

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, spec, severity, summary, editions, check=check)
        return check

    return register


def cross_rule(
    rule_id: str, spec: str, severity: Severity, summary: str, editions: tuple[Edition, ...] = BOTH
) -> Callable[[CrossCheck], CrossCheck]:
    """Register a check of a report against last year's report under ``rule_id``."""

    def register(check: CrossCheck) -> CrossCheck:
        existing = RULES.get(rule_id)
        if existing is not None:  # one id may check a report alone and against last year
            RULES[rule_id] = replace(existing, cross_check=check)
        else:
            RULES[rule_id] = Rule(rule_id, spec, severity, summary, editions, cross_check=check)
        return check

    return register


def settings_rule(
    rule_id: str, spec: str, severity: Severity, summary: str, editions: tuple[Edition, ...] = BOTH
) -> Callable[[SettingsCheck], SettingsCheck]:
    """Register a check that reads the county's settings (and last year's report, when given)."""

    def register(check: SettingsCheck) -> SettingsCheck:
        RULES[rule_id] = Rule(rule_id, spec, severity, summary, editions, settings_check=check)
        return check

    return register


def declare(rule_id: str, spec: str, severity: Severity, summary: str, editions: tuple[Edition, ...] = BOTH) -> None:
    """Register a rule that reading the file enforces (types, keys), so it is listed and documented."""
    RULES[rule_id] = Rule(rule_id, spec, severity, summary, editions)


def severity_of(rule_id: str) -> Severity:
    return RULES[rule_id].severity


def check_report(
    report: Report, previous: Report | None = None, settings: Settings = DEFAULT_SETTINGS
) -> list[Problem]:
    """Return every problem the rules find in ``report`` (and against ``previous``, if given)."""
    problems: list[Problem] = []
    for registered in RULES.values():
        if report.edition not in registered.editions:
            continue
        if registered.check is not None:
            problems.extend(registered.check(report))
        if registered.cross_check is not None and previous is not None:
            problems.extend(registered.cross_check(report, previous))
        if registered.settings_check is not None:
            problems.extend(registered.settings_check(report, previous, settings))
    return problems


def row_label(path: RowPath) -> str:
    """Return the label shown for a row: its own label (unique within each table)."""
    return path[-1]


def cell_problem(
    report: Report,
    rule_id: str,
    table: str,
    row: RowPath,
    column: str | None,
    found: Value | None,
    why: str,
    fix: str,
) -> Problem:
    """Return a problem about one cell (or one row when ``column`` is None), placed in the file."""
    path = (table, *row, column) if column else (table, *row)
    return Problem(
        rule_id,
        severity_of(rule_id),
        why,
        fix,
        table=table,
        row=row_label(row) if row else None,
        col_label=column,
        found=show(found) if found is not None else None,
        path=report.source_path(path),
    )


def part_problem(report: Report, rule_id: str, path: tuple[str, ...], subject: str, why: str, fix: str) -> Problem:
    """Return a problem about a narrative part or a metadata key."""
    return Problem(rule_id, severity_of(rule_id), why, fix, subject=subject, path=report.source_path(path))


def where_text(report: Report, path: tuple[str, ...]) -> str:
    """Return “file 第 N 行” (or “file 表三!D12”) for a data path, to cite another file in a message."""
    position = report.position(path)
    name = report.file or "上年报告"
    return f"{name} {position.place}" if position else name


def nonzero(values: Iterable[Value | None]) -> Iterator[Value]:
    return (v for v in values if v)
