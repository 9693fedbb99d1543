"""File names made from report data, safe on Windows, macOS and Linux file systems."""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_BYTES = 200  # below the 255-byte limit of ext4 and NTFS, leaving room for a suffix


def safe_name(text: str) -> str:
    """Return ``text`` usable as a file name stem: no separators, no reserved names, not too long."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"_{name}"
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return name


def report_stem(year: int | None, agency: str | None) -> str:
    """Return the official-style stem ``{年度}年{机关名称}政府信息公开工作年度报告``."""
    return safe_name(f"{year}年{agency}政府信息公开工作年度报告")
