"""The printed page, read from the PDF itself (issue 12): what a reviewer checks page by page.

Both editions' examples and a report with a long, punctuation-heavy narrative are rendered to PDF
by one LibreOffice and read back with poppler (``pdftotext -bbox-layout`` for the place of every
line, ``pdftohtml -xml`` for the font of every piece of text). Checked: every character of every
paragraph is printed; nothing stands outside the type area (版心); a full body line holds 28
characters and a page 22 lines; no 表二 block and no 表三 group is split across pages; no table
label leaves one character alone on a line; every Chinese character is set in a CJK face.

Needs LibreOffice and poppler: skips without them, fails instead under CI (DECISIONS §16).
"""

from __future__ import annotations

import itertools
import random
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from gaigen.api import reports as api
from gaigen.render.context import Context, build_context
from gaigen.render.pdf import PdfConverter
from gaigen.spec.grid import Grid, grids
from tests.render.test_pdf import _need_office

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "county-government-2024": ROOT / "examples" / "county-government-2024.yaml",
    "county-bureau-2020": ROOT / "examples" / "county-bureau-2020.yaml",
}
PT_PER_MM = 72 / 25.4
# The type area (版心) of GB/T 9704: 156 × 225 mm, 28 mm from the left and 37 mm from the top.
LEFT, RIGHT = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
TOP, BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM
TOLERANCE = 0.75  # pt: poppler's boxes are the glyphs' advance boxes, rounded
LINE_PITCH = 28.0  # pt, 22 lines in the 225 mm type area
INDENT = 32.0  # pt, a first line's two 三号 characters
XHTML = "{http://www.w3.org/1999/xhtml}"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_FACE = re.compile(r"CJK|UKai|UMing|WenKai|LXGW|Fandol", re.IGNORECASE)
WIDE_ONLY = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…]+")
CLOSING = "，。、；：？！）》〉」』】〕”’"


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # the line's words joined without spaces
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Printed:
    name: str
    context: Context
    pdf: Path
    lines: tuple[Line, ...]

    @property
    def pages(self) -> int:
        return max(line.page for line in self.lines)

    def body_lines(self) -> list[Line]:
        """Return the lines of body paragraphs and headings: 三号 type (~21 pt boxes), starting
        flush left or two characters in (table rows start a cell margin in; the title is centred)."""
        return [
            line
            for line in self.lines
            if 18 < line.height < 24 and line.y0 < BOTTOM and min(abs(line.x0 - LEFT), abs(line.x0 - LEFT - INDENT)) < 1
        ]


def read_lines(pdf: Path) -> tuple[Line, ...]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    found: list[Line] = []
    for number, page in enumerate(ElementTree.fromstring(xml).iter(f"{XHTML}page"), 1):
        for line in page.iter(f"{XHTML}line"):
            words = [word.text or "" for word in line.iter(f"{XHTML}word")]
            box = [float(line.get(name, "0")) for name in ("xMin", "xMax", "yMin", "yMax")]
            found.append(Line(number, "".join(words), *box))
    return tuple(found)


def long_narrative(seed: int) -> list[str]:
    """Return paragraphs whose 、，；：。 and quotes fall at every position of a line."""
    rng = random.Random(seed)
    chars = "政府信息公开工作年度报告主动依申请办理结果行政复议诉讼监督保障平台建设规范管理制度落实"
    paragraphs = []
    for _ in range(14):
        pieces = []
        for _ in range(rng.randint(18, 30)):
            word = "".join(rng.choice(chars) for _ in range(rng.randint(1, 6)))
            if rng.random() < 0.1:
                word = f"“{word}”"
            elif rng.random() < 0.08:
                word = f"《{word}》"
            pieces.append(word + rng.choice("、、、，，，，；：。"))
        paragraphs.append("".join(pieces).rstrip("、，；：。") + "。")
    return paragraphs


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Printed]]:
    _need_office()
    folder = tmp_path_factory.mktemp("print")
    sources = dict(EXAMPLES)
    data = yaml.safe_load(EXAMPLES["county-government-2024"].read_text(encoding="utf-8"))
    data["五、存在的主要问题及改进情况"] = "\n".join(long_narrative(12))
    data["机关名称"] = "某某县长篇叙述测试局"
    data["级别"] = "部门"
    sources["long-narrative"] = folder / "long-narrative.yaml"
    sources["long-narrative"].write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found: dict[str, Printed] = {}
    with PdfConverter() as converter:
        for name, source in sources.items():
            out = folder / name
            out.mkdir()
            result = api.render_file(source, out, ("pdf",), pdf=converter)
            assert not result.validation.errors, result.validation.errors
            (pdf,) = result.outputs
            found[name] = Printed(name, build_context(result.validation.report), pdf, read_lines(pdf))
    yield found


NAMES = [*EXAMPLES, "long-narrative"]


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def paragraphs(context: Context) -> Iterator[str]:
    yield context.title
    yield from context.preamble
    for part in context.parts:
        yield part.heading
        for section in part.sections:
            if section.heading:
                yield section.heading
            for paragraph in section.paragraphs:
                yield from paragraph.splitlines()
    yield context.signature
    yield context.date


@pytest.mark.parametrize("name", NAMES)
def test_every_character_is_printed(name: str, printed: dict[str, Printed]) -> None:
    report = printed[name]
    # The text in reading order, page footers left out: a paragraph runs on across a page break.
    text = compact("".join(line.text for line in report.lines if line.y0 < BOTTOM))
    for paragraph in paragraphs(report.context):
        assert compact(paragraph) in text, paragraph


@pytest.mark.parametrize("name", NAMES)
def test_nothing_outside_the_type_area(name: str, printed: dict[str, Printed]) -> None:
    for line in printed[name].lines:
        assert line.x0 >= LEFT - TOLERANCE and line.x1 <= RIGHT + TOLERANCE, line
        if line.y0 < BOTTOM:  # the page number stands below the type area, as it should
            assert line.y0 >= TOP - TOLERANCE, line


@pytest.mark.parametrize("name", NAMES)
def test_full_lines_hold_28_characters(name: str, printed: dict[str, Printed]) -> None:
    # Continuation lines (flush left) set only in full-width characters: 28 at most, 28 when full.
    lines = [
        line
        for line in printed[name].body_lines()
        if abs(line.x0 - LEFT) < 2 and WIDE_ONLY.fullmatch(line.text) and line.x1 > RIGHT - 16
    ]
    assert lines
    counts = {len(line.text) for line in lines}
    assert max(counts) == 28, sorted(counts)
    # 27 only where the 28th would be punctuation that may not start the next line (kinsoku)
    assert counts <= {27, 28}, [line.text for line in lines if len(line.text) < 27]


@pytest.mark.parametrize("name", NAMES)
def test_22_lines_a_page(name: str, printed: dict[str, Printed]) -> None:
    report = printed[name]
    most = 0
    for page in range(1, report.pages + 1):
        lines = [line for line in report.body_lines() if line.page == page]
        most = max(most, len(lines))
        assert len(lines) <= 22, page
        for upper, lower in itertools.pairwise(lines):
            # one line below the other, or two (the signature's space before); a table between
            # two paragraphs moves the text below it off the pitch
            if lower.y0 - upper.y0 < 2.5 * LINE_PITCH:
                steps = (lower.y0 - upper.y0) / LINE_PITCH
                # (to 2.8 pt: poppler's boxes follow each face's ascent: Liberation Serif digits, LXGW WenKai)
                assert abs(steps - round(steps)) < 0.1, (page, upper.text, lower.text)
    if name == "long-narrative":
        assert most == 22


def table_lines(report: Printed, start: str, end: str) -> list[Line]:
    """Return the lines between the headings ``start`` and ``end``: a table, its page footers left out."""
    lines = list(report.lines)
    first = next(i for i, line in enumerate(lines) if line.text == start)
    last = next(i for i, line in enumerate(lines) if line.text.startswith(end))
    return [line for line in lines[first + 1 : last] if line.y0 < BOTTOM]


def heading(report: Printed, index: int) -> str:
    return report.context.parts[index].heading


def blocks(grid: Grid) -> list[list[str]]:
    """Return each 表二 block as its heading (第二十条第（…）项) and the labels of its data rows."""
    found: list[list[str]] = []
    for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if cell.colspan == grid.cols:
            found.append([cell.text or ""])
        elif cell.col == 0 and cell.text and cell.text != "信息内容":
            found[-1].append(cell.text)
    return found


def on_one_page(lines: list[Line], labels: list[str]) -> set[int]:
    """Return the pages the labels are printed on (poppler orders a table's lines column by
    column, so each label is looked for wherever it is). A label is known by its first five
    characters (a wrapped label's first line holds at least those), a 表二 heading by all of it."""
    keys = [label if label.startswith("第二十条") else label[:5] for label in labels]
    return {next(line.page for line in lines if key in line.text) for key in keys}


@pytest.mark.parametrize("name", NAMES)
def test_table2_blocks_stay_on_one_page(name: str, printed: dict[str, Printed]) -> None:
    report = printed[name]
    lines = table_lines(report, heading(report, 1), heading(report, 2))
    for block in blocks(report.context.grids["表二"]):
        assert len(on_one_page(lines, block)) == 1, block


def groups(grid: Grid) -> list[list[str]]:
    """Return the leaf labels of each merged group of 表三 (（三）…（六） with sub-rows)."""
    found = []
    for cell in grid.cells:
        if cell.col == 1 and cell.rowspan > 1:
            rows = range(cell.row, cell.row + cell.rowspan)
            found.append([c.text or "" for c in grid.cells if c.col == 2 and c.row in rows])
    return found


@pytest.mark.parametrize("name", NAMES)
def test_table3_groups_stay_on_one_page(name: str, printed: dict[str, Printed]) -> None:
    report = printed[name]
    lines = table_lines(report, heading(report, 2), heading(report, 3))
    for labels in groups(report.context.grids["表三"]):
        assert len(on_one_page(lines, labels)) == 1, labels


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_label_line_holds_one_character(name: str, printed: dict[str, Printed]) -> None:
    report = printed[name]
    labels = [cell.text for grid in grids(report.context.edition) for cell in grid.cells if cell.text]
    for start, end in ((1, 2), (2, 3), (3, 4)):
        for line in table_lines(report, heading(report, start), heading(report, end)):
            text = line.text.strip(CLOSING)
            if len(text) == 1 and CJK.match(text):
                # a lone character that is a label's last: a broken label
                assert not any(label.rstrip(CLOSING).endswith(text) and len(label) > 1 for label in labels), line


@pytest.mark.parametrize("name", NAMES)
def test_every_chinese_character_is_in_a_cjk_face(name: str, printed: dict[str, Printed]) -> None:
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(printed[name].pdf)], capture_output=True, check=True
    ).stdout
    root = ElementTree.fromstring(xml)
    families = {spec.get("id"): spec.get("family", "") for spec in root.iter("fontspec")}
    seen = 0
    for text in root.iter("text"):
        content = "".join(text.itertext())
        if CJK.search(content):
            seen += 1
            family = families[text.get("font")]
            assert CJK_FACE.search(family), (family, content)
    assert seen > 50


@pytest.mark.parametrize("name", NAMES)
def test_signature_without_seal(name: str, printed: dict[str, Printed]) -> None:
    # GB/T 9704 §7.3.5.2: the date's first character two characters right of the name's first,
    # the name 右空二字, or the date when it reaches further right (both examples)
    report = printed[name]
    signature = next(line for line in report.lines if line.text == compact(report.context.signature))
    date = next(line for line in report.lines if line.text == compact(report.context.date))
    character = 15.75  # 三号 condensed to 28 a line
    assert abs(date.x0 - signature.x0 - 2 * character) < 3
    assert abs(RIGHT - max(date.x1, signature.x1) - 2 * character) < 3
    assert date.page == signature.page and abs(date.y0 - signature.y0 - LINE_PITCH) < 2.8
