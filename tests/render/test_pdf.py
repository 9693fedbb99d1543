"""PDF through a real LibreOffice: text, pages and fonts read back with poppler (DECISIONS §9, §10, §16).

Tests that need LibreOffice, poppler or the CJK fonts skip on a machine without them, and fail
instead when ``CI`` is set. One converter is shared by the module: LibreOffice starts in 1–2 s.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from gaigen.core.errors import GaigenError, InputError, OutputError
from gaigen.render import libreoffice
from gaigen.render.pdf import (
    INSTALL_HINT,
    OFFICIAL_CJK_FONTS,
    LibreOfficeMissingError,
    PdfConversionError,
    PdfConverter,
    PdfError,
    font_aliases,
    install_hint,
    soffice_path,
)

TITLE = "某某市人民政府2024年政府信息公开工作年度报告"
HEADING = "一、总体情况"
SUBHEADING = "（一）主动公开"
BODY = "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，共主动公开政府信息1234条。"
SECOND_PAGE = "第二页：政府信息公开工作存在的主要问题及改进情况。"
CELL = "行政许可"
CJK_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "AR PL UMing CN")

MISSING_MESSAGE = (
    f"未找到 LibreOffice（soffice），无法生成 PDF。请先安装：{INSTALL_HINT}（或把 soffice 所在目录加入 PATH）。"
)


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping")
    pytest.skip(reason)


def _need_office() -> None:
    _need(
        soffice_path() is not None, "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    )
    for tool in ("pdftotext", "pdfinfo", "pdffonts"):
        _need(shutil.which(tool) is not None, f"{tool} is not installed: apt-get install poppler-utils")
    _need(shutil.which("fc-list") is not None, "fontconfig is not installed: apt-get install fontconfig")
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    for family, package in (
        ("Noto Serif CJK SC", "fonts-noto-cjk"),
        ("Noto Sans CJK SC", "fonts-noto-cjk"),
        ("AR PL UKai CN", "fonts-arphic-ukai"),
    ):
        _need(family in families, f"font {family} is not installed: apt-get install {package}")


# -- documents ---------------------------------------------------------------------------------


def _run(paragraph: object, text: str, east_asian: str, size: float) -> None:
    run = paragraph.add_run(text)  # type: ignore[attr-defined]
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _report(path: Path, *, pages: int = 1, table: bool = True) -> Path:
    """Write a small report in the official fonts: title, headings, body, a table, a page number."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _run(document.add_paragraph(), TITLE, "方正小标宋简体", 22)
    _run(document.add_paragraph(), HEADING, "黑体", 16)
    _run(document.add_paragraph(), SUBHEADING, "楷体_GB2312", 16)
    _run(document.add_paragraph(), BODY, "仿宋_GB2312", 16)
    if table:
        grid = document.add_table(rows=2, cols=3)
        grid.style = "Table Grid"
        for r, row in enumerate(grid.rows):
            for c, cell in enumerate(row.cells):
                _run(cell.paragraphs[0], CELL if (r, c) == (0, 0) else str(r * 10 + c), "仿宋_GB2312", 12)
    for _ in range(pages - 1):
        breaker = document.add_paragraph().add_run()
        breaker.add_break(WD_BREAK.PAGE)
        _run(document.add_paragraph(), SECOND_PAGE, "仿宋_GB2312", 16)
    _run(section.footer.paragraphs[0], "— 1 —", "宋体", 14)
    document.save(str(path))
    return path


def _broken_docx(path: Path, good: Path) -> Path:
    """Write a .docx whose package is sound but whose document.xml is cut off halfway."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return path


# -- poppler -----------------------------------------------------------------------------------


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


@dataclass
class Font:
    name: str
    type: str
    embedded: bool


def _fonts(pdf: Path) -> list[Font]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    fonts = []
    for row in rows:
        # name type… encoding emb sub uni object ID: the type may hold spaces ("CID Type 0C").
        match = re.match(r"(\S+)\s+(.+?)\s{2,}\S+\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row)
        assert match, row
        name = match.group(1).split("+", 1)[-1]
        fonts.append(Font(name, match.group(2).strip(), match.group(3) == "yes"))
    return fonts


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    """Return True when ``pid`` is neither running nor a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    # The id may have been given to an unrelated process since; ours would be soffice.
    return "soffice" not in status.split("\n", 1)[0]


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converter() -> Iterator[PdfConverter]:
    _need_office()
    with PdfConverter(workers=1) as pdf:
        yield pdf


@dataclass
class Batch:
    sources: list[Path]
    pdfs: list[Path]
    out_dir: Path
    starts_before: int
    starts_after: int
    pids_before: list[int]
    pids_after: list[int]
    offices_after: list[int]


@pytest.fixture(scope="module")
def batch(converter: PdfConverter, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    folder = tmp_path_factory.mktemp("docx")
    sources = [
        _report(folder / "report-a.docx"),
        _report(folder / "report-b.docx", pages=2),
        _report(folder / "报告 丙.docx", table=False),
        _report(folder / "report-d.docx"),
    ]
    out_dir = tmp_path_factory.mktemp("pdf")
    starts_before, pids_before = converter.starts, converter.pids
    pdfs = converter.convert(sources, out_dir)
    offices = [
        pid
        for pid in _processes_mentioning(str(converter.fontconfig_file.parent))
        if "--view" in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    ]
    return Batch(sources, pdfs, out_dir, starts_before, converter.starts, pids_before, converter.pids, offices)


# -- without LibreOffice -----------------------------------------------------------------------


def test_missing_soffice_gives_the_chinese_install_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(libreoffice, "_installed_locations", lambda platform: [str(tmp_path / "soffice")])
    assert soffice_path() is None
    with pytest.raises(LibreOfficeMissingError) as caught, PdfConverter():
        pytest.fail("the converter started without LibreOffice")
    assert str(caught.value) == MISSING_MESSAGE
    assert isinstance(caught.value, GaigenError)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("platform", "hint"),
    [
        (
            "linux",
            "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-arphic-ukai（Debian、Ubuntu）",
        ),
        ("darwin", "brew install --cask libreoffice，或从 https://zh-cn.libreoffice.org 下载并安装 LibreOffice"),
        ("win32", "从 https://zh-cn.libreoffice.org 下载并安装 LibreOffice（安装后无需重启 gaigen）"),
    ],
)
def test_the_install_hint_fits_the_platform(platform: str, hint: str) -> None:
    assert install_hint(platform) == hint


def test_soffice_is_found_where_the_installer_puts_it_when_not_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    program = tmp_path / "Programs" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice.exe"
    soffice.write_text("")
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Programs"))
    assert soffice_path("win32") == soffice
    app = Path.home() / "Applications" / "LibreOffice.app/Contents/MacOS/soffice"
    assert str(app) in libreoffice._installed_locations("darwin")
    assert "/usr/lib/libreoffice/program/soffice" in libreoffice._installed_locations("linux")


def test_a_given_soffice_that_does_not_exist_is_missing_too(tmp_path: Path) -> None:
    with pytest.raises(LibreOfficeMissingError) as caught, PdfConverter(soffice=tmp_path / "soffice"):
        pytest.fail("the converter started without LibreOffice")
    assert str(caught.value) == MISSING_MESSAGE


def test_missing_cjk_fonts_are_reported_before_libreoffice_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _need(shutil.which("fc-match") is not None, "fontconfig is not installed: apt-get install fontconfig")
    no_fonts = tmp_path / "no-fonts.conf"
    no_fonts.write_text('<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(tmp_path) + "</cachedir></fontconfig>\n")
    monkeypatch.setenv("FONTCONFIG_FILE", str(no_fonts))
    true = shutil.which("true")
    assert true is not None
    with pytest.raises(PdfError) as caught, PdfConverter(soffice=Path(true)):
        pytest.fail("the converter started without CJK fonts")
    assert str(caught.value).startswith("未找到中文字体：方正小标宋简体 只能用 ")
    assert str(caught.value).endswith(
        " 代替，PDF 中的汉字无法正常显示。请先安装：apt-get install fonts-noto-cjk fonts-arphic-ukai。"
    )
    assert caught.value.exit_code == 2


def test_the_aliases_cover_every_official_font_and_end_in_a_cjk_font() -> None:
    aliases = font_aliases()
    for name in (*OFFICIAL_CJK_FONTS, "Times New Roman"):
        assert name in aliases, name
        assert aliases[name][-1] in CJK_FONTS, aliases[name]


# -- with LibreOffice --------------------------------------------------------------------------


def test_the_chinese_text_comes_out(batch: Batch) -> None:
    texts = [_text(pdf) for pdf in batch.pdfs]
    for text in texts:
        for expected in (TITLE, HEADING, SUBHEADING, BODY):
            assert expected in text
    assert CELL in texts[0]
    assert SECOND_PAGE in texts[1]
    assert CELL not in texts[2]


def test_pdfs_are_named_after_the_docx_in_input_order_and_nothing_else_is_left(batch: Batch) -> None:
    assert batch.pdfs == [batch.out_dir / f"{source.stem}.pdf" for source in batch.sources]
    assert sorted(p.name for p in batch.out_dir.iterdir()) == sorted(p.name for p in batch.pdfs)


def test_page_counts(batch: Batch) -> None:
    assert [_pages(pdf) for pdf in batch.pdfs] == [1, 2, 1, 1]


def test_every_font_is_embedded_and_cjk_text_is_in_the_alias_targets(batch: Batch) -> None:
    fonts = _fonts(batch.pdfs[0])
    assert fonts
    assert all(font.embedded for font in fonts), fonts
    assert not [font for font in fonts if "Type 3" in font.type], fonts
    names = [font.name for font in fonts]
    assert not [name for name in names if "DejaVu" in name or "OpenSymbol" in name], names
    # 方正小标宋简体 → Noto Serif CJK SC Bold; 仿宋_GB2312 → FandolFang (else Noto Serif CJK SC);
    # 黑体 → Noto Sans CJK SC; 楷体_GB2312 → LXGW WenKai (else FandolKai, AR PL UKai CN);
    # Times New Roman → Liberation Serif.
    assert any(name.startswith("NotoSerifCJK") and "Bold" in name for name in names), names
    assert any(name.startswith(("FandolFang", "NotoSerifCJK")) and "Regular" in name for name in names), names
    assert any(name.startswith("NotoSansCJK") for name in names), names
    assert any(name.startswith(("LXGWWenKai", "FandolKai")) or "UKai" in name for name in names), names
    allowed = (
        "NotoSerifCJK",
        "NotoSansCJK",
        "FandolFang",
        "FandolKai",
        "LXGWWenKai",
        "UKai",
        "UMing",
        "LiberationSerif",
    )
    assert all(name.startswith(allowed) or "UKai" in name for name in names), names


def test_the_official_names_resolve_to_the_alias_targets(converter: PdfConverter) -> None:
    env = {**os.environ, "FONTCONFIG_FILE": str(converter.fontconfig_file)}
    aliases = font_aliases()
    for name in (*OFFICIAL_CJK_FONTS, "Times New Roman"):
        found = subprocess.run(
            ["fc-match", "--format=%{family}", name], capture_output=True, text=True, env=env, check=True
        ).stdout
        assert found.split(",")[0] in aliases[name], (name, found)


def test_one_office_is_started_for_all_the_files(batch: Batch) -> None:
    assert batch.starts_after == batch.starts_before
    assert batch.pids_after == batch.pids_before
    assert len(batch.pids_after) == 1
    assert batch.offices_after == batch.pids_after


def test_convert_bytes_returns_a_pdf(converter: PdfConverter, tmp_path: Path) -> None:
    data = converter.convert_bytes(_report(tmp_path / "r.docx").read_bytes(), "某某市报告")
    assert data.startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == [tmp_path / "r.docx"]


def test_a_file_that_is_not_a_docx_is_named_and_nothing_is_converted(converter: PdfConverter, tmp_path: Path) -> None:
    good = _report(tmp_path / "good.docx")
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(os.urandom(4096))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(PdfConversionError) as caught:
        converter.convert([good, bad], out_dir)
    assert str(caught.value) == f"{bad}：不是有效的 Word 文档（.docx），无法转换为 PDF。请确认文件完整，或重新生成。"
    assert caught.value.exit_code == 2
    assert list(out_dir.iterdir()) == []


def test_a_docx_libreoffice_cannot_read_is_named_and_leaves_no_pdf(converter: PdfConverter, tmp_path: Path) -> None:
    good = _report(tmp_path / "good.docx")
    broken = _broken_docx(tmp_path / "broken.docx", good)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(PdfConversionError) as caught:
        converter.convert([broken, good], out_dir)
    [(failed, message)] = caught.value.failures
    assert failed == broken
    assert message.startswith(f"{broken}：LibreOffice 未能将此文件转换为 PDF（")
    assert message.endswith("）。请用 Word 或 WPS 打开检查该文件，或重新生成。")
    # The other file is converted all the same; nothing partial is left for the broken one.
    assert caught.value.converted == [out_dir / "good.pdf"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.pdf"]


def test_a_conversion_past_its_time_limit_is_stopped_and_the_next_file_works(
    converter: PdfConverter, tmp_path: Path
) -> None:
    source = _report(tmp_path / "slow.docx")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    [stuck] = converter.pids
    starts = converter.starts
    with pytest.raises(PdfConversionError) as caught:
        converter.convert([source], out_dir, timeout=0.01)
    assert str(caught.value) == (
        f"{source}：LibreOffice 转换 PDF 超过 0.01 秒仍未完成，已中止，未生成 PDF。"
        "请确认该文件能用 Word 或 WPS 正常打开，或用 --timeout 加大时限。"
    )
    assert list(out_dir.iterdir()) == []
    assert _gone(stuck)
    assert converter.convert([source], out_dir) == [out_dir / "slow.pdf"]
    assert converter.starts == starts + 1


def test_files_go_through_the_bridge_when_a_python_has_uno(converter: PdfConverter) -> None:
    binary = libreoffice.office_binary(None)
    _need(libreoffice.office_python(binary) is not None, "python3-uno is not installed: apt-get install python3-uno")
    assert converter.bridged
    assert len(converter.bridge_pids) == 1


def test_a_conversion_that_loses_its_bridge_is_tried_again_on_a_fresh_office(
    converter: PdfConverter, tmp_path: Path
) -> None:
    _need(converter.bridged, "python3-uno is not installed: apt-get install python3-uno")
    [bridge] = converter.bridge_pids
    [office] = converter.pids
    starts = converter.starts
    os.kill(bridge, signal.SIGKILL)
    data = converter.convert_bytes(_report(tmp_path / "r.docx").read_bytes(), "某某市报告")
    assert data.startswith(b"%PDF-")
    assert converter.starts == starts + 1
    assert _gone(office) and converter.pids != [office]


def test_without_the_bridge_each_file_is_handed_over_by_a_client_call(tmp_path: Path) -> None:
    _need_office()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    good = _report(tmp_path / "a.docx")
    broken = _broken_docx(tmp_path / "broken.docx", good)
    with PdfConverter(bridge=False) as pdf:
        assert not pdf.bridged and pdf.bridge_pids == []
        assert pdf.convert([good], out_dir) == [out_dir / "a.pdf"]
        with pytest.raises(PdfConversionError) as caught:
            pdf.convert([broken], out_dir)  # tried twice (a silent client call), then named
    assert _pages(out_dir / "a.pdf") == 1
    [(failed, message)] = caught.value.failures
    assert failed == broken and message.startswith(f"{broken}：LibreOffice 未能将此文件转换为 PDF（")
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.pdf"]


def test_missing_input_and_missing_output_folder(converter: PdfConverter, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件不存在"):
        converter.convert([tmp_path / "none.docx"], tmp_path)
    with pytest.raises(OutputError, match="输出文件夹不存在"):
        converter.convert([_report(tmp_path / "a.docx")], tmp_path / "missing")


def test_two_offices_are_ended_and_cleaned_up_when_the_block_raises(tmp_path: Path) -> None:
    _need_office()
    sources = [_report(tmp_path / f"r{i}.docx") for i in range(4)]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    pipes_before = set(Path("/tmp").glob("OSL_PIPE_*"))
    with pytest.raises(RuntimeError, match="stop"), PdfConverter(workers=2) as pdf:
        assert pdf.convert(sources, out_dir) == [out_dir / f"r{i}.pdf" for i in range(4)]
        assert len(set(Path("/tmp").glob("OSL_PIPE_*")) - pipes_before) >= 2  # each office's pipes
        pids = pdf.pids
        root = pdf.fontconfig_file.parent
        assert len(pids) == 2
        assert pdf.starts == 2
        raise RuntimeError("stop")
    assert all(_gone(pid) for pid in pids)
    assert not root.exists()
    assert _processes_mentioning(str(root)) == []
    assert set(Path("/tmp").glob("OSL_PIPE_*")) <= pipes_before  # no pipe left behind in /tmp
    assert all(_pages(out_dir / f"r{i}.pdf") == 1 for i in range(4))
