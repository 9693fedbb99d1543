"""The export of every cell, spooled by the workers and joined by the parent in the files' order."""

from __future__ import annotations

import csv
import errno
import io
import json
from pathlib import Path

import pytest

from gaigen.core.errors import OutputError
from gaigen.review.export import EXPORT_COLUMNS, Chunk, Spool, export_csv, export_json


def _chunk(agency: str, cells: int) -> Chunk:
    rows = [(agency, 2024, "2021", "表三", f"行{i}", "总计", i, "填写", f"{agency}.yaml") for i in range(cells)]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    records = json.dumps([dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows], ensure_ascii=False)[1:-1]
    return Chunk(text.getvalue().encode("utf-8"), records.encode("utf-8"))


def test_pieces_of_two_spools_come_back_in_the_order_given(tmp_path: Path) -> None:
    first, second = Spool(tmp_path / "a.part"), Spool(tmp_path / "b.part")
    try:
        # Two workers, each appending the reports it was handed, in whatever order they finish.
        pieces = {name: (first if n % 2 else second).add(_chunk(name, n + 1)) for n, name in enumerate("甲乙丙丁")}
    finally:
        first.close()
        second.close()
    order = [pieces[name] for name in "丁甲丙乙"]
    rows = list(csv.reader(io.StringIO(b"".join(export_csv(order)).decode("utf-8-sig"))))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["丁"] * 4 + ["甲"] + ["丙"] * 3 + ["乙"] * 2
    records = json.loads(b"".join(export_json(order)))
    assert [record["机关名称"] for record in records] == [row[0] for row in rows[1:]]
    assert records[0]["值"] == 0 and records[-1]["文件"] == "乙.yaml"


def test_an_empty_export_is_a_header_and_an_empty_list() -> None:
    assert b"".join(export_csv([])).decode("utf-8-sig").startswith("机关名称,年度")
    assert json.loads(b"".join(export_json([]))) == []


def test_a_spool_cut_short_is_an_error_not_a_shorter_export(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "a.part")
    try:
        piece = spool.add(_chunk("甲", 3))
    finally:
        spool.close()
    with open(tmp_path / "a.part", "r+b") as stream:
        stream.truncate(piece.csv + piece.json - 10)
    with pytest.raises(OutputError, match="逐格明细的暂存文件不完整"):
        b"".join(export_json([piece]))


def test_a_spool_that_cannot_be_written_is_a_gaigen_error_not_a_crash(tmp_path: Path) -> None:
    """A full disk while a worker spools is said in Chinese (the file is then reported, not a defect)."""

    class FullDisk(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    spool = Spool(tmp_path / "a.part")
    spool.close()
    spool._file = FullDisk()  # type: ignore[assignment]
    with pytest.raises(OutputError, match="无法写入逐格明细的暂存文件"):
        spool.add(_chunk("甲", 1))
