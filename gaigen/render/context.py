"""The render context: a validated report turned into plain, printable values.

Both renderers (Word and plain text) read only this: headings chosen for the edition, paragraphs
as strings, every table cell as its printed text by grid position, the signature and date. The
models know nothing of Word; the renderers know nothing of the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gaigen.core.report import Report, number_text
from gaigen.core.totals import completed
from gaigen.spec import layout
from gaigen.spec.grid import Grid, grids
from gaigen.spec.layout import Edition

NOTICE_TITLES = {
    Edition.E2019: "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》",
    Edition.E2021: "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》",
}
PARTS_LIST = (
    "总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项"
)
BLANK_DATE = "年  月  日"


@dataclass(frozen=True)
class Section:
    """A sub-heading (may be empty) and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One of the six parts: its heading, text sections, and the table it shows (if any)."""

    heading: str
    sections: tuple[Section, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class Context:
    edition: Edition
    title: str
    preamble: tuple[str, ...]
    parts: tuple[Part, ...]
    grids: dict[str, Grid]
    cells: dict[str, dict[str, str]] = field(default_factory=dict)  # table → grid cell name → text
    signature: str = ""
    date: str = BLANK_DATE
    agency: str = ""
    year: int = 0


def date_text(report: Report) -> str:
    if report.published is None:
        return BLANK_DATE
    day = report.published
    return f"{day.year}年{day.month}月{day.day}日"


def fee_sentence(report: Report) -> str:
    """Return the opening sentence of 六 about the 信息处理费 (2021 edition, DECISIONS §5)."""
    text = report.narrative
    notices = text.fee_notices or 0
    billed = text.fee_billed or Decimal(0)
    collected = text.fee_collected or Decimal(0)
    if not notices and not billed and not collected:
        return "本年度未收取信息处理费。"
    return (
        f"本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知{notices}件，"
        f"收费通知总金额{number_text(billed)}元，实际收取信息处理费{number_text(collected)}元。"
    )


def preamble(report: Report) -> str:
    edition = report.edition
    text = (
        f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{NOTICE_TITLES[edition]}"
        f"（{edition.notice}）要求，由{report.agency}编制。全文包括{PARTS_LIST}六个部分。"
        f"本报告所列数据的统计期限为{report.year}年1月1日至{report.year}年12月31日。"
    )
    if report.website:
        text += f"本报告电子版可在{report.website}查阅和下载。"
    if report.contact:
        text += f"如对本报告有疑问，请与{report.contact.rstrip('。')}联系。"
    return text


def build_context(report: Report) -> Context:
    """Return the printable values of a report that passed validation."""
    edition = report.edition
    text = report.narrative
    headings = layout.TOPIC_HEADINGS[edition]
    overview = [Section("", tuple(text.opening))] if text.opening else []
    overview += [
        Section(heading, tuple(text.topics.get(topic, [])))
        for topic, heading in zip(layout.TOPICS, headings, strict=True)
    ]
    other = [fee_sentence(report), *text.other] if edition is Edition.E2021 else list(text.other)
    heads = layout.PART_HEADINGS
    parts = (
        Part(heads[0], tuple(overview)),
        Part(heads[1], table=layout.TABLE2),
        Part(heads[2], table=layout.TABLE3),
        Part(heads[3], table=layout.TABLE4),
        Part(heads[4], (Section("", tuple(text.problems)),)),
        Part(heads[5], (Section("", tuple(other)),)),
    )
    values = completed(report)
    tables = {g.key: g for g in grids(edition)}
    cells = {
        key: {cell.name: number_text(values.get(cell.key)) for cell in g.number_cells() if cell.key is not None}
        for key, g in tables.items()
    }
    return Context(
        edition=edition,
        title=f"{report.agency}{report.year}年政府信息公开工作年度报告",
        preamble=(preamble(report),),
        parts=parts,
        grids=tables,
        cells=cells,
        signature=report.agency or "",
        date=date_text(report),
        agency=report.agency or "",
        year=report.year or 0,
    )
