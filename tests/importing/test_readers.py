"""The pieces of the importer: cell values, headings and titles, tables of each file kind."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaigen.api.check import check_imported, in_memory_report
from gaigen.core.errors import InputError
from gaigen.core.problems import message
from gaigen.core.totals import completed
from gaigen.files.reading import read_report
from gaigen.files.source import parse_text as parse_text_yaml
from gaigen.importing import data_file_text
from gaigen.importing.build import build
from gaigen.importing.clean import is_traditional
from gaigen.importing.docx import parse_docx
from gaigen.importing.html import parse_html
from gaigen.importing.narrative import Narrative, _agency_and_year, _fee_facts, part_of
from gaigen.importing.text import parse_grid, parse_text
from gaigen.importing.values import read_cell
from gaigen.render.context import build_context
from gaigen.render.text import render_text
from gaigen.spec.grid import grids
from gaigen.spec.layout import Edition, Kind
from tests.builders import starter
from tests.importing.mangle import flattened
from tests.importing.test_roundtrip import _data, _report

# --- cell values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "unit", "value", "why"),
    [
        ("12", Kind.COUNT, None, 12, None),
        ("１２", Kind.COUNT, None, 12, None),
        (" 2个 ", Kind.COUNT, None, 2, None),
        ("1,234", Kind.COUNT, None, 1234, None),
        ("+3", Kind.SIGNED, None, 3, None),
        ("-8", Kind.SIGNED, None, -8, None),
        ("12.0", Kind.COUNT, None, 12, None),
        ("", Kind.COUNT, None, None, "原报告该格为空白"),
        ("-", Kind.COUNT, None, None, "原报告该格为“-”，不是数字"),
        ("/", Kind.TOTAL, None, None, "原报告该格为“/”，不是数字"),
        ("无", Kind.COUNT, None, None, "原报告该格为“无”，不是数字"),
        ("约5", Kind.COUNT, None, None, "原报告该格为“约5”，不是数字"),
        ("12.5", Kind.COUNT, None, None, "原报告该格为“12.5”，不是整数"),
        ("3万元", Kind.COUNT, None, None, "原报告该格为“3万元”，是金额而不是数量"),
        ("18.078万元", Kind.MONEY, None, Decimal("18.078"), None),
        ("1234567.89元", Kind.MONEY, None, Decimal("123.456789"), None),
        ("100元", Kind.MONEY, None, Decimal("0.01"), None),
        ("250000", Kind.MONEY, "元", Decimal("25"), None),
        ("2.9004", Kind.MONEY, "万元", Decimal("2.9004"), None),
        ("0", Kind.MONEY, None, Decimal("0"), None),
        ("35", Kind.MONEY, None, None, "原报告该格为“35”，表头和单元格都没有注明单位（元或万元），无法换算为万元"),
        ("2笔", Kind.MONEY, "万元", None, "原报告该格为“2笔”，是数量而不是金额"),
    ],
)
def test_read_cell(text: str, kind: Kind, unit: str | None, value: object, why: str | None) -> None:
    read = read_cell(text, kind, unit)
    assert (read.value, read.why) == (value, why)
    if isinstance(value, Decimal):
        assert str(read.value) == str(value)  # exact digits, never through a float


# --- headings, titles, 六 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("一、总体情况", 1),
        ("1、 总体情况", 1),
        ("二、行政机关主动公开政府信息情况", 2),
        ("三、行政机关收到和处理政府信息公开申请情况", 3),
        ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4),
        ("5、 政府信息公开工作存在的主要问题及改进情况", 5),
        ("五、存在问题及改进情况", 5),
        ("六、其他需要报告的事项", 6),
        ("（二）主动公开政府信息情况", None),  # a sub-heading of 一
        ("1、主动公开政府信息情况。", None),
        ("3、政府信息公开申请行政复议、提起行政诉讼情况。", None),
    ],
)
def test_part_headings(text: str, part: int | None) -> None:
    found = part_of(text)
    assert (found[0] if found else None) == part


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("金水区工业和信息化局2020年政府信息公开工作年度报告", "金水区工业和信息化局", 2020),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
        ("宜春市科技局2020年信息公开工作年度报告", "宜春市科技局", 2020),
        ("某某县人民政府2024年度政府信息公开工作年度报告", "某某县人民政府", 2024),
    ],
)
def test_title_both_orders(title: str, agency: str, year: int) -> None:
    result = Narrative()
    _agency_and_year(title, result)
    assert (result.agency, result.year) == (agency, year)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("2022年未向申请人收取信息处理费。", (0, "0", "0")),
        ("按件、按量收费标准，本年度没有产生信息公开处理费。", (0, "0", "0")),
        (
            "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知3件，收费通知总金额2150.00元，实际收取信息处理费850.00元。",
            (3, "2150.00", "850.00"),
        ),
        ("全年实际收取信息处理费共计400元。", (None, None, "400")),
        ("无其他需要报告的事项。", None),
    ],
)
def test_fee_sentences(text: str, facts: tuple[int | None, str | None, str | None] | None) -> None:
    found = _fee_facts(text)
    if facts is None:
        assert found is None
        return
    assert found is not None
    got = (found.get("发出收费通知件数"), found.get("收费通知总金额（元）"), found.get("实际收取总金额（元）"))
    assert (got[0], *(str(v) if v is not None else None for v in got[1:])) == facts


def test_simplified_text_is_not_taken_for_traditional() -> None:
    assert not is_traditional(["著名的乾坤湾景区，于是我们在后面发布了文件。" * 20])
    assert is_traditional(["政府信息公開工作年度報告，區科工信局嚴格按照《條例》要求。" * 5])


# --- tables in each kind of file -----------------------------------------------------------------------


def test_ascii_grid_reads_merged_cells() -> None:
    lines = [
        "+----+------------+",
        "|甲  |乙丙丁      |",
        "|    +-----+------+",
        "|    | 1   |  -8  |",
        "+----+-----+------+",
    ]
    rows = parse_grid(lines, 10)
    assert [[cell.text for cell in row] for row in rows] == [["甲", "乙丙丁"], ["", "1", "-8"]]
    assert rows[1][1].where.line == 13  # the row's first line of text


def test_plain_rendered_text_reads_back(tmp_path: Path) -> None:
    report = _report(_data(Edition.E2019, 3, True, (0, 1, 2, 3, 4, 5)))
    imported = build(parse_text(render_text(build_context(report)), "r.txt"))
    assert completed(in_memory_report(imported)) == completed(report)


def _word_with_merges(edition: Edition) -> tuple[bytes, dict[str, str]]:
    """Return a .docx made with python-docx: the official grids built with its own cell merges."""
    report = _report(_data(edition, 21, True, (1, 1, 1, 1, 1, 1)))
    context = build_context(report)
    document = docx.Document()
    document.add_paragraph(context.title)
    for part in context.parts:
        document.add_paragraph(part.heading)
        for section in part.sections:
            if section.heading:
                document.add_paragraph(section.heading)
            for paragraph in section.paragraphs:
                document.add_paragraph(paragraph)
        if part.table:
            grid = next(g for g in grids(edition) if g.key == part.table)
            table = document.add_table(rows=grid.rows, cols=grid.cols)
            slots = [table.rows[r].cells for r in range(grid.rows)]  # before merging: table.cell() is slow
            for cell in grid.cells:
                target = slots[cell.row][cell.col]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(slots[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1])
                target.text = context.cells[part.table].get(cell.name, "") if cell.is_number else cell.text or ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), {"agency": report.agency or ""}


@pytest.mark.parametrize("edition", list(Edition))
def test_word_tables_made_with_merges_read_back(edition: Edition) -> None:
    data, _ = _word_with_merges(edition)
    imported = build(parse_docx(data, "merged.docx"))
    report = _report(_data(edition, 21, True, (1, 1, 1, 1, 1, 1)))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)


WEB_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312"><title>某某区司法局2022年政府信息公开工作年度报告</title>
<style>p.MsoNormal {{margin:0}}</style><script>var x = "<table>";</script></head>
<body><div class=WordSection1><table class=layout><tr><td>
<p class=MsoNormal align=center><b><span>某某区司法局2022年政府信息公开工作年度报告</span></b></p>
<p class=MsoNormal><span>本报告依据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号编制。本报告所列数据的统计期限为2022年1月1日至2022年12月31日。</span></p>
<p class=MsoNormal><span>一、总体情况<o:p></o:p></span></p>
<p class=MsoNormal><span>（一）主动公开</span></p><p>全年主动公开信息52条。
<p>（二）依申请公开<p>全年收到申请3件。<p>（三）政府信息管理<p>规范管理。<p>（四）政府信息公开平台建设<p>网站运行平稳。<p>（五）监督保障<p>加强培训。
<p class=MsoNormal>二、主动公开政府信息情况</p>
<table border=1>
<tr><td colspan=4>第二十条第（一）项
<tr><td>信息内容<td>本年制发件数<td>本年废止件数<td>现行有效件数
<tr><td>规章<td>0<td>0<td>0
<tr><td>行政规范性文件<td>2<td>1<td>&nbsp;
<tr><td colspan=4>第二十条第（五）项
<tr><td>信息内容<td colspan=3>本年处理决定数量
<tr><td>行政许可<td colspan=3>1,204
<tr><td colspan=4>第二十条第（六）项
<tr><td>信息内容<td colspan=3>本年处理决定数量
<tr><td>行政处罚<td colspan=3>36
<tr><td>行政强制<td colspan=3>-
<tr><td colspan=4>第二十条第（八）项
<tr><td>信息内容<td colspan=3>本年收费金额（单位：万元）
<tr><td>行政事业性收费<td colspan=3>12345.6元
</table>
<p>三、收到和处理政府信息公开申请情况</p>
{table3}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td colspan=5>行政复议<td colspan=10>行政诉讼
<tr><td rowspan=2>结果<br>维持<td rowspan=2>结果纠正<td rowspan=2>其他结果<td rowspan=2>尚未审结<td rowspan=2>总计<td colspan=5>未经复议直接起诉<td colspan=5>复议后起诉
<tr><td>结果维持<td>结果纠正<td>其他结果<td>尚未审结<td>总计<td>结果维持<td>结果纠正<td>其他结果<td>尚未审结<td>总计
<tr>{table4}</table>
<p>五、存在的主要问题及改进情况</p><p>解读形式单一。</p>
<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
</td></tr></table></div></body></html>"""


def _web_table3() -> str:
    grid = next(g for g in grids(Edition.E2021) if g.key == "表三")
    rows = []
    for r in range(grid.rows):
        cells = []
        for cell in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col):
            text = "1" if cell.is_number else cell.text or ""
            if cell.is_number and cell.col == 9:
                text = "6"
            if cell.is_number and r == 5 and cell.col == 3:
                text = ""  # a blank cell: read as 0, with one finding for the table (DECISIONS §17)
            cells.append(f'<td rowspan={cell.rowspan} colspan="{cell.colspan}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table border=1>" + "\n".join(rows) + "</table>"


def test_word_exported_web_page() -> None:
    page = WEB_PAGE.format(table3=_web_table3(), table4="".join(f"<td>{n}</td>" for n in [1, 0, 0, 0, 1] + [0] * 10))
    source = parse_html(page.encode("gb18030").decode("gb18030"), "page.htm")
    imported = build(source)
    data = imported.data
    assert (imported.agency, imported.year, imported.edition) == ("某某区司法局", 2022, Edition.E2021)
    assert data["表二"]["行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 0}
    assert data["表二"]["行政许可"] == {"本年处理决定数量": 1204}
    assert data["表二"]["行政强制"] == {}
    assert str(data["表二"]["行政事业性收费"]["本年收费金额（单位：万元）"]) == "1.23456"
    assert data["表三"]["三、本年度办理结果"]["（一）予以公开"] == {
        "自然人": 0, "商业企业": 1, "科研机构": 1, "社会公益组织": 1, "法律服务机构": 1, "其他": 1, "总计": 6,
    }  # fmt: skip
    assert data["表四"]["行政复议"] == {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 1}
    assert [(gap.path[-2:], gap.why) for gap in imported.gaps] == [
        (("行政强制", "本年处理决定数量"), "原报告该格为“-”，不是数字"),
    ]
    assert imported.gaps[0].where.text() == "第 1 个表格第 11 行"  # the page-layout table is not counted
    assert [path[-2:] for path in imported.blanks] == [("行政规范性文件", "现行有效件数"), ("（一）予以公开", "自然人")]
    assert set(imported.data["一、总体情况"]) == {"主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"}
    checked = check_imported(imported)
    assert [message(p) for p in checked.problems if p.rule == "F-10"] == [
        "page.htm 第 1 个表格：表二，有 1 个空白格，按 0 计（空白的总计格由 gaigen 计算）（F-10）。没有发生的事项应填 0，不应留空。",
        "page.htm 第 2 个表格：表三，有 1 个空白格，按 0 计（空白的总计格由 gaigen 计算）（F-10）。没有发生的事项应填 0，不应留空。",
    ]


def test_tables_of_the_other_edition_are_named_once() -> None:
    """A 2023 report printed with the 2019 tables: F-3 once per table, not an error per cell."""
    report = _report(_data(Edition.E2019, 5, True, (0, 0, 0, 0, 0, 0)))
    text = flattened(build_context(report), "tabs").replace("2020年", "2023年")
    imported = build(parse_text(text, "old-tables.txt"))
    assert imported.year == 2023 and imported.edition is Edition.E2019
    checked = check_imported(imported)
    rules = [p.rule for p in checked.errors]
    assert rules.count("F-3") == 2  # 表二 and 表三 (表四 is the same in both editions)
    assert set(rules) == {"F-3"}  # the tables are checked in the edition they were printed in: consistent
    assert "而 2023 年度报告应使用 2021 版式" in next(p.why for p in checked.errors if p.rule == "F-3")


def test_garbled_sub_headings_take_their_place_in_order() -> None:
    data = starter(Edition.E2021)
    del data
    text = "\n".join(
        [
            "某某局2022年政府信息公开工作年度报告",
            "一、总体情况",
            "?。ㄒ唬┲鲃庸_情况。主动公开了信息。",
            "?。ǘ┮郎暾埞_情况。办理了申请。",
            "?。ㄈ┱畔⒐芾?。管理得当。",
            "?。ㄋ模┱畔⒐_平台建设情况。平台运行良好。",
            "?。ㄎ澹┍O督保障情况。加强监督。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "五、存在的主要问题及改进情况",
            "存在不足。",
        ]
    )
    imported = build(parse_text(text, "garbled.txt"))
    topics = imported.data["一、总体情况"]
    assert topics == {
        "主动公开": ["主动公开了信息。"],
        "依申请公开": ["办理了申请。"],
        "政府信息管理": ["管理得当。"],
        "平台建设": ["平台运行良好。"],
        "监督保障": ["加强监督。"],
    }
    assert any(f.rule == "F-9" and "乱码" in f.why for f in imported.findings)


@pytest.mark.parametrize("style", ["tabs", "cell-per-line"])
def test_table3_printed_without_its_total_column(style: str) -> None:
    """Every row six numbers and no 总计 header: the columns are the six applicant columns, not shifted."""
    report = _report(_data(Edition.E2021, 9, True, (0, 0, 0, 0, 0, 0)))
    imported = build(parse_text(flattened(build_context(report), style, without_total=True), "no-total.txt"))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)
    assert "表三：原表没有“总计”列" in imported.notes[0]


def _without_tabs(text: str, drop_line: str | None = None) -> str:
    """Return a copy with one cell a line and no tabs: blank cells leave no line at all."""
    lines = [line.lstrip("\t") for line in text.split("\n")]
    if drop_line is not None:
        lines.remove(drop_line)
    return "\n".join(line for line in lines if line.strip())


@pytest.mark.parametrize("edition", list(Edition))
def test_copy_without_tabs_one_cell_a_line(edition: Edition) -> None:
    report = _report(_data(edition, 4, True, (0, 0, 0, 0, 0, 0)))
    text = _without_tabs(flattened(build_context(report), "cell-per-line"))
    imported = build(parse_text(text, "no-tabs.txt"))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)


def test_copy_without_tabs_short_row_is_unreadable_not_shifted() -> None:
    report = _report(_data(Edition.E2021, 4, True, (0, 0, 0, 0, 0, 0)))
    text = flattened(build_context(report), "cell-per-line")
    lines = text.split("\n")
    row = lines.index("\t（一）予以公开")
    lines[row + 1] = "\t"  # the 自然人 cell of （一）予以公开 left blank: no line in the copy
    imported = build(parse_text(_without_tabs("\n".join(lines)), "no-tabs.txt"))
    lost = [gap for gap in imported.gaps if gap.row[-1] == "（一）予以公开"]
    assert len(lost) == 7
    assert lost[0].why == "原报告该行只有 6 个数字（应为 7 个），无法确定各数字所在的列"
    assert imported.data["表三"]["三、本年度办理结果"]["（一）予以公开"] == {}


def test_web_page_with_site_menus_and_links() -> None:
    page = """<html><head><title>某某局2023年政府信息公开工作年度报告_某某市人民政府门户网站</title></head><body>
<div class="nav"><a>首页</a> | <a>政府信息公开工作年度报告</a></div><p>当前位置：首页 &gt; 年报</p>
<h1>某某局2023年政府信息公开工作年度报告</h1>
<p>本报告所列数据的统计期限为2023年1月1日至2023年12月31日。</p>
<p>一、总体情况</p><p>（一）主动公开</p><p>主动公开信息12条。</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
<p>五、存在的主要问题及改进情况</p><p>解读形式单一。</p><p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
<p>【打印本页】【关闭窗口】</p><div class="footer">主办：某某市人民政府办公室</div></body></html>"""
    imported = build(parse_html(page, "page.html"))
    assert (imported.title, imported.agency, imported.year) == ("某某局2023年政府信息公开工作年度报告", "某某局", 2023)
    assert imported.data["六、其他需要报告的事项"] == {
        "信息处理费": {"发出收费通知件数": 0, "收费通知总金额（元）": Decimal(0), "实际收取总金额（元）": Decimal(0)},
        "其他事项": [],
    }
    assert [gap.path for gap in imported.gaps] == [("表二",), ("表三",), ("表四",)]


@settings(max_examples=60)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=6))
def test_any_narrative_text_gives_a_valid_data_file(paragraphs: list[str]) -> None:
    """Whatever a report's paragraphs hold, the data file written from them reads back the same."""
    body = [p.replace("\n", " ").replace("\r", " ") for p in paragraphs]
    text = "\n".join(
        [
            "某某局2024年政府信息公开工作年度报告",
            "一、总体情况",
            "（一）主动公开",
            *body,
            "二、主动公开政府信息情况",
            "五、存在的主要问题及改进情况",
            *body,
            "六、其他需要报告的事项",
            *body,
        ]
    )
    imported = build(parse_text(text, "fuzz.txt"))
    back = read_report(parse_text_yaml(data_file_text(imported), "fuzz.yaml"))
    assert back.problems == []
    direct = in_memory_report(imported)
    assert back.report.narrative == direct.narrative


TOKENS = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "\t", "\t0", "\t12", "\t-", "\t规章", "\t自然人", "\t总计",
    "\t（一）予以公开", "\t1.属于国家秘密", "\t第二十条第（一）项", "\t信息内容", "行政许可\t3", "行政复议 | 结果维持 | ||",
    "+----+----+", "|甲  |乙  |", "（一）主动公开", "?。ㄒ唬┲鲃庸_", "[bookmark: _GoBack]", "", "2个", "18.078万元",
]  # fmt: skip


@settings(max_examples=80)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=20)), max_size=60))
def test_any_text_is_refused_cleanly_or_gives_a_valid_data_file(lines: list[str]) -> None:
    text = "\n".join(["某某局2021年政府信息公开工作年度报告", *lines])
    try:
        imported = build(parse_text(text, "any.txt"))
    except InputError as error:
        assert str(error).startswith("any.txt：")
        return
    back = read_report(parse_text_yaml(data_file_text(imported), "any.yaml"))
    assert [p for p in back.problems if p.rule in ("K-1", "K-2")] == []
    check_imported(imported)  # every rule runs on whatever was read


def test_a_local_row_never_takes_the_place_of_an_official_one() -> None:
    """Hubei adds rows of its own; an official row whose label is missing stays unread, not filled by them."""
    report = _report(_data(Edition.E2019, 6, True, (0, 0, 0, 0, 0, 0)))
    text = flattened(build_context(report), "tabs").replace("其他对外管理服务事项\t", "其他主动公开文件\t", 1)
    imported = build(parse_text(text, "local.txt"))
    assert [gap.path[1:] for gap in imported.gaps] == [
        ("其他对外管理服务事项", "上一年项目数量"),
        ("其他对外管理服务事项", "本年增/减"),
        ("其他对外管理服务事项", "处理决定数量"),
    ]
    assert "表二：有一行“其他主动公开文件”不是官方表格的行，没有读取。" in imported.notes
    typo = flattened(build_context(report), "tabs").replace("其他对外管理服务事项\t", "其他对外管理服务事宜\t", 1)
    assert build(parse_text(typo, "typo.txt")).gaps == []  # a near miss in its place is that row


def test_a_preamble_listing_the_parts_is_not_cut_into_headings() -> None:
    from gaigen.importing.fused import unfuse
    from gaigen.importing.model import Paragraph, Where

    listing = Paragraph(
        "本报告包括一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
        "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，六、其他需要报告的事项。",
        Where(line=3),
    )
    assert unfuse([listing]) == [listing]
    glued = Paragraph("一、总体情况2022年，本局认真贯彻落实《条例》。", Where(line=4))
    assert [b.text for b in unfuse([glued]) if isinstance(b, Paragraph)] == [
        "一、总体情况",
        "2022年，本局认真贯彻落实《条例》。",
    ]
