"""An auditor's view of one checked report: how many cells were read, and each identity's state.

For a published report: cells read from the document, printed blank (read as 0), lost (the copy
dropped them) and ambiguous (a fused run that several readings fit), the cells a fused run was
split by an identity, and for each 勾稽 rule whether it holds (通过), fails (不通过), cannot be
decided because a cell it needs is missing (无法判定), or was only used to split fused digits and
so was assumed, not checked (用于切分) — DECISIONS §17, §18.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gaigen.core.problems import Problem
from gaigen.importing import Imported
from gaigen.importing.solver import identities
from gaigen.spec import layout

PASS, FAIL, UNDECIDED, USED = "通过", "不通过", "无法判定", "用于切分"
# The rules of the checklist, in the workbook's order, with their short Chinese names.
CHECKLIST = {
    "T3-1": "表三 一+二=（七）+四",
    "T3-2": "表三（七）总计",
    "T3-3": "表三行总计",
    "T3-5": "表三办理不多于收到",
    "T4-1": "表四行政复议总计",
    "T4-2": "表四直接起诉总计",
    "T4-3": "表四复议后起诉总计",
    "F-3": "表格版式",
    "N-1": "必备部分",
}


@dataclass
class Audit:
    read: int = 0
    blank: int = 0
    lost: int = 0
    ambiguous: int = 0
    fixed: int = 0  # cells whose fused run an identity split
    rules: dict[str, str] = field(default_factory=dict)  # rule id → 通过 / 不通过 / 无法判定
    used: dict[str, int] = field(default_factory=dict)  # rule id → cells it was used to split (not evidence)

    @property
    def verdict(self) -> str:
        if FAIL in self.rules.values():
            return FAIL
        return UNDECIDED if UNDECIDED in self.rules.values() else PASS


def audit_of(imported: Imported, problems: list[Problem]) -> Audit:
    """Return the counts and the checklist of an imported report checked with ``problems``."""
    cells = [gap for gap in imported.gaps if len(gap.path) > 1 and gap.path[0] in layout.TABLE_KEYS]
    blank_values = sum(1 for path in imported.blanks if _value(imported, path) is not None)
    audit = Audit(
        read=imported.cells_read - blank_values,
        blank=len(imported.blanks),
        lost=sum(1 for gap in cells if not gap.ambiguous),
        ambiguous=sum(1 for gap in cells if gap.ambiguous),
        fixed=len(imported.fixed),
    )
    failed = {problem.rule for problem in problems if problem.is_error}
    gaps = {gap.path for gap in imported.gaps}
    undecided: set[str] = set()
    verified: set[str] = set()  # rules with at least one instance checked on cells it did not fix
    for key in layout.TABLE_KEYS[1:]:
        if (key,) in gaps:
            undecided.update(rule for rule in CHECKLIST if rule.startswith(f"T{3 if key == '表三' else 4}"))
            continue
        edition = imported.table_editions.get(key, imported.edition)
        for identity in identities(key, edition):
            paths = [(key, *row, column) for row, column in identity.cells]
            if any(path in gaps for path in paths):
                undecided.add(identity.rule)
                if key == layout.TABLE3:
                    undecided.add("T3-5")  # it compares every outcome with the requests of its column
            elif not any(identity.rule in imported.fixed.get(path, ()) for path in paths):
                verified.add(identity.rule)
    for rules in imported.fixed.values():
        for rule in rules:
            audit.used[rule] = audit.used.get(rule, 0) + 1
    for rule in CHECKLIST:
        if rule in failed:
            audit.rules[rule] = FAIL
        elif rule in undecided:
            audit.rules[rule] = UNDECIDED
        elif rule in audit.used and rule not in verified:
            audit.rules[rule] = USED  # every instance was what split the fused digits: assumed, not checked
        else:
            audit.rules[rule] = PASS
    return audit


def _value(imported: Imported, path: tuple[str, ...]) -> object:
    node: object = imported.data
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node
