"""Fused digit runs to cells: every split the printing allows, kept only when the official identities hold.

A web page that drops the separators between table cells prints a row as one run of digits
(``713000074``). The run is split into the row's cells in every way the printing allows: each
cell a number without leading zeros, white space a hard boundary (no cell spans it, and every
stretch of white space ends a cell). The splits are then kept only when the official identities
hold (表三: T3-3 in each row, T3-1 and T3-2 in each column; 表四: T4-1 … T4-3). A cell is read only
when every surviving split agrees on it (DECISIONS §18); otherwise it is a gap that lists its
candidates. When no split satisfies an identity, the identity fails whatever the split: that is
reported as certain. The enumeration is bounded: past ``SPLIT_CAP`` splits of one run or
``JOINT_CAP`` combinations of a table, cells stay gaps — never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gaigen.core.totals import OUTCOME_TOTAL_ROW
from gaigen.importing.splits import SPLIT_CAP, TooMany, count_splits, splits
from gaigen.spec import layout
from gaigen.spec.layout import Edition, Kind, RowPath

JOINT_CAP = 200_000  # combinations of the open rows of one table
CANDIDATES_SHOWN = 4

CellKey = tuple[RowPath, str]  # (row path, column label)


@dataclass(frozen=True)
class Identity:
    """An official identity: the cells on the left add up to the cells on the right."""

    rule: str
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]
    words: str  # in Chinese, e.g. "总计等于自然人至其他各列之和"

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.left + self.right

    def holds(self, value: Callable[[CellKey], int]) -> bool:
        return sum(value(c) for c in self.left) == sum(value(c) for c in self.right)


@dataclass(frozen=True)
class Run:
    """The printed digit run of one row (表四: of the whole table) and the cells it covers, in order."""

    cells: tuple[CellKey, ...]
    text: str
    label: str  # the row as named in messages
    signed: frozenset[int] = frozenset()  # positions of the cells that may be negative (本年增/减)


@dataclass(frozen=True)
class Violation:
    """An identity that fails whatever the split."""

    rule: str
    run: Run
    words: str


@dataclass
class Solved:
    """What the runs of one table gave: values, gaps with their reason, and what fixed each value."""

    values: dict[CellKey, int] = field(default_factory=dict)
    why: dict[CellKey, str] = field(default_factory=dict)  # cells left as gaps
    ambiguous: set[CellKey] = field(default_factory=set)  # gaps with several candidates
    fixed: dict[CellKey, tuple[str, ...]] = field(default_factory=dict)  # rules that chose among splits
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- the identities of each table ----------------------------------------------------------------


def identities(key: str, edition: Edition) -> list[Identity]:
    """Return the official equalities among the cells of table ``key`` (表二 has none)."""
    table = layout.table(edition, key)
    found: list[Identity] = []
    if key == layout.TABLE_KEYS[1]:
        columns = [c.label for c in layout.APPLICANT_COLUMNS]
        six = columns[:-1]
        for path, _row in table.rows():
            found.append(
                Identity("T3-3", ((path, layout.TOTAL),), tuple((path, c) for c in six), "总计等于自然人至其他各列之和")
            )
        outcomes = [p for p, _ in table.rows() if p[0] == layout.OUTCOMES and p != OUTCOME_TOTAL_ROW]
        for column in columns:
            found.append(
                Identity(
                    "T3-1",
                    (((layout.NEW_REQUESTS,), column), ((layout.CARRIED_OVER,), column)),
                    ((OUTCOME_TOTAL_ROW, column), ((layout.CARRIED_FORWARD,), column)),
                    f"“{column}”列“一”加“二”等于“（七）总计”加“四”",
                )
            )
            found.append(
                Identity(
                    "T3-2",
                    ((OUTCOME_TOTAL_ROW, column),),
                    tuple((p, column) for p in outcomes),
                    f"“{column}”列“（七）总计”等于（一）至（六）各项之和",
                )
            )
    elif key == layout.TABLE_KEYS[2]:
        for rule, (path, row) in zip(("T4-1", "T4-2", "T4-3"), table.rows(), strict=True):
            parts = tuple((path, c.label) for c in row.columns if c.kind is not Kind.TOTAL)
            found.append(Identity(rule, ((path, layout.TOTAL),), parts, f"“{path[-1]}”总计等于四项结果之和"))
    return found


# --- solving ---------------------------------------------------------------------------------------


def short_run(runs: list[Run]) -> Run | None:
    """Return a run with fewer digits than cells: proof that blank cells left no trace in the copy."""
    return next((run for run in runs if _digits(run.text) < len(run.cells)), None)


def solve(runs: list[Run], known: dict[CellKey, int], rules: list[Identity], vanished: Run | None = None) -> Solved:
    """Return the cells the runs fix, given the cells read elsewhere in the table (``known``).

    Splitting assumes every cell left at least one digit. A run with fewer digits than cells
    (``vanished``, here or in another table of the report) disproves that: then no run is read.
    """
    solved = Solved()
    short = vanished or short_run(runs)
    owner: dict[CellKey, int] = {cell: r for r, run in enumerate(runs) for cell in run.cells}
    candidates: list[list[tuple[int, ...]]] = []
    used: list[set[str]] = [set() for _ in runs]
    ambiguous: list[bool] = []
    broken: set[Identity] = set()
    for r, run in enumerate(runs):
        local = [i for i in rules if all(owner.get(c) == r or c in known for c in i.cells)]
        kept, why = _split_run(run, local, known, short, solved)
        if why is not None:
            for cell in run.cells:
                solved.why[cell] = why
            candidates.append([])
            ambiguous.append(False)
            continue
        ambiguous.append(kept.structural > 1)
        if kept.broken:
            broken.update(kept.broken)
        if kept.used:
            used[r].update(i.rule for i in local if i not in kept.broken)
        candidates.append(kept.splits)
    cross = [
        i
        for i in rules
        if i not in broken
        and len({owner[c] for c in i.cells if c in owner}) > 1
        and all((c in owner and candidates[owner[c]]) or c in known for c in i.cells)
    ]
    _joint(runs, candidates, cross, known, owner, used, solved)
    for r, run in enumerate(runs):
        if not candidates[r]:
            continue
        for index, cell in enumerate(run.cells):
            values = sorted({s[index] for s in candidates[r]})
            if len(values) == 1:
                solved.values[cell] = values[0]
                if ambiguous[r] and used[r]:
                    solved.fixed[cell] = tuple(sorted(used[r]))
            else:
                shown = "、".join(str(v) for v in values[:CANDIDATES_SHOWN])
                more = f"等 {len(values)} 种" if len(values) > CANDIDATES_SHOWN else ""
                why = "都满足勾稽关系" if used[r] else ""
                if any(v.run is run for v in solved.violations):
                    why = "（无论哪种，勾稽关系都不成立）"
                solved.why[cell] = f"数字串“{run.text}”有多种切分{why}，这一格可能是 {shown}{more}"
                solved.ambiguous.add(cell)
    return solved


@dataclass
class _Kept:
    splits: list[tuple[int, ...]]
    structural: int  # splits the printing allows, before any identity
    used: bool = False  # identities narrowed the splits
    broken: set[Identity] = field(default_factory=set)


def _split_run(
    run: Run, local: list[Identity], known: dict[CellKey, int], short: Run | None, solved: Solved
) -> tuple[_Kept, str | None]:
    """Return the splits of one run its own identities allow, or why it cannot be split."""
    count = len(run.cells)
    structural = count_splits(run.text, count)
    none = _Kept([], structural)
    if structural == 0:
        return none, f"数字串“{run.text}”无法分成 {count} 个数（不以 0 开头，空白处必须分开）"
    if short is not None:
        return none, (
            f"“{short.label}”行的数字串“{short.text}”比格数少，说明空白格在复制时没有留下痕迹，"
            f"数字串“{run.text}”也就无法确定如何切分"
        )
    totals = _totals(run, local)
    if structural == 1 or not local:
        found = splits(run.text, count)
        kept = _Kept([s for s in found or [] if _signs_fit(run, s)], structural)
        if found is None:
            return none, f"数字串“{run.text}”的切分方式超过 {SPLIT_CAP} 种，无法确定各格"
        return kept, None
    found = splits(run.text, count, totals=totals)
    if found is None:
        return none, f"数字串“{run.text}”的切分方式超过 {SPLIT_CAP} 种，无法确定各格"
    rest = [i for i in local if _total_of(run, i) is None]
    found = [s for s in found if _signs_fit(run, s) and all(i.holds(_lookup(run, s, known)) for i in rest)]
    if found:
        return _Kept(found, structural, used=len(found) < structural), None
    broken: set[Identity] = set()
    for identity in local:  # none holds together: find those that fail on their own
        alone = _totals(run, [identity])
        tried = splits(run.text, count, totals=alone)
        if tried is not None and not any(identity.holds(_lookup(run, s, known)) for s in tried):
            solved.violations.append(Violation(identity.rule, run, identity.words))
            broken.add(identity)
    remaining = [i for i in local if i not in broken]
    found = splits(run.text, count, totals=_totals(run, remaining)) if broken else None
    found = [s for s in found or [] if all(i.holds(_lookup(run, s, known)) for i in remaining)]
    if not found:
        shown = "、".join(sorted({i.rule for i in local}))
        return _Kept([], structural, broken=broken), (
            f"数字串“{run.text}”无论怎样切分，勾稽关系（{shown}）都不能同时成立，无法确定各格"
        )
    return _Kept(found, structural, used=bool(remaining) and len(found) < structural, broken=broken), None


def _total_of(run: Run, identity: Identity) -> tuple[int, tuple[int, ...]] | None:
    """Return (total position, part positions) when ``identity`` is a total of earlier cells of the run."""
    if len(identity.left) != 1 or identity.left[0] not in run.cells:
        return None
    total = run.cells.index(identity.left[0])
    if not all(c in run.cells and run.cells.index(c) < total for c in identity.right):
        return None
    return total, tuple(run.cells.index(c) for c in identity.right)


def _totals(run: Run, local: list[Identity]) -> dict[int, tuple[int, ...]]:
    found = (_total_of(run, identity) for identity in local)
    return dict(each for each in found if each is not None)


def _signs_fit(run: Run, split: tuple[int, ...]) -> bool:
    return all(v >= 0 or i in run.signed for i, v in enumerate(split))


def _digits(text: str) -> int:
    return sum(1 for char in text if char.isdigit())


def _lookup(run: Run, split: tuple[int, ...], known: dict[CellKey, int]) -> Callable[[CellKey], int]:
    values = dict(zip(run.cells, split, strict=True))

    def value(cell: CellKey) -> int:
        return values[cell] if cell in values else known[cell]

    return value


def _joint(
    runs: list[Run],
    candidates: list[list[tuple[int, ...]]],
    cross: list[Identity],
    known: dict[CellKey, int],
    owner: dict[CellKey, int],
    used: list[set[str]],
    solved: Solved,
) -> None:
    """Keep the splits of the rows still open that some combination satisfying every identity uses."""
    open_rows = sorted({owner[c] for i in cross for c in i.cells if c in owner and len(candidates[owner[c]]) > 1})
    if not open_rows:
        return
    survivors = _search(runs, candidates, open_rows, cross, known, owner)
    if survivors is None:
        solved.notes.append(f"数字串的组合超过 {JOINT_CAP} 种，未按勾稽关系求解，有多种切分的格按无法确定处理。")
        return
    if not any(survivors.values()):
        certain = [i for i in cross if _search(runs, candidates, open_rows, [i], known, owner) == {}]
        for identity in certain:
            run = next(runs[owner[c]] for c in identity.cells if c in owner and owner[c] in open_rows)
            solved.violations.append(Violation(identity.rule, run, identity.words))
        rest = [i for i in cross if i not in certain]
        survivors = _search(runs, candidates, open_rows, rest, known, owner) if certain else survivors
        if not survivors or not any(survivors.values()):
            return
        cross = rest
    for r in open_rows:
        candidates[r] = [candidates[r][k] for k in sorted(survivors[r])]
        used[r].update(i.rule for i in cross if any(owner.get(c) == r for c in i.cells))


def _search(
    runs: list[Run],
    candidates: list[list[tuple[int, ...]]],
    open_rows: list[int],
    checks: list[Identity],
    known: dict[CellKey, int],
    owner: dict[CellKey, int],
) -> dict[int, set[int]] | None:
    """Return, per open row, the splits used by some combination satisfying ``checks`` (None past the cap).

    Rows are assigned in order; each identity is tested as soon as its last open row is assigned.
    An empty dict means no combination satisfies them.
    """
    depth_of = {r: d for d, r in enumerate(open_rows)}
    due: list[list[Identity]] = [[] for _ in open_rows]
    for identity in checks:
        depths = [depth_of[owner[c]] for c in identity.cells if c in owner and owner[c] in depth_of]
        if depths:
            due[max(depths)].append(identity)
    fixed = {
        cell: candidates[r][0][runs[r].cells.index(cell)]
        for cell, r in owner.items()
        if r not in depth_of and len(candidates[r]) == 1
    }
    chosen: dict[CellKey, int] = {**known, **fixed}
    kept: dict[int, set[int]] = {r: set() for r in open_rows}
    picks: list[int] = []
    steps = 0

    def go(depth: int) -> None:
        nonlocal steps
        if depth == len(open_rows):
            for d, k in enumerate(picks):
                kept[open_rows[d]].add(k)
            return
        r = open_rows[depth]
        for k, split in enumerate(candidates[r]):
            steps += 1
            if steps > JOINT_CAP:
                raise TooMany
            chosen.update(zip(runs[r].cells, split, strict=True))
            if all(i.holds(chosen.__getitem__) for i in due[depth]):
                picks.append(k)
                go(depth + 1)
                picks.pop()

    try:
        go(0)
    except TooMany:
        return None
    return kept if any(kept.values()) else {}
