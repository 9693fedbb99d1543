"""``gaigen fonts`` and the fonts of the .docx: official names, what stands in for them, fallbacks."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from gaigen.cli.commands import main
from gaigen.render import fonts
from gaigen.render.fonts import OFFICIAL_FONTS, font_report
from gaigen.render.pdf import font_aliases
from gaigen.render.word import template_bytes
from gaigen.spec.layout import Edition
from tests.render.test_pdf import _need

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Each official CJK font falls back, in Word, to a face of the same style that Windows has.
ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei", "宋体": "SimSun"}


def _need_fontconfig() -> None:
    _need(shutil.which("fc-match") is not None, "fontconfig is not installed: apt-get install fontconfig")


@pytest.mark.parametrize("edition", list(Edition), ids=lambda e: e.value)
def test_font_table_names_a_fallback_of_the_same_style(edition: Edition) -> None:
    with zipfile.ZipFile(io.BytesIO(template_bytes(edition))) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
    alternatives = {
        font.get(f"{W}name"): font.find(f"{W}altName").get(f"{W}val")  # type: ignore[union-attr]
        for font in table.iter(f"{W}font")
        if font.find(f"{W}altName") is not None
    }
    assert alternatives == ALT_NAMES


def test_report_covers_every_official_font_and_maps_each_to_its_alias() -> None:
    _need_fontconfig()
    aliases = font_aliases()
    report = font_report()
    assert [status.name for status in report] == [name for name, _ in OFFICIAL_FONTS]
    for status in report:
        assert status.preferred == aliases[status.name]
        if not status.installed:
            # the PDF's face is one of gaigen's aliases for that name, never a stray Sans
            assert status.pdf_face in status.preferred, status


def test_body_and_heading_faces_are_fangsong_and_kai_where_installed() -> None:
    _need_fontconfig()
    faces = {status.name: status for status in font_report()}
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    _need("LXGW WenKai" in families, "font LXGW WenKai is not installed: apt-get install fonts-lxgw-wenkai")
    assert faces["楷体_GB2312"].pdf_face == "LXGW WenKai"
    assert faces["仿宋_GB2312"].preferred[0] == "FandolFang"
    _need(
        faces["仿宋_GB2312"].pdf_face == "FandolFang",
        "font FandolFang is not installed: apt-get install --no-install-recommends texlive-lang-chinese",
    )


def test_fonts_command_lists_each_font(capsys: pytest.CaptureFixture[str]) -> None:
    _need_fontconfig()
    assert main(["fonts"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for name, use in OFFICIAL_FONTS:
        assert f"{name}（{use}）：" in out
    assert "60-gaigen.conf" in out


def test_fonts_command_without_fontconfig(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    assert main(["fonts"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "未找到 fontconfig（fc-match、fc-list），无法查看字体。请先安装：apt-get install fontconfig。\n"
