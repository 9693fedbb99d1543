"""Build the Word templates of both editions, byte for byte the same on every run.

``templates/report-{edition}.docx`` are the editable sources (open them in Word to see the layout);
``gaigen/templates/`` holds the same bytes as package data. Run this script after changing the
layout; ``--check`` exits 1 when either copy differs from a fresh build (a test calls it).

The templates are docxtpl templates: paragraphs repeat through ``{%p for … %}`` loops, while every
table is static, cell for cell the official grid of its edition (format-spec §4, ``gaigen.spec.grid``),
each number cell holding one placeholder named after its grid cell (``{{ t3.r5c3 }}``).
Typography follows format-spec §7 (GB/T 9704-2012 page and body, §7.3 tables).

The HTML template (``templates/report.html``) is edited by hand; this script copies it into
``gaigen/templates/``, and ``--check`` fails when the packaged copy differs from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.package import Package
from docx.shared import Twips
from lxml import etree

from gaigen.files.ooxml import package_bytes
from gaigen.files.output import write_atomic
from gaigen.render.word import FIXED_TIMESTAMP, TABLE_VARIABLES, template_name
from gaigen.spec.grid import Grid, GridCell, grids, kept_rows
from gaigen.spec.layout import Edition

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "templates"
PACKAGE_DIR = ROOT / "gaigen" / "templates"

# --- Page (format-spec §7.2, GB/T 9704-2012) ------------------------------------------------------

TWIPS_PER_MM = 1440 / 25.4


def mm(value: float) -> int:
    """Return ``value`` millimetres in twips (1/20 pt), rounded."""
    return round(value * TWIPS_PER_MM)


PAGE_WIDTH, PAGE_HEIGHT = mm(210), mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = mm(37), mm(35), mm(28), mm(26)
HEADER_DISTANCE = mm(15)
# The 一字线 of the page number sits 7 mm below the text block (35 mm from the page edge): a 4号
# line is about 6.5 mm high, so its bottom is about 22 mm from the edge.
FOOTER_DISTANCE = mm(22)
TEXT_WIDTH = mm(156)  # GB/T 9704 版心 width; the rounded margins leave 1 twip more

# --- Type (format-spec §7.2 and §7.3; DECISIONS §9) -----------------------------------------------

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
TABLE_FONT = BODY_FONT
PAGE_NUMBER_FONT = "宋体"

# Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt.
SIZE_TITLE, SIZE_BODY, SIZE_PAGE_NUMBER, SIZE_TABLE = 44, 32, 28, 21
LINE_BODY = 560  # fixed 28 pt, in twips
LINE_TITLE = 700  # fixed 35 pt: a 22 pt title needs more room than 28 pt
INDENT_BODY = 2 * SIZE_BODY * 10  # two 3号 characters, in twips (also given in characters)

# Column widths in mm (format-spec §7.3); each table fills the 156 mm text block exactly.
COLUMN_MM = {
    "表二": (48, 36, 36, 36),
    "表三": (14, 21.5, 40.5, 14, *(11,) * 6),  # 自然人 on one line; 三、本年度办理结果 in lines of 3
    "表四": (156 / 15,) * 15,
}
CELL_MARGIN = mm(1)  # left and right: an 11 mm column then holds two 五号 characters a line
ROW_HEIGHT = mm(7)  # at least
# 22 lines of 28 characters (GB/T 9704 §5.2.2). The 156 mm line holds 27 full 16 pt characters;
# 28 need a pitch of 15.79 pt. Word's own way, a character grid (docGrid linesAndChars with a
# negative charSpace), is read wrongly by LibreOffice, which then sets one character per two grid
# cells (14 a line). So the body styles are condensed by 0.25 pt a character (w:spacing -5
# twips: 28 × 15.75 pt = 441 pt ≤ 442 pt), which Word, WPS and LibreOffice all honour, and the
# grid only fixes the line pitch (Word's page setup then shows 22 lines a page).
CHARS_PER_LINE = 28
CONDENSE = (SIZE_BODY * 10 * CHARS_PER_LINE - TEXT_WIDTH) // CHARS_PER_LINE + 1  # twips, 5
DOC_GRID = f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="{LINE_BODY}"/>'
# Titles, tables and footers keep off the line grid: a 五号 table line would take a 28 pt line.
NO_GRID = '<w:snapToGrid w:val="0"/>'

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
FIXED_DATE = dt.datetime.strptime(FIXED_TIMESTAMP, "%Y-%m-%dT%H:%M:%SZ")


def column_widths(key: str) -> list[int]:
    """Return the grid column widths of table ``key`` in twips, summing to the text width."""
    widths = [mm(value) for value in COLUMN_MM[key]]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


# --- XML pieces -------------------------------------------------------------------------------------


def fonts(east_asia: str, latin: str = LATIN) -> str:
    """Return ``w:rFonts`` naming the East Asian font in ``w:eastAsia`` and Latin in ascii/hAnsi.

    ``w:hint`` makes Word set ambiguous characters (“”, —) in the East Asian font.
    """
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}" w:hint="eastAsia"/>'


def run_properties(east_asia: str, size: int, latin: str = LATIN, condense: int = 0) -> str:
    """Return ``w:rPr``: fonts, size and (for the body styles) the condensed character spacing."""
    spacing = f'<w:spacing w:val="{-condense}"/>' if condense else ""
    return f'<w:rPr>{fonts(east_asia, latin)}{spacing}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


BODY_RUN = run_properties(BODY_FONT, SIZE_BODY)
TITLE_RUN = run_properties(TITLE_FONT, SIZE_TITLE)
HEADING1_RUN = run_properties(HEADING1_FONT, SIZE_BODY)
HEADING2_RUN = run_properties(HEADING2_FONT, SIZE_BODY)
TABLE_RUN = run_properties(TABLE_FONT, SIZE_TABLE)
PAGE_NUMBER_RUN = run_properties(PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER, PAGE_NUMBER_FONT)
# The body styles' character properties: 28 characters a line (see CONDENSE). Runs carry fonts
# and size (DECISIONS §9) but not the spacing: a clerk changes it in one place, the style.
BODY_STYLE_RUN = run_properties(BODY_FONT, SIZE_BODY, condense=CONDENSE)
HEADING1_STYLE_RUN = run_properties(HEADING1_FONT, SIZE_BODY, condense=CONDENSE)
HEADING2_STYLE_RUN = run_properties(HEADING2_FONT, SIZE_BODY, condense=CONDENSE)


def text_run(text: str, rpr: str) -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def lines_run(variable: str, rpr: str) -> str:
    """Return a run printing the lines of a paragraph (a list of strings), joined by line breaks."""
    return (
        f'<w:r>{rpr}<w:t xml:space="preserve">{{% for line in {variable} %}}{{% if not loop.first %}}</w:t>'
        '<w:br/><w:t xml:space="preserve">{% endif %}{{ line }}{% endfor %}</w:t></w:r>'
    )


def paragraph(style: str, *runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{"".join(runs)}</w:p>'


def control(tag: str) -> str:
    """Return a paragraph holding a docxtpl paragraph tag (``{%p … %}``): it vanishes when rendered."""
    return paragraph("Normal", text_run(f"{{%p {tag} %}}", BODY_RUN))


# --- Tables ---------------------------------------------------------------------------------------


def covering(grid: Grid) -> dict[tuple[int, int], tuple[GridCell, bool]]:
    """Return, for each grid position where a cell starts or continues downwards, that cell and
    whether it starts there. Positions covered only by a colspan are left out."""
    found: dict[tuple[int, int], tuple[GridCell, bool]] = {}
    for cell in grid.cells:
        for row in range(cell.row, cell.row + cell.rowspan):
            found[(row, cell.col)] = (cell, row == cell.row)
    return found


# Advance widths in em of the Latin characters labels hold (Times New Roman / Liberation Serif).
LATIN_EM = {**dict.fromkeys("0123456789", 0.5), ".": 0.25, "(": 0.333, ")": 0.333}
WIDE_PUNCTUATION = "“”‘’—…·"  # set in the East Asian font (w:hint): a full character wide
CLOSING = "”’、，。）"  # punctuation that does not count as a line's character
LABEL_SLACK = 0.15  # em left free on a broken label line, so that any office keeps our breaks


def label_lines(text: str, width: int) -> list[str]:
    """Return a label as the lines it is printed in, in a cell ``width`` twips wide.

    A label that fits stays one line. A longer one is broken here, each line a little short of the
    cell, and never so that a line holds a single character (``自然/人``,
    ``…禁止公/开``): Word and LibreOffice would otherwise break it at slightly different places.
    """
    capacity = (width - 2 * CELL_MARGIN) / (SIZE_TABLE * 10)
    ems = [1.0 if ord(char) > 0x2E7F or char in WIDE_PUNCTUATION else LATIN_EM.get(char, 0.5) for char in text]
    if sum(ems) <= capacity:
        return [text]
    lines: list[str] = []
    start, used = 0, 0.0
    for index, em in enumerate(ems):
        if used + em > capacity - LABEL_SLACK and index > start:
            lines.append(text[start:index])
            start, used = index, 0.0
        used += em
    lines.append(text[start:])
    while len(lines) > 1 and len(lines[-1].strip(CLOSING)) < 2 and len(lines[-2]) > 2:
        # move one character down from the line before
        lines[-2:] = [lines[-2][:-1], lines[-2][-1] + lines[-1]]
    return lines


def left_aligned(grid: Grid, cell: GridCell) -> bool:
    """Return whether a label is set flush left: 表三's long row labels (format-spec §7.3)."""
    return grid.key == "表三" and cell.text is not None and cell.row >= grid.header_rows and cell.rowspan == 1


def table_cell(grid: Grid, cell: GridCell, first: bool, widths: list[int], keep: bool = False) -> str:
    width = sum(widths[cell.col : cell.col + cell.colspan])
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.colspan > 1:
        props.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
    if cell.rowspan > 1:
        props.append('<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    ppr = f'<w:pPr><w:pStyle w:val="{"ReportTableKeep" if keep else "ReportTable"}"/>'
    if left_aligned(grid, cell):
        ppr += '<w:jc w:val="left"/>'
    ppr += "</w:pPr>"
    if not first:
        content = ""
    elif cell.text is not None:
        content = f"<w:r>{TABLE_RUN}<w:br/></w:r>".join(
            text_run(line, TABLE_RUN) for line in label_lines(cell.text, width)
        )
    else:
        content = text_run(f"{{{{ {TABLE_VARIABLES[grid.key]}.{cell.name} }}}}", TABLE_RUN)
    return f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr><w:p>{ppr}{content}</w:p></w:tc>"


def table(grid: Grid) -> str:
    """Return ``w:tbl`` drawing ``grid``: gridSpan for colspans, vMerge restart/continue for rowspans."""
    widths = column_widths(grid.key)
    assert len(widths) == grid.cols
    border = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'
    edges = "".join(f"<w:{edge} {border}/>" for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>',
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>',
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"',
        ' w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
    ]
    found = covering(grid)
    kept = kept_rows(grid)
    for row in range(grid.rows):
        header = "<w:tblHeader/>" if row < grid.header_rows else ""
        parts.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{ROW_HEIGHT}"/>{header}</w:trPr>')
        col = 0
        while col < grid.cols:
            cell, first = found[(row, col)]
            parts.append(table_cell(grid, cell, first, widths, row in kept))
            col += cell.colspan
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


# --- Document body ----------------------------------------------------------------------------------


def body(edition: Edition) -> Iterator[str]:
    """Yield the body elements of the template of ``edition``, in order (sectPr excluded)."""
    yield paragraph("Title", lines_run("title_lines", TITLE_RUN))
    yield control("for paragraph in preamble")
    yield paragraph("ReportBody", lines_run("paragraph", BODY_RUN))
    yield control("endfor")
    yield control("for part in parts")
    yield control("set last_part = loop.last")
    yield paragraph("Heading1", text_run("{{ part.heading }}", HEADING1_RUN))
    yield control("for section in part.sections")
    yield control("if section.heading")
    yield paragraph("Heading2", text_run("{{ section.heading }}", HEADING2_RUN))
    yield control("endif")
    yield control("for paragraph in section.paragraphs")
    # 六's paragraphs keep with the signature, so the signature never stands alone on a page.
    yield control("if last_part and loop.last")
    yield paragraph("ReportBodyKeep", lines_run("paragraph", BODY_RUN))
    yield control("else")
    yield paragraph("ReportBody", lines_run("paragraph", BODY_RUN))
    yield control("endif")
    yield control("endfor")
    yield control("endfor")
    for index, grid in enumerate(grids(edition)):
        variable = TABLE_VARIABLES[grid.key]
        yield control(f"{'if' if index == 0 else 'elif'} part.table == '{variable}'")
        yield table(grid)
    yield control("endif")
    yield control("endfor")
    # GB/T 9704 §7.3.5.2: how far name and date stand from the right depends on both lengths.
    for style_id, text, indent in (
        ("ReportSignature", "signature", "signature_right"),
        ("ReportDate", "date", "date_right"),
    ):
        yield (
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>'
            f'<w:ind w:right="{{{{ {indent}.twips }}}}" w:rightChars="{{{{ {indent}.chars }}}}"/></w:pPr>'
            f"{text_run(f'{{{{ {text} }}}}', BODY_RUN)}</w:p>"
        )


# --- Footer: page number “— N —”, odd pages right, even pages left (GB/T 9704 §7.5) ----------------


def footer_paragraph(side: str) -> str:
    indent = f'w:{side}="{SIZE_PAGE_NUMBER * 10}" w:{side}Chars="100"'  # one 4号 character
    align = "right" if side == "right" else "left"

    def field(kind: str) -> str:
        return f'<w:r>{PAGE_NUMBER_RUN}<w:fldChar w:fldCharType="{kind}"/></w:r>'

    return (
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind {indent}/><w:jc w:val="{align}"/></w:pPr>'
        + text_run("— ", PAGE_NUMBER_RUN)
        + field("begin")
        + f'<w:r>{PAGE_NUMBER_RUN}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + field("separate")
        + text_run("1", PAGE_NUMBER_RUN)
        + field("end")
        + text_run(" —", PAGE_NUMBER_RUN)
        + "</w:p>"
    )


# --- Other parts ----------------------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def style(
    kind: str,
    style_id: str,
    name: str,
    ppr: str = "",
    rpr: str = "",
    *,
    default: bool = False,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    hidden_builtin: bool = False,
) -> str:
    """Return a ``w:style``, its children in the order the schema (ISO 29500 CT_Style) requires."""
    flag = ' w:default="1"' if default else ""
    children = [f'<w:name w:val="{name}"/>']
    if based_on:
        children.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        children.append(f'<w:next w:val="{next_style}"/>')
    if hidden_builtin:
        children.append('<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>')
    else:
        children.append("<w:qFormat/>")
    if ppr:
        children.append(f"<w:pPr>{ppr}</w:pPr>")
    children.append(rpr)
    return f'<w:style w:type="{kind}"{flag} w:styleId="{style_id}">{"".join(children)}</w:style>'


# No punctuation hanging into the right margin. LibreOffice reads w:overflowPunct inverted (its
# writerfilter sets ParaIsHangingPunctuation to "overflowPunct == 0"), and with hanging allowed it
# drops line-final 、，from justified lines (DECISIONS §22). An explicit "1" is Word's own default
# (so Word and WPS lay out as they always do) and turns LibreOffice's hanging off.
OVERFLOW_PUNCT = '<w:overflowPunct w:val="1"/>'


def body_ppr(indent: bool, keep_next: bool = False, outline: int | None = None) -> str:
    ppr = "<w:keepNext/>" if keep_next else ""
    ppr += OVERFLOW_PUNCT
    ppr += f'<w:spacing w:before="0" w:after="0" w:line="{LINE_BODY}" w:lineRule="exact"/>'
    if indent:
        ppr += f'<w:ind w:firstLine="{INDENT_BODY}" w:firstLineChars="200"/>'
    ppr += '<w:jc w:val="both"/>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return ppr


def styles_xml() -> str:
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{fonts(BODY_FONT)}<w:kern w:val="2"/><w:sz w:val="{SIZE_BODY}"/><w:szCs w:val="{SIZE_BODY}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"<w:pPrDefault><w:pPr>{body_ppr(False)}</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    cell_margins = "".join(
        f'<w:{side} w:w="{width}" w:type="dxa"/>'
        for side, width in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108))
    )
    signature_indent = f'<w:ind w:right="{INDENT_BODY}" w:rightChars="200"/><w:jc w:val="right"/>'
    styles = [
        style("paragraph", "Normal", "Normal", body_ppr(False), BODY_RUN, default=True, based_on=None),
        style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            default=True,
            based_on=None,
            hidden_builtin=True,
        ),
        (
            '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>{cell_margins}</w:tblCellMar></w:tblPr></w:style>'
        ),
        style("numbering", "NoList", "No List", default=True, based_on=None, hidden_builtin=True),
        style(
            "paragraph",
            "Title",
            "Title",
            f'{NO_GRID}<w:spacing w:before="0" w:after="{LINE_BODY}" w:line="{LINE_TITLE}" w:lineRule="exact"/>'
            '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
            TITLE_RUN,
            next_style="ReportBody",
        ),
        style("paragraph", "ReportBody", "报告正文", body_ppr(True), BODY_STYLE_RUN),
        style("paragraph", "ReportBodyKeep", "报告正文末段", "<w:keepNext/>", BODY_STYLE_RUN, based_on="ReportBody"),
        style(
            "paragraph",
            "Heading1",
            "heading 1",
            body_ppr(True, keep_next=True, outline=0),
            HEADING1_STYLE_RUN,
            next_style="ReportBody",
        ),
        style(
            "paragraph",
            "Heading2",
            "heading 2",
            body_ppr(True, keep_next=True, outline=1),
            HEADING2_STYLE_RUN,
            next_style="ReportBody",
        ),
        style(
            "paragraph",
            "ReportTable",
            "报告表格",
            f'{NO_GRID}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/>',
            TABLE_RUN,
        ),
        style(
            "paragraph", "ReportTableKeep", "报告表格（与下行同页）", "<w:keepNext/>", TABLE_RUN, based_on="ReportTable"
        ),
        style(
            "paragraph",
            "ReportSignature",
            "报告落款",
            f'<w:keepNext/><w:spacing w:before="{LINE_BODY}" w:after="0" w:line="{LINE_BODY}" w:lineRule="exact"/>'
            + signature_indent,
            BODY_STYLE_RUN,
            next_style="ReportDate",
        ),
        style("paragraph", "ReportDate", "报告落款日期", signature_indent, BODY_STYLE_RUN),
        style(
            "paragraph",
            "Footer",
            "footer",
            f'{NO_GRID}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
            PAGE_NUMBER_RUN,
            hidden_builtin=True,
        ),
    ]
    return f"{XML_HEAD}<w:styles {W_NS}>{defaults}{''.join(styles)}</w:styles>"


def settings_xml() -> str:
    return (
        f"{XML_HEAD}<w:settings {W_NS}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>"
        "<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat>"
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


# name, alternative name, panose, charset, family, pitch. Word (and WPS, which follows it) takes
# the alternative name, then a face of the same panose class, when the official font is missing:
# so 方正小标宋简体 falls back to 宋体 and 仿宋_GB2312 to 仿宋, never to a Sans face. LibreOffice
# ignores this table (its font fallback is fontconfig's: see gaigen/templates/fonts.conf and
# `gaigen fonts`).
SONG_PANOSE = "02010600030101010101"
FONT_TABLE = (
    (LATIN, "", "02020603050405020304", "00", "roman", "variable"),
    (BODY_FONT, "仿宋", "02010609060101010101", "86", "modern", "fixed"),
    (TITLE_FONT, "宋体", SONG_PANOSE, "86", "auto", "variable"),
    (HEADING1_FONT, "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    (HEADING2_FONT, "楷体", "02010609060101010101", "86", "modern", "fixed"),
    (PAGE_NUMBER_FONT, "SimSun", SONG_PANOSE, "86", "auto", "variable"),
)


def font_table_xml() -> str:
    entries = "".join(
        f"<w:font w:name={quoteattr(name)}>"
        + (f"<w:altName w:val={quoteattr(alt)}/>" if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
        f'<w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, panose, charset, family, pitch in FONT_TABLE
    )
    return f"{XML_HEAD}<w:fonts {W_NS}>{entries}</w:fonts>"


def app_xml() -> str:
    return (
        f"{XML_HEAD}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>gaigen</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


# --- Assembly -------------------------------------------------------------------------------------


def replace_part(owner: Part | Package, reltype: str, partname: str, content_type: str, xml: str) -> None:
    """Drop ``owner``'s relationship of ``reltype`` (if any) and relate a new part holding ``xml``."""
    for rid, rel in list(owner.rels.items()):
        if rel.reltype == reltype:
            del owner.rels[rid]
    package = owner if isinstance(owner, Package) else owner.package
    owner.relate_to(Part(PackURI(partname), content_type, xml.encode("utf-8"), package), reltype)


def elements(xml: str) -> list[etree._Element]:
    """Return the WordprocessingML elements in the fragment ``xml``."""
    return list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"))


def build(edition: Edition) -> bytes:
    """Return the bytes of the template of ``edition``; the same bytes on every call."""
    document = docx.Document()
    part = document.part
    package = part.package
    # The default package carries parts a report has no use for (a thumbnail, a 350 KB style
    # sheet, numbering, theme, custom XML); keep only what the report needs.
    unwanted = {STYLES_WITH_EFFECTS, RT.WEB_SETTINGS, RT.THEME, RT.CUSTOM_XML, RT.NUMBERING}
    for rid, rel in list(part.rels.items()):
        if rel.reltype in unwanted:
            del part.rels[rid]
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    replace_part(part, RT.STYLES, "/word/styles.xml", CT.WML_STYLES, styles_xml())
    replace_part(part, RT.SETTINGS, "/word/settings.xml", CT.WML_SETTINGS, settings_xml())
    replace_part(part, RT.FONT_TABLE, "/word/fontTable.xml", CT.WML_FONT_TABLE, font_table_xml())

    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        element = footer.part.element
        for child in list(element):
            element.remove(child)
        element.extend(elements(footer_paragraph(side)))
    sect_pr = section._sectPr
    for name in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect_pr.attrib.pop(qn(name), None)

    for element in elements("".join(body(edition))):
        sect_pr.addprevious(element)
    # The document grid: 22 lines of 28 characters (GB/T 9704 §5.2.2), replacing python-docx's.
    sect_pr.find(qn("w:docGrid")).addprevious(parse_xml(DOC_GRID))
    sect_pr.remove(sect_pr.findall(qn("w:docGrid"))[-1])

    properties = document.core_properties
    properties.title = f"政府信息公开工作年度报告模板（{edition.value} 版式，{edition.notice}）"
    properties.author = "gaigen"
    properties.comments = ""
    properties.last_modified_by = "gaigen"
    properties.revision = 1
    properties.created = properties.modified = FIXED_DATE.replace(tzinfo=None)
    replace_part(package, RT.EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES, app_xml())

    stream = io.BytesIO()
    document.save(stream)
    return package_bytes(stream.getvalue())


# Templates edited by hand in templates/ and copied as they are into the package.
COPIED_TEMPLATES = ("report.html",)


def targets(edition: Edition) -> tuple[Path, Path]:
    name = template_name(edition)
    return SOURCE_DIR / name, PACKAGE_DIR / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare the templates with a fresh build")
    args = parser.parse_args(argv)
    stale: list[Path] = []
    for edition in Edition:
        fresh = build(edition)
        for path in targets(edition):
            if args.check:
                if not path.is_file() or path.read_bytes() != fresh:
                    stale.append(path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, fresh)
                path.chmod(0o644)
                print(f"wrote {path.relative_to(ROOT)} ({len(fresh)} bytes)")
    for name in COPIED_TEMPLATES:
        source, packaged = SOURCE_DIR / name, PACKAGE_DIR / name
        if args.check:
            if not packaged.is_file() or packaged.read_bytes() != source.read_bytes():
                stale.append(packaged)
        else:
            write_atomic(packaged, source.read_bytes())
            packaged.chmod(0o644)
            print(f"wrote {packaged.relative_to(ROOT)} (copy of {source.relative_to(ROOT)})")
    if stale:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        print("run: python scripts/build_templates.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
