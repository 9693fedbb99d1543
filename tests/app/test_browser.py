"""``gaigen app`` end to end in a real browser (Chromium through selenium, DECISIONS §11).

Each test runs ``gaigen app --no-browser`` as its own process and drives headless Chromium on its
opening URL: start from nothing and fill a 2021 report, make a 表三 slip and see the message at the
cell, fix it, preview, download the Word file and read it with python-docx, save a workbook and a
YAML file, kill the server mid-edit and find the draft restored, paste a row copied from Excel; and
the form's tables, as laid out, have every cell where format-grids.json puts it. Screenshots go to
``tests/output/`` (or ``$GAIGEN_TEST_OUTPUT``). Without Chromium these tests skip, except under CI,
where they fail.
"""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from gaigen.api.reports import init_data_file, validate_file
from gaigen.app.form import form_for
from gaigen.core.keys import canonicalize
from gaigen.files.load import read_document
from gaigen.files.workbook import starter_workbook
from gaigen.spec import datafile, layout
from gaigen.spec.layout import Edition
from tests.app.running import app_process
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(os.environ.get("GAIGEN_TEST_OUTPUT", ROOT / "tests" / "output"))
FORM = form_for(Edition.E2021)
T3 = "表三"
PERSON = "自然人"


def fid(*path: str) -> str:
    return FORM.by_path[tuple(path)].id


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="gaigen-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    with chromium("1400,1000", prefs) as driver:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver


def wait(condition: Any, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out waiting in the browser"
        time.sleep(0.05)


def type_into(browser: Any, field_id: str, text: str) -> None:
    element = browser.find_element("id", field_id)
    element.clear()
    element.send_keys(text)


def notes(browser: Any, field_id: str) -> list[dict[str, str]]:
    script = """
      return Array.from(document.querySelectorAll('#notes-' + arguments[0] + ' .note')).map(function (n) {
        return {rule: n.dataset.rule, text: n.textContent, cls: n.className};
      });"""
    found: list[dict[str, str]] = browser.execute_script(script, field_id)
    return found


def fill_2021(browser: Any) -> None:
    """Fill a consistent 2021 report: texts, date, and a few numbers that keep every rule."""
    for topic in layout.TOPICS:
        type_into(browser, fid(layout.OVERVIEW, topic), f"本年度{topic}工作有序开展。")
    type_into(browser, fid(layout.PROBLEMS), "个别信息更新不够及时。下一步将加强审核，按时更新。")
    type_into(browser, fid(datafile.PUBLISHED), "2022-01-20")
    numbers = {
        (layout.NEW_REQUESTS,): 10,
        (layout.CARRIED_OVER,): 2,
        (layout.OUTCOMES, "（一）予以公开"): 8,
        (layout.OUTCOMES, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"): 2,
        (layout.CARRIED_FORWARD,): 2,
    }
    for row, value in numbers.items():
        type_into(browser, fid(T3, *row, PERSON), str(value))
    type_into(browser, fid("表二", "规章", "本年制发件数"), "0")
    type_into(browser, fid("表四", layout.REVIEW, "结果维持"), "1")


def test_fill_a_2021_report_slip_fix_preview_and_download(browser: Any, downloads: Path, tmp_path: Path) -> None:
    from docx import Document as WordDocument

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with app_process(tmp_path) as (client, _process):
        browser.get(client.url)
        assert "新建报告" in browser.page_source
        type_into(browser, "new-year", "2021")
        type_into(browser, "new-agency", "某某县交通运输局")
        browser.find_element("css selector", "#new-report button[type=submit]").click()
        wait(lambda: browser.execute_script("return document.body.dataset.page") == "form")
        assert (tmp_path / "2021年某某县交通运输局.yaml").is_file()
        assert "N-1" in browser.find_element("id", "problems").text  # init's hints are still there
        browser.save_screenshot(str(OUTPUT / "app-form-new.png"))
        fill_2021(browser)
        wait(
            lambda: (
                "检查通过" in browser.find_element("id", "status").text
                or "没有错误" in browser.find_element("id", "status").text
            )
        )
        total = browser.find_element("id", fid(T3, layout.NEW_REQUESTS, layout.TOTAL))
        assert total.get_attribute("placeholder") == "10"  # the 总计 left empty, computed while typing

        # A slip in 表三: 四 one too many. The message stands beside that cell, in the library's words.
        slip = fid(T3, layout.CARRIED_FORWARD, PERSON)
        type_into(browser, slip, "3")
        wait(lambda: any(n["rule"] == "T3-1" for n in notes(browser, slip)))
        note = next(n for n in notes(browser, slip) if n["rule"] == "T3-1")
        assert "error" in note["cls"]
        assert note["text"] == (
            "错误：表三“自然人”列，“一、本年新收”加“二、上年结转”为 12，但“（七）总计”加“四、结转下年度继续办理”为 13，"
            "两者应相等（T3-1）。请核对该列的新收、结转和办理结果数字。"
        )
        cell = browser.find_element("css selector", f'td[data-for="{slip}"]')
        assert "has-error" in cell.get_attribute("class")
        browser.find_element("id", slip).click()  # focused: the message shows beside the cell
        bubble = browser.find_element("id", f"notes-{slip}")
        assert bubble.is_displayed()
        box, cell_box = bubble.rect, cell.rect
        assert abs(box["x"] - cell_box["x"]) < 2 and abs(box["y"] - (cell_box["y"] + cell_box["height"])) < 3
        assert "T3-1" in browser.find_element("id", "problems").text
        assert "blocked" in browser.find_element("tag name", "body").get_attribute("class")
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", slip)
        browser.save_screenshot(str(OUTPUT / "app-form-slip.png"))
        status, body, _ = client.get(f"/download?file={quote(client_name(tmp_path))}&format=docx")
        assert status == 409 and "不能预览或下载" in body.decode("utf-8")

        # The list jumps to the cell.
        browser.find_element("id", fid(layout.PROBLEMS)).click()
        browser.find_element("css selector", f'#problems a[data-field="{slip}"]').click()
        assert browser.switch_to.active_element.get_attribute("id") == slip

        # Fixed: the message goes.
        type_into(browser, slip, "2")
        wait(lambda: not notes(browser, slip))
        wait(lambda: "blocked" not in browser.find_element("tag name", "body").get_attribute("class"))

        # Preview: the HTML rendering of what is in the form now.
        browser.find_element("id", "preview").click()
        wait(lambda: len(browser.window_handles) == 2)
        form_window = browser.current_window_handle
        browser.switch_to.window(next(h for h in browser.window_handles if h != form_window))
        wait(lambda: "table-3" in browser.page_source)
        assert browser.title == "某某县交通运输局2021年政府信息公开工作年度报告"
        row = browser.execute_script(
            "var r = Array.from(document.querySelectorAll('#table-3 tr')).find(r => r.textContent.includes('一、本年新收'));"
            "return Array.from(r.querySelectorAll('td')).map(td => td.textContent.trim())"
        )
        assert row == ["10", "0", "0", "0", "0", "0", "10"]
        browser.close()
        browser.switch_to.window(form_window)

        # Word: downloaded through the browser, read back with python-docx.
        browser.find_element("id", "download-docx").click()
        word = wait(lambda: next(iter(downloads.glob("*.docx")), None), 30)
        wait(lambda: not list(downloads.glob("*.crdownload")))
        assert word.name == "2021年某某县交通运输局政府信息公开工作年度报告.docx"
        rows = {
            r.cells[0].text.strip(): [c.text.strip() for c in r.cells]
            for t in WordDocument(str(word)).tables
            for r in t.rows
        }
        assert rows[layout.NEW_REQUESTS][3:] == ["10", "0", "0", "0", "0", "0", "10"]
        assert rows[layout.CARRIED_FORWARD][3:] == ["2", "0", "0", "0", "0", "0", "2"]
        saved = validate_file(tmp_path / "2021年某某县交通运输局.yaml")
        assert saved.report.cell(T3, (layout.NEW_REQUESTS,), PERSON) == 0  # not saved yet: only the draft
        browser.find_element("id", "save").click()
        wait(lambda: "已保存" in browser.find_element("id", "autosave").text)
        saved = validate_file(tmp_path / "2021年某某县交通运输局.yaml")
        assert saved.ok and saved.report.cell(T3, (layout.NEW_REQUESTS,), PERSON) == 10


def client_name(folder: Path) -> str:
    return next(folder.glob("*.yaml")).name


def test_tab_enter_order_and_pasting_a_row(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    path = tmp_path / "2024年某某县人民政府.yaml"
    path.write_text(init_data_file(2024, "某某县人民政府", "政府"), encoding="utf-8")
    with app_process(tmp_path) as (client, _process):
        browser.get(client.url.replace("/?", "/edit?file=" + path.name + "&"))
        first = fid(T3, layout.NEW_REQUESTS, PERSON)
        browser.find_element("id", first).send_keys(Keys.ENTER)
        assert browser.switch_to.active_element.get_attribute("id") == fid(T3, layout.NEW_REQUESTS, "商业企业")
        browser.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.switch_to.active_element.get_attribute("id") == fid(T3, layout.NEW_REQUESTS, "科研机构")
        last = fid(T3, layout.NEW_REQUESTS, layout.TOTAL)
        browser.find_element("id", last).send_keys(Keys.ENTER)
        assert browser.switch_to.active_element.get_attribute("id") == fid(T3, layout.CARRIED_OVER, PERSON)

        # Two rows copied from Excel: tab-separated, thousands separators and a trailing newline, put on the
        # browser's clipboard and pasted with Ctrl+V into the first cell.
        origin = client.url.split("/?")[0]
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        browser.find_element("id", first).click()
        copied = browser.execute_async_script(
            "var done = arguments[1]; navigator.clipboard.writeText(arguments[0]).then(() => done('ok'), e => done(String(e)));",
            "1,200\t3\t0\t1\t0\t2\r\n5\t0\t0\t0\t0\t0\r\n",
        )
        assert copied == "ok"
        browser.find_element("id", first).send_keys(Keys.CONTROL, "v")
        row = [
            browser.find_element("id", fid(T3, layout.NEW_REQUESTS, c.label)).get_attribute("value")
            for c in layout.APPLICANT_COLUMNS[:-1]
        ]
        assert row == ["1200", "3", "0", "1", "0", "2"]
        assert browser.find_element("id", fid(T3, layout.CARRIED_OVER, PERSON)).get_attribute("value") == "5"
        assert browser.find_element("id", last).get_attribute("placeholder") == "1206"
        wait(lambda: any(n["rule"] == "T3-1" for n in notes(browser, fid(T3, layout.CARRIED_FORWARD, PERSON))))
        browser.set_window_size(1400, 1000)
        browser.execute_script("document.getElementById(arguments[0]).focus()", fid(T3, layout.CARRIED_FORWARD, PERSON))
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'start'})", f"grid-{T3}")
        browser.save_screenshot(str(OUTPUT / "app-form-pasted.png"))


def _values(path: Path) -> dict[str, Any]:
    document = read_document(path)
    edition = validate_file(path).report.edition
    return canonicalize(document.data, datafile.tree(edition), edition).data


def test_kill_the_server_mid_edit_and_find_the_draft(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(starter_workbook(init_data_file(2021, "某某县交通运输局", "部门")))
    before_bytes = path.read_bytes()
    cell = fid(T3, layout.NEW_REQUESTS, PERSON)
    with app_process(tmp_path) as (client, process):
        browser.get(client.url.replace("/?", "/edit?file=book.xlsx&"))
        type_into(browser, cell, "42")
        browser.find_element(
            "id", fid(T3, layout.NEW_REQUESTS, "商业企业")
        ).click()  # leaving the field saves the draft
        draft = tmp_path / "book.xlsx.gaigen-draft"
        wait(lambda: draft.is_file() and '"42"' in draft.read_text(encoding="utf-8"))
        assert "草稿已自动保存" in browser.find_element("id", "autosave").text
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert path.read_bytes() == before_bytes  # the file itself untouched; the draft beside it
    assert (tmp_path / "book.xlsx.gaigen-draft").is_file()
    with app_process(tmp_path) as (client, _process):
        browser.get(client.url.replace("/?", "/edit?file=book.xlsx&"))
        notice = browser.find_element("id", "restored")
        assert "已恢复" in notice.text and "草稿" in notice.text
        assert browser.find_element("id", cell).get_attribute("value") == "42"
        browser.find_element("id", "save").click()
        wait(lambda: "已保存" in browser.find_element("id", "autosave").text)
    values = _values(path)
    assert values[T3][layout.NEW_REQUESTS][PERSON] == 42
    values[T3][layout.NEW_REQUESTS][PERSON] = 0
    assert values == _values_of_bytes(before_bytes, tmp_path)  # the workbook: unchanged but for the edit
    assert not (tmp_path / "book.xlsx.gaigen-draft").exists()


def _values_of_bytes(blob: bytes, folder: Path) -> dict[str, Any]:
    copy = folder / "copy" / "book.xlsx"
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(blob)
    return _values(copy)


def test_a_yaml_file_saved_from_the_form_changes_only_the_edit(browser: Any, tmp_path: Path) -> None:
    example = ROOT / "examples" / "county-government-2024.yaml"
    path = Path(shutil.copy(example, tmp_path / example.name))
    before = path.read_text(encoding="utf-8")
    with app_process(path) as (client, _process):
        browser.get(client.url)
        wait(lambda: browser.execute_script("return document.body.dataset.page") == "form")
        type_into(browser, fid("表四", layout.REVIEW, "结果纠正"), "4")
        browser.find_element("id", "save").click()
        wait(lambda: "已保存" in browser.find_element("id", "autosave").text)
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), path.read_text(encoding="utf-8").splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2 and changed[0].startswith("-  行政复议:") and "结果纠正: 4" in changed[1]


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_the_form_lays_out_the_official_grids(browser: Any, tmp_path: Path, edition: Edition) -> None:
    """Each table of the form, as the browser lays it out, has every cell where format-grids.json puts it."""
    from tests.render.test_html import CELLS_SCRIPT, _expected, layout_grid

    year = 2020 if edition is Edition.E2019 else 2024
    path = tmp_path / f"{year}.yaml"
    path.write_text(init_data_file(year, "某某县人民政府", "政府"), encoding="utf-8")
    with app_process(tmp_path) as (client, _process):
        browser.set_window_size(1400, 1000)
        browser.get(client.url.replace("/?", f"/edit?file={path.name}&"))
        for key in layout.TABLE_KEYS:
            cells = browser.execute_script(CELLS_SCRIPT, f"grid-{key}")
            assert layout_grid(cells) == _expected(edition, key), key


def test_start_from_last_years_published_report(browser: Any, tmp_path: Path) -> None:
    """The start page: last year's report as published (Word) chosen, read through import, 上年结转 filled."""
    from gaigen.api.reports import render_file

    last_year = ROOT / "examples" / "seed002-zhangshu-2023.yaml"
    published = render_file(last_year, tmp_path / "published", ("docx",)).outputs[0]
    work = tmp_path / "2024"
    work.mkdir()
    with app_process(work) as (client, _process):
        browser.get(client.url)
        type_into(browser, "new-year", "2024")
        browser.find_element("id", "new-upload").send_keys(str(published))
        assert published.name in browser.find_element("id", "upload-name").text
        browser.find_element("css selector", "#new-report button[type=submit]").click()
        try:
            wait(lambda: browser.execute_script("return document.body.dataset.page") == "form")
        except AssertionError:
            raise AssertionError(browser.find_element("id", "new-message").text) from None
        carried = browser.find_element("id", fid(T3, layout.CARRIED_OVER, PERSON)).get_attribute("value")
    expected = validate_file(last_year).report.cell(T3, (layout.CARRIED_FORWARD,), PERSON)
    assert carried == str(expected)
    assert [p.suffix for p in work.iterdir()] == [".yaml"]  # the new report only; the upload stayed outside
