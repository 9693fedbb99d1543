"""The official fonts of a report, whether this machine has them, and what stands in for them.

The .docx names the fonts of GB/T 9704 (DECISIONS §9). A clerk's Word or WPS has them; this machine
usually does not. ``font_report`` asks fontconfig, for each official font: is it installed, which
face the PDF will use (gaigen's aliases, ``gaigen/templates/fonts.conf``), and which face other
programs on this machine (a desktop LibreOffice) pick without those aliases.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gaigen.render.pdf import PdfError, font_aliases, fontconfig_environment

# Each font the .docx names, with what it sets.
OFFICIAL_FONTS = (
    ("方正小标宋简体", "标题"),
    ("仿宋_GB2312", "正文、表格、落款"),
    ("黑体", "一级标题"),
    ("楷体_GB2312", "二级标题"),
    ("宋体", "页码"),
    ("Times New Roman", "数字和西文"),
)
FONTCONFIG_HINT = "apt-get install fontconfig"


@dataclass(frozen=True)
class FontStatus:
    name: str  # as the .docx names it
    use: str  # what it sets
    installed: bool
    pdf_face: str  # the face gaigen's PDF uses ("" when fontconfig finds none)
    preferred: tuple[str, ...]  # the free faces gaigen's aliases list, best first
    plain_face: str  # the face other programs on this machine use, without gaigen's aliases


def aliases_file() -> Path:
    """Return the packaged fontconfig aliases (to copy into ~/.config/fontconfig/conf.d/)."""
    return Path(str(resources.files("gaigen").joinpath("templates/fonts.conf")))


def font_report() -> list[FontStatus]:
    """Return the status of each official font. Raises ``PdfError`` without fontconfig."""
    fc_match, fc_list = shutil.which("fc-match"), shutil.which("fc-list")
    if fc_match is None or fc_list is None:
        raise PdfError(f"未找到 fontconfig（fc-match、fc-list），无法查看字体。请先安装：{FONTCONFIG_HINT}。")
    aliases = font_aliases()
    with tempfile.TemporaryDirectory(prefix="gaigen-fonts-") as folder:
        env = fontconfig_environment(Path(folder))
        found = []
        for name, use in OFFICIAL_FONTS:
            # LibreOffice asks for a Chinese font in the language of the text
            pattern = f"{name}:lang=zh-cn" if name != "Times New Roman" else name
            found.append(
                FontStatus(
                    name=name,
                    use=use,
                    installed=bool(_run([fc_list, f":family={name}", "family"]).strip()),
                    pdf_face=_family(_run([fc_match, "--format=%{family}", pattern], env)),
                    preferred=aliases.get(name, ()),
                    plain_face=_family(_run([fc_match, "--format=%{family}", pattern])),
                )
            )
        return found


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def _family(text: str) -> str:
    """Return the first name of a fontconfig family list (``Noto Serif CJK SC,Noto Serif CJK``)."""
    return text.split(",")[0].strip()
