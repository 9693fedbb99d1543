"""The county at a glance: native charts in 汇总.xlsx, 汇总.html in Chromium, the export of every cell."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import openpyxl
import pytest

from gaigen.batch import run_batch
from gaigen.review.page import template_text
from gaigen.spec.layout import Edition
from tests.browser import chromium, missing
from tests.builders import write
from tests.county import agency_file
from tests.render.test_html import VNU_JAR

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "某某县<b>粗</b>&amp;局"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A county of six agencies this year (one with a hostile name, one with a missing cell), five last year."""
    root = tmp_path_factory.mktemp("county")
    for seed in range(5):
        agency_file(root / "2024", f"{seed}.yaml", seed, agency=f"某某县第{seed}局")
        last = agency_file(root / "2023", f"{seed}.yaml", 100 + seed, agency=f"某某县第{seed}局")
        last["年度"] = 2023
        last["发布日期"] = "2024-01-20"
        write(last, root / "2023" / f"{seed}.yaml")
    odd = agency_file(root / "2024", "odd.yaml", 9, agency=HOSTILE, edition=Edition.E2021)
    del odd["表四"]["行政复议"]["结果维持"]  # T0-1: refused, its cell 缺失 in the export
    write(odd, root / "2024" / "odd.yaml")
    run_batch([root / "2024"], root / "out", jobs=1, previous_dir=root / "2023")
    return root


def test_the_summary_workbook_has_native_charts(county: Path) -> None:
    book = openpyxl.load_workbook(county / "out" / "汇总.xlsx")
    assert book.sheetnames == ["汇总", "图表", "雷同", "比例", "说明"]
    charts = book["图表"]._charts
    titles = ["".join(r.t for p in c.title.tx.rich.p for r in (p.r or [])) for c in charts]
    assert titles == ["审核状态", "处理结果", "各机关收到和办理的申请", "本年新收申请：与上年对比"]
    assert [len(c.series) for c in charts] == [1, 1, 3, 2]
    sheet = book["图表"]
    cells = {(row[0], row[1]) for row in sheet.iter_rows(values_only=True)}
    assert ("已收", 6) in cells
    ratios = list(book["比例"].iter_rows(values_only=True))
    assert ratios[1][:2] == ("予以公开率", "表三 三（一）予以公开 总计 ÷ 三（七）总计 总计")


def test_the_export_has_every_cell_with_its_state(county: Path) -> None:
    out = county / "out"
    with open(out / "数据明细.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    records = json.loads((out / "数据明细.json").read_text(encoding="utf-8"))
    assert rows[0] == ["机关名称", "年度", "版式", "表", "行", "列", "值", "状态", "文件"]
    assert len(rows) - 1 == len(records) == 5 * 200 + 200  # 200 cells in each 2021 report (six reports)
    by_key = {(r["机关名称"], r["表"], r["行"], r["列"]): r for r in records}
    missing = by_key[(HOSTILE, "表四", "行政复议", "结果维持")]
    assert (missing["值"], missing["状态"]) == (None, "缺失")
    total = by_key[("某某县第1局", "表三", "三、本年度办理结果/（七）总计", "总计")]
    assert total["状态"] == "计算" and isinstance(total["值"], int)
    filled = by_key[("某某县第1局", "表三", "一、本年新收政府信息公开申请数量", "自然人")]
    assert filled["状态"] == "填写"
    assert [
        r for r in rows[1:] if r[0] == "某某县第1局" and r[4] == "一、本年新收政府信息公开申请数量" and r[5] == "自然人"
    ] == [
        [
            "某某县第1局",
            "2024",
            "2021",
            "表三",
            "一、本年新收政府信息公开申请数量",
            "自然人",
            str(filled["值"]),
            "填写",
            str(county / "2024" / "1.yaml"),
        ]
    ]


def test_the_page_is_strict_html_offline_and_escaped(county: Path) -> None:
    page = (county / "out" / "汇总.html").read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert "某某县&lt;b&gt;粗&lt;/b&gt;&amp;amp;局" in page and "<b>粗</b>" not in page
    assert "src=" not in page and "href=" not in page and "@import" not in page  # nothing to fetch


def test_packaged_page_template_equals_the_source() -> None:
    assert template_text() == (ROOT / "templates" / "county.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium("1400,1400") as driver:
        yield driver


BARS = """
return Array.from(document.querySelectorAll('figure.chart')).map(function (figure) {
  return {id: figure.id, bars: Array.from(figure.querySelectorAll('rect.bar')).map(function (bar) {
    var box = bar.getBoundingClientRect();
    return [box.width, box.height, bar.querySelector('title').textContent];
  })};
});
"""
COLUMN = """
var name = arguments[0];
var index = Array.from(document.querySelectorAll('#summary thead th')).findIndex(function (th) {
  return th.textContent === name;
});
return Array.from(document.querySelectorAll('#summary tbody tr')).filter(function (tr) { return !tr.hidden; })
  .map(function (tr) { return tr.cells[index].textContent; });
"""


def test_chromium_draws_the_charts_sorts_and_filters_the_table(browser: Any, county: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get((county / "out" / "汇总.html").as_uri())
    charts = {c["id"]: c["bars"] for c in browser.execute_script(BARS)}
    assert set(charts) == {"states", "statuses", "requests", "years"}
    assert len(charts["requests"]) == 3 * 5  # three series for each generated report
    assert len(charts["years"]) == 2 * 5
    assert all(height > 0 for _, height, _ in charts["requests"])
    widths = [w for w, _, _ in charts["requests"]]
    assert max(widths) > 300 and len(set(widths)) > 3  # scaled to the largest value, not all alike
    received = browser.execute_script(COLUMN, "本年新收")
    header = next(th for th in browser.find_elements(By.CSS_SELECTOR, "#summary thead th") if th.text == "本年新收")
    header.click()
    ascending = browser.execute_script(COLUMN, "本年新收")
    numbers = sorted(int(v) for v in received if v)
    assert len(numbers) == 5 and numbers != [int(v) for v in received if v]  # not in order before the click
    assert ascending == [*map(str, numbers), ""]  # as numbers, not as text; the empty cell last
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert browser.execute_script(COLUMN, "本年新收") == [*map(str, reversed(numbers)), ""]
    Select(browser.find_element(By.ID, "filter-status")).select_by_visible_text("有错误未生成")
    assert browser.execute_script(COLUMN, "机关名称") == [HOSTILE]
    assert browser.find_element(By.ID, "shown").text == "显示 1 / 6 行"
    Select(browser.find_element(By.ID, "filter-status")).select_by_visible_text("全部")
    assert len(browser.execute_script(COLUMN, "机关名称")) == 6


def test_nu_html_checker_finds_no_error_in_the_page(county: Path) -> None:
    java = shutil.which("java")
    if java is None:
        missing("Java", "apt-get install default-jre-headless")
    if not VNU_JAR.is_file():
        missing("the Nu HTML Checker", f"npm install vnu-jar into {VNU_JAR.parents[3]}")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", str(county / "out" / "汇总.html")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], errors
