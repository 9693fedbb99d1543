"""The 退回意见 (return letter) sent to an agency whose report has problems, as a Word document.

Official letter style (GB/T 9704 conventions the reports follow too): a 方正小标宋简体 title in 二号,
the agency addressed on the first line, 仿宋_GB2312 三号 body, a table of the problems — each in
``validate``'s wording, with where to fix it — the office's note, and the office and date at the foot.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from gaigen.core.names import report_stem

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
LETTERS_FOLDER = "退回意见"
DEFAULT_OFFICE = "政府信息公开工作主管部门"


@dataclass(frozen=True)
class Letter:
    """What a return letter says."""

    agency: str
    year: int
    problems: Sequence[tuple[str, str]]  # (message as validate words it, where to fix it)
    note: str = ""
    office: str = ""
    date: dt.date | None = None


def letter_name(agency: str, year: int) -> str:
    """Return the file name of an agency's return letter."""
    return f"{year}年{agency}年度报告退回意见.docx"


def letter_docx(letter: Letter) -> bytes:
    """Return the letter as a .docx document."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _style(document.styles["Normal"], BODY_FONT, 16)
    report = report_stem(letter.year, letter.agency)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, f"关于退回《{report}》的意见", TITLE_FONT, 22)
    document.add_paragraph()
    _run(document.add_paragraph(), f"{letter.agency}：", BODY_FONT, 16)
    _body(
        document,
        f"你单位报送的《{report}》经审核，发现以下 {len(letter.problems)} 个问题，现予退回。请逐项修改后重新报送。",
    )
    if letter.note:
        _body(document, f"审核意见：{letter.note}")
    _heading(document, "一、问题清单")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("序号", "修改位置", "问题及修改意见"), strict=True):
        _run(cell.paragraphs[0], text, HEADING_FONT, 12)
    for number, (text, place) in enumerate(letter.problems, start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, (str(number), place or "见说明", text), strict=True):
            _run(cell.paragraphs[0], value, BODY_FONT, 12)
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.5), Cm(3.5), Cm(10.6)), strict=True):
            cell.width = width
    _heading(document, "二、有关要求")
    _body(document, "请对照问题清单逐项核改，数字以原始台账为准；修改后请重新报送数据文件，经审核通过后再公开发布。")
    _body(document, "年度报告应于法定期限前公开发布（部门 1 月 31 日前，人民政府 3 月 31 日前）。")
    document.add_paragraph()
    for text in (letter.office or DEFAULT_OFFICE, _date(letter.date)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, text, BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "年  月  日"


def _style(style: object, font: str, size: int) -> None:
    style_font = style.font  # type: ignore[attr-defined]
    style_font.name = font
    style_font.size = Pt(size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), font)  # type: ignore[attr-defined]


def _run(paragraph: Paragraph, text: str, font: str, size: int) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _body(document: object, text: str) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _run(paragraph, text, BODY_FONT, 16)


def _heading(document: object, text: str) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _run(paragraph, text, HEADING_FONT, 16)
