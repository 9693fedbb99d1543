"""A report file to an ``Imported`` report: data under the official labels, gaps, findings.

Steps: read the file into blocks (``docx``, ``pdf``, ``text`` with ``columns`` for pdftotext
copies, ``html``; .doc/.wps through LibreOffice), clean the text (residue, mojibake at paragraph
ends, traditional characters), split paragraphs that lost their line breaks (``fused``), find
and read the tables (``gather``, ``tables``, fused runs through ``solver``), read the narrative
(``narrative``), then put everything under the keys of the data file (``datafile``). Cells that
could not be read stay out of the data and are listed as gaps; nothing is guessed. A table
printed in the other edition is kept in its own layout (``Imported.table_editions``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gaigen.core.errors import InputError
from gaigen.core.problems import Severity
from gaigen.importing.clean import (
    MOJIBAKE_START,
    full_width_punctuation,
    is_traditional,
    looks_garbled,
    simplified,
    split_breaks,
    strip_residue,
)
from gaigen.importing.docx import parse_docx, read_docx
from gaigen.importing.fused import unfuse
from gaigen.importing.gather import read_streamed_tables, read_tables
from gaigen.importing.html import read_html
from gaigen.importing.model import (
    NOWHERE,
    Artefact,
    Block,
    Finding,
    Gap,
    Imported,
    Paragraph,
    Source,
    Table,
)
from gaigen.importing.narrative import Narrative, read_narrative
from gaigen.importing.pdf import read_pdf
from gaigen.importing.tables import TableRead
from gaigen.importing.text import read_text
from gaigen.render.office import OLD_WORD_SUFFIXES, docx_from_old_word
from gaigen.spec import datafile, layout
from gaigen.spec.layout import Edition

READERS = {
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
}
REPORT_SUFFIXES = (*READERS, *OLD_WORD_SUFFIXES)
SUFFIXES_TEXT = ".docx、.doc、.wps、.pdf、.txt、.md、.html 或 .htm"
W = Severity.WARNING
TITLE_PHRASE = "政府信息公开工作年度报告"
_GARBLED_END = re.compile(r"[?？]\s*[!！]\s*$")
# Control characters and the line breaks YAML also breaks on: never part of a report's text. Also
# the zero-width breaks that Word and gaigen put in web and e-mail addresses (U+200B–U+200D, U+2060).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe\uffff\u2028\u2029\ud800-\udfff]"
)


def import_report(path: Path, name: str | None = None) -> Imported:
    """Return the report in ``path`` (.docx, .doc/.wps via LibreOffice, .pdf, .txt, .md, .html) read into a data dict.

    Raise ``InputError`` when the file cannot be read or is not an annual report.
    """
    shown = name or str(path)
    suffix = path.suffix.lower()
    if suffix in OLD_WORD_SUFFIXES:
        source = parse_docx(docx_from_old_word(path, shown), shown)
        source.kind = suffix.lstrip(".")
        imported = build(source)
        imported.notes.insert(0, f"原文件为旧版 Word/WPS 格式（{suffix}），已用 LibreOffice 转为 .docx 后读取。")
        return imported
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(f"{shown}：不支持这种文件（{suffix or '无扩展名'}）。请给出 {SUFFIXES_TEXT} 格式的年度报告。")
    return build(reader(path, shown))


def build(source: Source) -> Imported:
    """Return the ``Imported`` report made from ``source``; raise ``InputError`` when it is not a report."""
    _clean(source)
    source.blocks = unfuse(source.blocks)
    paragraphs = [block for block in source.blocks if isinstance(block, Paragraph)]
    first_look = read_narrative(paragraphs, Edition.E2021)
    year_guess = first_look.year
    year_edition = Edition.for_year(year_guess) if year_guess and year_guess >= layout.FIRST_YEAR else None
    found = read_tables(source.blocks, year_edition or Edition.E2021)
    read_streamed_tables(found, paragraphs, first_look, year_edition or Edition.E2021)
    table2, table3 = found.get(layout.TABLE2), found.get(layout.TABLE3)
    edition = (table2.edition if table2 else None) or (table3.edition if table3 else None) or year_edition
    edition = edition or Edition.E2021
    if layout.TABLE4 in found:
        found[layout.TABLE4].edition = edition
    narrative = read_narrative(paragraphs, edition)
    if not found and len(narrative.headings) < 3:
        raise InputError(
            f"{source.name}：这不像是一份政府信息公开工作年度报告：没有找到表二、表三、表四，"
            "也没有找到“一、总体情况”“二、主动公开政府信息情况”等标题。请确认选择的是年度报告文件。"
        )
    imported = Imported(
        source=source,
        data={},
        edition=edition,
        year=narrative.year,
        agency=narrative.agency,
        title=narrative.title,
    )
    _metadata(imported, narrative)
    _narrative_data(imported, narrative)
    for key in layout.TABLE_KEYS:
        _table_data(imported, key, found.get(key), year_edition)
    _other_matters(imported, narrative)
    imported.findings += narrative.findings + _report_findings(imported, narrative, year_edition)
    imported.findings += _artefact_findings(source)
    if source.traditional:
        imported.notes.insert(0, "原文为繁体字，已按 OpenCC 转为简体后读取。")
    return imported


# --- text cleaning ------------------------------------------------------------------------------


def _clean(source: Source) -> None:
    texts = [b.text for b in source.blocks if isinstance(b, Paragraph)]
    texts += [cell.text for b in source.blocks if isinstance(b, Table) for row in b.rows for cell in row]
    source.traditional = is_traditional(texts)
    blocks: list[Block] = []
    for block in source.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    text = strip_residue(_UNPRINTABLE.sub("", cell.text), cell.where, source.artefacts)
                    if looks_garbled(text):
                        source.artefacts.append(Artefact("mojibake", _excerpt(text), cell.where))
                    cell.text = simplified(text) if source.traditional else text
            blocks.append(block)
            continue
        text = strip_residue(_UNPRINTABLE.sub("", block.text), block.where, source.artefacts)
        for piece in split_breaks(text):
            piece = piece.strip()
            if not piece:
                continue
            if _GARBLED_END.search(piece):
                source.artefacts.append(Artefact("mojibake", piece[-2:].strip(), block.where))
                piece = _GARBLED_END.sub("。", piece)
            if MOJIBAKE_START.match(piece):
                source.artefacts.append(Artefact("mojibake", _excerpt(piece), block.where))
            if source.traditional:
                piece = full_width_punctuation(simplified(piece))
            blocks.append(Paragraph(piece, block.where))
    source.blocks = blocks


def _excerpt(text: str) -> str:
    compacted = " ".join(text.split())
    return compacted[:8]


# --- tables -------------------------------------------------------------------------------------


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _table_data(imported: Imported, key: str, read: TableRead | None, year_edition: Edition | None) -> None:
    printed = (
        read.edition if read is not None and read.edition is not None and key != layout.TABLE4 else imported.edition
    )
    if printed is not imported.edition:  # kept in its own layout; F-3 says the edition is wrong
        imported.table_editions[key] = printed
    table = layout.table(printed, key)
    if read is None:
        title = table.title
        imported.gaps.append(Gap((key,), f"原报告中找不到{key}（{title}）"))
        imported.missing_parts.append(f"{key}（{title}）")
        return
    rows = dict(table.rows())
    imported.origin[(key,)] = read.where or NOWHERE
    imported.origin.update(read.origin)
    for path, _row in rows.items():
        _set(imported.data, (key, *path), {})
    cells = {(key, *path, column.label) for path, row in rows.items() for column in row.columns}
    for path, value in read.values.items():
        if path in cells:
            _set(imported.data, path, value)
            imported.cells_read += 1
    gap_paths = set()
    for gap in read.gaps:
        if gap.path in cells:
            imported.gaps.append(gap)
            gap_paths.add(gap.path)
    imported.findings += read.findings
    imported.notes += read.notes
    imported.blanks += [path for path in read.blanks if path in cells]
    imported.fixed.update({path: rules for path, rules in read.fixed.items() if path in cells})
    _edition_finding(imported, key, read, year_edition)


def _edition_finding(imported: Imported, key: str, read: TableRead, year_edition: Edition | None) -> None:
    table_edition = read.edition
    if table_edition is None or key == layout.TABLE4:
        return  # 表四 is the same in both editions
    right = year_edition or imported.edition
    if table_edition is right and table_edition is imported.edition:
        return
    if year_edition is not None and table_edition is not year_edition:
        why = (
            f"表中行列名属于 {table_edition.value} 版式（{table_edition.notice}），"
            f"而 {imported.year} 年度报告应使用 {year_edition.value} 版式（{year_edition.notice}）"
        )
    else:
        why = f"表中行列名属于 {table_edition.value} 版式，与其他表格（{imported.edition.value} 版式）不一致"
    imported.findings.append(
        Finding(
            "F-3", Severity.ERROR, why, f"请按 {right.value} 版式的表格填写{key}。", read.where or NOWHERE, table=key
        )
    )


# --- narrative and metadata ---------------------------------------------------------------------


def _metadata(imported: Imported, narrative: Narrative) -> None:
    data = imported.data
    title_where = narrative.title_where or NOWHERE
    if narrative.agency:
        data[datafile.AGENCY] = narrative.agency
        imported.origin[(datafile.AGENCY,)] = title_where
    if narrative.year is not None:
        data[datafile.YEAR] = narrative.year
        imported.origin[(datafile.YEAR,)] = title_where
    data[datafile.LEVEL] = "政府" if (narrative.agency or "").endswith("人民政府") else "部门"
    data[datafile.EDITION] = imported.edition.value
    preamble_where = narrative.preamble[0].where if narrative.preamble else NOWHERE
    if narrative.website:
        data[datafile.WEBSITE] = narrative.website
        imported.origin[(datafile.WEBSITE,)] = preamble_where
    if narrative.contact:
        data[datafile.CONTACT] = narrative.contact
        imported.origin[(datafile.CONTACT,)] = preamble_where
    if narrative.published is not None:
        data[datafile.PUBLISHED] = narrative.published


def _narrative_data(imported: Imported, narrative: Narrative) -> None:
    headings = narrative.headings
    overview: dict[str, Any] = {}
    if narrative.opening:
        overview[layout.OVERVIEW_OPENING] = narrative.opening
    for topic in layout.TOPICS:
        if topic in narrative.topics:
            overview[topic] = narrative.topics[topic]
            imported.origin[(layout.OVERVIEW, topic)] = narrative.topic_where[topic]
        else:
            heading = layout.TOPIC_HEADINGS[imported.edition][layout.TOPICS.index(topic)]
            imported.missing_parts.append(f"{layout.OVERVIEW}{heading}")
    if 1 in headings or overview:
        imported.data[layout.OVERVIEW] = overview
    if 1 in headings:
        imported.origin[(layout.OVERVIEW,)] = headings[1].where
        imported.origin.setdefault((layout.OVERVIEW, layout.OVERVIEW_OPENING), headings[1].where)
    if narrative.problems:
        imported.data[layout.PROBLEMS] = narrative.problems
    else:
        imported.missing_parts.append(layout.PROBLEMS)
    if 5 in headings:
        imported.origin[(layout.PROBLEMS,)] = headings[5].where


def _other_matters(imported: Imported, narrative: Narrative) -> None:
    key = layout.OTHER_MATTERS
    heading = narrative.headings.get(6)
    if heading is not None:
        imported.origin[(key,)] = heading.where
    if imported.edition is Edition.E2019:
        if heading is not None:
            imported.data[key] = narrative.other
        else:
            imported.missing_parts.append(key)
        return
    fees = dict(narrative.fees or {})
    where = narrative.fee_where or (heading.where if heading else NOWHERE)
    imported.origin[(key, layout.FEE_GROUP)] = where
    group = {}
    for label in (layout.FEE_NOTICES, layout.FEE_BILLED, layout.FEE_COLLECTED):
        path = (key, layout.FEE_GROUP, label)
        imported.origin[path] = where
        if label in fees:
            group[label] = fees[label]
        else:
            why = (
                "原报告“六、其他需要报告的事项”没有写明这一项" if heading else "原报告中找不到“六、其他需要报告的事项”"
            )
            imported.gaps.append(Gap(path, why, where))
    imported.data[key] = {layout.FEE_GROUP: group, layout.OTHER_TEXT: narrative.other}
    if heading is None:
        imported.missing_parts.append(key)


# --- findings on the report as a whole ------------------------------------------------------------


def _report_findings(imported: Imported, narrative: Narrative, year_edition: Edition | None) -> list[Finding]:
    findings = _title_findings(narrative)
    if narrative.notice is not None and year_edition is not None:
        cited, where, notice = narrative.notice
        if cited is not year_edition:
            findings.append(
                Finding(
                    "F-4",
                    W,
                    f"引用的是{notice}（{cited.value} 版式），而 {narrative.year} 年度报告应使用 "
                    f"{year_edition.value} 版式（{year_edition.notice}）",
                    f"请改为引用{year_edition.notice}。",
                    where,
                    subject="说明段",
                )
            )
    if narrative.preamble_misplaced is not None:
        findings.append(
            Finding(
                "F-6",
                W,
                "放在了“一、总体情况”之下，而说明段（依据、统计期限、下载网址、联系方式）应在标题之后、“一、总体情况”之前",
                "请把这一段移到“一、总体情况”之前。",
                narrative.preamble_misplaced.where,
                subject="说明段",
            )
        )
    return findings


def _title_findings(narrative: Narrative) -> list[Finding]:
    title = narrative.title
    agency, year = narrative.agency, narrative.year
    expected = f"{agency or '机关名称'}{year or 'YYYY'}年{TITLE_PHRASE}"
    if title is None:
        return [
            Finding("F-1", W, "没有找到报告标题", f"报告开头应有标题，如“{expected}”。", subject="标题"),
        ]
    issues = []
    if TITLE_PHRASE not in title:
        issues.append(f"没有完整写出“{TITLE_PHRASE}”")
    if agency is None:
        issues.append("没有写明机关名称")
    if year is None:
        issues.append("没有写明年度")
    if narrative.period_year is not None and year is not None and narrative.period_year != year:
        issues.append(f"年度与说明段的统计期限（{narrative.period_year} 年）不一致")
    if not issues:
        return []
    return [
        Finding(
            "F-1",
            W,
            "；".join(issues),
            f"标题应为“{expected}”。",
            narrative.title_where or NOWHERE,
            subject="标题",
            found=f"“{title}”",
        )
    ]


_ARTEFACT_TEXT = {
    "bookmark": (" Word 书签残留", "请删除这些残留文字。"),
    "markup": ("网页标记残留", "请删除这些残留文字。"),
    "mojibake": ("乱码（多为全角括号等在网页转换时损坏），已按所在位置推断其含义", "请核对网上发布的文本，修正乱码。"),
}


def _artefact_findings(source: Source) -> list[Finding]:
    findings = []
    if source.traditional:
        findings.append(
            Finding(
                "F-9",
                W,
                "全文为繁体字（多为网站的简繁转换所致），已转为简体读取",
                "发布的报告应使用简体字（format-spec §8.7）。",
            )
        )
    for kind, (what, fix) in _ARTEFACT_TEXT.items():
        found = [a for a in source.artefacts if a.kind == kind]
        if not found:
            continue
        examples = []
        for artefact in found:
            if artefact.text not in examples:
                examples.append(artefact.text)
        shown = "、".join(f"“{text}”" for text in examples[:3])
        count = f"，共 {len(found)} 处" if len(found) > 1 else ""
        findings.append(Finding("F-9", W, f"有{what}：{shown}{count}", fix, found[0].where))
    return findings
