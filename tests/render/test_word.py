"""The Word report, read back from the produced .docx: grids, text, layout, fonts, escaping, bytes."""

from __future__ import annotations

import dataclasses
import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree

from gaigen.api.reports import validate_file
from gaigen.render.context import Context, Part, Section, build_context
from gaigen.render.printed import BREAK, JOINER, breakable, spaced_width
from gaigen.render.word import (
    FIXED_TIMESTAMP,
    TABLE_VARIABLES,
    WordRenderer,
    render_docx,
    template_bytes,
    template_name,
)
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, starter, write
from tests.reference import GRIDS

ROOT = Path(__file__).resolve().parents[2]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
TABLES = ("表二", "表三", "表四")
AGENCY = "某某县A&B<局>"
HOSTILE = "A&B <w:t>x</w:t> {{ 7*7 }} {% if %} {_{ ]]> &amp;"
TWIPS_PER_MM = 1440 / 25.4


def w(name: str) -> str:
    return W + name


def make_context(edition: Edition, folder: Path, **changes: Any) -> Context:
    """Return the context of a valid data file of ``edition`` with non-zero numbers and narrative."""
    data = starter(edition, AGENCY)
    fill_consistent(data, edition, random.Random(int(edition.value)), with_totals=False)
    data["一、总体情况"]["概述"] = "本机关坚持以公开为常态。\n全年工作平稳有序。"
    data["一、总体情况"]["主动公开"] = "全年主动公开政府信息120条。\n第二段：重点领域信息及时发布。"
    data["五、存在的主要问题及改进情况"] = f"存在的问题：{HOSTILE}\n改进措施：加强培训。"
    data["网站"] = "某某县人民政府网（http://www.example.gov.cn/?a=1&b=2）"
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = write(data, folder / f"data-{edition.value}-{len(changes)}.yaml")
    validation = validate_file(path)
    assert not validation.errors, validation.errors
    return build_context(validation.report)


@pytest.fixture(scope="module", params=list(Edition), ids=lambda e: e.value)
def edition(request: pytest.FixtureRequest) -> Edition:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def context(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> Context:
    return make_context(edition, tmp_path_factory.mktemp("word"))


@pytest.fixture(scope="module")
def produced(context: Context) -> bytes:
    return render_docx(context)


@pytest.fixture(scope="module")
def parts(produced: bytes) -> dict[str, etree._Element]:
    """Return every XML part of the produced .docx, parsed (which also proves it well-formed)."""
    with zipfile.ZipFile(io.BytesIO(produced)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


@pytest.fixture(scope="module")
def body(parts: dict[str, etree._Element]) -> etree._Element:
    found = parts["word/document.xml"].find(w("body"))
    assert found is not None
    return found


def read_grid(table: etree._Element) -> list[list[Any]]:
    """Return the cells of a Word table as [row, col, rowspan, colspan, text] from its merges."""
    columns = len(table.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    cells: list[list[Any]] = []
    above: dict[int, list[Any]] = {}  # grid column → the cell a vMerge continue extends
    for row, tr in enumerate(table.findall(w("tr"))):
        col = 0
        for tc in tr.findall(w("tc")):
            span_element = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = int(span_element.get(w("val"))) if span_element is not None else 1
            merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            text = "".join(t.text or "" for t in tc.iter(w("t")))
            if merge is not None and merge.get(w("val"), "continue") == "continue":
                cell = above[col]
                assert cell[3] == span, f"continue cell at r{row}c{col} spans {span}, its restart {cell[3]}"
                assert text == "", f"continue cell at r{row}c{col} holds text"
                cell[2] += 1
            else:
                cell = [row, col, 1, span, text]
                cells.append(cell)
                if merge is not None:
                    assert merge.get(w("val")) == "restart"
                    above[col] = cell
                else:
                    above.pop(col, None)
            col += span
        assert col == columns, f"row {row} covers {col} of {columns} grid columns"
    return cells


def tables(body: etree._Element) -> dict[str, etree._Element]:
    found = body.findall(w("tbl"))
    assert len(found) == 3
    return dict(zip(TABLES, found, strict=True))


def reference(edition: Edition, key: str) -> list[dict[str, Any]]:
    return GRIDS["editions"][edition.value]["tables"][key]["cells"]  # type: ignore[no-any-return]


# --- Tables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", TABLES)
def test_table_cells_equal_official_grid_and_data(
    edition: Edition, context: Context, body: etree._Element, key: str
) -> None:
    cells = read_grid(tables(body)[key])
    expected = reference(edition, key)
    assert [(c[0], c[1], c[2], c[3]) for c in cells] == [
        (c["row"], c["col"], c["rowspan"], c["colspan"]) for c in expected
    ]
    for cell, official in zip(cells, expected, strict=True):
        name = f"r{cell[0]}c{cell[1]}"
        if official["text"] == "#":
            assert cell[4] == context.cells[key][name] != "", f"{key} {name}"
        else:
            assert "".join(cell[4].split()) == "".join(official["text"].split()), f"{key} {name}"


def test_data_reaches_its_cells(context: Context) -> None:
    """Some numbers of the data file are not 0, so a cell-for-cell match says something."""
    values = [v for cells in context.cells.values() for v in cells.values()]
    assert sum(v != "0" for v in values) > 20


@pytest.mark.parametrize("key", TABLES)
def test_each_number_cell_shows_its_own_value(edition: Edition, context: Context, key: str) -> None:
    marked = {
        table: {name: f"{TABLE_VARIABLES[table]}{name}" for name in cells} for table, cells in context.cells.items()
    }
    produced = render_docx(dataclasses.replace(context, cells=marked))
    found = tables(etree.fromstring(zipfile.ZipFile(io.BytesIO(produced)).read("word/document.xml")).find(w("body")))
    numbers = [c for c in read_grid(found[key]) if c[4].startswith(TABLE_VARIABLES[key] + "r")]
    assert [c[4] for c in numbers] == [f"{TABLE_VARIABLES[key]}r{c[0]}c{c[1]}" for c in numbers]
    assert len(numbers) == GRIDS["editions"][edition.value]["tables"][key]["number_cells"]


@pytest.mark.parametrize("key", TABLES)
def test_template_number_cells_hold_one_placeholder_by_name(edition: Edition, key: str) -> None:
    with zipfile.ZipFile(io.BytesIO(template_bytes(edition))) as archive:
        template_body = etree.fromstring(archive.read("word/document.xml")).find(w("body"))
    assert template_body is not None
    cells = read_grid(tables(template_body)[key])
    for cell, official in zip(cells, reference(edition, key), strict=True):
        if official["text"] == "#":
            assert cell[4] == f"{{{{ {TABLE_VARIABLES[key]}.r{cell[0]}c{cell[1]} }}}}"
        else:
            assert "{" not in cell[4]


def test_header_rows_repeat_and_rows_do_not_split(edition: Edition, body: etree._Element) -> None:
    for key, table in tables(body).items():
        header_rows = 0 if key == "表二" else 3
        for index, tr in enumerate(table.findall(w("tr"))):
            properties = tr.find(w("trPr"))
            assert properties is not None
            assert properties.find(w("cantSplit")) is not None, f"{key} row {index}"
            assert (properties.find(w("tblHeader")) is not None) == (index < header_rows), f"{key} row {index}"


def test_tables_fit_the_text_block(body: etree._Element) -> None:
    text_width = round(156 * TWIPS_PER_MM)
    # 表三 near format-spec §7.3's widths, but 自然人 and 三、本年度办理结果 never leave one character alone.
    expected_mm: dict[str, list[float]] = {"表三": [14, 21.5, 40.5, 14, *[11] * 6], "表四": [156 / 15] * 15}
    for key, table in tables(body).items():
        widths = [int(col.get(w("w"))) for col in table.iter(w("gridCol"))]
        assert sum(widths) <= text_width
        assert int(table.find(f"{w('tblPr')}/{w('tblW')}").get(w("w"))) == sum(widths)
        assert table.find(f"{w('tblPr')}/{w('tblLayout')}").get(w("type")) == "fixed"
        for width, mm in zip(widths, expected_mm.get(key, []), strict=False):
            assert abs(width / TWIPS_PER_MM - mm) < 0.2, key


def test_table_text_is_small_centred_and_long_labels_flush_left(body: etree._Element) -> None:
    for table in tables(body).values():
        for paragraph in table.iter(w("p")):
            # ReportTableKeep: the same, keeping with the row below (a 表二 block, a 表三 group)
            assert paragraph.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) in ("ReportTable", "ReportTableKeep")
            for size in paragraph.iter(w("sz")):
                assert size.get(w("val")) == "21"
    table3 = read_grid(tables(body)["表三"])
    label = next(c for c in table3 if c[4].startswith("2.申请人") or c[4].startswith("1.属于国家秘密"))
    tc = next(tc for tc in tables(body)["表三"].iter(w("tc")) if "".join(tc.itertext()) == label[4])
    assert tc.find(f".//{w('jc')}").get(w("val")) == "left"


# --- Text -----------------------------------------------------------------------------------------


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join("\n" if node.tag == w("br") else node.text or "" for node in paragraph.iter(w("t"), w("br")))


def test_text_in_order(context: Context, body: etree._Element) -> None:
    expected = [context.title]
    expected += [breakable(paragraph) for paragraph in context.preamble]
    for part in context.parts:
        expected.append(part.heading)
        for section in part.sections:
            if section.heading:
                expected.append(section.heading)
            expected += [breakable(paragraph) for paragraph in section.paragraphs]
        if part.table is not None:
            expected.append(f"[{part.table}]")
    expected += [context.signature, context.date]
    table_names = iter(TABLES)
    found: list[str] = []
    for element in body:
        if element.tag == w("p"):
            found.append(paragraph_text(element))
        elif element.tag == w("tbl"):
            found.append(f"[{next(table_names)}]")
    found[0] = found[0].replace("\n", "")
    assert found == expected
    assert "{" not in "".join(found).replace(HOSTILE, "")


def test_web_and_mail_addresses_may_break_and_telephone_numbers_not(tmp_path: Path) -> None:
    # A zero-width space after each / . @ of an address: LibreOffice and Word break nowhere else in it.
    context = make_context(
        Edition.E2021, tmp_path, 联系方式="县政府办公室（电话：0123-4567890，电子邮箱：gk@example.gov.cn）"
    )
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(render_docx(context))).read("word/document.xml")).find(w("body"))
    preamble = paragraph_text(body[1])
    assert f"http://{BREAK}www.{BREAK}example.{BREAK}gov.{BREAK}cn/?a=1&b=2）" in preamble
    assert f"gk@{BREAK}example.{BREAK}gov.{BREAK}cn）" in preamble
    assert f"0123-{JOINER}4567890" in preamble  # and never at a telephone number's hyphen
    assert preamble.replace(BREAK, "").replace(JOINER, "") == context.preamble[0]


def test_title_breaks_before_the_fixed_phrase_only_when_long(tmp_path: Path) -> None:
    long = make_context(Edition.E2021, tmp_path)
    first = docx.Document(io.BytesIO(render_docx(long))).paragraphs[0]
    assert first.text == "某某县A&B<局>2024年\n政府信息公开工作年度报告"
    short = dataclasses.replace(long, title="某局2024年政府信息公开工作年度报告")
    assert docx.Document(io.BytesIO(render_docx(short))).paragraphs[0].text == short.title


def test_hostile_narrative_comes_out_literally(context: Context, produced: bytes) -> None:
    document = docx.Document(io.BytesIO(produced))
    texts = [p.text for p in document.paragraphs]
    assert f"存在的问题：{HOSTILE}" in texts
    assert any(AGENCY in text for text in texts)
    assert not any("49" in text for text in texts)
    assert document.core_properties.title == context.title
    assert document.core_properties.author == AGENCY


def test_line_breaks_and_characters_xml_cannot_hold(context: Context) -> None:
    odd = Part("五、存在的主要问题及改进情况", (Section("", ("第一行\n第二行\x00\x0b尾", "")),))
    changed = dataclasses.replace(context, parts=(*context.parts[:4], odd, context.parts[5]))
    document = docx.Document(io.BytesIO(render_docx(changed)))
    texts = [p.text for p in document.paragraphs]
    assert "第一行\n第二行\n尾" in texts  # \x0b is a line separator for str.splitlines; \x00 dropped


def test_signature_right_aligned_with_date_below(context: Context, produced: bytes) -> None:
    document = docx.Document(io.BytesIO(produced))
    signature, date = document.paragraphs[-2:]
    assert (signature.text, date.text) == (context.signature, context.date)
    assert context.date == f"{context.year + 1}年1月20日"
    for paragraph in (signature, date):
        assert paragraph.style is not None
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_layout_is_carried_by_styles(parts: dict[str, etree._Element], body: etree._Element) -> None:
    """28 characters a line (body styles condensed 0.25 pt), no hanging punctuation in LibreOffice
    (overflowPunct "1": LibreOffice reads it inverted), a 22-line grid, no punctuation compression:
    all in styles and settings, none of it on the runs (test_print checks the printed result)."""
    styles = {s.get(w("styleId")): s for s in parts["word/styles.xml"].iter(w("style"))}
    for style_id in ("ReportBody", "Heading1", "Heading2", "ReportSignature", "ReportDate"):
        spacing = styles[style_id].find(f"{w('rPr')}/{w('spacing')}")
        assert spacing is not None and spacing.get(w("val")) == "-5", style_id
    for style_id in ("Title", "ReportTable", "Footer"):
        assert styles[style_id].find(f"{w('rPr')}/{w('spacing')}") is None, style_id
        assert styles[style_id].find(f"{w('pPr')}/{w('snapToGrid')}").get(w("val")) == "0", style_id
    default = parts["word/styles.xml"].find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")
    assert default.find(w("overflowPunct")).get(w("val")) == "1"
    grid = body.find(f"{w('sectPr')}/{w('docGrid')}")
    assert (grid.get(w("type")), grid.get(w("linePitch"))) == ("lines", "560")
    control = parts["word/settings.xml"].find(w("characterSpacingControl"))
    assert control.get(w("val")) == "doNotCompress"
    # runs never carry the character spacing
    assert all(element.getparent().tag != w("rPr") for element in body.iter(w("spacing")))


def test_signature_stands_as_gbt_9704_wants(tmp_path: Path) -> None:
    """§7.3.5.2 without a seal: the date's first character two characters right of the name's."""
    for agency, date in (("某某县人民政府", "2025-01-24"), ("某某县长篇名称测试机关办公室", "2025-12-31")):
        context = make_context(Edition.E2021, tmp_path, 机关名称=agency, 发布日期=date)
        paragraphs = etree.fromstring(zipfile.ZipFile(io.BytesIO(render_docx(context))).read("word/document.xml")).find(
            w("body")
        )
        signature, date_line = [p for p in paragraphs if p.tag == w("p")][-2:]
        chars = [int(p.find(f"{w('pPr')}/{w('ind')}").get(w("rightChars"))) / 100 for p in (signature, date_line)]
        name_start = chars[0] + spaced_width(context.signature)
        date_start = chars[1] + spaced_width(context.date)
        assert abs(name_start - date_start - 2) < 0.01  # widths from the right margin
        assert min(chars) == 2


# --- Layout and fonts -----------------------------------------------------------------------------


def test_page_setup(produced: bytes) -> None:
    section = docx.Document(io.BytesIO(produced)).sections[0]
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, mm in expected.items():
        assert abs(getattr(section, name).mm - mm) < 0.05, name
    assert section.orientation == WD_ORIENT.PORTRAIT


def fonts_of(properties: etree._Element | None) -> tuple[str | None, str | None, str | None, str | None]:
    assert properties is not None
    fonts = properties.find(w("rFonts"))
    size = properties.find(w("sz"))
    assert fonts is not None and size is not None
    return fonts.get(w("eastAsia")), fonts.get(w("ascii")), fonts.get(w("hAnsi")), size.get(w("val"))


STYLE_FONTS = {
    "Normal": ("仿宋_GB2312", "32"),
    "ReportBody": ("仿宋_GB2312", "32"),
    "ReportBodyKeep": ("仿宋_GB2312", "32"),
    "Title": ("方正小标宋简体", "44"),
    "Heading1": ("黑体", "32"),
    "Heading2": ("楷体_GB2312", "32"),
    "ReportTable": ("仿宋_GB2312", "21"),
    "ReportTableKeep": ("仿宋_GB2312", "21"),
    "ReportSignature": ("仿宋_GB2312", "32"),
    "ReportDate": ("仿宋_GB2312", "32"),
    "Footer": ("宋体", "28"),
}


def test_styles_name_east_asian_and_latin_fonts(parts: dict[str, etree._Element]) -> None:
    styles = {s.get(w("styleId")): s for s in parts["word/styles.xml"].iter(w("style"))}
    for style_id, (east_asia, size) in STYLE_FONTS.items():
        found = fonts_of(styles[style_id].find(w("rPr")))
        latin = "宋体" if style_id == "Footer" else "Times New Roman"
        assert found == (east_asia, latin, latin, size), style_id
    defaults = parts["word/styles.xml"].find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    assert fonts_of(defaults) == ("仿宋_GB2312", "Times New Roman", "Times New Roman", "32")
    body_style = styles["ReportBody"].find(w("pPr"))
    spacing, indent = body_style.find(w("spacing")), body_style.find(w("ind"))
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("560", "exact")
    assert (indent.get(w("firstLineChars")), indent.get(w("firstLine"))) == ("200", "640")
    table_spacing = styles["ReportTable"].find(f"{w('pPr')}/{w('spacing')}")
    assert (table_spacing.get(w("line")), table_spacing.get(w("lineRule"))) == ("240", "auto")
    assert styles["ReportTable"].find(f"{w('pPr')}/{w('jc')}").get(w("val")) == "center"


def test_every_run_names_its_fonts(body: etree._Element) -> None:
    runs = 0
    for paragraph in body.iter(w("p")):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))
        east_asia, size = STYLE_FONTS[style]
        for run in paragraph.iter(w("r")):
            assert fonts_of(run.find(w("rPr"))) == (east_asia, "Times New Roman", "Times New Roman", size), style
            runs += 1
    assert runs > 300


def test_footer_page_number_field(parts: dict[str, etree._Element]) -> None:
    sect_pr = parts["word/document.xml"].find(f"{w('body')}/{w('sectPr')}")
    references = {ref.get(w("type")): ref for ref in sect_pr.findall(w("footerReference"))}
    assert set(references) == {"default", "even"}
    assert parts["word/settings.xml"].find(w("evenAndOddHeaders")) is not None
    rels = parts["word/_rels/document.xml.rels"]
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for kind, side in (("default", "right"), ("even", "left")):
        footer = parts["word/" + targets[references[kind].get(r_id)]]
        (paragraph,) = footer.findall(w("p"))
        assert paragraph.find(f"{w('pPr')}/{w('jc')}").get(w("val")) == side
        kinds = [f.get(w("fldCharType")) for f in paragraph.iter(w("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [i.text.strip() for i in paragraph.iter(w("instrText"))] == ["PAGE"]
        assert paragraph_text(paragraph) == "— 1 —"
        for run in paragraph.iter(w("r")):
            assert fonts_of(run.find(w("rPr"))) == ("宋体", "宋体", "宋体", "28")


# --- Bytes ----------------------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes(context: Context, produced: bytes) -> None:
    assert render_docx(context) == produced
    assert WordRenderer().render(context) == produced
    with zipfile.ZipFile(io.BytesIO(produced)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_document_properties_come_from_the_data(edition: Edition, context: Context, tmp_path: Path) -> None:
    properties = docx.Document(io.BytesIO(render_docx(context))).core_properties
    assert (properties.title, properties.author) == (context.title, AGENCY)
    assert properties.created is not None
    assert properties.created.date().isoformat() == f"{context.year + 1}-01-20"
    undated = make_context(edition, tmp_path, **{"发布日期": None})
    assert undated.date.strip().startswith("年")
    core = zipfile.ZipFile(io.BytesIO(render_docx(undated))).read("docProps/core.xml").decode()
    assert f">{FIXED_TIMESTAMP}<" in core


def test_build_script_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_templates.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_packaged_template_equals_the_source(edition: Edition) -> None:
    assert template_bytes(edition) == (ROOT / "templates" / template_name(edition)).read_bytes()
