"""How much of one text is found in another: the measure behind R-1 (last year) and R-2 (other units).

重复率 of text A against text B (README, 相似度的算法):

1. Both texts are normalised: every character that is not a letter, digit or CJK ideograph
   (punctuation, spaces, line breaks) is dropped, and each run of digits becomes ``#``, so a copy
   with the year or the figures changed is still a copy.
2. A character of A counts as repeated when it lies inside a run of ``SHINGLE`` (8) consecutive
   characters that also occurs in B.
3. 重复率 = repeated characters of A ÷ all characters of A.

Eight characters is about one clause in Chinese: short enough to catch a copied sentence with one
word changed, long enough that stock phrases such as “政府信息公开” alone never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaigen.core.report import Report
from gaigen.spec import layout

SHINGLE = 8
# The characters a normalised text keeps: letters, digits, CJK ideographs (first and last of each range).
KEPT_RANGES = (("0", "9"), ("A", "Z"), ("a", "z"), ("\u3400", "\u9fff"), ("\uf900", "\ufaff"))
_DROP = re.compile("[^" + "".join(f"{first}-{last}" for first, last in KEPT_RANGES) + "]+")
_DIGITS = re.compile(r"[0-9]+")

# The parts compared, as named in messages: 一, 五, 六 (free text; the fee sentence is generated).
PART_NAMES = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
WHOLE = "全文"
MIN_PART = 20  # a part shorter than this (normalised) is too short to call repeated on its own


def normalise(text: str) -> str:
    """Return ``text`` as compared: letters, digits and ideographs only, digit runs as ``#``."""
    return _DIGITS.sub("#", _DROP.sub("", text))


def shingles(text: str) -> set[str]:
    """Return the set of ``SHINGLE``-character runs of a normalised text."""
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def coverage(text: str, other: set[str], other_text: str = "") -> float:
    """Return the share of the normalised ``text`` covered by runs in ``other`` (0.0 for an empty text)."""
    if not text:
        return 0.0
    if len(text) < SHINGLE:
        return 1.0 if other_text and text in other_text else 0.0
    covered = [False] * len(text)
    end = 0  # everything before ``end`` is already marked
    for i in range(len(text) - SHINGLE + 1):
        if text[i : i + SHINGLE] in other:
            for j in range(max(i, end), i + SHINGLE):
                covered[j] = True
            end = i + SHINGLE
    return sum(covered) / len(text)


def narrative_parts(report: Report) -> dict[str, str]:
    """Return the normalised text of 一, 五 and 六 (free text) of ``report``, by part name."""
    text = report.narrative
    overview = [*text.opening, *(p for topic in layout.TOPICS for p in text.topics.get(topic, []))]
    return {
        PART_NAMES[0]: normalise("".join(overview)),
        PART_NAMES[1]: normalise("".join(text.problems)),
        PART_NAMES[2]: normalise("".join(text.other)),
    }


@dataclass(frozen=True)
class Overlap:
    """The share of each part (and of the whole) of one text repeated in another."""

    whole: float
    parts: dict[str, float]

    def repeated_parts(self, threshold: float) -> list[str]:
        """Return “一、总体情况 65%” for each part above ``threshold``."""
        return [f"{name} {percent(share)}" for name, share in self.parts.items() if share > threshold]


def overlap(parts: dict[str, str], other: dict[str, str]) -> Overlap:
    """Return how much of ``parts`` is repeated in ``other`` (each part against the whole other text)."""
    whole_other = "".join(other.values())
    grams = shingles(whole_other)
    shares = {name: coverage(text, grams, whole_other) for name, text in parts.items() if len(text) >= MIN_PART}
    whole = "".join(parts.values())
    return Overlap(coverage(whole, grams, whole_other), shares)


def percent(share: float) -> str:
    """Return a share as a whole percentage, rounded down (“59%” never shows as “60%”)."""
    return f"{int(share * 100 + 1e-9)}%"
