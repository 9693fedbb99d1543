"""The web page: valid HTML, escaped text, a golden page, and the tables as a real browser lays them out.

The golden page (tests/golden/county-government-2024.html) was reviewed in a browser; after an
intended change regenerate it with ``GAIGEN_REGENERATE=1 pytest tests/render/test_html.py``.
The browser tests use Debian's chromium and chromium-driver through selenium (DECISIONS §11):
each cell's row and column come from ``getBoundingClientRect`` and are compared with
format-grids.json. They save a screenshot of each edition's page in ``tests/output/`` (or
``$GAIGEN_TEST_OUTPUT``). The Nu HTML Checker runs from the npm package ``vnu-jar`` on the
machine's Java. Without Chromium or Java these tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest

from gaigen.api.reports import validate_file
from gaigen.render.context import Context, build_context
from gaigen.render.html import TABLE_IDS, render_html, template_text
from gaigen.spec.layout import Edition
from tests.browser import chromium, missing
from tests.builders import fill_consistent, starter, write
from tests.reference import GRIDS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "county-government-2024.html"
VALID_EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if not p.name.startswith("invalid-"))
OUTPUT = Path(os.environ.get("GAIGEN_TEST_OUTPUT", ROOT / "tests" / "output"))
HOSTILE = '<script>alert("x")</script> {{ 7*7 }} {% raw %} &amp; <b>粗</b> ]]> \' " =SUM(A1)'
VNU_JAR = Path(
    os.environ.get(
        "GAIGEN_VNU_JAR",
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "gaigen-test/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)


def _context(edition: Edition, tmp_path: Path, **changes: Any) -> Context:
    data = starter(edition, "某某县人民政府", "政府")
    fill_consistent(data, edition, random.Random(7), with_totals=False)
    data.update(changes)
    return build_context(validate_file(write(data, tmp_path / f"{edition.value}.yaml")).report)


def _parse_strict(page: str) -> Any:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


@pytest.fixture(scope="module")
def pages() -> dict[Edition, str]:
    with tempfile.TemporaryDirectory() as folder:
        return {edition: render_html(_context(edition, Path(folder))) for edition in Edition}


# --- the page -----------------------------------------------------------------------------------


def test_golden_html_page() -> None:
    page = render_html(build_context(validate_file(ROOT / "examples" / "county-government-2024.yaml").report))
    if os.environ.get("GAIGEN_REGENERATE"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_every_example_parses_strictly(example: Path) -> None:
    page = render_html(build_context(validate_file(example).report))
    document = _parse_strict(page)  # html5lib raises on the first parse error
    assert document.find(".//title").text.endswith("政府信息公开工作年度报告")
    assert len(document.findall(".//table")) == 3
    assert document.find(".//link") is None and document.find(".//script") is None  # no external asset


def test_tables_carry_their_own_borders(pages: dict[Edition, str]) -> None:
    """Every cell holds its border and alignment inline, so a pasted table keeps them."""
    document = _parse_strict(pages[Edition.E2021])
    for table in document.findall(".//table"):
        assert table.get("border") == "1" and "border-collapse:collapse" in table.get("style", "")
        cells = table.findall(".//th") + table.findall(".//td")
        assert cells
        for cell in cells:
            assert "border:1px solid #000" in cell.get("style", ""), cell.text
        for th in table.findall(".//th"):
            assert th.get("scope") in ("col", "colgroup", "row", "rowgroup")


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    context = _context(Edition.E2021, tmp_path, **{"五、存在的主要问题及改进情况": HOSTILE, "机关名称": "某某<局>"})
    page = render_html(context)
    document = _parse_strict(page)
    assert document.find(".//script") is None and document.find(".//b") is None
    texts = ["".join(p.itertext()) for p in document.findall(".//p")]
    assert HOSTILE in texts
    assert "&lt;script&gt;" in page and "{{ 7*7 }}" in page
    assert document.find(".//title").text == "某某<局>2024年政府信息公开工作年度报告"


def test_same_context_gives_the_same_page(pages: dict[Edition, str], tmp_path: Path) -> None:
    assert render_html(_context(Edition.E2019, tmp_path)) == pages[Edition.E2019]


def test_packaged_template_equals_the_source() -> None:
    assert template_text() == (ROOT / "templates" / "report.html").read_text(encoding="utf-8")


# --- a real browser -----------------------------------------------------------------------------

CELLS_SCRIPT = """
return Array.from(document.getElementById(arguments[0]).querySelectorAll('th, td')).map(function (cell) {
  var box = cell.getBoundingClientRect();
  return {tag: cell.tagName.toLowerCase(), text: cell.textContent, left: box.left, top: box.top,
          right: box.right, bottom: box.bottom, border: getComputedStyle(cell).borderTopWidth};
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium("1000,1400") as driver:
        yield driver


def _lines(values: list[float]) -> list[float]:
    """Return the distinct grid lines among cell edges (edges within a pixel are one line)."""
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > 1.0:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - value))


def layout_grid(cells: list[dict[str, Any]]) -> list[tuple[int, int, int, int, str]]:
    """Return (row, col, rowspan, colspan, text) of each cell from its box alone, '#' for a number cell."""
    xs = _lines([c["left"] for c in cells] + [max(c["right"] for c in cells)])
    ys = _lines([c["top"] for c in cells] + [max(c["bottom"] for c in cells)])
    found = []
    for c in cells:
        row, col = _index(ys, c["top"]), _index(xs, c["left"])
        rowspan, colspan = _index(ys, c["bottom"]) - row, _index(xs, c["right"]) - col
        text = "#" if c["tag"] == "td" else "".join(c["text"].split())
        found.append((row, col, rowspan, colspan, text))
    return sorted(found)


def _expected(edition: Edition, key: str) -> list[tuple[int, int, int, int, str]]:
    reference = GRIDS["editions"][edition.value]["tables"][key]
    return sorted(
        (c["row"], c["col"], c["rowspan"], c["colspan"], "".join(c["text"].split())) for c in reference["cells"]
    )


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_browser_lays_out_the_official_grid(browser: Any, pages: dict[Edition, str], edition: Edition) -> None:
    """Every cell of each table sits in the row and column format-grids.json gives it; screenshots."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / f"report-{edition.value}.html"
    page.write_text(pages[edition], encoding="utf-8")
    browser.set_window_size(1000, 1400)
    browser.get(page.as_uri())
    for key, table_id in TABLE_IDS.items():
        cells = browser.execute_script(CELLS_SCRIPT, table_id)
        assert layout_grid(cells) == _expected(edition, key), key
        assert {c["border"] for c in cells} == {"1px"}
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1000, height)  # the whole page in one screenshot, every table in view
    screenshot = OUTPUT / f"report-{edition.value}.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
    for key, table_id in TABLE_IDS.items():
        browser.find_element("id", table_id).screenshot(str(OUTPUT / f"report-{edition.value}-{key}.png"))


def test_pasted_table_keeps_its_grid_and_borders(browser: Any, pages: dict[Edition, str]) -> None:
    """A table copied out of the page alone (as into a CMS editor, no style sheet) keeps its layout."""
    document = _parse_strict(pages[Edition.E2021])
    start = pages[Edition.E2021].index('<table id="table-3"')
    table = pages[Edition.E2021][start : pages[Edition.E2021].index("</table>", start) + len("</table>")]
    assert document is not None
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pasted = OUTPUT / "pasted-table-3.html"
    pasted.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><title>pasted</title><div style="width:640px">{table}</div>',
        encoding="utf-8",
    )
    browser.set_window_size(1000, 1400)
    browser.get(pasted.as_uri())
    cells = browser.execute_script(CELLS_SCRIPT, "table-3")
    assert layout_grid(cells) == _expected(Edition.E2021, "表三")
    assert {c["border"] for c in cells} == {"1px"}


def test_print_gives_a4_pages(browser: Any, pages: dict[Edition, str]) -> None:
    """The print style sheet's ``@page`` makes A4 pages (as the Word report), whatever the printer default."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / "report-2021.html"
    page.write_text(pages[Edition.E2021], encoding="utf-8")
    browser.get(page.as_uri())
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    pdf = base64.b64decode(printed["data"])
    (OUTPUT / "report-2021.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert boxes
    for width, height in boxes:  # A4: 210 × 297 mm = 595.3 × 841.9 pt
        assert abs(float(width) - 595.3) < 1.5 and abs(float(height) - 841.9) < 1.5


# --- the Nu HTML Checker ------------------------------------------------------------------------


def test_nu_html_checker_finds_no_error(pages: dict[Edition, str], tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        missing("Java", "apt-get install default-jre-headless")
    if not VNU_JAR.is_file():
        missing("the Nu HTML Checker", f"npm install vnu-jar into {VNU_JAR.parents[3]}")
    files = []
    for edition, page in pages.items():
        files.append(tmp_path / f"report-{edition.value}.html")
        files[-1].write_text(page, encoding="utf-8")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(render_html(_context(Edition.E2021, tmp_path, **{"五、存在的主要问题及改进情况": HOSTILE})))
    files.append(hostile)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], errors


# --- printed from the browser (issue 12) ----------------------------------------------------------


@pytest.mark.parametrize("example", ["county-government-2024", "county-bureau-2020"])
def test_printed_page_numbers_tables_and_title(browser: Any, example: str) -> None:
    """Printed from Chromium: “— N —” on every page (odd right, even left), no 表二 block and no
    表三 group split across pages, a bold title."""
    from tests.render.test_print import LEFT, RIGHT, Line, blocks, groups, on_one_page, read_lines

    if shutil.which("pdftotext") is None:
        missing("pdftotext", "apt-get install poppler-utils")
    context = build_context(validate_file(ROOT / "examples" / f"{example}.yaml").report)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = OUTPUT / f"{example}.html"
    page.write_text(render_html(context), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.execute_script("return getComputedStyle(document.querySelector('h1')).fontWeight") == "700"
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    pdf = OUTPUT / f"{example}.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    lines = read_lines(pdf)
    pages = max(line.page for line in lines)
    assert pages >= 3
    for number in range(1, pages + 1):
        footer = [line for line in lines if line.page == number and re.fullmatch(rf"—{number}—", line.text)]
        assert len(footer) == 1, number
        if number % 2:
            assert footer[0].x1 > RIGHT - 40, number  # odd pages: right
        else:
            assert footer[0].x0 < LEFT + 40, number  # even pages: left
    headings = [part.heading for part in context.parts]

    def between(start: str, end: str) -> list[Line]:
        first = next(i for i, line in enumerate(lines) if line.text == start)
        return [line for line in lines[first:] if not re.fullmatch(r"—\d+—", line.text)][
            : next(i for i, line in enumerate(lines[first:]) if line.text == end)
        ]

    for block in blocks(context.grids["表二"]):
        assert len(on_one_page(between(headings[1], headings[2]), block)) == 1, block
    for labels in groups(context.grids["表三"]):
        assert len(on_one_page(between(headings[2], headings[3]), labels)) == 1, labels
