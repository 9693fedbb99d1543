"""``gaigen convert``: a data file from one format to another (YAML, JSON, Excel workbook), loss-free.

The source is read as ``validate`` reads it and its keys are matched to the official labels; the
target is written from those values, so every number (``Decimal`` money exactly), paragraph, date
and optional item survives, and so does a wrong value: a refused cell is carried over as it was
written and ``validate`` names it again in the new file. What could not be carried over — a key
gaigen does not know (K-1), an item given twice (K-2), a row of the other edition (E-1) — stops
the conversion, with the problems listed, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gaigen.core.document import Document
from gaigen.core.errors import UsageError
from gaigen.core.keys import canonicalize
from gaigen.core.problems import Problem, sorted_problems
from gaigen.files.load import read_document
from gaigen.files.output import write_outputs
from gaigen.files.reading import read_report
from gaigen.files.source import parse_text
from gaigen.spec import datafile
from gaigen.spec.datafile import Key, Leaf, Section
from gaigen.spec.layout import Edition, Kind

TARGETS = (".yaml", ".yml", ".json", ".xlsx")
_LOST_RULES = ("K-1", "K-2")


@dataclass
class Converted:
    """The outcome of one conversion: the file written, or the problems that stopped it."""

    source: Path
    target: Path
    edition: Edition
    written: bool = False
    problems: list[Problem] = field(default_factory=list)  # what would have been lost


def default_target(source: Path) -> Path:
    """Return ``data.xlsx`` for ``data.yaml`` (and ``data.json``), ``data.yaml`` for ``data.xlsx``."""
    return source.with_suffix(".yaml" if source.suffix.lower() == ".xlsx" else ".xlsx")


def convert_file(source: Path, target: Path, name: str | None = None, force: bool = False) -> Converted:
    """Write the data of ``source`` to ``target`` in the format its suffix names.

    Raise ``InputError`` when ``source`` cannot be read and ``UsageError`` for an unknown target
    suffix; return the problems instead of writing when converting would lose data. An existing ``target`` is
    replaced only when gaigen wrote it and it is unchanged, or with ``force`` (else ``OutputError``).
    """
    suffix = target.suffix.lower()
    if suffix not in TARGETS:
        raise UsageError(f"{target}：不知道要转换成什么格式。输出文件名应以 .yaml、.yml、.json 或 .xlsx 结尾。")
    document = read_document(source, name)
    result = read_report(document)
    edition = result.report.edition
    lost = [p for p in result.problems if p.rule in _LOST_RULES or (p.rule == "E-1" and p.subject != datafile.EDITION)]
    outcome = Converted(source, target, edition)
    if lost:
        outcome.problems = sorted_problems(lost)
        return outcome
    data = canonicalize(document.data, datafile.tree(edition), edition).data
    if suffix != ".xlsx":
        data = without_open_totals(data, edition)
    write_outputs({target: payload(data, edition, suffix, document, source.name)}, force)
    outcome.written = True
    return outcome


def payload(
    data: dict[str, Any], edition: Edition, suffix: str, document: Document | None = None, origin: str = ""
) -> bytes:
    """Return the bytes of a data file of format ``suffix`` holding ``data`` (official labels)."""
    if suffix == ".xlsx":
        from gaigen.files.workbook import workbook_bytes

        return workbook_bytes(data, edition, _namer(document))
    if suffix == ".json":
        return (json_text(data) + "\n").encode("utf-8")
    return yaml_text(data, edition, origin).encode("utf-8")


def without_open_totals(data: dict[str, Any], edition: Edition) -> dict[str, Any]:
    """Return ``data`` in ``gaigen init``'s shape: empty 总计 cells, empty optional items left out.

    A workbook gives every cell, empty or not; a data file leaves out the 总计 gaigen computes (a
    total row left all empty goes too) and the optional items not given, and writes empty text as
    ``""``. Nothing a report shows changes.
    """

    def walk(values: dict[str, Any], section: Section) -> dict[str, Any]:
        optional_row = bool(section.table) and not section.required  # 表三（七）总计
        out: dict[str, Any] = {}
        for entry in section.children:
            if entry.label not in values:
                continue
            value = values[entry.label]
            if isinstance(entry, Section) and isinstance(value, dict):
                value = walk(value, entry)
                if entry.table and not entry.required and not value:
                    continue
            elif value is None and isinstance(entry, Key):
                if entry.kind is Kind.TOTAL or optional_row or (not entry.required and not section.label):
                    continue  # as init leaves them out (发布日期, 网站, 联系方式 are commented out there)
                if entry.kind is Leaf.TEXT:
                    value = ""
            out[entry.label] = value
        return out

    return walk(data, datafile.tree(edition))


def _namer(document: Document | None) -> Callable[[tuple[str, ...]], str] | None:
    if document is None:
        return None

    def name_of(path: tuple[str, ...]) -> str:
        position = document.where(path)
        place = f" {position.place}" if position is not None else ""
        return f"{document.name}{place}：“{'”“'.join(path)}”"

    return name_of


# --- YAML ---------------------------------------------------------------------------------------


def yaml_text(data: dict[str, Any], edition: Edition, origin: str = "") -> str:
    """Return ``data`` as a YAML data file in ``gaigen init``'s shape, read back to the same values."""
    year, agency = data.get(datafile.YEAR), data.get(datafile.AGENCY)
    title = f"{year}年{agency}" if isinstance(year, int) and isinstance(agency, str) else ""
    lines = [
        f"# {title}政府信息公开工作年度报告 数据文件".replace("\n", " "),
        f"# 版式：{edition.value} 版（{edition.notice}），适用于{edition.years_text}报告。",
    ]
    if origin:
        lines.append(f"# 由 gaigen convert 从 {origin} 转换而来。".replace("\n", " "))
    lines.append("")
    for entry in datafile.tree(edition).children:
        if entry.label not in data:
            continue
        if entry.label not in datafile.META_KEYS:
            lines.append("")  # a blank line before each part, as init writes it
        lines += _entry(entry, data[entry.label], 0)
    return "\n".join(lines) + "\n"


def _entry(entry: Key | Section, value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    key = _key(entry.label)
    if isinstance(entry, Section) and isinstance(value, dict):
        if entry.children and all(isinstance(c, Key) and isinstance(c.kind, Kind) for c in entry.children):
            cells = [f"{_key(c.label)}: {_flow(value[c.label])}" for c in entry.children if c.label in value]
            return [f"{pad}{key}: {{{', '.join(cells)}}}"]  # a table row on one line, as init writes it
        lines = [f"{pad}{key}:"]
        for child in entry.children:
            if child.label in value:
                lines += _entry(child, value[child.label], depth + 1)
        return lines
    if isinstance(entry, Key) and entry.kind is Leaf.TEXT and _is_text(value):
        return _text(pad, key, value)
    return [f"{pad}{key}: {_flow(value)}"]


def _key(label: str) -> str:
    return label if _plain_ok(label) else json.dumps(label, ensure_ascii=False)


def _is_text(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return all(isinstance(item, str) for item in items)


# Characters YAML may hold as they are (YAML 1.1 §5.1 printable set), tab aside.
_UNPRINTABLE = re.compile("[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(pad: str, key: str, value: str | list[str]) -> list[str]:
    """Return narrative as a ``|-`` block, one paragraph a line (the model reads lines as paragraphs)."""
    items = value if isinstance(value, list) else [value]
    paragraphs = [line.strip() for item in items for line in item.splitlines() if line.strip()]
    if not paragraphs:
        return [f'{pad}{key}: ""']
    if any(_UNPRINTABLE.search(p) for p in paragraphs):
        return [f"{pad}{key}: {json.dumps(chr(10).join(paragraphs), ensure_ascii=False)}"]
    return [f"{pad}{key}: |-", *(f"{pad}  {p}" for p in paragraphs)]


def _flow(value: Any) -> str:
    """Return a value in flow style: numbers as written, text plain when safe, anything else as JSON."""
    if isinstance(value, str):
        return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()  # read back as a date
    return json_text(value, None)


def _plain_ok(text: str) -> bool:
    """Return whether ``text`` reads back as the same text when written plain (in a flow mapping too)."""
    if (
        not text
        or text != text.strip()
        or any(ch in text for ch in ",[]{}#&*!|>'\"%@`:\n\t")
        or _UNPRINTABLE.search(text)
    ):
        return False
    try:
        return bool(parse_text(f"k: {text}", "check").data == {"k": text})
    except Exception:
        return False


# --- JSON ---------------------------------------------------------------------------------------


def json_text(value: Any, indent: int | None = 0) -> str:
    """Return ``value`` as JSON with ``Decimal`` written exactly, dates as ``"2025-01-20"``.

    ``indent`` None gives one line (a flow value inside YAML).
    """
    if isinstance(value, (dict, list)):
        if not value:
            return "{}" if isinstance(value, dict) else "[]"
        inner = None if indent is None else indent + 1
        if isinstance(value, dict):
            items = [f"{json.dumps(str(k), ensure_ascii=False)}: {json_text(v, inner)}" for k, v in value.items()]
        else:
            items = [json_text(v, inner) for v in value]
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        if indent is None:
            return opening + ", ".join(items) + closing
        pad = "  " * (indent + 1)
        return opening + "\n" + ",\n".join(pad + item for item in items) + "\n" + "  " * indent + closing
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return json.dumps(str(value))
        exponent = value.as_tuple().exponent
        return format(value, "f") if isinstance(exponent, int) and exponent < 0 else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)
