"""Atomic writes: a temp file in the target folder, then ``os.replace`` — never a partial file.

Durability is a separate step (DECISIONS §19). ``write_atomic`` syncs the file before the rename
by default, which costs a disk flush per file; a batch writes thousands of files, so it writes
them with ``sync=False`` and calls ``sync_folder`` once at the end. Until then a power cut may
lose files written since the last sync (the renames keep a crash of gaigen itself harmless);
after it, every file is on disk.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gaigen.core.errors import OutputError


def _default_mode() -> int:
    """Return the mode a new file gets from open() under the current umask (mkstemp gives 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _default_mode()


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either untouched or complete.

    With ``sync`` the data is on disk before the rename; without it, call ``sync_folder`` later.
    """
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}：输出文件夹不存在。请先创建该文件夹，或用 -o 指定其他位置。")
    try:
        handle, temp = tempfile.mkstemp(prefix=".gaigen-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"{folder}：无法在此文件夹写入（{error.strerror}）。") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temp, _MODE)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise OutputError(f"{path}：写入失败（{error.strerror}）。") from error
    except BaseException:
        _remove(temp)
        raise


def _remove(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)


def sync_folder(folder: Path, files: Iterable[Path] = ()) -> None:
    """Put on disk everything written into ``folder`` (``files``, renamed there without a sync).

    Linux: one ``syncfs`` of the folder's file system, then the folder itself. Elsewhere each of
    ``files`` is synced, then the folder where the system allows it. Raise ``OutputError`` when
    the disk refuses (the files may then not survive a power cut).
    """
    try:
        if not _syncfs(folder):
            for path in files:
                _fsync_file(path)
        _fsync_folder(folder)
    except OSError as error:
        raise OutputError(
            f"{folder}：写入磁盘失败（{error.strerror}），断电后文件可能丢失。请检查磁盘后重新运行。"
        ) from error


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` (Linux); return False where there is no syncfs."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: a batch syncs once

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    handle = os.open(folder, os.O_RDONLY)
    try:
        if syncfs(handle) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
    finally:
        os.close(handle)
    return True


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:  # Windows syncs only a handle open for writing
        os.fsync(stream.fileno())


def _fsync_folder(folder: Path) -> None:
    """Sync the folder's entries (the renames), where the system can open a folder (not Windows)."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
