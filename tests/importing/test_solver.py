"""Fused digit runs: every split the printing allows, filtered by the official identities, never a guess."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from gaigen.importing import solver
from gaigen.importing import splits as splitting
from gaigen.importing.solver import Identity, Run, identities, solve
from gaigen.importing.splits import splits
from gaigen.spec import layout
from gaigen.spec.layout import Edition

COLUMNS = tuple(c.label for c in layout.APPLICANT_COLUMNS)
NEW = (layout.NEW_REQUESTS,)


def _row(path: tuple[str, ...], text: str) -> Run:
    return Run(tuple((path, c) for c in COLUMNS), text, path[-1])


def test_splits_follow_the_printing_rules() -> None:
    assert splits("000", 3) == [(0, 0, 0)]
    assert splits("105", 2) == [(10, 5)]  # never "05"
    assert splits("1 05", 2) == []  # white space ends a cell, and "05" is no number
    assert splits("12 3", 2) == [(12, 3)]
    assert splits("5-3", 2) == [(5, -3)]  # a sign starts a cell
    assert splits("12", 3) == []
    assert splits("1.5", 1) == []  # decimals are not split


def test_splits_are_bounded() -> None:
    assert splits("1" * 40, 7, cap=1000) is None


@settings(max_examples=200)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=7), st.integers(0, 2**10))
def test_the_true_cells_are_always_among_the_splits(cells: list[int], spaces: int) -> None:
    text = ""
    for index, value in enumerate(cells):
        if index and spaces >> index & 1:
            text += " "
        text += str(value)
    found = splits(text, len(cells))
    if found is None:  # past the cap: nothing is listed, so nothing can be guessed
        assert splitting.count_splits(text, len(cells)) > splitting.SPLIT_CAP
        return
    assert tuple(cells) in found
    assert len(found) == splitting.count_splits(text, len(cells))
    for split in found:
        assert "".join(str(v) for v in split) == text.replace(" ", "")
    totals = {len(cells) - 1: tuple(range(len(cells) - 1))} if len(cells) > 1 else {}
    with_totals = splits(text, len(cells), totals=totals)
    assert with_totals == [s for s in found if not totals or sum(s[:-1]) == s[-1]]


def test_the_row_identity_fixes_a_run() -> None:
    # 一、本年新收 of seed text 007: 71 3 0 0 0 0 74
    solved = solve([_row(NEW, "713000074")], {}, identities("表三", Edition.E2021))
    assert [solved.values[(NEW, c)] for c in COLUMNS] == [71, 3, 0, 0, 0, 0, 74]
    assert solved.fixed[(NEW, "自然人")] == ("T3-3",)
    assert not solved.why and not solved.violations


def test_a_run_the_identities_cannot_fix_is_a_gap_with_its_candidates() -> None:
    # 0 2 0 0 20 11 33 and 0 20 0 2 0 11 33 both add up: only the cells they agree on are read.
    solved = solve([_row(NEW, "0200201133")], {}, identities("表三", Edition.E2021))
    assert {c: solved.values.get((NEW, c)) for c in COLUMNS} == {
        "自然人": 0,
        "商业企业": None,
        "科研机构": 0,
        "社会公益组织": None,
        "法律服务机构": None,
        "其他": 11,
        "总计": 33,
    }
    assert solved.why[(NEW, "商业企业")] == "数字串“0200201133”有多种切分都满足勾稽关系，这一格可能是 2、20"
    assert not solved.violations


def test_no_split_satisfying_the_row_identity_is_a_certain_violation() -> None:
    solved = solve([_row(NEW, "12345678")], {}, identities("表三", Edition.E2021))
    assert [(v.rule, v.words) for v in solved.violations] == [("T3-3", "总计等于自然人至其他各列之和")]
    assert not solved.values  # 12|3|…|8 or 1|2|…|78: nothing is fixed
    assert "可能是 8、78" in solved.why[(NEW, "总计")]


def test_column_identities_choose_between_splits_of_several_rows() -> None:
    # Two rows with a simple identity a = b across them: only the agreeing pair survives.
    a, b = ("甲",), ("乙",)
    cells_a = ((a, "x"), (a, "y"))
    cells_b = ((b, "x"), (b, "y"))
    rules = [Identity("R", ((a, "x"),), ((b, "x"),), "x 相等"), Identity("R", ((a, "y"),), ((b, "y"),), "y 相等")]
    solved = solve([Run(cells_a, "110", "甲"), Run(cells_b, "1 10", "乙")], {}, rules)
    assert solved.values == {(a, "x"): 1, (a, "y"): 10, (b, "x"): 1, (b, "y"): 10}
    assert solved.fixed[(a, "x")] == ("R",)


def test_when_no_combination_holds_the_violated_identity_is_named() -> None:
    a, b = ("甲",), ("乙",)
    rules = [Identity("R", ((a, "x"),), ((b, "x"),), "x 相等")]
    solved = solve(
        [Run(((a, "x"), (a, "y")), "110", "甲"), Run(((b, "x"), (b, "y")), "5 5", "乙")],
        {},
        rules,
    )
    assert [v.rule for v in solved.violations] == ["R"]
    assert (a, "x") not in solved.values  # still two splits: 1|10 and 11|0


def test_the_joint_search_is_bounded(monkeypatch: object) -> None:
    import pytest

    patch = pytest.MonkeyPatch()
    patch.setattr(solver, "JOINT_CAP", 3)
    try:
        rows = [("甲",), ("乙",)]
        runs = [Run(((r, "x"), (r, "y")), "1111", r[0]) for r in rows]
        rules = [Identity("R", ((rows[0], "x"),), ((rows[1], "x"),), "x 相等")]
        solved = solve(runs, {}, rules)
        assert not solved.values  # never guessed
        assert solved.notes
    finally:
        patch.undo()


def test_a_row_with_fewer_digits_than_cells_stops_every_split() -> None:
    runs = [_row(NEW, "713000074"), _row((layout.CARRIED_OVER,), "55")]
    solved = solve(runs, {}, identities("表三", Edition.E2021))
    assert not solved.values
    assert "空白格" in solved.why[(NEW, "自然人")]


def test_table4_identities_are_the_three_group_totals() -> None:
    rules = identities("表四", Edition.E2021)
    assert [r.rule for r in rules] == ["T4-1", "T4-2", "T4-3"]
    cells = tuple(itertools.chain.from_iterable(r.right + r.left for r in rules))
    assert len(set(cells)) == 15


def test_a_hostile_run_is_refused_without_enumerating() -> None:
    assert splits("1" * 100_000, 7) == []
    assert splitting.count_splits("1" * 100_000, 7) == 0
    assert splits("9" * 19, 1) == []  # no figure of a report has 19 digits
