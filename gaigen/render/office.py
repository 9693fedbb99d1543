"""Old Word and WPS files (.doc, .wps) to .docx with the LibreOffice gaigen already uses for PDF.

One ``soffice --headless --convert-to docx`` call per file, with its own throw-away profile and a
time limit (DECISIONS §10: python3-uno is never imported). The input is copied into a private
folder first (LibreOffice leaves lock files beside what it opens); the .docx comes back as bytes
and the folder is removed. Nothing is written beside the input.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gaigen.core.errors import InputError
from gaigen.render.pdf import INSTALL_HINT, LibreOfficeMissingError, soffice_path

CONVERT_TIMEOUT = 120.0
OLD_WORD_SUFFIXES = (".doc", ".wps")


def docx_from_old_word(path: Path, name: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """Return the .docx LibreOffice makes of the .doc or .wps at ``path``.

    Raise ``LibreOfficeMissingError`` when LibreOffice is not installed, ``InputError`` when it
    cannot convert the file.
    """
    office = soffice_path()
    if office is None:
        raise LibreOfficeMissingError(
            f"{name}：旧版 Word/WPS 文件（{path.suffix}）要先用 LibreOffice 转为 .docx 才能读取，但未找到 LibreOffice"
            f"（soffice）。请先安装：{INSTALL_HINT}，或在 Word/WPS 中“另存为” .docx 后再试。"
        )
    with tempfile.TemporaryDirectory(prefix="gaigen-doc-") as folder:
        root = Path(folder)
        source = root / f"report{path.suffix.lower()}"
        shutil.copyfile(path, source)
        command = [
            str(office),
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(root / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as error:
            raise InputError(f"{name}：LibreOffice 转换超过 {timeout:.0f} 秒仍未完成，没有读取。") from error
        made = root / "out" / "report.docx"
        if not made.is_file() or made.stat().st_size == 0:
            raise InputError(
                f"{name}：LibreOffice 无法把这个文件转为 .docx（文件已损坏，或并非 Word/WPS 文档）。"
                "请在 Word 或 WPS 中打开并“另存为” .docx 后再试。"
            )
        return made.read_bytes()
