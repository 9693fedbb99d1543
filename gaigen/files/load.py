"""Read any data file (YAML, JSON or an Excel workbook) into a ``Document``."""

from __future__ import annotations

from pathlib import Path

from gaigen.core.document import Document
from gaigen.core.errors import InputError
from gaigen.files.inputs import WORKBOOK_SUFFIXES
from gaigen.files.source import check_json, parse_text, read_text


def read_document(path: Path, name: str | None = None) -> Document:
    """Return the parsed document at ``path``; raise ``InputError`` when it cannot be used.

    A ``.xlsx`` file is read as a gaigen workbook (``gaigen.files.workbook``) into the same values.
    """
    shown = name or path.name
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
