"""Files that are not usable reports: one clear Chinese line, exit code 2, no traceback, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from gaigen.cli.commands import main
from gaigen.importing.docx import MAX_PART_BYTES, OLE_MAGIC
from gaigen.importing.html import MAX_HTML_BYTES


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _word(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _bomb(path: Path) -> Path:
    """Return a small .docx whose word/document.xml inflates past the limit (a zip bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            chunk = b" " * (1024 * 1024)
            for _ in range(MAX_PART_BYTES // len(chunk) + 2):
                stream.write(chunk)
    path.write_bytes(buffer.getvalue())
    return path


CASES = {
    "not-a-report.docx": (
        lambda p: _word(p, ["会议纪要", "一、会议议题", "讨论了下一年度的工作安排。"]),
        "{f}：这不像是一份政府信息公开工作年度报告：没有找到表二、表三、表四，也没有找到“一、总体情况”“二、主动公开政府信息情况”等标题。请确认选择的是年度报告文件。",
    ),
    "bomb.docx": (
        _bomb,
        "{f}：Word 正文解压后超过 32 MB，不像是一份政府信息公开工作年度报告（也可能是恶意构造的压缩文件），没有读取。",
    ),
    "encrypted.docx": (
        lambda p: p.write_bytes(OLE_MAGIC + b"\0" * 4096),
        "{f}：这是加密（设有打开密码）的 Word 文件或旧版 .doc 文件，无法读取。请在 Word 中取消密码，或“另存为” .docx 后再试。",
    ),
    "corrupt.docx": (
        lambda p: p.write_bytes(b"PK\x03\x04" + b"\x13" * 200),
        "{f}：不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）。请在 Word 或 WPS 中打开并“另存为” .docx 后再试。",
    ),
    "truncated.docx": (
        lambda p: p.write_bytes(_word(p, ["x"]).read_bytes()[:-300]),
        "{f}：不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）。请在 Word 或 WPS 中打开并“另存为” .docx 后再试。",
    ),
    "zip-without-word.docx": (
        lambda p: p.write_bytes(_zip({"hello.txt": b"hello"})),
        "{f}：这个 .docx 中没有 Word 正文（word/document.xml），不是 Word 文档。请确认文件是 Word 或 WPS 保存的报告。",
    ),
    "entities.docx": (
        lambda p: p.write_bytes(
            _zip({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'})
        ),
        "{f}：不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）。请在 Word 或 WPS 中打开并“另存为” .docx 后再试。",
    ),
    "huge.html": (
        lambda p: p.write_bytes(b"<p>" + b"x" * (MAX_HTML_BYTES + 10)),
        "{f}：文件超过 20 MB，不像是一份政府信息公开工作年度报告。请检查是否选错了文件。",
    ),
    "empty.txt": (
        lambda p: p.write_bytes(b""),
        "{f}：这不像是一份政府信息公开工作年度报告：没有找到表二、表三、表四，也没有找到“一、总体情况”“二、主动公开政府信息情况”等标题。请确认选择的是年度报告文件。",
    ),
    "broken.pdf": (
        lambda p: p.write_bytes(b"%PDF-1.4"),
        "{f}：不是有效的 PDF 文件（文件已损坏，或并非 PDF）。请确认文件完整后再试。",
    ),
    "report.odt": (
        lambda p: p.write_bytes(b"PK"),
        "{f}：不支持这种文件（.odt）。请给出 .docx、.doc、.wps、.pdf、.txt、.md、.html 或 .htm 格式的年度报告。",
    ),
}


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["import", "check"])
def test_unusable_report(
    case: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    make(tmp_path / case)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run([command, case], capsys)
    assert code == 2
    text = err if command == "import" else out
    if command == "check" and case == "report.odt":
        expected = (
            "{f}：不支持这种文件（.odt）。gaigen check 可以审阅 .docx、.doc、.wps、.pdf、.txt、.md、.html、.htm "
            "格式的年度报告和 .yaml、.json 数据文件。"
        )
    assert text == expected.format(f=case) + "\n"
    assert "Traceback" not in out + err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_missing_report_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.txt").mkdir()
    assert run(["import", "none.docx"], capsys)[2] == "none.docx：找不到这个文件。请检查文件名和所在文件夹。\n"
    code, _out, err = run(["import", "folder.txt"], capsys)
    assert (code, err) == (2, "folder.txt：这是一个文件夹，不是报告文件。请给出 .docx、.txt 或 .html 文件。\n")


def test_deeply_nested_html_is_read_without_crashing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<div>" * 5000 + "一、总体情况" + "</div>" * 5000, encoding="utf-8")
    code, _out, err = run(["import", str(page), "-o", str(tmp_path / "out.yaml")], capsys)
    assert code == 2
    assert "这不像是一份政府信息公开工作年度报告" in err
