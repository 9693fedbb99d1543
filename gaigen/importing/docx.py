"""Read a Word report (.docx): body paragraphs and tables in order, merged cells understood.

Only ``word/document.xml`` is read, with the standard library's XML parser after these checks: the
file is a zip (an encrypted Word file is an OLE container, not a zip), the part's uncompressed size
is below a limit before anything is inflated (a zip bomb is refused by its header, and a header
that lies is caught by a bounded read), and the XML has no DTD (no entity expansion). A cell
continued by a vertical merge (``w:vMerge`` without ``restart``) is an empty cell, as in a text
copy of the table; a horizontal merge (``w:gridSpan``) is one cell.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from gaigen.core.errors import InputError
from gaigen.importing.limits import read_limited
from gaigen.importing.model import Block, Cell, Paragraph, Source, Table, Where

MAX_DOCX_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024  # uncompressed word/document.xml
MAX_ENTRIES = 5000
DOCUMENT = "word/document.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {_W + "delText", _W + "instrText", _MC + "Fallback", _W + "del", _W + "pPr", _W + "rPr"}
_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}


def read_docx(path: Path, name: str) -> Source:
    """Return the report in the .docx at ``path``; raise ``InputError`` when it cannot be read safely."""
    raw = read_limited(path, name, MAX_DOCX_BYTES)
    return parse_docx(raw, name)


def parse_docx(raw: bytes, name: str) -> Source:
    """Return the blocks of a .docx given as bytes."""
    body = _document_xml(raw, name).find(_W + "body")
    if body is None:
        raise _corrupt(name)
    reader = _Reader()
    reader.container(body)
    return Source(name=name, kind="docx", blocks=reader.blocks)


def _corrupt(name: str) -> InputError:
    return InputError(
        f"{name}：不是有效的 .docx 文件（文件已损坏，或并非 Word 文档）。请在 Word 或 WPS 中打开并“另存为” .docx 后再试。"
    )


def _inflated(name: str) -> InputError:
    return InputError(
        f"{name}：Word 正文解压后超过 {MAX_PART_BYTES // (1024 * 1024)} MB，不像是一份政府信息公开工作年度报告"
        "（也可能是恶意构造的压缩文件），没有读取。"
    )


def _document_xml(raw: bytes, name: str) -> ET.Element:
    if raw.startswith(OLE_MAGIC):
        raise InputError(
            f"{name}：这是加密（设有打开密码）的 Word 文件或旧版 .doc 文件，无法读取。"
            "请在 Word 中取消密码，或“另存为” .docx 后再试。"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _corrupt(name) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _corrupt(name)
        try:
            info = archive.getinfo(DOCUMENT)
        except KeyError:
            raise InputError(
                f"{name}：这个 .docx 中没有 Word 正文（{DOCUMENT}），不是 Word 文档。请确认文件是 Word 或 WPS 保存的报告。"
            ) from None
        if info.flag_bits & 0x1:
            raise InputError(f"{name}：这个 Word 文件已加密，无法读取。请在 Word 中取消密码后再试。")
        if info.file_size > MAX_PART_BYTES:
            raise _inflated(name)
        try:
            with archive.open(info) as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as error:
            raise _corrupt(name) from error
    if len(data) > MAX_PART_BYTES:
        raise _inflated(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _corrupt(name)
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise _corrupt(name) from error


class _Reader:
    """Walk the body: paragraphs and tables in order, numbered as a reader counts them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def container(self, element: ET.Element) -> None:
        for child in element:
            if child.tag == _W + "p":
                self.paragraph(child)
            elif child.tag == _W + "tbl":
                self.table(child)
            elif child.tag in _CONTAINERS:
                self.container(child)

    def paragraph(self, element: ET.Element) -> None:
        boxes: list[ET.Element] = []
        text = _text(element, boxes)
        for box in boxes:  # text boxes anchored in this paragraph come first
            self.container(box)
        if text.strip():
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, Where(paragraph=self.paragraphs)))

    def table(self, element: ET.Element) -> None:
        self.tables += 1
        number = self.tables
        rows: list[list[Cell]] = []
        for index, row in enumerate(_rows(element)):
            where = Where(table=number, row=index + 1)
            cells = []
            for cell in row.findall(_W + "tc"):
                merge = cell.find(f"{_W}tcPr/{_W}vMerge")
                continued = merge is not None and merge.get(_W + "val", "continue") != "restart"
                cells.append(Cell("" if continued else _cell_text(cell), where))
            rows.append(cells)
        self.blocks.append(Table(rows, Where(table=number)))


def _rows(table: ET.Element) -> list[ET.Element]:
    rows = []
    for child in table:
        if child.tag == _W + "tr":
            rows.append(child)
        elif child.tag in _CONTAINERS:
            rows += _rows(child)
    return rows


def _cell_text(cell: ET.Element) -> str:
    lines = []
    for child in cell.iter(_W + "p"):
        lines.append(_text(child, []))
    return "\n".join(line for line in lines if line.strip())


def _text(element: ET.Element, boxes: list[ET.Element]) -> str:
    parts: list[str] = []
    _collect(element, parts, boxes)
    return "".join(parts)


def _collect(element: ET.Element, parts: list[str], boxes: list[ET.Element]) -> None:
    for child in element:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "txbxContent":
            boxes.append(child)
        elif tag not in _SKIP:
            _collect(child, parts, boxes)
