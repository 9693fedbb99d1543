"""The data file's key tree, per edition: every key, its accepted aliases and the kind of value.

One tree drives everything that reads or writes a data file: key matching with aliases and
did-you-mean (``keys``), the pydantic models (``model``), ``gaigen init`` and ``gaigen schema``.
The tables come from ``layout``; this module adds the metadata and the narrative parts.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from gaigen.spec import layout
from gaigen.spec.layout import Edition, Group, Kind, Row, Table

# What `gaigen init` writes where a clerk must write text; N-1 refuses a report that still holds it.
PLACEHOLDER = "【待填写】"


class Leaf(enum.Enum):
    """Kinds of value beyond the table cells of ``layout.Kind``."""

    NAME = "name"  # one line of text
    TEXT = "text"  # paragraphs: a string (one paragraph a line) or a list of strings
    YEAR = "year"
    LEVEL = "level"
    EDITION = "edition"
    DATE = "date"
    YUAN = "yuan"  # Decimal ≥ 0 in 元, 2 decimals (信息处理费)


ValueKind = Kind | Leaf


@dataclass(frozen=True)
class Key:
    """A key that holds a value."""

    label: str
    kind: ValueKind
    aliases: tuple[str, ...] = ()
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Section:
    """A key that holds a mapping of further keys."""

    label: str
    children: tuple[Key | Section, ...]
    aliases: tuple[str, ...] = ()
    required: bool = True
    help: str = ""
    table: str | None = None  # 表二/表三/表四 for table sections and their rows

    def child(self, label: str) -> Key | Section:
        return next(c for c in self.children if c.label == label)


Entry = Key | Section
KeyPath = tuple[str, ...]

AGENCY = "机关名称"
YEAR = "年度"
LEVEL = "级别"
EDITION = "版式"
PUBLISHED = "发布日期"
WEBSITE = "网站"
CONTACT = "联系方式"
META_KEYS = frozenset({AGENCY, YEAR, LEVEL, EDITION, PUBLISHED, WEBSITE, CONTACT})


def _row_section(row: Row, table: str) -> Section:
    keys = tuple(Key(c.label, c.kind, c.aliases, required=c.kind is not Kind.TOTAL) for c in row.columns)
    return Section(row.label, keys, row.aliases, required=not row.optional, table=table)


def _node_section(node: Row | Group, table: str) -> Section:
    if isinstance(node, Row):
        return _row_section(node, table)
    children = tuple(_node_section(child, table) for child in node.children)
    return Section(node.label, children, node.aliases, table=table)


def _table_section(table: Table) -> Section:
    children = tuple(_node_section(node, table.key) for node in table.children)
    return Section(table.key, children, (table.title,), table=table.key, help=table.title)


def _overview(edition: Edition) -> Section:
    headings = layout.TOPIC_HEADINGS[edition]
    topics = tuple(
        Key(topic, Leaf.TEXT, (heading, heading[3:]), help=f"一、总体情况{heading}")
        for topic, heading in zip(layout.TOPICS, headings, strict=True)
    )
    opening = Key(layout.OVERVIEW_OPENING, Leaf.TEXT, ("开头",), required=False, help="总体情况的开头段落（可选）")
    return Section(layout.OVERVIEW, (opening, *topics), ("总体情况",), help="一、总体情况：五个方面")


def _other_matters(edition: Edition) -> Entry:
    aliases = ("其他需要报告的事项",)
    if edition is Edition.E2019:
        return Key(layout.OTHER_MATTERS, Leaf.TEXT, aliases, help="六、其他需要报告的事项；没有可写“无”")
    fee = Section(
        layout.FEE_GROUP,
        (
            Key(layout.FEE_NOTICES, Kind.COUNT, ("收费通知件数",)),
            Key(layout.FEE_BILLED, Leaf.YUAN, ("收费通知总金额",)),
            Key(layout.FEE_COLLECTED, Leaf.YUAN, ("实际收取总金额",)),
        ),
        ("收取信息处理费情况",),
        help="依据国办函〔2020〕109号收取信息处理费的情况",
    )
    other = Key(layout.OTHER_TEXT, Leaf.TEXT, ("正文", "其他"), required=False, help="其他需要报告的事项（可为空）")
    return Section(layout.OTHER_MATTERS, (fee, other), aliases, help="六、其他需要报告的事项")


@cache
def tree(edition: Edition) -> Section:
    """Return the key tree of a data file of ``edition``."""
    table2, table3, table4 = layout.tables(edition)
    meta = (
        Key(AGENCY, Leaf.NAME, ("单位名称", "机关"), help="机关全称，如：某某县交通运输局"),
        Key(YEAR, Leaf.YEAR, ("报告年度", "年份"), help="报告所属年度，如 2024"),
        Key(LEVEL, Leaf.LEVEL, ("类别",), help="部门 或 政府"),
        Key(EDITION, Leaf.EDITION, ("格式版本", "版本"), required=False, help="2019 或 2021；不填则按年度确定"),
        Key(PUBLISHED, Leaf.DATE, ("日期", "落款日期"), required=False, help="发布日期，如 2025-01-20"),
        Key(WEBSITE, Leaf.NAME, ("下载网址",), required=False, help="本报告电子版的发布网站（名称和网址）"),
        Key(CONTACT, Leaf.NAME, ("联系",), required=False, help="联系单位、地址、邮编、电话"),
    )
    parts = (
        _overview(edition),
        _table_section(table2),
        _table_section(table3),
        _table_section(table4),
        Key(
            layout.PROBLEMS,
            Leaf.TEXT,
            ("存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"),
            help="五、存在的主要问题及改进情况",
        ),
        _other_matters(edition),
    )
    return Section("", (*meta, *parts))


def walk(section: Section, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Entry]]:
    """Yield every entry below ``section`` with its path, depth first, in file order."""
    for child in section.children:
        path = (*prefix, child.label)
        yield path, child
        if isinstance(child, Section):
            yield from walk(child, path)


def entry_at(edition: Edition, path: KeyPath) -> Entry | None:
    """Return the entry at ``path`` in ``edition``'s tree, or None when it has none."""
    node: Entry = tree(edition)
    for label in path:
        if not isinstance(node, Section):
            return None
        found = next((c for c in node.children if c.label == label), None)
        if found is None:
            return None
        node = found
    return node
