"""Pairs of reports in one run whose narrative is near-identical (rule R-2).

Comparing every pair is quadratic; a county's few thousand reports are matched instead with
MinHash locality-sensitive hashing (``datasketch``): each report's set of 8-character runs
(``gaigen.rules.similarity``) is sketched once, the LSH index returns the few reports likely to
share many runs, and only those candidate pairs are scored exactly with the 重复率 of the README.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from gaigen.rules.similarity import SHINGLE, Overlap, overlap, percent, shingles

NUM_PERM = 64
# Candidates: the LSH returns pairs whose estimated Jaccard similarity passes this. A report 80 %
# copied into one of the same length shares about 2/3 of its runs, so 0.3 leaves a wide margin.
CANDIDATE_JACCARD = 0.3
# Up to this many distinct texts every pair is scored (at most ~11,000 cheap bounds, a few tenths of
# a second) instead of sketching: a county's run never loads numpy and scipy.
EXACT_BELOW = 150


@dataclass(frozen=True)
class Pair:
    """Two reports (indexes into the list given) and how much of the first is found in the second."""

    first: int
    second: int
    share: float  # the larger of the two directions
    found: Overlap  # of ``first`` in ``second``

    def describe(self, threshold: float) -> str:
        parts = self.found.repeated_parts(threshold)
        return f"重复 {percent(self.share)}" + (f"（{'、'.join(parts)}）" if parts else "")


def _run_hashes(text: str) -> Any:
    """Return the 32-bit hashes of (a sample of) every ``SHINGLE``-character run of ``text`` (numpy, vectorised)."""
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(points) - SHINGLE + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE):  # a polynomial hash of the run modulo 2**64 (array arithmetic wraps)
        hashes = hashes * np.uint64(_MULTIPLIER) + points[k : k + count]
    runs = hashes >> np.uint64(32)  # the high half mixes every character of the run
    # Keep the runs whose hash is 0 modulo 4, the same choice in every report (mod-p sampling): the
    # sketch then costs a quarter and estimates the same Jaccard similarity. Short texts keep all.
    # Repeated runs need no removal: a minimum does not change when a value comes twice.
    sampled = runs[runs % np.uint64(_SAMPLE) == 0]
    return sampled if len(sampled) >= _KEEP_ALL_BELOW else runs


_SAMPLE = 4
_KEEP_ALL_BELOW = 32


_MULTIPLIER = 0x9E3779B97F4A7C15  # odd, from the golden ratio


def _identity(value: Any) -> Any:
    return value


def find_pairs(texts: Sequence[dict[str, str] | None], threshold: float, exact_below: int = EXACT_BELOW) -> list[Pair]:
    """Return the links between near-identical reports among ``texts`` (normalised parts by name; None to skip).

    Reports linked directly or through others form a group. Inside a group only the links that
    joined it are returned (one fewer than its members), never every pair: when a hundred units
    fill in one template the answer stays a hundred lines, and the work stays near linear.
    Identical texts are grouped by their hash before any sketch is made. Up to ``exact_below``
    distinct texts (a county) every pair of them is a candidate: exact, and without loading
    numpy and scipy (about a second and 60 MB); above it (a city) the LSH index picks the
    candidates. Each link names first
    the report of which the larger share is found in the other; sorted by share, largest first.
    """
    if sum(1 for t in texts if t is not None) < 2:
        return []
    group = list(range(len(texts)))

    def find(index: int) -> int:
        while group[index] != index:
            group[index] = group[group[index]]
            index = group[index]
        return index

    pairs: list[Pair] = []
    distinct: list[int] = []
    seen: dict[str, tuple[int, Overlap]] = {}
    for index, parts in enumerate(texts):
        if parts is None:
            continue
        whole = "".join(parts.values())
        if len(whole) < 2 * SHINGLE:
            continue  # nothing to compare: N-1 says the narrative is missing
        if whole in seen:  # the very same text: a link without a sketch
            first, itself = seen[whole]
            pairs.append(Pair(first, index, 1.0, itself))
            group[find(index)] = find(first)
            continue
        seen[whole] = (index, overlap(parts, parts))
        distinct.append(index)
    runs: dict[int, set[str]] = {}

    def runs_of(index: int) -> set[str]:
        if index not in runs:
            parts = texts[index]
            assert parts is not None
            runs[index] = shingles("".join(parts.values()))
        return runs[index]

    candidates = _all_pairs(distinct) if len(distinct) <= exact_below else _lsh_candidates(distinct, texts)
    for index, other in candidates:
        if find(other) == find(index):
            continue
        # A cheap bound first: the share of distinct runs in common. Far below the threshold,
        # the characters those runs cover cannot reach it; only the rest is scored exactly.
        one, two = runs_of(index), runs_of(other)
        common = len(one & two)
        if max(common / max(len(one), 1), common / max(len(two), 1)) < threshold / 2:
            continue
        pair = _score(index, other, texts)
        if pair.share > threshold:
            pairs.append(pair)
            group[find(other)] = find(index)
    pairs.sort(key=lambda p: (-p.share, p.first, p.second))
    return pairs


def _all_pairs(indexes: Sequence[int]) -> Iterator[tuple[int, int]]:
    for position, index in enumerate(indexes):
        for other in indexes[position + 1 :]:
            yield index, other


def _lsh_candidates(indexes: Sequence[int], texts: Sequence[dict[str, str] | None]) -> Iterator[tuple[int, int]]:
    """Yield the pairs (first the smaller index) the MinHash LSH index finds likely to share many runs."""
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]  # numpy, scipy: only when needed

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    template = MinHash(num_perm=NUM_PERM, seed=1)  # its permutations are made once and shared
    sketches: dict[int, Any] = {}
    for index in indexes:
        parts = texts[index]
        assert parts is not None
        sketch = MinHash(
            num_perm=NUM_PERM, hashfunc=_identity, permutations=template.permutations, scheme=template.scheme
        )
        sketch.update_batch(_run_hashes("".join(parts.values())))
        lsh.insert(index, sketch, check_duplication=False)
        sketches[index] = sketch
    for index, sketch in sketches.items():
        for other in sorted(lsh.query(sketch)):
            if other > index:
                yield index, other


def _score(a: int, b: int, texts: Sequence[dict[str, str] | None]) -> Pair:
    first, second = texts[a], texts[b]
    assert first is not None and second is not None
    one, two = overlap(first, second), overlap(second, first)
    if one.whole >= two.whole:
        return Pair(a, b, one.whole, one)
    return Pair(b, a, two.whole, two)
