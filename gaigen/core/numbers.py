"""The one place where a value written by a clerk becomes a number (issue 17, row 4 and row 7).

Every number gaigen reads, from YAML, JSON or a workbook cell, passes through ``number_from_text``
or ``bounded``: the text is bounded in length before Python converts it (``int()`` refuses more than
4,300 digits with a ValueError), the conversion uses a Decimal context that traps every signal, and
a value too large or too fine to be a figure of a report comes back as ``TooLong``: the text as
written, which the value types of ``gaigen.core.model`` refuse with a located message. So no number
can give an internal error, and every number accepted prints whole in the report's table cells.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

MAX_DIGITS = 18  # before the point: 10^18 is beyond any count or amount (万元) of a report
MAX_PLACES = 18  # after the point; more than 6 is already warning T2-2 / T2o-5
MAX_TEXT = MAX_DIGITS + MAX_PLACES + 8  # sign, point, exponent: a longer text is refused unread

_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
_CONTEXT = decimal.Context(
    prec=MAX_DIGITS + MAX_PLACES + 2,
    Emax=MAX_DIGITS + 2,
    Emin=-(MAX_PLACES + 2),
    traps=[decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero, decimal.Inexact, decimal.Rounded],
)


class TooLong(str):
    """The text of a number too long or too large to be a figure of a report (kept as written)."""

    __slots__ = ()

    def shown(self) -> str:
        """Return the number as a message shows it: its start and its length when it is long."""
        text = str(self)
        if len(text) <= 24:
            return text
        return f"{text[:12]}…（共 {len(text)} 位）"


def is_number_text(text: str) -> bool:
    """Return whether ``text`` is a number in plain decimal notation (an integer or a decimal)."""
    return _INT.fullmatch(text) is not None or _DECIMAL.fullmatch(text) is not None


def number_from_text(text: str) -> int | Decimal | TooLong | None:
    """Return the number ``text`` writes in plain decimal notation, ``TooLong``, or None when it is no number.

    An integer gives ``int``; a number with a point or an exponent gives ``Decimal`` exactly as
    written (never through a float).
    """
    plain = text.strip()
    if not is_number_text(plain):
        return None
    if len(plain) > MAX_TEXT:
        return TooLong(plain)
    if _INT.fullmatch(plain):
        return bounded(int(plain, 10), plain)
    try:
        return bounded(Decimal(plain), plain)
    except decimal.DecimalException:
        return TooLong(plain)


def bounded(value: int | Decimal, text: str | None = None) -> int | Decimal | TooLong:
    """Return ``value`` when a report can hold it, else ``TooLong`` (with ``text``, as written)."""
    shown = text if text is not None else (format(value, "f") if isinstance(value, Decimal) else str(value))
    if isinstance(value, int):
        return value if abs(value) < 10**MAX_DIGITS else TooLong(shown)
    if not value.is_finite():
        return TooLong(shown)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent >= MAX_DIGITS or -exponent > MAX_PLACES or (not value.is_zero() and value.adjusted() >= MAX_DIGITS):
        return TooLong(shown)
    try:
        return _CONTEXT.plus(value)  # exact within the bounds; any signal is a refusal
    except decimal.DecimalException:
        return TooLong(shown)
