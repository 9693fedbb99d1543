"""``gaigen init``: a starter data file with every field of the year's edition.

Official labels, Chinese comments explaining each table and its rules, 0 in every cell, and a
``【待填写】`` placeholder in each narrative part (rule N-1 blocks rendering until it is replaced).
With last year's report, 上年结转 and the roll-forward cells are prefilled (format-spec §5).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import yaml

from gaigen import datafile, layout
from gaigen.layout import APPLICANT_COLUMNS, CARRIED_FORWARD, CARRIED_OVER, Edition, Kind, Row, RowPath
from gaigen.report import Report, Value
from gaigen.rules.completeness import PLACEHOLDER
from gaigen.totals import effective

_TABLE_NOTES = {
    "表二": ("表二 主动公开政府信息情况（按《条例》第二十条各项填写，没有的填 0）",),
    "表三": (
        "表三 收到和处理政府信息公开申请情况",
        "每行 7 列：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计。",
        "“总计”可以不填，由 gaigen 计算；填了则核对是否等于前六列之和（规则 T3-3）。",
        "勾稽关系（T3-1）：每一列 一 + 二 = 三（七）总计 + 四。",
        "（七）总计 = （一）至（六）各项之和（T3-2），可以整行不填，由 gaigen 计算。",
        "每个申请只计入一种办理结果（部分公开的只计部分公开）。",
    ),
    "表四": (
        "表四 政府信息公开行政复议、行政诉讼情况",
        "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结（T4-1 至 T4-3），可以不填。",
    ),
}

_TOPIC_PROMPTS = {
    "主动公开": "本年度主动公开政府信息的情况（渠道、数量、重点领域）。",
    "依申请公开": "本年度受理和办理政府信息公开申请的情况（与表三一致）。",
    "政府信息管理": "政府信息管理的情况（发布审核、保密审查、规范性文件清理等）。",
    "平台建设": "政府信息公开平台（政府网站、政务新媒体等）的建设情况。",
    "监督保障": "监督保障的情况（组织领导、培训、考核等）。",
}
_GOVERNMENT_EXTRA = "人民政府还应写明工作考核、社会评议和责任追究结果情况。"


def scalar(value: object) -> str:
    """Return ``value`` written as a YAML scalar, quoted only where plain text would change meaning."""
    if isinstance(value, bool) or value is None:
        raise TypeError(value)
    if not isinstance(value, str):
        return str(value)
    try:
        if value and yaml.safe_load(f"k: {value}") == {"k": value} and "#" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def starter_file(
    year: int,
    agency: str,
    level: str = "部门",
    previous: Report | None = None,
) -> str:
    """Return the text of a new data file for ``agency``'s report on ``year``."""
    edition = Edition.for_year(year)
    lines = [
        f"# {year}年{agency}政府信息公开工作年度报告 数据文件",
        f"# 版式：{edition.value} 版（{edition.notice}），适用于{edition.years_text}报告。",
        "# 填写说明：表中每格都已填 0，请按实际情况改写；没有发生的事项保持 0，不要删除或留空。",
        f"# 文字部分请替换“{PLACEHOLDER}”提示；多段文字每段占一行。填完后运行：gaigen validate 本文件",
        "",
        f"{datafile.AGENCY}: {scalar(agency)}",
        f"{datafile.YEAR}: {year}",
        f"{datafile.LEVEL}: {level}  # 部门 或 政府",
        f"{datafile.EDITION}: {edition.value}",
        f"# {datafile.PUBLISHED}: {year + 1}-01-20  # 发布日期（落款日期），确定后去掉行首的 # 并改为实际日期",
        f"# {datafile.WEBSITE}: 某某县人民政府网（http://www.example.gov.cn）  # 可选：电子版下载网址",
        f"# {datafile.CONTACT}: 某某局办公室，地址：……，邮编：……，电话：……  # 可选：联系方式",
        "",
    ]
    lines += _overview(edition, level)
    for table in layout.tables(edition):
        lines += _table(table, edition, previous)
    lines += _text_block(layout.PROBLEMS, f"{PLACEHOLDER}本年度工作中存在的主要问题，以及改进情况和下一步措施。", 0)
    lines += _other_matters(edition)
    return "\n".join(lines) + "\n"


def _text_block(label: str, text: str, indent: int) -> list[str]:
    pad = "  " * indent
    return [f"{pad}{label}: |-", f"{pad}  {text}", ""]


def _overview(edition: Edition, level: str) -> list[str]:
    lines = [
        "# 一、总体情况：按五个方面分别填写，每方面至少一段",
        f"{layout.OVERVIEW}:",
        "  # 可选：总体情况的开头段落，不需要可保持为空",
        f'  {layout.OVERVIEW_OPENING}: ""',
    ]
    headings = layout.TOPIC_HEADINGS[edition]
    for topic, heading in zip(layout.TOPICS, headings, strict=True):
        prompt = _TOPIC_PROMPTS[topic] + (_GOVERNMENT_EXTRA if topic == "监督保障" and level == "政府" else "")
        lines.append(f"  # {heading}")
        lines += _text_block(topic, f"{PLACEHOLDER}{prompt}", 1)[:-1]
    lines.append("")
    return lines


def _other_matters(edition: Edition) -> list[str]:
    if edition is Edition.E2019:
        return ["# 六、其他需要报告的事项：没有可写“无”", f"{layout.OTHER_MATTERS}: 无", ""]
    return [
        "# 六、其他需要报告的事项：信息处理费（国办函〔2020〕109号）必须报告，未收取的填 0",
        f"{layout.OTHER_MATTERS}:",
        f"  {layout.FEE_GROUP}:",
        f"    {layout.FEE_NOTICES}: 0",
        f"    {layout.FEE_BILLED}: 0  # 元，保留 2 位小数",
        f"    {layout.FEE_COLLECTED}: 0  # 元",
        "  # 其他需要报告的事项，没有可保持为空",
        f'  {layout.OTHER_TEXT}: ""',
        "",
    ]


def _table(table: layout.Table, edition: Edition, previous: Report | None) -> list[str]:
    lines = [f"# {note}" for note in _TABLE_NOTES[table.key]]
    lines.append(f"{table.key}:")
    if table.blocks:
        for block in table.blocks:
            lines.append(f"  # {block.heading}")
            for row in block.rows:
                lines.append(f"  {row.label}: {_row_values(table.key, (row.label,), row, previous)}")
    else:
        lines += list(_nodes(table, table.children, (), 1, previous))
    lines.append("")
    return lines


def _nodes(
    table: layout.Table, nodes: tuple[layout.Node, ...], prefix: RowPath, depth: int, previous: Report | None
) -> Iterator[str]:
    pad = "  " * depth
    for node in nodes:
        path = (*prefix, node.label)
        if isinstance(node, Row):
            if node.optional:
                yield f"{pad}# {node.label}：可以不填，由 gaigen 计算"
                continue
            yield f"{pad}{scalar(node.label)}: {_row_values(table.key, path, node, previous)}"
        else:
            yield f"{pad}{scalar(node.label)}:"
            yield from _nodes(table, node.children, path, depth + 1, previous)


def _row_values(table: str, path: RowPath, row: Row, previous: Report | None) -> str:
    cells = []
    for column in row.columns:
        if column.kind is Kind.TOTAL:
            continue
        value = _prefill(table, path, column.label, previous) if previous is not None else None
        cells.append(f"{column.label}: {value if value is not None else 0}")
    return "{" + ", ".join(cells) + "}"


def _prefill(table: str, path: RowPath, column: str, previous: Report) -> Value | None:
    """Return the value last year's report implies for this cell, or None (then 0)."""
    if table == "表三" and path == (CARRIED_OVER,) and column in {c.label for c in APPLICANT_COLUMNS}:
        return effective(previous, "表三", (CARRIED_FORWARD,), column)
    if table == "表二" and column == "现行有效件数" and previous.edition is Edition.E2021:
        return previous.cell("表二", path, "现行有效件数")
    if table == "表二" and column == "上一年项目数量" and previous.edition is Edition.E2019:
        before = previous.cell("表二", path, "上一年项目数量")
        change = previous.cell("表二", path, "本年增/减")
        return before + change if before is not None and change is not None else None
    return None
