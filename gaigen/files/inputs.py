"""Opening the files a user names: bounded reads, text decoding, and the inputs of a batch.

Every input file gaigen reads passes through ``read_limited`` (and its text through ``decode``), so
the size cap and the Chinese message for a missing, unreadable or oversized file are said once.
"""

from __future__ import annotations

import codecs
import glob
from collections.abc import Iterable, Sequence
from pathlib import Path

from gaigen.core.errors import InputError

WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".et", ".ods", ".xlsm")
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")  # what a folder is searched for; .xlsx: `init --xlsx`


def read_limited(path: Path, name: str, max_bytes: int, folder_hint: str, too_large: str) -> bytes:
    """Return the bytes of ``path``; raise ``InputError`` when it is missing, a folder or over ``max_bytes``.

    ``folder_hint`` says what to give instead of a folder; ``too_large`` completes the message for
    a file over the cap. Used for data files here and for published reports by ``gaigen.importing``.
    """
    try:
        if path.is_dir():
            raise InputError(f"{name}：这是一个文件夹，{folder_hint}")
        if not path.exists():
            raise InputError(f"{name}：找不到这个文件。请检查文件名和所在文件夹。")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"{name}：无法读取文件（{error.strerror or error}）。") from error
    if len(raw) > max_bytes:
        raise InputError(f"{name}：文件超过 {max_bytes // (1024 * 1024)} MB，{too_large}")
    return raw


def decode(raw: bytes, shown: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as saved by Windows tools."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict_decode(raw[3:], "utf-8", shown), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict_decode(raw, "utf-16", shown), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error
    try:
        # Notepad and WPS on Chinese Windows save "ANSI" files in GBK, a subset of GB18030.
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        line = raw[: first_bad.start].count(b"\n") + 1
        raise InputError(
            f"{shown} 第 {line} 行：文件编码无法识别（第 {first_bad.start + 1} 个字节）。"
            "请用记事本或 WPS 将文件“另存为”UTF-8 编码后再试。"
        ) from error


def _strict_decode(raw: bytes, encoding: str, shown: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].decode(encoding, "ignore").count("\n") + 1
        raise InputError(
            f"{shown} 第 {line} 行：文件中有无法按 {encoding.upper()} 解码的字节（第 {error.start + 1} 个字节）。"
            "请将文件另存为 UTF-8 编码后再试。"
        ) from error


def collect_inputs(inputs: Iterable[str | Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[str]]:
    """Return the data files named by ``inputs`` and notes on inputs that named none.

    A file is taken as given (a missing one is reported when it is read); a folder gives every
    .yaml/.yml/.json inside it, recursively, sorted, hidden files and ``exclude`` folders left out;
    a glob gives the data files and folders it matches. A file named twice is taken once.
    """
    skipped = [p.resolve() for p in exclude]
    files: list[Path] = []
    seen: set[Path] = set()
    notes: list[str] = []

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in inputs:
        text = str(given)
        path = Path(text)
        if path.is_dir():
            found = _data_files(path, skipped)
            if not found:
                notes.append(f"{text}：文件夹中没有 .yaml、.yml、.json 数据文件或 .xlsx 工作簿。")
            for each in found:
                add(each)
        elif not path.exists() and any(char in text for char in "*?["):
            matched = sorted(glob.glob(text, recursive=True))
            found = []
            for match in map(Path, matched):
                if match.is_dir():
                    found += _data_files(match, skipped)
                elif match.suffix.lower() in DATA_SUFFIXES and not _inside(match, skipped):
                    found.append(match)
            if not found:
                notes.append(f"{text}：没有匹配的数据文件。")
            for each in found:
                add(each)
        else:
            add(path)
    return files, notes


def _data_files(folder: Path, skipped: Sequence[Path]) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        hidden = any(part.startswith((".", "~$")) for part in relative)  # ~$: Excel's lock files
        if hidden or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        if path.is_file() and not _inside(path, skipped):
            found.append(path)
    return sorted(found, key=lambda p: p.parts)


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)
