"""Near-copies are found the same way whether every pair is compared (a county) or the LSH picks them (a city)."""

from __future__ import annotations

import random

import pytest

from gaigen.review import similar
from gaigen.review.similar import find_pairs
from tests.county import copied, narrative


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
