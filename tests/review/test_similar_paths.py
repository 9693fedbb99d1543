"""The batch tail made cheaper keeps its results: near-copies found the same way whether every pair is
compared (a county) or the LSH picks them (a city); the summary sheet styled on every row."""

from __future__ import annotations

import ast
import os
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gaigen.api.reports import load_report
from gaigen.batch import run_batch
from gaigen.review import similar
from gaigen.review.digest import digest
from gaigen.review.similar import find_pairs
from tests.county import agency_file, copied, narrative, sentence, text


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


def test_the_lsh_path_joins_what_the_exact_path_joins_on_long_texts() -> None:
    """Report-length texts (sketched from a sample of their runs), copies planted near the threshold."""
    rng = random.Random(23)
    own = [{"一": text(rng, 60), "五": text(rng, 20), "六": text(rng, 1)} for _ in range(90)]
    sources = rng.sample(range(0, 45), 20)
    for number, source in enumerate(sources):
        own[45 + number] = copied(own[source], rng.uniform(0.78, 0.92), rng)
    texts: list[dict[str, str] | None] = [{p: "".join(s) for p, s in each.items()} for each in own]
    assert all(len("".join(t.values())) > 2000 for t in texts if t is not None)
    exact = find_pairs(texts, 0.8, exact_below=10**6)
    sketched = find_pairs(texts, 0.8, exact_below=0)
    assert len(exact) >= 8  # some copies below 0.8 are rightly not found
    assert _groups(sketched) == _groups(exact)


def _groups(pairs: list[similar.Pair]) -> set[frozenset[int]]:
    owner: dict[int, int] = {}

    def find(index: int) -> int:
        owner.setdefault(index, index)
        while owner[index] != index:
            index = owner[index]
        return index

    for pair in pairs:
        owner[find(pair.first)] = find(pair.second)
    groups: dict[int, set[int]] = {}
    for index in list(owner):
        groups.setdefault(find(index), set()).add(index)
    return {frozenset(members) for members in groups.values()}


def test_a_sketch_is_the_same_in_every_process() -> None:
    """Workers sketch their reports and the parent compares: the hash must not depend on the process."""
    sample = "".join(text(random.Random(2), 80))
    here = similar.sketch(sample)
    code = f"from gaigen.review.similar import sketch; print(list(sketch({sample!r})))"
    for seed in ("1", "2"):
        shown = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert ast.literal_eval(shown) == list(here)
    assert len(here) == similar.BANDS * similar.ROWS


def test_short_texts_meet_only_when_they_share_runs() -> None:
    """A short text has a few anchored runs and most buckets borrowed: copies still meet, others not."""
    rng = random.Random(5)
    texts: list[dict[str, str] | None] = [{"一": sentence(rng, 60)} for _ in range(400)]
    for copy in range(200, 220):  # the first 20 texts copied with a few characters changed at the end
        source = texts[copy - 200]
        assert source is not None
        texts[copy] = {"一": source["一"][:52] + sentence(rng, 8)}
    sketches = [similar.sketch("".join(t.values())) for t in texts if t is not None]
    candidates = set(similar._lsh_candidates(range(len(texts)), texts, sketches, 0.4))
    assert {(copy - 200, copy) for copy in range(200, 220)} <= candidates
    assert len(candidates) < 40  # of 79,800 pairs


def test_the_digest_carries_the_sketch_of_its_narrative(tmp_path: Path) -> None:
    agency_file(tmp_path, "a.yaml", 8, narrative(random.Random(8)))
    report, _problems = load_report(tmp_path / "a.yaml")
    found = digest(report, "a.yaml")
    assert found.sketch == similar.sketch("".join(found.parts.values()))
