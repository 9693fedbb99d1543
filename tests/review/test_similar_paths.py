"""The batch tail made cheaper keeps its results: near-copies found the same way whether every pair is
compared (a county) or the LSH picks them (a city); the summary sheet styled on every row."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from gaigen.batch import run_batch
from gaigen.review import similar
from gaigen.review.similar import find_pairs
from tests.county import agency_file, copied, narrative


def texts_with_planted_copies(count: int, planted: dict[int, tuple[int, float]]) -> list[dict[str, str] | None]:
    """Return ``count`` narratives; ``planted`` maps a copy's index to (its source, the share copied)."""
    rng = random.Random(11)
    own = [narrative(rng) for _ in range(count)]
    for index, (source, share) in planted.items():
        own[index] = copied(own[source], share, rng)
    return [{part: "".join(sentences) for part, sentences in each.items()} for each in own]


PLANTED = {7: (3, 0.9), 20: (12, 1.0), 31: (25, 0.85)}


def test_the_lsh_path_finds_the_planted_pairs_the_exact_path_finds() -> None:
    texts = texts_with_planted_copies(40, PLANTED)
    exact = find_pairs(texts, 0.8)
    sketched = find_pairs(texts, 0.8, exact_below=0)
    assert {(min(p.first, p.second), max(p.first, p.second)) for p in exact} == {
        (source, copy) for copy, (source, _) in PLANTED.items()
    }
    assert [(p.first, p.second, p.share) for p in sketched] == [(p.first, p.second, p.share) for p in exact]
    assert all(p.share >= 0.8 for p in exact)


def test_a_county_sized_run_never_builds_the_lsh_index(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the LSH index was built for a county-sized run")

    monkeypatch.setattr(similar, "_lsh_candidates", refuse)
    texts = texts_with_planted_copies(similar.EXACT_BELOW, {5: (2, 0.9)})
    assert [(p.first, p.second) for p in find_pairs(texts, 0.8)] in ([(2, 5)], [(5, 2)])


def test_every_row_of_the_summary_sheet_wraps_at_the_top(tmp_path: Path) -> None:
    rng = random.Random(3)
    for seed in range(3):
        agency_file(tmp_path / "in", f"{seed}.yaml", seed, narrative(rng), agency=f"某某县第{seed}局")
    run_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")["汇总"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert sheet.max_row == 4 and len(cells) == 3 * sheet.max_column
    assert all(cell.alignment.wrap_text and cell.alignment.vertical == "top" for cell in cells)
    assert not sheet["A1"].alignment.wrap_text and sheet["A1"].font.bold
