"""Read any data file (YAML, JSON or an Excel workbook) into a ``Document``."""

from __future__ import annotations

from pathlib import Path

from gaigen.core.document import Document
from gaigen.core.errors import InputError
from gaigen.files.inputs import WORKBOOK_SUFFIXES
from gaigen.files.source import check_json, parse_text, read_text

# Files a clerk may give by mistake, by suffix: what they are, in the words of the message.
PUBLISHED_REPORTS = {
    ".docx": "Word 文档",
    ".doc": "Word 文档",
    ".wps": "WPS 文档",
    ".pdf": "PDF 文件",
    ".html": "网页",
    ".htm": "网页",
    ".md": "Markdown 文本",
}
OTHER_KINDS = {
    ".csv": "CSV 表格（例如 gaigen batch 的汇总表）",
    ".zip": "压缩包",
    ".rar": "压缩包",
    ".7z": "压缩包",
}


def refuse_other_kinds(path: Path, shown: str) -> None:
    """Raise ``InputError`` naming the file's kind when ``path`` is a report or a table, not a data file."""
    suffix = path.suffix.lower()
    if suffix in PUBLISHED_REPORTS:
        raise InputError(
            f"{shown}：这是一份 {PUBLISHED_REPORTS[suffix]}，看来是已发布的年度报告，不是数据文件。"
            f"审阅已发布的报告请用 gaigen check {shown}；由它生成数据文件请用 gaigen import {shown}。"
        )
    if suffix in OTHER_KINDS:
        raise InputError(
            f"{shown}：这是 {OTHER_KINDS[suffix]}，不是数据文件。请给出 .yaml、.json 数据文件或 .xlsx 工作簿。"
        )


def read_document(path: Path, name: str | None = None) -> Document:
    """Return the parsed document at ``path``; raise ``InputError`` when it cannot be used.

    A ``.xlsx`` file is read as a gaigen workbook (``gaigen.files.workbook``) into the same values;
    a published report or another kind of file is refused with a message that names its kind.
    """
    shown = name or path.name
    refuse_other_kinds(path, shown)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from gaigen.files.workbook import read_workbook  # openpyxl loads only for workbooks

        return read_workbook(path, shown)
    text, encoding = read_text(path, shown)
    if not text.strip():
        raise InputError(f"{shown}：文件是空的。请用 gaigen init 生成一份数据文件后再填写。")
    is_json = path.suffix.lower() == ".json"
    if is_json:
        check_json(text, shown)
    return parse_text(text, shown, path, encoding, json_text=is_json)
