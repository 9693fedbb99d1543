"""Published text back to what its author typed: traditional characters, web and Word residue.

Web sites convert reports to traditional characters, garble full-width brackets into mojibake
(seed 004: ``?。ㄒ唬`` for ``（一）``), leave HTML markup (``?/p>``, ``?br/>``) and Word bookmarks
(``[bookmark: _GoBack]``) in the text. Traditional characters are converted with OpenCC's
dictionary (t2s) when a document is mostly traditional; mojibake is never decoded, only
recognised, so that the importer can recover a heading or a row by its position instead.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from gaigen.importing.model import Artefact, Where

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_BREAK = re.compile(r"[?？<]\s*br\s*/?\s*>", re.I)
_MARKUP = re.compile(r"[?？<]\s*/\s*(?:p|span|div|td|font)\s*>|<\s*(?:p|span|div|font)(?:\s[^>]*)?>|&nbsp;", re.I)
# A garbled full-width bracket opens with a question mark and a full stop (seed 004).
MOJIBAKE_START = re.compile(r"^\s*[?？\ufffd]\s*。")
_MOJIBAKE_CHARS = re.compile(r"[\u3100-\u312f\u2500-\u257f\ufffd\u0100-\u024f]|[?？]\s*。|[?？]\s*[!！]")

TRADITIONAL_SHARE = 0.05  # above this share of Han characters that are traditional-only, convert
TRADITIONAL_MIN = 20


@functools.cache
def _converter() -> Any:
    import opencc  # type: ignore[import-untyped]

    return opencc.OpenCC("t2s")


@functools.cache
def _traditional_only() -> frozenset[str]:
    """Return the characters OpenCC converts to a different simplified character."""
    import opencc

    dictionary = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        if len(source) == 1 and source not in targets.split():
            chars.add(source)
    return frozenset(chars)


def is_traditional(texts: list[str]) -> bool:
    """Return True when the texts are written mostly in traditional characters."""
    traditional = _traditional_only()
    han = hits = 0
    for text in texts:
        for char in text:
            if "\u4e00" <= char <= "\u9fff":
                han += 1
                if char in traditional:
                    hits += 1
    return hits >= TRADITIONAL_MIN and hits >= TRADITIONAL_SHARE * han


def simplified(text: str) -> str:
    """Return ``text`` in simplified characters (OpenCC t2s, phrases first)."""
    result: str = _converter().convert(text)
    return result


_CJK = "\u3400-\u9fff"
_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_AFTER_CJK = re.compile(rf"(?<=[{_CJK}“”’）》])([,;:)?!])")
_HALF_BEFORE_CJK = re.compile(rf"([,;:(])(?=[{_CJK}“‘《（])")


def full_width_punctuation(text: str) -> str:
    """Return ``text`` with half-width punctuation next to Chinese characters made full-width.

    Used only for text a web site converted (to traditional characters), which also turns the
    punctuation half-width; a report typed with a stray half-width comma keeps it.
    """

    def wide(found: re.Match[str]) -> str:
        return _HALF_PUNCT[found.group(1)]

    return _HALF_BEFORE_CJK.sub(wide, _HALF_AFTER_CJK.sub(wide, text))


def split_breaks(text: str) -> list[str]:
    """Return the pieces of ``text`` between HTML line breaks left in it (``<br/>``, ``?br/>``)."""
    return _BREAK.split(text)


def strip_residue(text: str, where: Where, artefacts: list[Artefact]) -> str:
    """Return ``text`` without Word bookmarks and HTML markup, recording what was removed."""
    for found in _BOOKMARK.findall(text):
        artefacts.append(Artefact("bookmark", found, where))
    text = _BOOKMARK.sub("", text)
    if _MARKUP.search(text):
        artefacts.append(Artefact("markup", _MARKUP.search(text).group(0), where))  # type: ignore[union-attr]
        text = _MARKUP.sub("", text)
    return text


def looks_garbled(text: str) -> bool:
    """Return True when ``text`` holds mojibake (a garbled bracket, bopomofo or box-drawing characters)."""
    return bool(_MOJIBAKE_CHARS.search(text)) and not _is_plain_latin(text)


def _is_plain_latin(text: str) -> bool:
    return all(ord(char) < 0x250 for char in text) and "?" not in text and "？" not in text


def compact(text: str) -> str:
    """Return ``text`` without white space (line breaks inside a printed cell are layout, not text)."""
    return re.sub(r"\s+", "", text)


def folded(text: str) -> str:
    """Return ``text`` with full-width digits, letters and brackets folded to half-width (NFKC)."""
    return unicodedata.normalize("NFKC", text)
