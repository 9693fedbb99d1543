"""``gaigen render --format pdf`` on a real report of each edition: text, pages and fonts of the PDF.

Needs LibreOffice and poppler: skips without them, fails instead under CI (DECISIONS §16).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gaigen.api import reports as api
from gaigen.render.pdf import PdfConverter
from tests.render.test_pdf import _need_office

ROOT = Path(__file__).resolve().parents[2]
REPORTS = [ROOT / "examples" / "county-bureau-2020.yaml", ROOT / "examples" / "county-government-2024.yaml"]


@pytest.fixture(scope="module")
def converter() -> object:
    _need_office()
    with PdfConverter() as pdf:
        yield pdf


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("example", REPORTS, ids=lambda p: p.stem)
def test_pdf_of_each_edition(example: Path, tmp_path: Path, converter: PdfConverter) -> None:
    result = api.render_file(example, tmp_path, ("pdf",), pdf=converter)
    (pdf,) = result.outputs
    report = result.validation.report
    assert pdf.name == f"{report.year}年{report.agency}政府信息公开工作年度报告.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 4 <= pages <= 12
    assert "(A4)" in info
    text = "".join(_text(pdf).split())
    for expected in (
        "政府信息公开工作年度报告",
        "一、总体情况",
        "六、其他需要报告的事项",
        "本年新收政府信息公开申请数量",
        "法人或其他组织",
        "未经复议直接起诉",
        report.agency,
        f"—{pages}—",
    ):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Type 3" not in fonts and "DejaVu" not in fonts
    assert "CJK" in fonts
