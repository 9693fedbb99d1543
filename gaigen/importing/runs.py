"""Rows printed as fused digit runs, read through ``solver``: values, gaps with candidates, findings.

A row whose value is a fused run (``Cell.fused``) is read as plain cells when white space already
cuts it into exactly the row's cells; otherwise the runs of the whole table go to ``solver`` with
the official identities and the cells read elsewhere in the table. Cells the identities fixed are
named in a note with the rules that fixed them (those rules are not evidence for those cells);
an identity that fails whatever the split is an error finding under its own rule id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gaigen.core.problems import Severity
from gaigen.core.report import Value
from gaigen.importing.model import Cell, Finding, Gap, Where
from gaigen.importing.solver import Run, identities, short_run, solve
from gaigen.spec.layout import Edition, RowPath


@dataclass
class Pending:
    """The fused runs of one table, waiting to be solved together."""

    runs: list[Run] = field(default_factory=list)
    places: list[Where] = field(default_factory=list)


def vanishing(pending: Pending) -> Run | None:
    """Return a run of the table that proves blank cells vanished from the copy, if any."""
    return short_run(pending.runs)


def fused_text(values: list[Cell]) -> str | None:
    """Return the digits of a row printed as fused runs (white space kept), or None for ordinary cells."""
    filled = [cell for cell in values if cell.text.strip()]
    if not filled or not all(cell.fused for cell in filled):
        return None
    return " ".join(cell.text.strip() for cell in filled)


def as_cells(text: str, count: int, where: Where) -> list[Cell] | None:
    """Return the run as ordinary cells when white space already cuts it into ``count`` pieces."""
    pieces = text.split()
    if len(pieces) != count:
        return None
    return [Cell(piece, where) for piece in pieces]


def solve_runs(
    key: str,
    edition: Edition,
    pending: Pending,
    values: dict[tuple[str, ...], Value],
    vanished: Run | None = None,
) -> tuple[dict[tuple[str, ...], int], list[Gap], list[Finding], list[str], dict[tuple[str, ...], tuple[str, ...]]]:
    """Return the values, gaps, findings and notes the runs give, and the rules that fixed each value."""
    known: dict[tuple[RowPath, str], int] = {}
    for path, value in values.items():
        if path[0] == key and isinstance(value, int):
            known[(tuple(path[1:-1]), path[-1])] = value
    solved = solve(pending.runs, known, identities(key, edition), vanished)
    read: dict[tuple[str, ...], int] = {}
    gaps: list[Gap] = []
    fixed: dict[tuple[str, ...], tuple[str, ...]] = {}
    for run, where in zip(pending.runs, pending.places, strict=True):
        for row, column in run.cells:
            full = (key, *row, column)
            if (row, column) in solved.values:
                read[full] = solved.values[(row, column)]
                if (row, column) in solved.fixed:
                    fixed[full] = solved.fixed[(row, column)]
            else:
                why = f"原报告{solved.why.get((row, column), '数字串无法切分')}"
                gaps.append(Gap(full, why, where, ambiguous=(row, column) in solved.ambiguous))
    findings = []
    for violation in solved.violations:
        if all(cell in solved.values for cell in violation.run.cells):
            continue  # every cell read after all: the rule itself reports it, with the numbers
        where = pending.places[pending.runs.index(violation.run)]
        findings.append(
            Finding(
                violation.rule,
                Severity.ERROR,
                f"数字粘连成“{violation.run.text}”，无论怎样切分，{violation.words}都不成立",
                "请核对原报告中这一行的数字。",
                where,
                table=key,
                subject=violation.run.label,
            )
        )
    notes = [f"{key}：{note}" for note in solved.notes]
    by_row: dict[str, set[str]] = {}
    for full, used in fixed.items():
        by_row.setdefault(full[-2], set()).update(used)
    for label, names in by_row.items():
        notes.append(
            f"{key}“{label}”行的数字粘连在一起，按勾稽关系（{'、'.join(sorted(names))}）确定了唯一的切分；"
            "这些关系因此不能再用来核验这一行。"
        )
    return read, gaps, findings, notes, fixed
