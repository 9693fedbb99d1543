"""Reports in the forms they are published in: PDF, old Word (.doc), Markdown, ``pdftotext -layout``.

A report gaigen renders (examples/county-government-2024.yaml) is turned into each form with the
tools that make it in the wild (LibreOffice for PDF and .doc, poppler's pdftotext) and imported:
every cell must come back as it was. Tests that need LibreOffice or poppler skip without them and
fail instead when ``CI`` is set (DECISIONS §16).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaigen.api.check import check_file, in_memory_report
from gaigen.api.reports import load_report, render_file
from gaigen.cli.commands import main
from gaigen.core.totals import completed
from gaigen.importing import import_report
from gaigen.importing.build import build
from gaigen.importing.pdf import parse_pdf
from gaigen.importing.text import parse_text
from gaigen.render.context import build_context
from gaigen.render.libreoffice import INSTALL_HINT
from gaigen.render.pdf import PdfConverter, soffice_path
from gaigen.render.word import render_docx
from gaigen.spec.layout import Edition
from tests.importing.corpus import CORPUS, score
from tests.importing.test_roundtrip import _data, _report

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "county-government-2024.yaml"


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the example rendered to .docx and .pdf, and LibreOffice's .doc of it."""
    _need(
        soffice_path() is not None, "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    )
    folder = tmp_path_factory.mktemp("forms")
    written = render_file(EXAMPLE, folder, ("docx", "pdf"))
    files = {path.suffix.lstrip("."): path for path in written.outputs}
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            str(soffice_path()),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(folder),
            str(files["docx"]),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    files["doc"] = files["docx"].with_suffix(".doc")
    return files


def _same_numbers(path: Path) -> None:
    imported = import_report(path, path.name)
    want = load_report(EXAMPLE)[0]
    assert [gap.path for gap in imported.gaps] == []
    assert completed(in_memory_report(imported)) == completed(want)
    assert (imported.agency, imported.year) == (want.agency, want.year)


def test_pdf_made_by_libreoffice_reads_back_cell_for_cell(rendered: dict[str, Path]) -> None:
    _same_numbers(rendered["pdf"])
    checked = check_file(rendered["pdf"])
    assert checked.ok and not checked.warnings  # no residue of the PDF's layout is taken for a fault


def test_old_word_file_is_read_through_libreoffice(rendered: dict[str, Path]) -> None:
    _same_numbers(rendered["doc"])
    imported = import_report(rendered["doc"])
    assert imported.notes[0] == "原文件为旧版 Word/WPS 格式（.doc），已用 LibreOffice 转为 .docx 后读取。"


def test_old_word_without_libreoffice_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(
        "gaigen.render.libreoffice._installed_locations", lambda platform: []
    )  # not where installers put it
    monkeypatch.chdir(tmp_path)
    assert main(["import", "old.wps"]) == 2
    assert capsys.readouterr().err == (
        "old.wps：旧版 Word/WPS 文件（.wps）要先用 LibreOffice 转为 .docx 才能读取，但未找到 LibreOffice（soffice）。"
        f"请先安装：{INSTALL_HINT}，或在 Word/WPS 中“另存为” .docx 后再试。\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.wps"]


def test_pdftotext_layout_copy_reads_back(rendered: dict[str, Path], tmp_path: Path) -> None:
    _need(shutil.which("pdftotext") is not None, "pdftotext is not installed: apt-get install poppler-utils")
    text = tmp_path / "copy.txt"
    subprocess.run(["pdftotext", "-layout", str(rendered["pdf"]), str(text)], check=True, timeout=60)
    imported = import_report(text, text.name)
    want = completed(load_report(EXAMPLE)[0])
    got = completed(in_memory_report(imported))
    assert {cell: value for cell, value in got.items() if value is not None and value != want[cell]} == {}
    read = sum(1 for cell, value in got.items() if cell[0] == "表三" and value is not None)
    assert read == sum(1 for cell in want if cell[0] == "表三")


@pytest.mark.parametrize("pdf", sorted(CORPUS.glob("*.pdf")), ids=lambda path: path.name)
def test_pdftotext_layout_copies_of_the_real_pdfs(pdf: Path, tmp_path: Path) -> None:
    """The real PDFs of the corpus as ``pdftotext -layout`` copies them: never a wrong cell, 表三 read."""
    _need(shutil.which("pdftotext") is not None, "pdftotext is not installed: apt-get install poppler-utils")
    text = tmp_path / pdf.with_suffix(".txt").name
    subprocess.run(["pdftotext", "-layout", str(pdf), str(text)], check=True, timeout=60)
    shutil.copyfile(pdf.with_suffix(".yaml"), text.with_suffix(".yaml"))
    _imported, scores = score(text)
    assert all(result.wrong == 0 for result in scores.values())
    table3 = scores["表三"]
    assert table3.right >= 0.95 * (table3.right + table3.gaps)


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    _need(
        soffice_path() is not None, "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    )
    with PdfConverter() as pdf:
        yield pdf


@settings(max_examples=4, deadline=None)
@given(edition=st.sampled_from(list(Edition)), seed=st.integers(0, 2**32), totals=st.booleans())
def test_random_reports_as_pdf_and_as_pdftotext_read_back(
    converter: PdfConverter, edition: Edition, seed: int, totals: bool
) -> None:
    """A report gaigen renders, as LibreOffice prints it and as ``pdftotext -layout`` copies that PDF."""
    report = _report(_data(edition, seed, totals, (1, 2, 3, 4, 5, 6)))
    pdf = converter.convert_bytes(render_docx(build_context(report)))
    want = completed(report)
    from_pdf = build(parse_pdf(pdf, "report.pdf"))
    assert from_pdf.gaps == [] and completed(in_memory_report(from_pdf)) == want
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    from_text = build(parse_text(text.decode("utf-8"), "report.txt"))
    got = completed(in_memory_report(from_text))
    assert {cell: value for cell, value in got.items() if value is not None and value != want[cell]} == {}
