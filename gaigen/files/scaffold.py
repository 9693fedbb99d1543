"""``gaigen init``: a starter data file with every field of the year's edition.

Official labels, Chinese comments explaining each table and its rules, 0 in every cell, and a
``【待填写】`` placeholder in each narrative part (rule N-1 blocks rendering until it is replaced).
With last year's report, 上年结转 and the roll-forward cells are prefilled (format-spec §5).
A ``values`` hook fills any cell (and 2021's 信息处理费) with given numbers instead: ``gaigen
aggregate`` writes the county's sums through it, so its file has exactly ``init``'s shape.
With ``exact=True`` (``gaigen import``) the file holds exactly what the hooks give: a cell the
hook has no number for is left out (``validate`` names it, T0-1), 总计 cells are written when
given, and the narrative comes from ``texts`` (a part not given is left empty for N-1).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal

import yaml

from gaigen.core.report import Report, Value
from gaigen.core.totals import effective
from gaigen.spec import datafile, layout
from gaigen.spec.datafile import PLACEHOLDER
from gaigen.spec.layout import APPLICANT_COLUMNS, CARRIED_FORWARD, CARRIED_OVER, Edition, Kind, Row, RowPath

_TABLE_NOTES = {
    layout.TABLE2: ("表二 主动公开政府信息情况（按《条例》第二十条各项填写，没有的填 0）",),
    layout.TABLE3: (
        "表三 收到和处理政府信息公开申请情况",
        "每行 7 列：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计。",
        "“总计”可以不填，由 gaigen 计算；填了则核对是否等于前六列之和（规则 T3-3）。",
        "勾稽关系（T3-1）：每一列 一 + 二 = 三（七）总计 + 四。",
        "（七）总计 = （一）至（六）各项之和（T3-2），可以整行不填，由 gaigen 计算。",
        "每个申请只计入一种办理结果（部分公开的只计部分公开）。",
    ),
    layout.TABLE4: (
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

# Return the number to write at a data path (表, *row, column) or (六, 信息处理费, key); None: the default.
ValueHook = Callable[[tuple[str, ...]], Value | None]


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
    *,
    values: ValueHook | None = None,
    notes: Mapping[str, str] | None = None,
    header: Sequence[str] = (),
    edition: Edition | None = None,
    exact: bool = False,
    texts: Mapping[tuple[str, ...], Sequence[str]] | None = None,
    meta: Mapping[str, str] | None = None,
) -> str:
    """Return the text of a new data file for ``agency``'s report on ``year``.

    ``values`` gives the number of a cell instead of 0 (or of last year's prefill); ``notes`` adds
    a comment line above a table (by 表二/表三/表四); ``header`` adds comment lines at the top.
    ``edition`` overrides the year's; ``exact``, ``texts`` (paragraphs by data path) and ``meta``
    (网站, 联系方式, 发布日期) write a file that holds exactly what was given (module docstring).
    """
    edition = edition or Edition.for_year(year)
    given = meta or {}
    lines = [
        f"# {year}年{agency}政府信息公开工作年度报告 数据文件",
        f"# 版式：{edition.value} 版（{edition.notice}），适用于{edition.years_text}报告。",
        *(
            ()
            if exact
            else (
                "# 填写说明：表中每格都已填 0，请按实际情况改写；没有发生的事项保持 0，不要删除或留空。",
                f"# 文字部分请替换“{PLACEHOLDER}”提示；多段文字每段占一行。填完后运行：gaigen validate 本文件",
            )
        ),
        *(f"# {line}".rstrip() for line in header),
        "",
        f"{datafile.AGENCY}: {scalar(agency)}",
        f"{datafile.YEAR}: {year}",
        f"{datafile.LEVEL}: {level}  # 部门 或 政府",
        f"{datafile.EDITION}: {edition.value}",
        _meta_line(
            datafile.PUBLISHED, given, f"{year + 1}-01-20  # 发布日期（落款日期），确定后去掉行首的 # 并改为实际日期"
        ),
        _meta_line(datafile.WEBSITE, given, "某某县人民政府网（http://www.example.gov.cn）  # 可选：电子版下载网址"),
        _meta_line(datafile.CONTACT, given, "某某局办公室，地址：……，邮编：……，电话：……  # 可选：联系方式"),
        "",
    ]
    lines += _overview(edition, level, texts if exact else None)
    fill = _filler(previous, values)
    for table in layout.tables(edition):
        lines += _table(table, fill, (notes or {}).get(table.key), exact)
    if exact:
        lines += [*_text_lines(layout.PROBLEMS, (texts or {}).get((layout.PROBLEMS,), ()), 0), ""]
    else:
        lines += _text_block(layout.PROBLEMS, f"{PLACEHOLDER}本年度工作中存在的主要问题，以及改进情况和下一步措施。", 0)
    lines += _other_matters(edition, fill, texts if exact else None)
    return "\n".join(lines) + "\n"


def _meta_line(key: str, given: Mapping[str, str], example: str) -> str:
    if key in given:
        return f"{key}: {scalar(given[key])}"
    return f"# {key}: {example}"


def _text_lines(label: str, paragraphs: Sequence[str], indent: int) -> list[str]:
    """Return ``label`` with its paragraphs as a block scalar, one paragraph a line (``""`` when none)."""
    pad = "  " * indent
    if not paragraphs:
        return [f'{pad}{label}: ""']
    return [f"{pad}{label}: |-", *(f"{pad}  {paragraph}" for paragraph in paragraphs)]


def _text_block(label: str, text: str, indent: int) -> list[str]:
    pad = "  " * indent
    return [f"{pad}{label}: |-", f"{pad}  {text}", ""]


def _overview(edition: Edition, level: str, texts: Mapping[tuple[str, ...], Sequence[str]] | None = None) -> list[str]:
    lines = [
        "# 一、总体情况：按五个方面分别填写，每方面至少一段",
        f"{layout.OVERVIEW}:",
        "  # 可选：总体情况的开头段落，不需要可保持为空",
    ]
    if texts is not None:
        lines += _text_lines(layout.OVERVIEW_OPENING, texts.get((layout.OVERVIEW, layout.OVERVIEW_OPENING), ()), 1)
    else:
        lines.append(f'  {layout.OVERVIEW_OPENING}: ""')
    headings = layout.TOPIC_HEADINGS[edition]
    for topic, heading in zip(layout.TOPICS, headings, strict=True):
        lines.append(f"  # {heading}")
        if texts is not None:
            lines += _text_lines(topic, texts.get((layout.OVERVIEW, topic), ()), 1)
            continue
        prompt = _TOPIC_PROMPTS[topic] + (_GOVERNMENT_EXTRA if topic == "监督保障" and level == "政府" else "")
        lines += _text_block(topic, f"{PLACEHOLDER}{prompt}", 1)[:-1]
    lines.append("")
    return lines


def _other_matters(
    edition: Edition, fill: ValueHook, texts: Mapping[tuple[str, ...], Sequence[str]] | None = None
) -> list[str]:
    if edition is Edition.E2019:
        if texts is not None:
            return [
                "# 六、其他需要报告的事项：没有可写“无”",
                *_text_lines(layout.OTHER_MATTERS, texts.get((layout.OTHER_MATTERS,), ()), 0),
                "",
            ]
        return ["# 六、其他需要报告的事项：没有可写“无”", f"{layout.OTHER_MATTERS}: 无", ""]

    def fee(key: str) -> str:
        return _number(fill((layout.OTHER_MATTERS, layout.FEE_GROUP, key)))

    if texts is not None:
        fees = [
            (key, fill((layout.OTHER_MATTERS, layout.FEE_GROUP, key)))
            for key in (layout.FEE_NOTICES, layout.FEE_BILLED, layout.FEE_COLLECTED)
        ]
        other = texts.get((layout.OTHER_MATTERS, layout.OTHER_TEXT), ())
        return [
            "# 六、其他需要报告的事项：信息处理费（国办函〔2020〕109号）必须报告，未收取的填 0",
            f"{layout.OTHER_MATTERS}:",
            f"  {layout.FEE_GROUP}:" + ("" if any(v is not None for _, v in fees) else " {}"),
            *(f"    {key}: {_number(value)}" for key, value in fees if value is not None),
            "  # 其他需要报告的事项，没有可保持为空",
            *_text_lines(layout.OTHER_TEXT, other, 1),
            "",
        ]
    return [
        "# 六、其他需要报告的事项：信息处理费（国办函〔2020〕109号）必须报告，未收取的填 0",
        f"{layout.OTHER_MATTERS}:",
        f"  {layout.FEE_GROUP}:",
        f"    {layout.FEE_NOTICES}: {fee(layout.FEE_NOTICES)}",
        f"    {layout.FEE_BILLED}: {fee(layout.FEE_BILLED)}  # 元，保留 2 位小数",
        f"    {layout.FEE_COLLECTED}: {fee(layout.FEE_COLLECTED)}  # 元",
        "  # 其他需要报告的事项，没有可保持为空",
        f'  {layout.OTHER_TEXT}: ""',
        "",
    ]


def _table(table: layout.Table, fill: ValueHook, note: str | None, exact: bool = False) -> list[str]:
    lines = [f"# {note}" for note in _TABLE_NOTES[table.key]]
    if note:
        lines.append(f"# {note}")
    if exact and all(
        fill((table.key, *path, column.label)) is None for path, row in table.rows() for column in row.columns
    ):
        return [*lines, f"# {table.key}：没有读到任何数字，整张表留空", ""]
    lines.append(f"{table.key}:")
    if table.blocks:
        for block in table.blocks:
            lines.append(f"  # {block.heading}")
            for row in block.rows:
                lines.append(f"  {row.label}: {_row_values(table.key, (row.label,), row, fill, exact)}")
    else:
        lines += list(_nodes(table, table.children, (), 1, fill, exact))
    lines.append("")
    return lines


def _nodes(
    table: layout.Table,
    nodes: tuple[layout.Node, ...],
    prefix: RowPath,
    depth: int,
    fill: ValueHook,
    exact: bool = False,
) -> Iterator[str]:
    pad = "  " * depth
    for node in nodes:
        path = (*prefix, node.label)
        if isinstance(node, Row):
            if node.optional and not (
                exact and any(fill((table.key, *path, c.label)) is not None for c in node.columns)
            ):
                yield f"{pad}# {node.label}：可以不填，由 gaigen 计算"
                continue
            yield f"{pad}{scalar(node.label)}: {_row_values(table.key, path, node, fill, exact)}"
        else:
            yield f"{pad}{scalar(node.label)}:"
            yield from _nodes(table, node.children, path, depth + 1, fill, exact)


def _row_values(table: str, path: RowPath, row: Row, fill: ValueHook, exact: bool = False) -> str:
    cells = []
    for column in row.columns:
        if column.kind is Kind.TOTAL and not exact:
            continue
        value = fill((table, *path, column.label))
        if exact and value is None:
            continue  # not given: left out, so that validate names it (T0-1) or computes a 总计
        cells.append(f"{column.label}: {_number(value)}")
    return "{" + ", ".join(cells) + "}"


def _number(value: Value | None) -> str:
    """Return a cell's number as written in the file: 0 when not given, money never in E notation."""
    if value is None:
        return "0"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _filler(previous: Report | None, values: ValueHook | None) -> ValueHook:
    """Return the hook that gives each cell's number: ``values`` first, then last year's prefill."""

    def fill(path: tuple[str, ...]) -> Value | None:
        given = values(path) if values is not None else None
        if given is not None or previous is None or path[0] not in layout.TABLE_KEYS:
            return given
        return _prefill(path[0], path[1:-1], path[-1], previous)

    return fill


def _prefill(table: str, path: RowPath, column: str, previous: Report) -> Value | None:
    """Return the value last year's report implies for this cell, or None (then 0)."""
    if table == layout.TABLE3 and path == (CARRIED_OVER,) and column in {c.label for c in APPLICANT_COLUMNS}:
        return effective(previous, layout.TABLE3, (CARRIED_FORWARD,), column)
    if table == layout.TABLE2 and column == layout.IN_FORCE and previous.edition is Edition.E2021:
        return previous.cell(layout.TABLE2, path, layout.IN_FORCE)
    if table == layout.TABLE2 and column == layout.ITEMS_LAST_YEAR and previous.edition is Edition.E2019:
        before = previous.cell(layout.TABLE2, path, layout.ITEMS_LAST_YEAR)
        change = previous.cell(layout.TABLE2, path, layout.ITEMS_CHANGE)
        return before + change if before is not None and change is not None else None
    return None
