"""Reading a report file safely: existence, size limits, and the Chinese error when they are broken."""

from __future__ import annotations

from pathlib import Path

from gaigen.errors import InputError


def read_limited(path: Path, name: str, max_bytes: int) -> bytes:
    """Return the bytes of ``path``; raise ``InputError`` when it is missing, a folder or larger than ``max_bytes``."""
    try:
        if path.is_dir():
            raise InputError(f"{name}：这是一个文件夹，不是报告文件。请给出 .docx、.txt 或 .html 文件。")
        if not path.exists():
            raise InputError(f"{name}：找不到这个文件。请检查文件名和所在文件夹。")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"{name}：无法读取文件（{error.strerror or error}）。") from error
    if len(raw) > max_bytes:
        raise too_large(name, max_bytes)
    return raw


def too_large(name: str, max_bytes: int) -> InputError:
    return InputError(
        f"{name}：文件超过 {max_bytes // (1024 * 1024)} MB，不像是一份政府信息公开工作年度报告。请检查是否选错了文件。"
    )
