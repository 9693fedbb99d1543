"""Opening the files a user names: bounded reads, text decoding, and the inputs of a batch.

Every input file gaigen reads passes through ``read_limited`` (and its text through ``decode``), so
the size cap and the Chinese message for a missing, unreadable or oversized file are said once.
Only regular files are read: a FIFO, a device or a socket is refused before it is opened (a FIFO
with no writer would block for ever), and the file is opened non-blocking and checked again, so
it cannot be swapped for one in between.

The link policy (README, 输入文件的限制): a file named on the command line is read wherever a link
points, since the user chose it; a file found by searching a folder or a glob is read only when it
stays inside the folder searched, so a link dropped into a shared collection folder cannot bring
another file of the operator's into a batch's summary (issue 17, row 5).
"""

from __future__ import annotations

import codecs
import glob
import os
import stat
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
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{name}：找不到这个文件。请检查文件名和所在文件夹。") from None
    except (OSError, ValueError) as error:
        raise InputError(f"{name}：无法读取文件（{getattr(error, 'strerror', None) or error}）。") from error
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}：这是一个文件夹，{folder_hint}")
    _regular(info.st_mode, name)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            _regular(os.fstat(stream.fileno()).st_mode, name)
            raw = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputError(f"{name}：无法读取文件（{error.strerror or error}）。") from error
    if len(raw) > max_bytes:
        raise InputError(f"{name}：文件超过 {max_bytes // (1024 * 1024)} MB，{too_large}")
    return raw


def _regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "命名管道（FIFO）"
        if stat.S_ISFIFO(mode)
        else "设备文件"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "套接字"
        if stat.S_ISSOCK(mode)
        else "特殊文件"
    )
    raise InputError(f"{name}：不是普通文件（而是{kind}），gaigen 只读取普通文件。请给出保存在磁盘上的文件。")


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


def collect_inputs(
    inputs: Iterable[str | Path], exclude: Iterable[Path] = (), output: Path | None = None
) -> tuple[list[Path], list[str]]:
    """Return the data files named by ``inputs`` and notes on inputs that named none or were skipped.

    A file is taken as given (a missing one is reported when it is read); a folder gives every
    .yaml/.yml/.json/.xlsx inside it, recursively, sorted, hidden files and ``exclude`` folders
    left out; a glob gives the data files and folders it matches. A file named twice is taken
    once. A file found by searching that is a link leading out of the folder searched, or is not a
    regular file, is skipped with a note. ``output`` (one of ``exclude``) is named as the output
    folder when an input is inside it.
    """
    skipped = [p.resolve() for p in exclude]
    out = output.resolve() if output is not None else None
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
            if out is not None and _inside(path, [out]):
                notes.append(
                    f"{text}：这是输出文件夹（-o），其中的文件不作为输入。请把数据文件放在另一个文件夹中，或换一个输出文件夹。"
                )
                continue
            found = _data_files(path, skipped, notes)
            if not found:
                notes.append(f"{text}：文件夹中没有 .yaml、.yml、.json 数据文件或 .xlsx 工作簿。")
            for each in found:
                add(each)
        elif not path.exists() and any(char in text for char in "*?["):
            matched = sorted(glob.glob(text, recursive=True))
            root = _glob_root(text)
            found = []
            for match in map(Path, matched):
                if match.is_dir():
                    found += _data_files(match, skipped, notes, root)
                elif (
                    match.suffix.lower() in DATA_SUFFIXES
                    and not _inside(match, skipped)
                    and _searchable(match, root, notes)
                ):
                    found.append(match)
            if not found:
                notes.append(f"{text}：没有匹配的数据文件。")
            for each in found:
                add(each)
        else:
            add(path)
    return files, notes


def _glob_root(pattern: str) -> Path:
    """Return the folder a glob searches: its path up to the first part with a wildcard."""
    parts = Path(pattern).parts
    fixed = [part for part in parts[: next(i for i, p in enumerate(parts) if any(c in p for c in "*?["))]]
    return Path(*fixed) if fixed else Path(".")


def _searchable(path: Path, root: Path, notes: list[str]) -> bool:
    """Return whether a file found by searching ``root`` may be read; note why not."""
    try:
        inside = _inside(path, [root.resolve()])
        mode = os.stat(path).st_mode
    except OSError:
        return False  # a dangling link: nothing to read
    if not inside:
        notes.append(
            f"{path}：这是指向所查找的文件夹以外的链接，为安全起见没有读取。如确需处理，请把文件复制到该文件夹中。"
        )
        return False
    if not stat.S_ISREG(mode):
        notes.append(f"{path}：不是普通文件，没有读取。")
        return False
    return True


def _data_files(folder: Path, skipped: Sequence[Path], notes: list[str], root: Path | None = None) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        hidden = any(part.startswith((".", "~$")) for part in relative)  # ~$: Excel's lock files
        if hidden or path.suffix.lower() not in DATA_SUFFIXES or path.is_dir():
            continue
        if not _inside(path, skipped) and _searchable(path, root or folder, notes):
            found.append(path)
    return sorted(found, key=lambda p: p.parts)


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)
