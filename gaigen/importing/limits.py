"""Reading a report file safely: existence, size limits, and the Chinese error when they are broken."""

from __future__ import annotations

from pathlib import Path

from gaigen.files import inputs


def read_limited(path: Path, name: str, max_bytes: int) -> bytes:
    """Return the bytes of a published report; raise ``InputError`` when it is missing, a folder or too large."""
    return inputs.read_limited(
        path,
        name,
        max_bytes,
        "不是报告文件。请给出 .docx、.txt 或 .html 文件。",
        "不像是一份政府信息公开工作年度报告。请检查是否选错了文件。",
    )
