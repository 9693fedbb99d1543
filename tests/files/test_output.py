"""Atomic writes and the one sync of a batch (DECISIONS §19): what survives a failure, what reaches the disk."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from gaigen.core.errors import OutputError
from gaigen.files import output
from gaigen.files.output import sync_folder, write_atomic


def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Record fsync and replace in order, each still done for real."""
    seen: list[tuple[str, object]] = []
    fsync, replace = os.fsync, os.replace

    def record_fsync(fd: int) -> None:
        seen.append(("fsync", fd))
        fsync(fd)

    def record_replace(source: str, target: Path) -> None:
        seen.append(("replace", Path(target).name))
        replace(source, target)

    monkeypatch.setattr(os, "fsync", record_fsync)
    monkeypatch.setattr(os, "replace", record_replace)
    return seen


def test_write_atomic_syncs_the_data_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = calls(monkeypatch)
    write_atomic(tmp_path / "a.txt", b"data")
    assert [kind for kind, _ in seen] == ["fsync", "replace"]
    assert (tmp_path / "a.txt").read_bytes() == b"data"


def test_write_atomic_without_sync_still_renames_into_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = calls(monkeypatch)
    write_atomic(tmp_path / "a.txt", b"data", sync=False)
    assert seen == [("replace", "a.txt")]
    assert os.listdir(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("sync", [True, False])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sync: bool
) -> None:
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")

    def refuse(source: str, destination: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError) as raised:
        write_atomic(target, b"new", sync=sync)
    assert str(raised.value) == f"{target}：写入失败（No space left on device）。"
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["报告.docx"]


def test_sync_folder_flushes_the_file_system_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [tmp_path / f"{i}.txt" for i in range(3)]
    for path in files:
        write_atomic(path, b"x", sync=False)
    flushed: list[Path] = []
    monkeypatch.setattr(output, "_syncfs", lambda folder: flushed.append(folder) or True)
    seen = calls(monkeypatch)
    sync_folder(tmp_path, files)
    assert flushed == [tmp_path]
    assert len(seen) == (0 if os.name == "nt" else 1)  # the folder itself, not each file


def test_sync_folder_without_syncfs_syncs_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [tmp_path / f"{i}.txt" for i in range(3)]
    for path in files:
        write_atomic(path, b"x", sync=False)
    monkeypatch.setattr(output, "_syncfs", lambda folder: False)
    seen = calls(monkeypatch)
    sync_folder(tmp_path, files)
    assert len(seen) == 3 + (0 if os.name == "nt" else 1)


def test_syncfs_runs_where_the_system_has_it(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    assert output._syncfs(tmp_path) is sys.platform.startswith("linux")


def test_a_disk_that_refuses_the_sync_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(folder: Path) -> bool:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(output, "_syncfs", broken)
    with pytest.raises(OutputError, match="写入磁盘失败（Input/output error），断电后文件可能丢失"):
        sync_folder(tmp_path)
