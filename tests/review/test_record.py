"""The review record on its own: versions, states, and the comparison of problems between versions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaigen.core.errors import UsageError
from gaigen.core.problems import Problem, Severity
from gaigen.review.record import RECORD_NAME, Change, Received, _compare, open_record

NOW = dt.datetime(2025, 1, 20, 9, 30)


def problem(row: str, found: str = "1", line: int = 10) -> Problem:
    return Problem(
        "T3-2",
        Severity.ERROR,
        "但各项之和为 2",
        "请核对。",
        file="a.yaml",
        line=line,
        table="表三",
        row=row,
        col_label="自然人",
        found=found,
    )


@given(st.lists(st.sampled_from("abcd"), max_size=8), st.lists(st.sampled_from("abcd"), max_size=8))
def test_every_problem_is_fixed_open_or_new(before: list[str], now: list[str]) -> None:
    change = Change("甲局", 2024, "已收", True)
    _compare([(k, f"旧{k}") for k in before], [(k, f"新{k}") for k in now], change)
    assert len(change.fixed) + len(change.still_open) == len(before)
    assert len(change.still_open) + len(change.new) == len(now)
    assert all(text.startswith("新") for text in change.still_open)  # worded as in the new version


def test_a_moved_line_or_a_new_value_is_still_the_same_problem(tmp_path: Path) -> None:
    with open_record(tmp_path) as record:
        record.take([Received("甲局", 2024, "a.yaml", "h1", [problem("（一）"), problem("（二）")])], NOW)
        [change] = record.take(
            [Received("甲局", 2024, "a.yaml", "h2", [problem("（一）", found="3", line=12), problem("（三）")])], NOW
        )
    assert (len(change.fixed), len(change.still_open), len(change.new)) == (1, 1, 1)
    assert change.describe() == "已改正 1 个，仍未改正 1 个，新增 1 个"
    assert "列为 3，" in change.still_open[0] and "第 12 行" in change.still_open[0]


def test_an_unchanged_file_adds_no_version_and_keeps_its_state(tmp_path: Path) -> None:
    with open_record(tmp_path) as record:
        record.take([Received("甲局", 2024, "a.yaml", "h1", [problem("（一）")])], NOW)
        record.set_state("甲局", None, "退回", "请改正", NOW)
        [change] = record.take([Received("甲局", 2024, "a.yaml", "h1", [problem("（一）")])], NOW)
        assert (change.state, change.describe()) == ("退回", "文件未变，1 个问题未改正")
        record.set_state("甲局", 2024, "通过", "", NOW)
        [change] = record.take([Received("甲局", 2024, "a.yaml", "h2", [])], NOW)
        assert change.state == "已收"
        [entry] = record.entries()
    assert (entry.state, entry.versions, entry.problems, entry.note) == ("已收", 2, 0, "文件已更新")
    with sqlite3.connect(tmp_path / RECORD_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM version").fetchone() == (2,)


def test_a_year_the_record_does_not_have_is_named(tmp_path: Path) -> None:
    with open_record(tmp_path) as record:
        record.take([Received("甲局", 2024, "a.yaml", "h1", [])], NOW)
        with pytest.raises(UsageError, match="审核记录中“甲局”没有 2023 年度的报告，只有 2024 年度。"):
            record.set_state("甲局", 2023, "通过", "", NOW)
