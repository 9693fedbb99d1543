"""The official statistics tables of both editions, as data (format-spec §4).

Every label here is copied character for character from format-spec §4.5; nothing else in the
package spells a table label. A table is a tree: groups (``三、本年度办理结果``) hold rows, rows hold
cells, one per column. The data file nests keys the same way (DECISIONS §6), the renderers walk
the same tree, and the rules address cells by the same labels.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property


class Edition(str, enum.Enum):
    """The two editions of the official format (format-spec §2)."""

    E2019 = "2019"
    E2021 = "2021"

    @classmethod
    def for_year(cls, year: int) -> Edition:
        """Return the edition a report for ``year`` must use: 2019–2020 → 2019, later → 2021."""
        return cls.E2019 if year <= 2020 else cls.E2021

    @property
    def other(self) -> Edition:
        return Edition.E2021 if self is Edition.E2019 else Edition.E2019

    @property
    def notice(self) -> str:
        """Return the document number of the format notice of this edition."""
        return NOTICES[self]

    @property
    def years_text(self) -> str:
        return "2019、2020 年度" if self is Edition.E2019 else "2021 年度及以后的"


NOTICES = {
    Edition.E2019: "国办公开办函〔2019〕60号",
    Edition.E2021: "国办公开办函〔2021〕30号",
}

FIRST_YEAR = 2019


class Kind(enum.Enum):
    """What a cell may hold (format-spec §5, DECISIONS §1–§2)."""

    COUNT = "count"  # integer ≥ 0
    SIGNED = "signed"  # integer, may be negative (2019 本年增/减)
    MONEY = "money"  # Decimal ≥ 0 in 万元
    TOTAL = "total"  # integer ≥ 0; may be left out, then computed


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.COUNT
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A printed table row with one cell per column."""

    label: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    optional: bool = False  # a total row (表三（七）总计) may be left out and is then computed


@dataclass(frozen=True)
class Group:
    """A label that spans several rows (``（三）不予公开``); in the data file a nested mapping."""

    label: str
    children: tuple[Row | Group, ...]
    aliases: tuple[str, ...] = ()


Node = Row | Group
RowPath = tuple[str, ...]
CellKey = tuple[str, RowPath, str]  # (table, row path, column), official labels


@dataclass(frozen=True)
class Block:
    """One 第二十条 block of 表二: a heading row, a column-header row and its data rows."""

    heading: str
    rows: tuple[Row, ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.rows[0].columns


@dataclass(frozen=True)
class Table:
    key: str  # 表二 / 表三 / 表四: the data file's key
    title: str  # the part heading the table belongs to
    children: tuple[Node, ...]
    blocks: tuple[Block, ...] = field(default=())  # 表二 only

    def rows(self) -> tuple[tuple[RowPath, Row], ...]:
        """Return every data row with its key path, in printed order."""
        return self._rows

    @cached_property
    def _rows(self) -> tuple[tuple[RowPath, Row], ...]:
        return tuple(_walk(self.children, ()))

    def row(self, path: RowPath) -> Row:
        return self._rows_by_path[path]

    @cached_property
    def _rows_by_path(self) -> dict[RowPath, Row]:
        return dict(self.rows())

    def node_at(self, path: RowPath) -> tuple[Node, ...]:
        """Return the children of the group at ``path`` (the table itself for ``()``)."""
        children = self.children
        for label in path:
            node = next(n for n in children if n.label == label)
            if not isinstance(node, Group):
                raise KeyError(path)
            children = node.children
        return children


def _walk(nodes: tuple[Node, ...], prefix: RowPath) -> Iterator[tuple[RowPath, Row]]:
    for node in nodes:
        if isinstance(node, Row):
            yield (*prefix, node.label), node
        else:
            yield from _walk(node.children, (*prefix, node.label))


# --- 表二 ---------------------------------------------------------------------------------------

_C = Column
# Labels that the rules, the renderers and the readers name one by one (format-spec §4.5). Each
# is spelled here once; the tables below are built from the same names.
TABLE2 = "表二"
TABLE3 = "表三"
TABLE4 = "表四"
REGULATIONS = "规章"
NORMATIVE_DOCS = "行政规范性文件"  # 2021; the 2019 edition says 规范性文件
NORMATIVE_DOCS_2019 = "规范性文件"
FEES = "行政事业性收费"
ISSUED = "本年制发件数"
REPEALED = "本年废止件数"
IN_FORCE = "现行有效件数"
FEE_AMOUNT = "本年收费金额（单位：万元）"
ITEMS_LAST_YEAR = "上一年项目数量"
ITEMS_CHANGE = "本年增/减"
MADE_2019 = "本年新制作数量"
PUBLISHED_2019 = "本年新公开数量"
OPEN_TOTAL_2019 = "对外公开总数量"

ROWS_OF_2019_NEW = (_C(MADE_2019), _C(PUBLISHED_2019), _C(OPEN_TOTAL_2019))
_ITEMS_2019 = (_C(ITEMS_LAST_YEAR), _C(ITEMS_CHANGE, Kind.SIGNED, ("本年增减",)), _C("处理决定数量"))
_FEES_2019 = (_C(ITEMS_LAST_YEAR), _C(ITEMS_CHANGE, Kind.SIGNED, ("本年增减",)))
_PURCHASE_2019 = (
    _C("采购项目数量"),
    _C("采购总金额（单位：万元）", Kind.MONEY, ("采购总金额", "采购总金额（万元）")),
)
_DOCS_2021 = (_C(ISSUED), _C(REPEALED), _C(IN_FORCE))
_DECISIONS_2021 = (_C("本年处理决定数量"),)
_FEES_2021 = (_C(FEE_AMOUNT, Kind.MONEY, ("本年收费金额", "本年收费金额（万元）")),)

TABLE2_TITLE = "二、主动公开政府信息情况"

_BLOCKS_2019 = (
    Block("第二十条第（一）项", (Row(REGULATIONS, ROWS_OF_2019_NEW), Row(NORMATIVE_DOCS_2019, ROWS_OF_2019_NEW))),
    Block("第二十条第（五）项", (Row("行政许可", _ITEMS_2019), Row("其他对外管理服务事项", _ITEMS_2019))),
    Block("第二十条第（六）项", (Row("行政处罚", _ITEMS_2019), Row("行政强制", _ITEMS_2019))),
    Block("第二十条第（八）项", (Row(FEES, _FEES_2019),)),
    Block("第二十条第（九）项", (Row("政府集中采购", _PURCHASE_2019),)),
)
_BLOCKS_2021 = (
    Block("第二十条第（一）项", (Row(REGULATIONS, _DOCS_2021), Row(NORMATIVE_DOCS, _DOCS_2021))),
    Block("第二十条第（五）项", (Row("行政许可", _DECISIONS_2021),)),
    Block("第二十条第（六）项", (Row("行政处罚", _DECISIONS_2021), Row("行政强制", _DECISIONS_2021))),
    Block("第二十条第（八）项", (Row(FEES, _FEES_2021),)),
)

# --- 表三 ---------------------------------------------------------------------------------------

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_GROUP = "申请人情况"
TABLE3_LEGAL_PERSONS = "法人或其他组织"
TABLE3_TITLE = "三、收到和处理政府信息公开申请情况"
NATURAL_PERSON = "自然人"
LEGAL_PERSON_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TOTAL = "总计"
APPLICANT_COLUMNS = (
    Column(NATURAL_PERSON),
    Column("商业企业"),
    Column("科研机构"),
    Column("社会公益组织", aliases=("社会组织",)),
    Column("法律服务机构"),
    Column("其他"),
    Column(TOTAL, Kind.TOTAL, ("合计",)),
)

NEW_REQUESTS = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"
OUTCOMES = "三、本年度办理结果"
OUTCOME_TOTAL = "（七）总计"
CARRIED_FORWARD = "四、结转下年度继续办理"
OTHER_PROCESSING = "（六）其他处理"
FEE_LAPSED = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


def _r(label: str, *aliases: str, optional: bool = False) -> Row:
    return Row(label, APPLICANT_COLUMNS, aliases, optional)


def _table3_outcomes(other_processing: Node) -> Group:
    return Group(
        OUTCOMES,
        (
            _r("（一）予以公开"),
            _r("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
            Group(
                "（三）不予公开",
                (
                    _r("1.属于国家秘密", "国家秘密"),
                    _r("2.其他法律行政法规禁止公开"),
                    _r("3.危及“三安全一稳定”", '3.危及"三安全一稳定"', "危及三安全一稳定"),
                    _r("4.保护第三方合法权益"),
                    _r("5.属于三类内部事务信息"),
                    _r("6.属于四类过程性信息"),
                    _r("7.属于行政执法案卷"),
                    _r("8.属于行政查询事项"),
                ),
            ),
            Group(
                "（四）无法提供",
                (
                    _r("1.本机关不掌握相关政府信息"),
                    _r("2.没有现成信息需要另行制作"),
                    _r("3.补正后申请内容仍不明确"),
                ),
            ),
            Group(
                "（五）不予处理",
                (
                    _r("1.信访举报投诉类申请"),
                    _r("2.重复申请"),
                    _r("3.要求提供公开出版物"),
                    _r("4.无正当理由大量反复申请"),
                    _r("5.要求行政机关确认或重新出具已获取信息"),
                ),
            ),
            other_processing,
            _r(OUTCOME_TOTAL, "总计", optional=True),
        ),
        ("本年度办理结果", "办理结果"),
    )


def _table3(other_processing: Node) -> tuple[Node, ...]:
    return (
        _r(NEW_REQUESTS, "本年新收"),
        _r(CARRIED_OVER, "上年结转"),
        _table3_outcomes(other_processing),
        _r(CARRIED_FORWARD, "结转下年度", "结转下年度继续办理"),
    )


_OTHER_PROCESSING_2021 = Group(
    OTHER_PROCESSING,
    (
        _r("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "逾期不补正"),
        _r(FEE_LAPSED, "逾期未缴费", "逾期未按收费通知要求缴纳费用"),
        _r("3.其他"),
    ),
)

# --- 表四 ---------------------------------------------------------------------------------------

TABLE4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
REVIEW = "行政复议"
LITIGATION = "行政诉讼"
DIRECT_SUIT = "未经复议直接起诉"
SUIT_AFTER_REVIEW = "复议后起诉"
CASE_COLUMNS = (
    Column("结果维持"),
    Column("结果纠正"),
    Column("其他结果"),
    Column("尚未审结"),
    Column(TOTAL, Kind.TOTAL, ("合计",)),
)
_TABLE4 = (
    Row(REVIEW, CASE_COLUMNS),
    Group(LITIGATION, (Row(DIRECT_SUIT, CASE_COLUMNS), Row(SUIT_AFTER_REVIEW, CASE_COLUMNS))),
)


def _table2(blocks: tuple[Block, ...]) -> Table:
    rows = tuple(row for block in blocks for row in block.rows)
    return Table(TABLE2, TABLE2_TITLE, rows, blocks)


TABLES: dict[Edition, tuple[Table, Table, Table]] = {
    Edition.E2019: (
        _table2(_BLOCKS_2019),
        Table(TABLE3, TABLE3_TITLE, _table3(_r(OTHER_PROCESSING, "其他处理"))),
        Table(TABLE4, TABLE4_TITLE, _TABLE4),
    ),
    Edition.E2021: (
        _table2(_BLOCKS_2021),
        Table(TABLE3, TABLE3_TITLE, _table3(_OTHER_PROCESSING_2021)),
        Table(TABLE4, TABLE4_TITLE, _TABLE4),
    ),
}


def tables(edition: Edition) -> tuple[Table, Table, Table]:
    """Return 表二, 表三 and 表四 of ``edition``."""
    return TABLES[edition]


def table(edition: Edition, key: str) -> Table:
    return next(t for t in TABLES[edition] if t.key == key)


TABLE_KEYS = (TABLE2, TABLE3, TABLE4)

# --- The six parts and the narrative ----------------------------------------------------------

PART_HEADINGS = (
    "一、总体情况",
    TABLE2_TITLE,
    TABLE3_TITLE,
    TABLE4_TITLE,
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
OVERVIEW = PART_HEADINGS[0]
PROBLEMS = PART_HEADINGS[4]
OTHER_MATTERS = PART_HEADINGS[5]

OVERVIEW_OPENING = "概述"
# The five topics of 一、总体情况 (format-spec §3.2): data key → printed sub-heading per edition.
TOPICS = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")
TOPIC_HEADINGS = {
    Edition.E2019: ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"),
    Edition.E2021: (
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
    ),
}

# 六 in the 2021 edition: the 信息处理费 group (DECISIONS §5).
FEE_GROUP = "信息处理费"
FEE_NOTICES = "发出收费通知件数"
FEE_BILLED = "收费通知总金额（元）"
FEE_COLLECTED = "实际收取总金额（元）"
OTHER_TEXT = "其他事项"

LEVELS = ("部门", "政府")
