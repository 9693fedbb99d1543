"""Every way a printed run of digits splits into a row's cells, by the rules of printing alone.

Each number has no leading zero (``0`` itself is a number) and at most ``MAX_DIGITS`` digits; white
space always ends a cell and a sign always starts one. ``splits`` lists the splits (bounded by ``SPLIT_CAP``) and may fix total
cells to the sum of their parts as it goes, so that only splits keeping those totals are tried;
``count_splits`` counts them without listing.
"""

from __future__ import annotations

import functools
import re

from gaigen.core.numbers import MAX_DIGITS

SPLIT_CAP = 20_000  # splits of one run (a 表三 row of 14 digits has C(13, 6) = 1716)


_SIGNED = re.compile(r"[+-]?\d+")


class TooMany(Exception):
    """Raised when the splits of a run exceed the cap."""


def splits(
    text: str, count: int, cap: int = SPLIT_CAP, totals: dict[int, tuple[int, ...]] | None = None
) -> list[tuple[int, ...]] | None:
    """Return every split of a digit run into ``count`` numbers; None when there are more than ``cap``.

    Each number has no leading zero (``0`` itself is a number); white space always separates two
    numbers, and a sign (``-``, ``+``) always starts one. A run with anything else has no split.
    ``totals`` maps the position of a total cell to the positions of its parts (all before it):
    only splits where each total is the sum of its parts are returned, and only those are tried.
    """
    pieces = _pieces(text, count)
    if pieces is None:
        return []
    forced = totals or {}
    found: list[tuple[int, ...]] = []
    digits_after = [sum(len(p.lstrip("+-")) for p in pieces[i:]) for i in range(len(pieces) + 1)]

    def go(index: int, offset: int, done: tuple[int, ...]) -> None:
        if index == len(pieces):
            if len(done) == count:
                found.append(done)
                if len(found) > cap:
                    raise TooMany
            return
        cell = len(done)
        piece = pieces[index]
        left = digits_after[index + 1] + len(piece.lstrip("+-")) - max(offset - (piece[0] in "+-"), 0)
        if cell >= count or count - cell > left or count - cell < len(pieces) - index:
            return
        sign = 1
        if offset == 0 and piece[0] in "+-":
            sign, offset = (-1 if piece[0] == "-" else 1), 1
        if cell in forced:
            value = sum(done[i] for i in forced[cell])
            shown = str(value)
            if value < 0 or sign < 0 or not piece.startswith(shown, offset):
                return
            lengths: range | tuple[int, ...] = (len(shown),)
        else:
            lengths = range(1, min(len(piece) - offset, MAX_DIGITS) + 1)
        for length in lengths:
            head = piece[offset : offset + length]
            if length > 1 and head[0] == "0":
                break
            end = offset + length
            if end == len(piece):
                go(index + 1, 0, (*done, sign * int(head)))
            else:
                go(index, end, (*done, sign * int(head)))

    try:
        go(0, 0, ())
    except TooMany:
        return None
    return found


def count_splits(text: str, count: int) -> int:
    """Return how many splits ``splits`` gives without totals (counted, not listed)."""
    pieces = _pieces(text, count)
    if pieces is None:
        return 0
    digits = [piece.lstrip("+-") for piece in pieces]

    @functools.cache
    def ways(index: int, offset: int, cells: int) -> int:
        if index == len(digits):
            return 1 if cells == 0 else 0
        if cells <= 0:
            return 0
        piece, total = digits[index], 0
        for end in range(offset + 1, min(len(piece), offset + MAX_DIGITS) + 1):
            if end - offset > 1 and piece[offset] == "0":
                break
            total += ways(index + 1, 0, cells - 1) if end == len(piece) else ways(index, end, cells - 1)
        return total

    return ways(0, 0, count)


def _pieces(text: str, count: int) -> list[str] | None:
    """Return the run's pieces (white space and signs cut them), or None when it cannot be ``count`` numbers.

    No number has more than ``MAX_DIGITS`` digits (gaigen's bound on any figure of a report), so a
    longer run has no split and is never enumerated.
    """
    if sum(char.isdigit() for char in text) > count * MAX_DIGITS:
        return None
    pieces = _SIGNED.findall(text)
    if not pieces or "".join(pieces) != "".join(text.split()):
        return None
    return pieces
