"""Atomic writes: a temp file in the target folder, then ``os.replace`` — never a partial file."""

from __future__ import annotations

import contextlib
import os
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


def write_atomic(path: Path, data: bytes | Iterable[bytes], sync: bool = True) -> None:
    """Write ``data`` (bytes, or pieces written one after another) to ``path``, untouched or complete.

    ``sync=False`` leaves the flush to disk to the caller, who writes many files and syncs once
    (DECISIONS §19); the rename is still atomic.
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
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        os.chmod(temp, _MODE)
        os.replace(temp, path)
    except OSError as error:
        _remove(temp)
        raise OutputError(f"{path}：写入失败（{error.strerror}）。") from error
    except BaseException:
        _remove(temp)
        raise


def sync_folder(folder: Path) -> None:
    """Flush to disk what was written into ``folder`` without syncing each file (best effort)."""
    with contextlib.suppress(OSError):
        os.sync()


def _remove(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
