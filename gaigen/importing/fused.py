"""Web text that lost its line breaks: the whole report one line, table cells fused without separators.

The commonest form of a report copied from a government site: ``…联系。一、总体情况2022年，…
一、本年新收政府信息公开申请数量713000074二、上年结转…``. Such a paragraph is split at the official
part headings wherever they stand (in order, each with its ordinal, so that ``总体情况`` in the
preamble is not a heading), a heading glued to its text is cut off it, and a title glued to the
preamble is cut at ``年度报告``. The text of parts 二, 三 and 四 is read as a table: the official
labels of either edition are found in it, the digit runs between them are the rows' values, kept
as one *fused* cell each (white space kept: it always separates cells) for ``solver`` to split.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from gaigen.importing.model import Block, Cell, Paragraph, Table, Where
from gaigen.importing.narrative import PART_WORDING
from gaigen.importing.recognise import all_labels, kind_of
from gaigen.spec import layout

_CN = "一二三四五六七"
_TABLE_PARTS = {2: layout.TABLE_KEYS[0], 3: layout.TABLE_KEYS[1], 4: layout.TABLE_KEYS[2]}
# 四's long wording is often misprinted (``行政法复议``): its two key words in order are enough.
_WORDING = [pattern.pattern for pattern in PART_WORDING]
_WORDING[3] = r"(?:因?政府信息公开)?[^。，；]{0,12}?复议[^。，；]{0,8}?诉讼的?情况"
# Any ordinal: some reports number their parts their own way (``二、收到和处理……`` when 二 is left out).
_HEADINGS = [re.compile(rf"[{_CN}]\s*[、.．]\s*(?:{wording})") for wording in _WORDING]
_TITLE_END = re.compile(r"^.{4,80}?(?:政府)?信息公开工作年度报告")
# A run of numbers (white space between them kept) and a sub-row ordinal (``2.``) glued to its end.
_RUN = re.compile(r"[+-]?\d[\d.,]*(?:[ \t\u3000\xa0]*[+-]\d[\d.,]*|[ \t\u3000\xa0]+\d[\d.,]*)*")
_SPACE = re.compile(r"\s+")
_MIN_LABELS = 3
# The five topics of 一 as sub-headings glued to their text: ``（一）主动公开方面平潭综合实验区……``.
_TOPIC_WORDING = (
    r"主动公开(?:政府信息)?",
    r"依申请公开(?:政府信息)?",
    r"(?:政府)?信息(?:公开)?管理",
    r"(?:政府信息公开|信息公开|政务公开)?平台建设",
    r"(?:政府信息公开)?监督保障",
)
_TOPICS = [
    re.compile(rf"[（(]{_CN[n]}[）)]\s*{wording}(?:方面|情况|工作)?(?:情况)?[。：:]?")
    for n, wording in enumerate(_TOPIC_WORDING)
]
_MIN_TOPICS = 3


def unfuse(blocks: list[Block]) -> list[Block]:
    """Return the blocks with each fused paragraph split into headings, text and tables."""
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            result += _split(block)
        else:
            result.append(block)
    return result


def _split(paragraph: Paragraph) -> list[Block]:
    text, where = paragraph.text, paragraph.where
    cuts: list[tuple[int, int, int]] = []  # (part, start, end) of each heading found, in order
    position = 0
    for part, pattern in enumerate(_HEADINGS, start=1):
        found = pattern.search(text, position)
        if found is None:
            continue
        cuts.append((part, found.start(), found.end()))
        position = found.end()
    glued = len(cuts) == 1 and cuts[0][1] == 0 and cuts[0][2] < len(text.rstrip())
    if len(cuts) < 2 and not glued:
        return [paragraph]
    ends = [start for _part, start, _end in cuts[1:]] + [len(text)]
    if len(cuts) >= 2 and sum(1 for (_p, _s, end), stop in zip(cuts, ends, strict=True) if stop - end >= 20) < 2:
        return [paragraph]  # a list of the parts (``全文包括一、总体情况，二、……``), not the parts themselves
    blocks: list[Block] = _opening(text[: cuts[0][1]], where)
    for index, (part, start, end) in enumerate(cuts):
        stop = cuts[index + 1][1] if index + 1 < len(cuts) else len(text)
        blocks.append(Paragraph(text[start:end].strip(), where))
        body = text[end:stop].strip()
        if not body:
            continue
        key = _TABLE_PARTS.get(part)
        if key is not None:
            blocks += _table_part(key, body, where)
        elif part == 1:
            blocks += _topics(body, where)
        else:
            blocks.append(Paragraph(body, where))
    return blocks


def _topics(text: str, where: Where) -> list[Block]:
    """Return the text of 一 cut at the sub-headings of its five topics, when at least three stand in order."""
    cuts: list[tuple[int, int]] = []
    position = 0
    for pattern in _TOPICS:
        found = pattern.search(text, position)
        if found is not None:
            cuts.append((found.start(), found.end()))
            position = found.end()
    if len(cuts) < _MIN_TOPICS:
        return [Paragraph(text, where)]
    blocks: list[Block] = [Paragraph(text[: cuts[0][0]], where)] if text[: cuts[0][0]].strip() else []
    for index, (start, end) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(text)
        blocks.append(Paragraph(text[start:end].strip().rstrip("。：:"), where))
        if text[end:stop].strip():
            blocks.append(Paragraph(text[end:stop].strip(), where))
    return blocks


def _opening(text: str, where: Where) -> list[Block]:
    """Return the text before 一: the title cut off the preamble glued to it."""
    text = text.strip()
    if not text:
        return []
    title = _TITLE_END.match(text)
    if title is None or title.end() == len(text):
        return [Paragraph(text, where)]
    return [Paragraph(title.group(0).strip(), where), Paragraph(text[title.end() :].strip(), where)]


def _table_part(key: str, body: str, where: Where) -> list[Block]:
    """Return the text of a table part as a table (with any prose before it), or as a paragraph."""
    rows = fused_rows(key, body, where)
    table = Table(rows, where)
    if sum(1 for row in rows for cell in row if not cell.fused) < _MIN_LABELS or kind_of(table) != key:
        return [Paragraph(body, where)]
    return [table]


def fused_rows(key: str, text: str, where: Where) -> list[list[Cell]]:
    """Return the rows of a table printed as one line: label cells, then the row's digit run.

    The text between two runs is cut into cells at the official labels; a sub-row ordinal glued to
    the end of a run (``00000002.其他…``) goes back to the label it opens.
    """
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    position = 0
    for run in _RUN.finditer(text):
        start, end = run.start(), run.end()
        value = run.group(0)
        following = text[end] if end < len(text) else ""
        if value.endswith((".", "．")) and len(value) >= 2 and value[-2] in "123456789":
            end -= 2  # ``…00000002.其他`` : ``2.`` opens the next label
        elif following in "、．" and following and value[-1] in "123456789":
            end -= 1  # ``…00000002、其他`` : the last digit opens the next label
        value = text[start:end]
        if position < start:
            current += _label_cells(key, text[position:start], where)
        value = value.strip()
        if not value or not value.lstrip("+-")[:1].isdigit():
            position = start
            continue
        current.append(Cell(value, where, fused=True))
        rows.append(current)
        current = []
        position = end
    if position < len(text):
        current += _label_cells(key, text[position:], where)
    if current:
        rows.append(current)
    return rows


def _label_cells(key: str, text: str, where: Where) -> list[Cell]:
    """Return the text cut into cells at the official labels (the longest label found first)."""
    plain = _SPACE.sub("", text)
    if not plain:
        return []
    folded = "".join(_fold(char) for char in plain)
    cells: list[Cell] = []
    position = 0
    for found in _vocabulary(key).finditer(folded):
        if found.start() > position:
            cells.append(Cell(plain[position : found.start()], where))
        cells.append(Cell(plain[found.start() : found.end()], where))
        position = found.end()
    if position < len(plain):
        cells.append(Cell(plain[position:], where))
    return cells


@functools.cache
def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


@functools.cache
def _vocabulary(key: str) -> re.Pattern[str]:
    labels = {"".join(_fold(c) for c in _SPACE.sub("", label)) for label in all_labels(key)}
    labels.discard("")
    ordered = sorted(labels, key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in ordered))
