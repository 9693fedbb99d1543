"""The 退回意见 (return letter) sent to an agency whose report has problems, as a Word document.

Official letter style (GB/T 9704 conventions the reports follow too): a 方正小标宋简体 title in 二号,
the agency addressed on the first line, 仿宋_GB2312 三号 body, a table of the problems — each in
``validate``'s wording, with where to fix it — the office's note, and the office and date at the foot.

A county returns hundreds of letters in one run, so the package's other parts (page, styles) are
compressed once and each letter only writes its body's XML into it: text is escaped, never markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from gaigen.core.names import report_stem
from gaigen.files.ooxml import FAST_LEVEL, Member, write_members

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
    """Return the letter as a .docx document (a fraction of a millisecond: the package is prepared and compressed once)."""
    report = report_stem(letter.year, letter.agency)
    body = [
        _paragraph(f"关于退回《{report}》的意见", TITLE_FONT, 22, align="center"),
        _paragraph("", BODY_FONT, 16),
        _paragraph(f"{letter.agency}：", BODY_FONT, 16),
        _body(
            f"你单位报送的《{report}》经审核，发现以下 {len(letter.problems)} 个问题，现予退回。请逐项修改后重新报送。"
            if letter.problems
            else f"你单位报送的《{report}》经审核，现予退回。请按审核意见修改后重新报送。"
        ),
    ]
    if letter.note:
        body.append(_body(f"审核意见：{letter.note}"))
    if letter.problems:
        body.append(_paragraph("一、问题清单", HEADING_FONT, 16, indent=True))
        body.append(_table(letter.problems))
    body.append(_paragraph("二、有关要求" if letter.problems else "有关要求", HEADING_FONT, 16, indent=True))
    body.append(_body("请对照问题清单逐项核改，数字以原始台账为准；修改后请重新报送数据文件，经审核通过后再公开发布。"))
    body.append(_body("年度报告应于法定期限前公开发布（部门 1 月 31 日前，人民政府 3 月 31 日前）。"))
    body.append(_paragraph("", BODY_FONT, 16))
    for text in (letter.office or DEFAULT_OFFICE, _date(letter.date)):
        body.append(_paragraph(text, BODY_FONT, 16, align="right"))
    members, before, after = _package()
    document = Member.of(_DOCUMENT, (before + "".join(body) + after).encode("utf-8"), FAST_LEVEL)
    return write_members(document if member.name == _DOCUMENT else member for member in members)


_DOCUMENT = "word/document.xml"
_WIDTHS = (850, 1985, 6010)  # twips: 序号, 修改位置, 问题及修改意见 (15.6 cm of text width)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# python-docx's default styles part is 350 KB of styles a letter never uses; these are the ones it does.
_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" '
    f'w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr>'
    '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    "<w:tblPr><w:tblBorders>"
    + "".join(_BORDER.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders></w:tblPr></w:style></w:styles>"
).encode("utf-8")


# The package around the body: a letter needs only its document, styles and settings (compatibility
# mode 15, so that Word does not open it in the mode of Word 2007). Written here rather than taken
# from python-docx's default document, whose parse costs a batch worker 15 ms and 6 MB for parts a
# letter never uses (numbering, theme, custom XML).
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_TYPE}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{_TYPE}.settings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ),
    "word/_rels/document.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELATIONSHIP}/settings" Target="settings.xml"/></Relationships>'
    ),
    "word/settings.xml": (
        f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="420"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat></w:settings>"
    ),
}
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# A4, margins of GB/T 9704 (top 3.7 cm, bottom 3.5, left 2.8, right 2.6), in twentieths of a point.
_SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" '
    'w:left="1587" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
)


@functools.cache
def _package() -> tuple[tuple[Member, ...], str, str]:
    """Return the parts of an empty letter, compressed once, and its document's text around the body."""
    parts = [Member.of(name, (_XML_DECLARATION + xml).encode("utf-8")) for name, xml in _PARTS.items()]
    parts.insert(3, Member.of("word/styles.xml", _STYLES))
    parts.insert(3, Member.of(_DOCUMENT, b""))  # a placeholder: each letter writes its own
    before = f'{_XML_DECLARATION}<w:document xmlns:w="{_W}" xmlns:r="{_RELATIONSHIP}"><w:body>'
    return tuple(parts), before, f"{_SECTION}</w:body></w:document>"


def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _run(text: str, font: str, size: int) -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
    return f'<w:r><w:rPr>{fonts}<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr><w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _paragraph(text: str, font: str, size: int, align: str | None = None, indent: bool = False) -> str:
    properties = ""
    if indent:
        properties += f'<w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLine="{size * 40}"/>'
    if align is not None:
        properties += f'<w:jc w:val="{align}"/>'
    runs = _run(text, font, size) if text else ""
    return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>" if properties else f"<w:p>{runs}</w:p>"


def _body(text: str) -> str:
    return _paragraph(text, BODY_FONT, 16, indent=True)


def _cell(text: str, font: str, width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_paragraph(text, font, 12)}</w:tc>'


def _table(problems: Sequence[tuple[str, str]]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in _WIDTHS)
    rows = [
        "".join(_cell(t, HEADING_FONT, w) for t, w in zip(("序号", "修改位置", "问题及修改意见"), _WIDTHS, strict=True))
    ]
    for number, (text, place) in enumerate(problems, start=1):
        values = (str(number), place or "见说明", text)
        rows.append("".join(_cell(v, BODY_FONT, w) for v, w in zip(values, _WIDTHS, strict=True)))
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + "".join(f"<w:tr>{row}</w:tr>" for row in rows)
        + "</w:tbl>"
    )


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "年  月  日"
