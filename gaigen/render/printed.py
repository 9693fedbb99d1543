"""Text as every renderer prints it: characters XML can hold, a paragraph's lines, the title's break."""

from __future__ import annotations

import itertools
import re
import unicodedata

# Characters XML 1.0 cannot hold at all; a data file cannot contain them, a hand-made context might.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A 2号 (22 pt ≈ 7.76 mm) title line holds 20 characters of the 156 mm text block.
TITLE_LINE_WIDTH = 20
TITLE_TAIL = "政府信息公开工作年度报告"
# A web or e-mail address: LibreOffice and Word break it nowhere, so the line before it is spread
# across the whole width. A zero-width space (U+200B, "no-width optional break" in LibreOffice and
# Word) after each / . @ lets it break; nothing is printed, and PDF text extraction drops it.
_ADDRESS = re.compile(r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)
_ADDRESS_BREAK = re.compile(r"(?<=[/.@])(?=[A-Za-z0-9])")
BREAK = "\u200b"
# A telephone number (0123-4567890) must not break at its hyphen: a word joiner (U+2060) after it.
_PHONE_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
JOINER = "\u2060"


def clean(text: str) -> str:
    """Return ``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text)


def lines(text: str) -> list[str]:
    """Return a paragraph as its lines (printed with line breaks between them)."""
    return [clean(line) for line in text.splitlines()]


def breakable(text: str) -> str:
    """Return ``text`` with a break opportunity (U+200B) after each / . @ inside an address, and
    none (U+2060) after the hyphen of a number such as a telephone number."""
    text = _PHONE_HYPHEN.sub("-" + JOINER, text)
    return _ADDRESS.sub(lambda found: _ADDRESS_BREAK.sub(BREAK, found[0]), text)


def width(text: str) -> float:
    """Return the printed width of ``text`` in Chinese characters (Latin letters and digits: half)."""
    return sum(1 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)


def title_lines(title: str) -> list[str]:
    """Return the title as printed: too long for one line, it breaks before 政府信息公开工作年度报告.

    GB/T 9704 wants a title's lines broken between words, never inside one; left to Word, a long
    agency name breaks the title inside 年度报告.
    """
    title = clean(title)
    if width(title) > TITLE_LINE_WIDTH and title.endswith(TITLE_TAIL) and title != TITLE_TAIL:
        return [title[: -len(TITLE_TAIL)], TITLE_TAIL]
    return [title]


def signature_indents(name: str, date: str) -> tuple[float, float]:
    """Return how far (in body characters) the signature and its date stand from the right margin.

    GB/T 9704-2012 §7.3.5.2, a document without a seal: the name 右空二字; the date on the next
    line, its first character two characters right of the name's first character; a date longer
    than that stands 右空二字 and the name moves left to keep the two-character step.
    """
    name_width, date_width = spaced_width(name), spaced_width(date)
    date_right = name_width - date_width  # the date starts 2 right of the name, which stands 2 in
    if date_right >= 2:
        return 2.0, date_right
    return 2.0 + (2 - date_right), 2.0


def spaced_width(text: str) -> float:
    """Return ``text``'s printed width with the space (about a fifth of a character, measured in
    LibreOffice) that Word and LibreOffice put between
    Chinese characters and digits or Latin letters (autoSpaceDE/autoSpaceDN)."""
    wide = [unicodedata.east_asian_width(char) in "WF" for char in text if not char.isspace()]
    boundaries = sum(1 for left, right in itertools.pairwise(wide) if left != right)
    return width(text) + 0.2 * boundaries
