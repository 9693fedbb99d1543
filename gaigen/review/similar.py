"""Pairs of reports in one run whose narrative is near-identical (rule R-2).

Comparing every pair is quadratic; a city's few thousand reports are matched instead with MinHash
locality-sensitive hashing: each report's sample of 8-character runs (``gaigen.rules.similarity``) is
sketched once, reports whose sketches agree on a whole band become candidates, and only those pairs
are scored exactly with the 重复率 of the README. The sketch is one-permutation MinHash (the
least hash in each of ``BANDS × ROWS`` buckets; Li, Owen and Zhang, NIPS 2012) over the runs that
start at an anchor character (a quarter of the alphabet, chosen by a fixed hash): a few lines of
Python instead of datasketch, whose numpy and scipy cost a batch half a second and 60 MB.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from gaigen.rules.similarity import KEPT_RANGES, SHINGLE, Overlap, overlap, percent

# A pair whose runs have Jaccard similarity s shares a whole band with probability 1 - (1 - s^ROWS)^BANDS:
# 0.05 → 7 %, 0.2 → 72 %, 0.3 → 95 %, 0.4 → 99.6 %. A report 80 % copied into one of the same length
# shares about 2/3 of its runs; one with a character in twenty changed throughout, about a half.
BANDS, ROWS = 31, 2
# Up to this many distinct texts every pair is scored (at most ~11,000 cheap bounds, a few tenths of
# a second) instead of sketching.
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


def find_pairs(
    texts: Sequence[dict[str, str] | None],
    threshold: float,
    exact_below: int = EXACT_BELOW,
    sketches: Sequence[Sketch | None] = (),
) -> list[Pair]:
    """Return the links between near-identical reports among ``texts`` (normalised parts by name; None to skip).

    Reports linked directly or through others form a group. Inside a group only the links that
    joined it are returned (one fewer than its members), never every pair: when a hundred units
    fill in one template the answer stays a hundred lines, and the work stays near linear.
    Identical texts are grouped by their hash before any sketch is made. Up to ``exact_below``
    distinct texts (a county) every pair of them is a candidate; above it (a city) the LSH picks the
    candidates, from ``sketches`` (``sketch`` of each whole text, None where not made) or sketched
    here. Each link names first the report of which the larger share is found in the other; sorted
    by share, largest first.
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
    seen: dict[int, int] = {}  # by the hash of the text: the texts themselves would double the memory
    itself: dict[int, Overlap] = {}  # a text against itself, worked out once it has a copy
    for index, parts in enumerate(texts):
        if parts is None:
            continue
        whole = "".join(parts.values())
        if len(whole) < 2 * SHINGLE:
            continue  # nothing to compare: N-1 says the narrative is missing
        first = seen.get(hash(whole))
        if first is not None and "".join((texts[first] or {}).values()) == whole:
            # The very same text: a link without a sketch.
            if first not in itself:
                itself[first] = overlap(parts, parts)
            pairs.append(Pair(first, index, 1.0, itself[first]))
            group[find(index)] = find(first)
            continue
        seen.setdefault(hash(whole), index)
        distinct.append(index)
    every_pair = len(distinct) <= exact_below
    samples: dict[int, frozenset[int]] = {}  # kept when every pair is compared: each text comes back

    def sample_of(index: int, every_run: bool = False) -> frozenset[int]:
        parts = texts[index]
        assert parts is not None
        if every_run:  # not kept: only short texts come here
            return frozenset(_all_hashes("".join(parts.values())))
        found = samples.get(index)
        if found is None:
            found = frozenset(_anchored_hashes("".join(parts.values())))
            if every_pair:
                samples[index] = found
        return found

    candidates = _all_pairs(distinct) if every_pair else _lsh_candidates(distinct, texts, sketches, threshold / 2)
    for index, other in candidates:
        if find(other) == find(index):
            continue
        # A cheap bound first: the share of runs in common, estimated on the anchored runs (the
        # same runs are sampled in both texts, so the estimate is unbiased), or counted on every
        # run when a text has too few of them. Far below the threshold, the characters those runs
        # cover cannot reach it; only the rest is scored exactly.
        one, two = sample_of(index), sample_of(other)
        if min(len(one), len(two)) < _SAMPLE_AT_LEAST:
            one, two = sample_of(index, every_run=True), sample_of(other, every_run=True)
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


def _lsh_candidates(
    indexes: Sequence[int],
    texts: Sequence[dict[str, str] | None],
    sketches: Sequence[Sketch | None],
    at_least: float,
) -> Iterator[tuple[int, int]]:
    """Yield the pairs (first the smaller index) whose sketches agree on a band, each once, but those
    whose sketches say that neither text can have ``at_least`` of its runs in the other.

    Two texts that meet on one band by chance (stock phrases) agree on few other buckets: their
    Jaccard similarity J, estimated from the share of buckets that agree, bounds the share of the
    shorter text's runs found in the longer, J × (a + b) / ((1 + J) × a). A copy at the threshold
    stays far above ``at_least`` (half the threshold): six standard errors at 62 buckets.
    """
    known: dict[int, Sketch] = {}
    sizes: dict[int, int] = {}
    buckets: dict[int, list[int]] = {}
    for index in indexes:
        parts = texts[index]
        assert parts is not None
        sizes[index] = max(1, sum(len(text) for text in parts.values()) - SHINGLE + 1)
        given = sketches[index] if index < len(sketches) else None
        if given is None:
            given = sketch("".join(parts.values()))
        known[index] = given
        for band in range(BANDS if given else 0):
            # The band's hash as the key (a few bytes, not a tuple of large numbers); a collision
            # only adds a candidate, which the estimate below then drops.
            buckets.setdefault(hash((band, *given[band * ROWS : (band + 1) * ROWS])), []).append(index)
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        for position, index in enumerate(members):
            for other in members[position + 1 :]:
                pair = (index, other) if index < other else (other, index)
                if pair in seen:
                    continue
                seen.add(pair)
                agree = sum(a == b for a, b in zip(known[index], known[other], strict=True)) / _BUCKETS
                one, two = sizes[index], sizes[other]
                if agree * (one + two) / ((1 + agree) * min(one, two)) >= at_least:
                    yield pair


Sketch = tuple[int, ...]  # the least hash in each bucket (empty: none, the text has no anchored run)
_BUCKETS = BANDS * ROWS
_MIX = 0x9E3779B1  # odd, from the golden ratio: spreads CRC-32's values over the buckets
_MASK = 0xFFFFFFFF
_EMPTY = 1 << 32  # above every hash: a bucket no run fell in


def sketch(text: str) -> Sketch:
    """Return the MinHash sketch of a normalised text: the least hash of its anchored runs in each bucket.

    An empty bucket takes the value of the next filled one, marked with the distance (rotation
    densification; Shrivastava and Li, ICML 2014): two texts still agree on a bucket with
    probability equal to their Jaccard similarity, however few runs a short text has. The hash is
    CRC-32 of the run, the same in every process (``hash`` of a string is not), so the batch's
    workers sketch their reports and the parent only compares.
    """
    least = [_EMPTY] * _BUCKETS
    for value in _anchored_hashes(text):
        bucket = value % _BUCKETS
        if value < least[bucket]:
            least[bucket] = value
    if all(value == _EMPTY for value in least):
        return ()
    dense = []
    for bucket, value in enumerate(least):
        distance = 0
        while value == _EMPTY:
            distance += 1
            value = least[(bucket + distance) % _BUCKETS]
        dense.append(value + distance * _EMPTY)
    return tuple(dense)


_SAMPLE_AT_LEAST = 16  # anchored runs for the cheap bound to estimate from; below it, every run is used


def _anchored_hashes(text: str) -> list[int]:
    """Return the hash of each run of ``text`` that starts at an anchor character."""
    ends = max(0, len(text) - SHINGLE + 1)
    return _run_hashes(text, (found.start() for found in _anchor().finditer(text, 0, ends)))


def _all_hashes(text: str) -> list[int]:
    """Return the hash of every run of ``text``."""
    return _run_hashes(text, range(max(0, len(text) - SHINGLE + 1)))


def _run_hashes(text: str, starts: Iterable[int]) -> list[int]:
    """Return the hash of the run at each of ``starts``: CRC-32 of its UTF-32, mixed."""
    data = memoryview(text.encode("utf-32-le"))
    width = 4 * SHINGLE
    return [(zlib.crc32(data[4 * start : 4 * start + width]) * _MIX) & _MASK for start in starts]


@functools.cache
def _anchor() -> re.Pattern[str]:
    """Return the pattern of anchor characters: a quarter of the normalised alphabet, by a fixed hash.

    A run is sampled when it starts with one, so a copy samples the very runs its source does.
    """
    kept = (chr(code) for first, last in KEPT_RANGES for code in range(ord(first), ord(last) + 1))
    alphabet = "#" + "".join(kept)  # what a normalised text is made of (digit runs become ``#``)
    chosen = "".join(c for c in alphabet if ((ord(c) * _MIX) & _MASK) >> 30 == 0)
    return re.compile(f"[{re.escape(chosen)}]")


def _score(a: int, b: int, texts: Sequence[dict[str, str] | None]) -> Pair:
    first, second = texts[a], texts[b]
    assert first is not None and second is not None
    one, two = overlap(first, second), overlap(second, first)
    if one.whole >= two.whole:
        return Pair(a, b, one.whole, one)
    return Pair(b, a, two.whole, two)
