"""Round trips: random valid data → rendered report (Word, text, web page) → import → the same data.

Also the mangled copies a web site makes of a rendered report — tables flattened to one cell a
line, tab- or ``|``-separated rows, labels broken inside their cells, traditional characters,
half-width brackets — must import to the same numbers (format-spec §8.5).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gaigen.api.check import check_imported, in_memory_report
from gaigen.core.document import Document
from gaigen.core.report import Report
from gaigen.core.totals import completed
from gaigen.files.reading import read_report
from gaigen.importing.build import build
from gaigen.importing.docx import parse_docx
from gaigen.importing.html import parse_html
from gaigen.importing.model import Imported
from gaigen.importing.text import parse_text
from gaigen.render.context import Context, build_context
from gaigen.render.html import render_html
from gaigen.render.text import render_text
from gaigen.render.word import render_docx
from gaigen.rules import check_report
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, starter
from tests.importing import mangle

BASE = {edition: starter(edition) for edition in Edition}
PARAGRAPHS = (
    "本年度严格落实《中华人民共和国政府信息公开条例》，及时公开各类政府信息。",
    "一是加强组织领导；二是完善工作制度；三是强化培训，提升业务能力。",
    "全年通过政府网站主动公开信息312条，其中政策文件18条、政策解读9条。",
    "1.规范依申请公开办理流程，统一答复文书格式。",
    "存在的主要问题：政策解读形式较为单一。改进措施：丰富解读方式，增加图解和视频。",
    "2024年，共收到政府信息公开申请13件，均按时答复。",
)
SITES = ("某某县人民政府网（http://www.example.gov.cn）", "某某市自然资源局网站（https://zrzy.example.cn/xxgk）")
CONTACTS = ("某某县交通运输局办公室（地址：某某县人民路1号，邮编：100000，电话：0123-1234567）",)


def _data(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], base: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return a valid data file of random numbers (tests/builders.py) and some narrative variety."""
    data = copy.deepcopy(BASE[edition] if base is None else base)
    rng = random.Random(seed)
    fill_consistent(data, edition, rng, totals)
    overview = data["一、总体情况"]
    if extras[0]:
        overview["概述"] = PARAGRAPHS[extras[0] % len(PARAGRAPHS)]
    for index, topic in enumerate(("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")):
        chosen = [PARAGRAPHS[(extras[1] + index + k) % len(PARAGRAPHS)] for k in range(1 + (extras[2] + index) % 3)]
        overview[topic] = "\n".join([overview[topic], *chosen])
    data["五、存在的主要问题及改进情况"] = PARAGRAPHS[(extras[3]) % len(PARAGRAPHS)]
    if extras[4] % 2:
        data["网站"] = SITES[extras[4] % len(SITES)]
        data["联系方式"] = CONTACTS[0]
    if extras[5] % 3 == 0:
        del data["发布日期"]
    else:
        data["发布日期"] = dt.date(data["年度"] + 1, 1 + extras[5] % 12, 1 + extras[5] % 28)
    return data


def _report(data: dict[str, Any]) -> Report:
    report = read_report(Document(Path("random.yaml"), "random.yaml", data)).report
    assert not [p for p in check_report(report) if p.is_error]
    return report


def _same(imported: Imported, report: Report, narrative: bool = True) -> None:
    assert imported.gaps == []
    back = in_memory_report(imported)
    assert completed(back) == completed(report)
    assert back.edition is report.edition
    if narrative:
        assert back.narrative == report.narrative
        for field in ("agency", "year", "level", "website", "contact", "published"):
            assert getattr(back, field) == getattr(report, field), field
    assert not [f for f in imported.findings if f.rule != "F-9"]


CASES = dict(
    edition=st.sampled_from(list(Edition)),
    seed=st.integers(0, 2**32),
    totals=st.booleans(),
    extras=st.tuples(*(st.integers(0, 50) for _ in range(6))),
)


@settings(max_examples=40)
@given(**CASES)
def test_word_text_and_web_page_import_to_the_same_data(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...]
) -> None:
    report = _report(_data(edition, seed, totals, extras))
    context = build_context(report)
    _same(build(parse_docx(render_docx(context), "report.docx")), report)
    _same(build(parse_text(render_text(context), "report.txt")), report)
    _same(build(parse_html(render_html(context), "report.html")), report)


# Short and long names, departments and governments: a long title breaks over two lines in the
# Word and web reports (``某某县人民政府2024年<br>政府信息公开工作年度报告``), issue 17 row 2.
AGENCIES = (
    ("测试局", "部门"),
    ("某某县人民政府", "政府"),
    ("某某市某某区人民政府办公室", "部门"),
    ("某某自治州某某县某某镇人民政府", "政府"),
    ("某某省某某市市场监督管理局", "部门"),
)


@settings(max_examples=30)
@given(**CASES, agency=st.sampled_from(AGENCIES))
def test_every_rendered_report_imports_back_and_checks_clean(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], agency: tuple[str, str]
) -> None:
    """Each report gaigen renders (docx, txt, html) reads back to the same 机关名称, 级别 and cells,
    and ``check`` finds no error and no format finding in it."""
    name, level = agency
    report = _report(_data(edition, seed, totals, extras, starter(edition, name, level)))
    assert (report.agency, report.level) == agency
    context = build_context(report)
    for imported in (
        build(parse_docx(render_docx(context), "report.docx")),
        build(parse_text(render_text(context), "report.txt")),
        build(parse_html(render_html(context), "report.html")),
    ):
        _same(imported, report)
        checked = check_imported(imported)
        assert [p for p in checked.problems if p.is_error or p.rule.startswith(("F-", "M-"))] == []


@settings(max_examples=30)
@given(**CASES, style=st.sampled_from(mangle.STYLES), split=st.booleans(), change=st.sampled_from(["", "繁", "半"]))
def test_mangled_copies_import_to_the_same_numbers(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], style: str, split: bool, change: str
) -> None:
    report = _report(_data(edition, seed, totals, extras))
    text = mangle.flattened(build_context(report), style, split_labels=split)
    if change == "繁":
        text = mangle.traditional(text)
    elif change == "半":
        text = mangle.half_width(text)
    imported = build(parse_text(text, "copy.txt"))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)
    assert imported.source.traditional is (change == "繁")


def _context(edition: Edition) -> Context:
    return build_context(_report(_data(edition, 7, True, (1, 2, 3, 4, 5, 6))))


def test_flattened_plain_copy_keeps_the_narrative_too() -> None:
    for edition in Edition:
        report = _report(_data(edition, 11, False, (3, 1, 4, 1, 5, 9)))
        text = mangle.flattened(build_context(report), "cell-per-line", split_labels=True)
        _same(build(parse_text(text, "copy.txt")), report)


def test_traditional_copy_reads_the_narrative_back_in_simplified_characters() -> None:
    report = _report(_data(Edition.E2021, 5, True, (2, 0, 0, 0, 1, 1)))
    text = mangle.traditional(render_text(build_context(report)))
    assert "公開" in text
    imported = build(parse_text(text, "copy.txt"))
    back = in_memory_report(imported)
    assert back.narrative.topics == report.narrative.topics
    assert back.agency == report.agency
    assert [f.why for f in imported.findings if f.rule == "F-9"] == [
        "全文为繁体字（多为网站的简繁转换所致），已转为简体读取"
    ]


def _cells(imported: Imported, cells: Any) -> dict[tuple[str, tuple[str, ...], str], Any]:
    """Return the value the import gave for each of ``cells`` it read."""
    found = {}
    for table, path, column in cells:
        node: Any = imported.data.get(table, {})
        for part in (*path, column):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            found[(table, path, column)] = node
    return found


@settings(max_examples=30)
@given(**CASES, spaces=st.integers(0, 2**60), blank_zeros=st.booleans())
def test_one_line_copy_with_fused_cells_reads_right_or_leaves_honest_gaps(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], spaces: int, blank_zeros: bool
) -> None:
    """The commonest web form: the whole report one line, each row's numbers fused into one run."""
    report = _report(_data(edition, seed, totals, extras))
    text = mangle.one_line(build_context(report), spaces, blank_zeros)
    imported = build(parse_text(text, "copy.txt"))
    want = completed(report)
    read = _cells(imported, want)
    assert {cell: value for cell, value in read.items() if want[cell] != value} == {}
    gaps = {gap.path for gap in imported.gaps}
    for table, path, column in want:
        if (table, path, column) not in read and table != "表二":
            assert (table, *path, column) in gaps  # every cell not read is named, with its reason
    if not blank_zeros:
        table3 = [cell for cell in want if cell[0] == "表三"]
        assert sum(1 for cell in table3 if cell in read) >= len(table3) // 2
    assert imported.year == report.year


def test_one_line_copy_names_the_identities_that_fixed_its_cells() -> None:
    report = _report(_data(Edition.E2021, 5, True, (1, 2, 3, 4, 5, 6)))
    imported = build(parse_text(mangle.one_line(build_context(report)), "copy.txt"))
    assert completed(in_memory_report(imported)) == completed(report) or imported.gaps
    fixed_notes = [note for note in imported.notes if "按勾稽关系" in note]
    assert fixed_notes and all("不能再用来核验" in note for note in fixed_notes)


@settings(max_examples=25)
@given(**CASES, style=st.sampled_from(mangle.STYLES))
# A one-cell 表二 row left blank in a tab-separated copy: ``行政处罚\t`` between the rows (found by hypothesis).
@example(edition=Edition.E2021, seed=183, totals=False, extras=(0, 0, 0, 0, 0, 0), style="tabs")
def test_blank_zeros_read_as_zero_with_one_finding_a_table(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], style: str
) -> None:
    """An agency that leaves blank what did not happen: blank cells count as 0, blank 总计 are computed."""
    report = _report(_data(edition, seed, totals, extras))
    text = mangle.flattened(build_context(report), style, blank_zeros=True)
    imported = build(parse_text(text, "blank.txt"))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)
    blank_tables = [f.table for f in imported.findings if f.rule == "F-10"]
    assert len(blank_tables) == len(set(blank_tables))  # one finding a table
    assert {path[0] for path in imported.blanks} == set(blank_tables)


@settings(max_examples=25)
@given(**CASES, cut=st.sampled_from([0, 3, 5, 8]))
def test_markdown_conversion_reads_back(
    edition: Edition, seed: int, totals: bool, extras: tuple[int, ...], cut: int
) -> None:
    """A PDF-to-Markdown copy: heading marks, separator rows, outer pipes, tables cut into pieces."""
    report = _report(_data(edition, seed, totals, extras))
    imported = build(parse_text(mangle.markdown(build_context(report), cut), "report.md"))
    assert imported.gaps == []
    assert completed(in_memory_report(imported)) == completed(report)
    assert (imported.agency, imported.year) == (report.agency, report.year)
