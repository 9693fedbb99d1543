"""A printed table cell to a number of the data file, or the reason it cannot be read.

Published cells carry units (``2个``, ``18.078万元``, ``1234567.89元``), full-width digits, thousands
separators, a leading ``+`` on an increase; blank cells and placeholders (``-``, ``/``, ``无``) are
not numbers and are never read as 0 (DECISIONS §3, format-spec §5.1 T3-7). Money is read as
``Decimal`` from the digits as printed and converted from 元 to 万元 exactly (a shift of the
decimal point, never a float).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from gaigen.core.numbers import TooLong, number_from_text
from gaigen.core.report import Value
from gaigen.spec.layout import Kind

WAN = "万元"
YUAN = "元"
COUNT_UNITS = ("个", "件", "笔", "项", "条", "宗", "次", "人", "起", "份", "家", "部", "篇")
PLACEHOLDERS = {
    "-",
    "--",
    "—",
    "——",
    "–",
    "－",
    "/",
    "／",
    "\\",
    "无",
    "空",
    "不适用",
    "n/a",
    "na",
    "×",
    "x",
    "…",
    "...",
}

_NUMBER = re.compile(r"([+-]?)(\d+(?:\.\d+)?)\s*(万元|元|" + "|".join(COUNT_UNITS) + r")?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


@dataclass(frozen=True)
class Read:
    """A cell read: its value, or why it has none; ``unit`` when the cell printed a unit."""

    value: Value | None
    why: str | None = None
    unit: str | None = None


@functools.lru_cache(maxsize=4096)
def tidy(text: str) -> str:
    """Return the cell text as compared: NFKC (full-width digits), no white space or thousands commas."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\s+", "", folded)
    if _GROUPED.fullmatch(folded.rstrip("万元个件笔项条宗次人起份家部篇")):
        folded = folded.replace(",", "")
    return folded


def looks_like_value(text: str) -> bool:
    """Return True when a cell holds a number (with or without a unit) or a placeholder for one."""
    folded = tidy(text)
    return bool(_NUMBER.fullmatch(folded)) or folded.lower() in PLACEHOLDERS


def read_cell(text: str, kind: Kind, money_unit: str | None = None) -> Read:
    """Return the value of a printed cell of ``kind``; ``money_unit`` is the unit its header names."""
    folded = tidy(text)
    shown = " ".join(text.split())
    if not folded:
        return Read(None, "原报告该格为空白")
    if folded.lower() in PLACEHOLDERS:
        return Read(None, f"原报告该格为“{shown}”，不是数字")
    found = _NUMBER.fullmatch(folded)
    if not found:
        return Read(None, f"原报告该格为“{shown}”，不是数字")
    sign, digits, unit = found.groups()
    if isinstance(number_from_text(digits), TooLong):  # bounded as every number gaigen reads
        return Read(None, f"原报告该格为“{TooLong(shown).shown()}”，数字位数过多，不像是报告中的数字")
    if kind is Kind.MONEY:
        return _money(sign, digits, unit, money_unit, shown)
    if unit in (WAN, YUAN):
        return Read(None, f"原报告该格为“{shown}”，是金额而不是数量")
    if "." in digits:
        whole, _, fraction = digits.partition(".")
        if fraction.strip("0"):
            return Read(None, f"原报告该格为“{shown}”，不是整数")
        digits = whole
    value = int(digits)
    return Read(-value if sign == "-" else value, unit=unit)


def _money(sign: str, digits: str, unit: str | None, header_unit: str | None, shown: str) -> Read:
    if unit is not None and unit not in (WAN, YUAN):
        return Read(None, f"原报告该格为“{shown}”，是数量而不是金额")
    amount = Decimal(sign + digits)
    chosen = unit or header_unit
    if chosen == YUAN:
        amount = to_wan(amount)
    elif chosen is None and amount != 0:
        return Read(None, f"原报告该格为“{shown}”，表头和单元格都没有注明单位（元或万元），无法换算为万元")
    return Read(amount, unit=unit)


def to_wan(yuan: Decimal) -> Decimal:
    """Return an amount in 元 as 万元, exactly: the decimal point moved four places, trailing zeros dropped."""
    shifted = yuan.scaleb(-4)
    if shifted == shifted.to_integral_value():
        return Decimal(int(shifted))
    text = format(shifted, "f").rstrip("0")
    return Decimal(text)


def header_unit(text: str) -> str | None:
    """Return the money unit a column header names (``（单位：万元）``, ``（元）``), or None."""
    folded = tidy(text)
    if WAN in folded:
        return WAN
    if re.search(r"[(（](?:单位[:：])?元[)）]|单位[:：]元", folded):
        return YUAN
    return None
