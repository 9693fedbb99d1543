"""Each rule of format-spec §5: a passing and a failing case per edition, located in the file."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gaigen.api.reports import validate_file
from gaigen.rules import RULES
from gaigen.spec import layout
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, get_cell, set_cell, starter, write

OUT = (layout.OUTCOMES, layout.OUTCOME_TOTAL)
SECRET = (layout.OUTCOMES, "（三）不予公开", "1.属于国家秘密")
NEW = (layout.NEW_REQUESTS,)
FORWARD = (layout.CARRIED_FORWARD,)
REVIEW = (layout.REVIEW,)
DIRECT = (layout.LITIGATION, layout.DIRECT_SUIT)
AFTER = (layout.LITIGATION, layout.SUIT_AFTER_REVIEW)


def base(edition: Edition, level: str = "部门") -> dict[str, Any]:
    data = starter(edition, level=level)
    fill_consistent(data, edition, random.Random(7), with_totals=True)
    return data


def check(
    tmp_path: Path, data: dict[str, Any], previous: dict[str, Any] | None = None
) -> list[tuple[str, str | None, str | None]]:
    path = write(data, tmp_path / "data.yaml")
    last = write(previous, tmp_path / "last.yaml") if previous is not None else None
    result = validate_file(path, last)
    # Both years hold the starter's sample sentences, a true R-1 finding that test_review_rules covers.
    return [(p.rule, p.row, p.col_label) for p in result.problems if p.rule != "R-1"]


def bump(data: dict[str, Any], table: str, row: tuple[str, ...], column: str, by: int = 1) -> None:
    set_cell(data, table, row, column, get_cell(data, table, row, column) + by)


@pytest.mark.parametrize("edition", list(Edition))
def test_consistent_tables_pass(tmp_path: Path, edition: Edition) -> None:
    assert check(tmp_path, base(edition)) == []


Mutation = Callable[[dict[str, Any], Edition], None]
CASES: list[tuple[str, Mutation, tuple[str, str | None, str | None]]] = [
    ("T3-1", lambda d, e: bump(d, "表三", FORWARD, "自然人") or _drop_totals(d), ("T3-1", None, "自然人")),
    ("T3-2", lambda d, e: bump(d, "表三", OUT, "科研机构"), ("T3-2", "（七）总计", "科研机构")),
    ("T3-3", lambda d, e: bump(d, "表三", SECRET, "总计"), ("T3-3", "1.属于国家秘密", "总计")),
    ("T4-1", lambda d, e: bump(d, "表四", REVIEW, "总计"), ("T4-1", "行政复议", "总计")),
    ("T4-2", lambda d, e: bump(d, "表四", DIRECT, "结果纠正"), ("T4-2", "未经复议直接起诉", "总计")),
    ("T4-3", lambda d, e: bump(d, "表四", AFTER, "总计", 2), ("T4-3", "复议后起诉", "总计")),
    ("T0-1", lambda d, e: d["表三"][layout.CARRIED_OVER].pop("其他"), ("T0-1", layout.CARRIED_OVER, "其他")),
]


def _drop_totals(data: dict[str, Any]) -> None:
    table = data["表三"]
    for path, _row in layout.table(Edition.E2021, "表三").rows():
        node = table
        for part in path[:-1]:
            node = node.get(part, {})
        if path[-1] in node:
            node[path[-1]].pop("总计", None)
    table[layout.OUTCOMES].pop(layout.OUTCOME_TOTAL, None)


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize(("rule", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_fails_and_is_located(
    tmp_path: Path, edition: Edition, rule: str, mutate: Mutation, expected: tuple[str, str | None, str | None]
) -> None:
    data = base(edition)
    mutate(data, edition)
    found = check(tmp_path, data)
    assert expected in found
    assert all(RULES[r].severity.value == "error" for r, _, _ in found if r == rule)


def test_t3_5_nothing_received_nothing_handled(tmp_path: Path) -> None:
    data = starter(Edition.E2019)
    set_cell(data, "表三", FORWARD, "自然人", 5)  # seed 003's mistake
    found = check(tmp_path, data)
    assert ("T3-5", layout.CARRIED_FORWARD, "自然人") in found
    assert ("T3-1", None, "自然人") in found
    assert ("T3-3", layout.CARRIED_FORWARD, "总计") not in found  # 总计 left out: computed, not checked


def test_t3_5_outcomes_exceed_requests(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    set_cell(data, "表三", NEW, "自然人", 1)
    set_cell(data, "表三", SECRET, "自然人", 3)
    assert ("T3-5", "（七）总计", "自然人") in check(tmp_path, data)


def test_t2o_2_items_cannot_go_negative(tmp_path: Path) -> None:
    data = starter(Edition.E2019)
    data["表二"]["行政许可"] = {"上一年项目数量": 3, "本年增/减": -4, "处理决定数量": 0}
    assert ("T2o-2", "行政许可", "本年增/减") in check(tmp_path, data)
    data["表二"]["行政许可"]["本年增/减"] = -3
    assert check(tmp_path, data) == []


def test_t2o_3_total_published_at_least_new(tmp_path: Path) -> None:
    data = starter(Edition.E2019)
    data["表二"]["规范性文件"] = {"本年新制作数量": 2, "本年新公开数量": 2, "对外公开总数量": 1}
    assert ("T2o-3", "规范性文件", "对外公开总数量") in check(tmp_path, data)


@pytest.mark.parametrize(
    ("edition", "rule", "row", "column"),
    [
        (Edition.E2021, "T2-2", "行政事业性收费", "本年收费金额（单位：万元）"),
        (Edition.E2019, "T2o-5", "政府集中采购", "采购总金额（单位：万元）"),
    ],
)
def test_money_precision_warning(tmp_path: Path, edition: Edition, rule: str, row: str, column: str) -> None:
    data = starter(edition)
    data["表二"][row][column] = 1.1234567  # dumped as written: 7 decimals
    assert (rule, row, column) in check(tmp_path, data)
    data["表二"][row][column] = 1.123456
    assert check(tmp_path, data) == []


def test_t2_6_rules_only_for_governments(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    data["表二"]["规章"]["现行有效件数"] = 2
    assert ("T2-6", "规章", "现行有效件数") in check(tmp_path, data)
    government = starter(Edition.E2021, level="政府")
    government["表二"]["规章"]["现行有效件数"] = 2
    assert check(tmp_path, government) == []


def test_t2_7_information_fee_is_not_an_administrative_fee(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    data["表二"]["行政事业性收费"]["本年收费金额（单位：万元）"] = 0.03
    fee = data["六、其他需要报告的事项"]["信息处理费"]
    fee.update({"发出收费通知件数": 3, "收费通知总金额（元）": 300, "实际收取总金额（元）": 300})
    assert ("T2-7", "行政事业性收费", "本年收费金额（单位：万元）") in check(tmp_path, data)


def test_n_rules(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    data["五、存在的主要问题及改进情况"] = "无"
    data["一、总体情况"]["主动公开"] = ""
    del data["发布日期"]
    found = {r for r, _, _ in check(tmp_path, data)}
    assert {"N-1", "N-2", "N-3"} <= found


def test_n1_placeholder_blocks(tmp_path: Path) -> None:
    data = starter(Edition.E2019)
    data["一、总体情况"]["依申请公开"] = "【待填写】本年度……"
    assert any(r == "N-1" for r, _, _ in check(tmp_path, data))


def test_n4_government_accountability(tmp_path: Path) -> None:
    data = starter(Edition.E2021, level="政府")
    data["一、总体情况"]["监督保障"] = "加强组织领导。"
    assert any(r == "N-4" for r, _, _ in check(tmp_path, data))


def test_x1_quoted_numbers(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    set_cell(data, "表三", NEW, "自然人", 3)
    set_cell(data, "表三", (layout.OUTCOMES, "（一）予以公开"), "自然人", 3)
    data["一、总体情况"]["依申请公开"] = "全年共收到政府信息公开申请4件，均已办结。"
    assert any(r == "X-1" for r, _, _ in check(tmp_path, data))
    data["一、总体情况"]["依申请公开"] = "全年共收到政府信息公开申请3件，均已办结。"
    assert check(tmp_path, data) == []


def test_x2_none_received_but_table_says_otherwise(tmp_path: Path) -> None:
    data = starter(Edition.E2019)
    data["一、总体情况"]["依申请公开"] = "全年共收到政府信息公开申请0件。"
    set_cell(data, "表三", FORWARD, "自然人", 5)
    set_cell(data, "表三", (layout.CARRIED_OVER,), "自然人", 5)
    assert any(r == "X-2" for r, _, _ in check(tmp_path, data))


def test_x3_fee_notices_follow_table3(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    lapsed = (layout.OUTCOMES, layout.OTHER_PROCESSING, layout.FEE_LAPSED)
    set_cell(data, "表三", NEW, "自然人", 1)
    set_cell(data, "表三", lapsed, "自然人", 1)
    assert any(r == "X-3" for r, _, _ in check(tmp_path, data))
    data["六、其他需要报告的事项"]["信息处理费"]["发出收费通知件数"] = 1
    assert check(tmp_path, data) == []


def test_e1_edition_contradicts_year(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    data["版式"] = 2019
    found = check(tmp_path, data)
    assert ("E-1", None, None) in found


def test_cross_year_rules(tmp_path: Path) -> None:
    last = starter(Edition.E2021)
    last["年度"] = 2023
    last["发布日期"] = "2024-01-20"
    set_cell(last, "表三", NEW, "自然人", 2)
    set_cell(last, "表三", FORWARD, "自然人", 2)
    last["表二"]["行政规范性文件"] = {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 5}
    now = starter(Edition.E2021)
    found = check(tmp_path, now, last)
    assert ("N-2", None, None) in found  # 五 copied from last year (内容雷同)
    now["五、存在的主要问题及改进情况"] = "本年度信息更新不够及时，下一步加强审核。"
    found = check(tmp_path, now, last)
    assert ("T3-6", layout.CARRIED_OVER, "自然人") in found
    assert ("T2-3", "行政规范性文件", "现行有效件数") in found
    now["表三"][layout.CARRIED_OVER]["自然人"] = 2
    set_cell(now, "表三", (layout.OUTCOMES, "（一）予以公开"), "自然人", 2)
    now["表二"]["行政规范性文件"] = {"本年制发件数": 0, "本年废止件数": 6, "现行有效件数": 0}
    found = check(tmp_path, now, last)
    assert ("T3-6", layout.CARRIED_OVER, "自然人") not in found
    assert ("T2-4", "行政规范性文件", "本年废止件数") in found


def test_t2o_4_items_roll_forward(tmp_path: Path) -> None:
    last = starter(Edition.E2019)
    last["年度"] = 2019
    last["发布日期"] = "2020-01-20"
    last["表二"]["行政许可"] = {"上一年项目数量": 10, "本年增/减": 2, "处理决定数量": 0}
    now = starter(Edition.E2019)
    now["五、存在的主要问题及改进情况"] = "本年度信息更新不够及时，下一步加强审核。"
    now["表二"]["行政许可"] = {"上一年项目数量": 11, "本年增/减": 0, "处理决定数量": 0}
    assert ("T2o-4", "行政许可", "上一年项目数量") in check(tmp_path, now, last)
    now["表二"]["行政许可"]["上一年项目数量"] = 12
    assert check(tmp_path, now, last) == []


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert rule.summary and rule.spec, rule.id
        assert rule.spec.startswith(("format-spec", "DECISIONS")), rule.id
