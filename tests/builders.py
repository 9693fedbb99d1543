"""Build data files for tests: every table as a nested dict under the official labels."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from gaigen.files.scaffold import starter_file
from gaigen.spec import layout
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import Edition, Kind

YEARS = {Edition.E2019: 2020, Edition.E2021: 2024}


def starter(edition: Edition, agency: str = "测试局", level: str = "部门") -> dict[str, Any]:
    """Return the data of ``gaigen init`` output for ``edition`` with the placeholders written."""
    text = starter_file(YEARS[edition], agency, level).replace(PLACEHOLDER, "")
    data: dict[str, Any] = yaml.safe_load(text)
    data["发布日期"] = f"{YEARS[edition] + 1}-01-20"
    if level == "政府":
        data["一、总体情况"]["监督保障"] += "开展工作考核、社会评议，未发生责任追究。"
    return data


def set_cell(data: dict[str, Any], table: str, row: tuple[str, ...], column: str, value: Any) -> None:
    node = data[table]
    for part in row:
        node = node.setdefault(part, {})
    node[column] = value


def get_cell(data: dict[str, Any], table: str, row: tuple[str, ...], column: str) -> Any:
    node = data[table]
    for part in row:
        node = node[part]
    return node.get(column)


def fill_consistent(data: dict[str, Any], edition: Edition, rng: random.Random, with_totals: bool) -> None:
    """Fill every table with random numbers that keep every error rule of format-spec §5."""
    table2 = layout.table(edition, "表二")
    for path, row in table2.rows():
        if path == ("规章",):
            continue  # 规章 > 0 is a warning for departments (T2-6)
        values: dict[str, Any] = {}
        for column in row.columns:
            if column.kind is Kind.MONEY:
                values[column.label] = Decimal(rng.randint(0, 10**8)) / Decimal(10**4)
            elif column.kind is Kind.SIGNED:
                values[column.label] = rng.randint(-values.get("上一年项目数量", 0), 50)
            else:
                values[column.label] = rng.randint(0, 500)
        if "对外公开总数量" in values:
            values["对外公开总数量"] = values["本年新公开数量"] + rng.randint(0, 100)
        data["表二"][path[0]] = values
    columns = [c.label for c in layout.APPLICANT_COLUMNS if c.kind is not Kind.TOTAL]
    table3 = layout.table(edition, "表三")
    outcome_sum = dict.fromkeys(columns, 0)
    for path, row in table3.rows():
        if path[0] != layout.OUTCOMES or row.optional:
            continue
        values = {c: rng.choice([0, 0, rng.randint(0, 30)]) for c in columns}
        for c in columns:
            outcome_sum[c] += values[c]
        _put_row(data, "表三", path, values, with_totals)
    forward = {c: rng.randint(0, 5) for c in columns}
    over = {c: rng.randint(0, outcome_sum[c] + forward[c]) for c in columns}
    new = {c: outcome_sum[c] + forward[c] - over[c] for c in columns}
    _put_row(data, "表三", (layout.NEW_REQUESTS,), new, with_totals)
    _put_row(data, "表三", (layout.CARRIED_OVER,), over, with_totals)
    _put_row(data, "表三", (layout.CARRIED_FORWARD,), forward, with_totals)
    if edition is Edition.E2021:
        lapsed = get_row(data, "表三", (layout.OUTCOMES, layout.OTHER_PROCESSING, layout.FEE_LAPSED))
        notices = sum(v for k, v in lapsed.items() if k != "总计")
        fee = data["六、其他需要报告的事项"]["信息处理费"]
        fee.update({"发出收费通知件数": notices, "收费通知总金额（元）": 100 * notices, "实际收取总金额（元）": 0})
    if with_totals:
        total_row = dict(outcome_sum)
        total_row["总计"] = sum(outcome_sum.values())
        _put_row(data, "表三", (layout.OUTCOMES, layout.OUTCOME_TOTAL), total_row, False)
    for path, _row in layout.table(edition, "表四").rows():
        values = {c.label: rng.randint(0, 9) for c in layout.CASE_COLUMNS if c.kind is not Kind.TOTAL}
        _put_row(data, "表四", path, values, with_totals)


def get_row(data: dict[str, Any], table: str, path: tuple[str, ...]) -> dict[str, Any]:
    node = data[table]
    for part in path:
        node = node[part]
    return dict(node)


def _put_row(data: dict[str, Any], table: str, path: tuple[str, ...], values: dict[str, Any], with_total: bool) -> None:
    row = dict(values)
    if with_total and "总计" not in row:
        row["总计"] = sum(values.values())
    node = data[table]
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = row


def write(data: dict[str, Any], path: Path) -> Path:
    path.write_text(dump(data), encoding="utf-8")
    return path


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    """Write a Decimal as the plain number gaigen reads back exactly.

    A whole amount is written as an integer: as a float scalar it would need an explicit
    ``!!float '4383'`` tag (the text reads as an integer), and gaigen refuses tags.
    """
    text = format(value, "f")
    return dumper.represent_scalar(f"tag:yaml.org,2002:{'float' if '.' in text else 'int'}", text)


_Dumper.add_representer(Decimal, _decimal)
