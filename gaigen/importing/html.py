"""Read a report published as a web page (.html / .htm): paragraphs and tables with row/column spans.

The standard library's tolerant ``html.parser`` feeds a small tree builder that closes what web
pages leave open (``<p>``, ``<td>``, ``<tr>``, ``<li>``). A table that holds other tables is page
layout and is read as ordinary content; a table without nested tables is a data table, laid out
on its grid from ``rowspan`` and ``colspan`` (a cell covered from above is an empty cell, as in a
text copy). Nothing is fetched: images, styles and scripts are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from gaigen.files.inputs import decode
from gaigen.importing.limits import read_limited
from gaigen.importing.model import Block, Cell, Paragraph, Source, Table, Where

MAX_HTML_BYTES = 20 * 1024 * 1024
MAX_SPAN = 200
MAX_ROWS = 2000  # a report's tables have at most 28 rows
MAX_DEPTH = 400

_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "param", "track", "embed"}
_SKIP = {"script", "style", "noscript", "template", "svg", "math", "head", "object", "iframe", "select", "button"}
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th", "tbody", "thead",
    "tfoot", "section", "article", "header", "footer", "blockquote", "pre", "center", "caption", "dl", "dt", "dd",
    "form", "nav", "main", "aside", "figure", "figcaption", "hr", "br", "body", "html", "address",
}  # fmt: skip
_CLOSES_P = _BLOCK - {"br", "td", "th", "tr", "tbody", "thead", "tfoot", "body", "html", "caption", "dt", "dd"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_-]+)""", re.I)
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])"
)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]
        self.skipping = 0
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in _SKIP and tag not in _VOID:
                self.skipping += 1
            return
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP:
            self.skipping = 1
            return
        self._close_implied(tag)
        node = _Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag not in _SKIP and tag != "title":
            self._close_implied(tag)
            self.stack[-1].children.append(_Node(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping -= 1
            return
        if tag == "title":
            self.in_title = False
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[depth].tag
            if open_tag == tag:
                del self.stack[depth:]
                return
            if open_tag == "table" and tag != "table":
                return  # a stray end tag never closes anything outside its table

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._pop_to("p", stop={"td", "th", "table", "li", "div"})
        if tag == "li":
            self._pop_to("li", stop={"ul", "ol", "table"})
        if tag == "tr":
            self._pop_to("tr", stop={"table"})
        if tag in ("td", "th"):
            self._pop_to("td", stop={"tr", "table"}) or self._pop_to("th", stop={"tr", "table"})
        if tag in ("tbody", "thead", "tfoot"):
            self._pop_to("tr", stop={"table"})

    def _pop_to(self, tag: str, stop: set[str]) -> bool:
        for depth in range(len(self.stack) - 1, 0, -1):
            open_tag = self.stack[depth].tag
            if open_tag == tag:
                del self.stack[depth:]
                return True
            if open_tag in stop:
                return False
        return False


def read_html(path: Path, name: str) -> Source:
    """Return the report in the web page at ``path``; raise ``InputError`` when it cannot be read."""
    raw = read_limited(path, name, MAX_HTML_BYTES)
    return parse_html(_decoded(raw, name), name)


def _decoded(raw: bytes, name: str) -> str:
    declared = _CHARSET.search(raw[:4096])
    if declared and not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        codec = declared.group(1).decode("ascii").lower()
        codec = "gb18030" if codec in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else codec
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(raw, name)[0]


def parse_html(text: str, name: str) -> Source:
    """Return the blocks of a web page given as text."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    walker = _Walker()
    title = _page_title(builder.title)
    walker.walk(builder.root)
    walker.flush()
    if title and not any(isinstance(b, Paragraph) and title in b.text for b in walker.blocks[:3]):
        walker.blocks.insert(0, Paragraph(title, Where(paragraph=0)))
    return Source(name=name, kind="html", blocks=walker.blocks)


def _page_title(text: str) -> str:
    """Return the report's title from a page's <title>, without the site's name (``…报告_某某市人民政府``)."""
    parts = [part.strip() for part in re.split(r"\s*[_|｜—–-]{1,2}\s*", " ".join(text.split()))]
    return next((part for part in parts if "年度报告" in part), "")


def _clean(text: str) -> str:
    text = re.sub(r"[ \t\r\n\f\v]+", " ", text.replace("\xa0", " "))
    return _CJK_SPACE.sub("", text).strip()


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        self.buffer = []
        if text:
            self.paragraphs += 1
            self.blocks.append(Paragraph(text, Where(paragraph=self.paragraphs)))

    def walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child)
                continue
            if _is_page_chrome(child):
                continue
            if child.tag == "table" and not _has_table(child):
                self.flush()
                self.table(child)
                continue
            if child.tag in _HEADINGS and not _has_table(child):
                # A <br> in a heading breaks the line, not the heading: gaigen's own title is
                # ``某某县人民政府2024年<br>政府信息公开工作年度报告`` (issue 17, row 2).
                self.flush()
                self.buffer.append(_inline_text(child))
                self.flush()
            elif child.tag in _BLOCK:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def table(self, node: _Node) -> None:
        rows = _descendants(node, "tr")[:MAX_ROWS]
        self.tables += 1
        number = self.tables
        grid: list[dict[int, tuple[int, int]]] = [{} for _ in rows]  # row → column → (top row, left column)
        starts: list[list[tuple[int, str]]] = [[] for _ in rows]
        for r, row in enumerate(rows):
            c = 0
            for cell in (child for child in row.children if isinstance(child, _Node) and child.tag in ("td", "th")):
                while c in grid[r]:
                    c += 1
                rowspan = _span(cell.attrs.get("rowspan"), len(rows) - r)
                colspan = _span(cell.attrs.get("colspan"), MAX_SPAN)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        grid[r + dr][c + dc] = (r, c)
                starts[r].append((c, _cell_text(cell)))
                c += colspan
        table_rows = []
        for r in range(len(rows)):
            where = Where(table=number, row=r + 1)
            covered = [(left, "") for col, (top, left) in grid[r].items() if top < r and col == left]
            table_rows.append([Cell(text, where) for _, text in sorted([*starts[r], *covered])])
        self.blocks.append(Table(table_rows, Where(table=number)))


_CHROME = re.compile(r"nav|menu|footer|breadcrumb|crumb|share|toolbar|sidebar", re.I)


def _is_page_chrome(node: _Node) -> bool:
    """Return True for a site's navigation, footer or sharing bar around the report."""
    if node.tag in ("nav", "footer"):
        return True
    return bool(_CHROME.search(node.attrs.get("class", "") + " " + node.attrs.get("id", "")))


def _span(value: str | None, limit: int) -> int:
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return max(1, min(number, max(limit, 1)))


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _inline_text(node: _Node) -> str:
    """Return the text of ``node`` and its descendants on one line (a ``<br>`` is a space)."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append(" ")
        else:
            parts.append(_inline_text(child))
    return "".join(parts)


def _has_table(node: _Node) -> bool:
    return any(isinstance(child, _Node) and (child.tag == "table" or _has_table(child)) for child in node.children)


def _descendants(node: _Node, tag: str) -> list[_Node]:
    found: list[_Node] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                found.append(child)
            elif child.tag != "table":
                found += _descendants(child, tag)
    return found


def _cell_text(node: _Node) -> str:
    lines: list[str] = []
    buffer: list[str] = []

    def visit(current: _Node) -> None:
        for child in current.children:
            if isinstance(child, str):
                buffer.append(child)
            elif child.tag in ("br", "p", "div", "li"):
                lines.append("".join(buffer))
                buffer.clear()
                visit(child)
                lines.append("".join(buffer))
                buffer.clear()
            else:
                visit(child)

    visit(node)
    lines.append("".join(buffer))
    return "\n".join(cleaned for line in lines if (cleaned := _clean(line)))
