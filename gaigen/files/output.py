"""Writing outputs: atomically (a temp file in the target folder, then ``os.replace``), and never
over a file gaigen did not write or that was changed since (one rule for every command).

Durability is a separate step (DECISIONS §19). ``write_atomic`` syncs the file before the rename
by default, which costs a disk flush per file; a batch writes thousands of files, so it writes
them with ``sync=False`` and calls ``sync_folder`` once at the end. Until then a power cut may
lose files written since the last sync (the renames keep a crash of gaigen itself harmless);
after it, every file is on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
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


def write_atomic(path: Path, data: bytes | Iterable[bytes], *, sync: bool = True) -> None:
    """Write ``data`` (bytes, or pieces written one after another) to ``path``, untouched or complete.

    With ``sync`` the data is on disk before the rename; without it, call ``sync_folder`` later
    (DECISIONS §19: a batch writes thousands of files and syncs once); the rename is atomic either way.
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


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; raise ``OutputError`` when it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}：无法创建输出文件夹（{error.strerror}）。") from error


# --- the rule for existing outputs ----------------------------------------------------------------
#
# gaigen replaces a file only when it wrote that file itself and nobody has changed it since; any
# other existing file (a report edited in Word, a summary a clerk annotated, a data file filled
# in, a file of the same name that is not gaigen's) is left alone and the command stops with exit
# code 2, unless ``--force`` is given. Every command applies it to every output (README, 退出码).
#
# What gaigen wrote is remembered as the SHA-256 and size of the bytes, by absolute path, in a
# small SQLite file in the user's state folder (``GAIGEN_STATE_DIR`` overrides it). The record
# works for every format alike (a .txt or .csv has no place for a fingerprint inside), and errs
# on the safe side: a file moved, copied to another machine or written before this record
# existed is not known, so it is kept until ``--force``.

_RECORD = "outputs.sqlite3"


def state_dir() -> Path:
    """Return the folder where gaigen keeps its record of the files it wrote."""
    given = os.environ.get("GAIGEN_STATE_DIR")
    if given:
        return Path(given)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "gaigen"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "gaigen"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "gaigen"


def _key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def _connect() -> sqlite3.Connection:
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / _RECORD, timeout=10)
    # No fsync: a record lost in a crash only makes gaigen keep a file it could have replaced.
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("CREATE TABLE IF NOT EXISTS written (path TEXT PRIMARY KEY, sha256 TEXT, size INTEGER)")
    return connection


def remember(written: dict[Path, bytes]) -> None:
    """Record that gaigen wrote ``written`` (path → bytes); a record that cannot be kept is skipped.

    Without the record the file is only treated as foreign next time: the safe side.
    """
    _record([(_key(path), hashlib.sha256(data).hexdigest(), len(data)) for path, data in written.items()])


def _record(rows: list[tuple[str, str, int]]) -> None:
    try:
        with contextlib.closing(_connect()) as connection, connection:
            connection.executemany("INSERT OR REPLACE INTO written VALUES (?, ?, ?)", rows)
    except (OSError, sqlite3.Error):
        pass


def remember_files(paths: list[Path]) -> None:
    """Record files gaigen has just written (moved into place) by reading them back, a block at a time.

    A batch's export of every cell runs to tens of megabytes: it is hashed as it is read, never held whole.
    """
    rows = []
    for path in paths:
        with contextlib.suppress(OSError):
            rows.append((_key(path), *_sha256(path)))
    _record(rows)


_BLOCK = 1 << 20


def _sha256(path: Path) -> tuple[str, int]:
    """Return the SHA-256 (hex) and the size of the file at ``path``, read a block at a time."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def is_replaceable(path: Path) -> bool:
    """Return whether ``path`` may be written: it does not exist, or gaigen wrote it and it is unchanged."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return not path.is_symlink()  # a dangling link is not gaigen's to replace
    except OSError:
        return False
    if not path.is_file() or path.is_symlink():
        return False
    try:
        with contextlib.closing(_connect()) as connection:
            row = connection.execute("SELECT sha256, size FROM written WHERE path = ?", (_key(path),)).fetchone()
        if row is None or row[1] != size:
            return False
        return bool(_sha256(path)[0] == row[0])
    except (OSError, sqlite3.Error):
        return False


def refusal(path: Path) -> str:
    """Return the message for an existing file gaigen will not replace."""
    return (
        f"{path}：文件已存在，且不是 gaigen 写出后原样未动的文件（可能已填写或修改过），为免覆盖，没有写入。"
        "请换一个文件名或输出位置，或加 --force 覆盖。"
    )


def check_targets(paths: list[Path], force: bool = False) -> None:
    """Raise ``OutputError`` for the first of ``paths`` that exists and may not be replaced."""
    if force:
        return
    for path in paths:
        if not is_replaceable(path):
            raise OutputError(refusal(path))


def write_outputs(outputs: dict[Path, bytes], force: bool = False) -> None:
    """Write each of ``outputs`` atomically after checking all of them (all or none refused), and record them."""
    check_targets(list(outputs), force)
    for path, data in outputs.items():
        write_atomic(path, data)
    remember(outputs)
