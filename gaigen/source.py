"""Read a data file safely into plain values plus the line and column of every key and value.

YAML and JSON go through libyaml's composer (DECISIONS §13), never its constructor: tags, anchors
and aliases are refused, numbers with a fraction become ``Decimal`` from the text as written, and
integers are read only in plain decimal notation. Every failure is an ``InputError`` in Chinese.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gaigen.errors import InputError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true", "false", "yes", "no", "on", "off", "y", "n"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_SAFE_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """A parsed data file: its values, and where each key and value stands in the file."""

    path: Path
    name: str  # as shown in messages
    data: Any
    value_at: dict[Path_, Position] = field(default_factory=dict)
    key_at: dict[Path_, Position] = field(default_factory=dict)
    encoding: str = "utf-8"

    def where(self, path: Path_) -> Position | None:
        """Return the position of the value at ``path``, else of its nearest parent."""
        for end in range(len(path), -1, -1):
            found = self.value_at.get(path[:end]) if end else None
            if found is not None:
                return found
            found = self.key_at.get(path[:end]) if end else None
            if found is not None:
                return found
        return None

    def where_key(self, path: Path_) -> Position | None:
        return self.key_at.get(path) or self.where(path)


def read_document(path: Path, name: str | None = None) -> Document:
    """Return the parsed document at ``path``; raise ``InputError`` when it cannot be used."""
    shown = name or path.name
    text, encoding = _read_text(path, shown)
    if not text.strip():
        raise InputError(f"{shown}：文件是空的。请用 gaigen init 生成一份数据文件后再填写。")
    if path.suffix.lower() == ".json":
        _check_json(text, shown)
    root = _compose(text, shown)
    doc = Document(path=path, name=shown, data=None, encoding=encoding)
    doc.data = _Builder(doc).build(root, (), 0)
    return doc


def _read_text(path: Path, shown: str) -> tuple[str, str]:
    try:
        if path.is_dir():
            raise InputError(f"{shown}：这是一个文件夹，不是数据文件。请给出 .yaml 或 .json 文件。")
        if not path.exists():
            raise InputError(f"{shown}：找不到这个文件。请检查文件名和所在文件夹。")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"{shown}：无法读取文件（{error.strerror or error}）。") from error
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"{shown}：文件超过 {MAX_BYTES // (1024 * 1024)} MB，不像是一份年度报告数据文件。请检查是否选错了文件。"
        )
    return _decode(raw, shown)


def _decode(raw: bytes, shown: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as saved by Windows tools."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", shown), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", shown), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Notepad and WPS on Chinese Windows save "ANSI" files in GBK, a subset of GB18030.
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise InputError(
            f"{shown}：文件编码无法识别（第 {error.start + 1} 个字节）。"
            "请用记事本或 WPS 将文件“另存为”UTF-8 编码后再试。"
        ) from error


def _strict(raw: bytes, encoding: str, shown: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{shown}：文件中有无法按 {encoding.upper()} 解码的字节（第 {error.start + 1} 个字节）。"
            "请将文件另存为 UTF-8 编码后再试。"
        ) from error


def _check_json(text: str, shown: str) -> None:
    def refuse_constant(name: str) -> None:
        raise InputError(f"{shown}：JSON 中出现了 {name}，它不是数字。请填写具体数字。")

    try:
        json.loads(text, parse_float=Decimal, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{shown} 第 {error.lineno} 行第 {error.colno} 列：JSON 格式错误（{_json_reason(error.msg)}）。"
            "请检查该处的逗号、引号和括号。"
        ) from error


def _json_reason(msg: str) -> str:
    reasons = {
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Expecting value": "缺少值",
        "Expecting property name enclosed in double quotes": "键名须用双引号括起，且最后一项后不能有逗号",
        "Unterminated string starting at": "字符串缺少结尾的引号",
        "Extra data": "数据结束后还有多余内容",
        "Invalid control character at": "字符串中有控制字符",
    }
    return reasons.get(msg, msg)


def _compose(text: str, shown: str) -> yaml.Node:
    try:
        # BaseLoader resolves no implicit tags (that is done by ``_scalar``, faster and stricter).
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        raise InputError(
            f"{shown}{where}：YAML 格式错误（{_yaml_reason(error)}）。请检查该行及上一行的缩进、冒号和引号。"
        ) from error
    except yaml.YAMLError as error:
        raise InputError(f"{shown}：YAML 格式错误（{error}）。") from error
    except RecursionError as error:
        raise InputError(f"{shown}：嵌套层次过深，不是一份年度报告数据文件。") from error
    if node is None:
        raise InputError(f"{shown}：文件中没有数据。请用 gaigen init 生成一份数据文件后再填写。")
    return node


def _yaml_reason(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if "found character '\\t'" in problem or "\\t" in problem:
        return "含有制表符 Tab，请改用空格缩进"
    if "mapping values are not allowed" in problem:
        return "冒号位置不对，可能是缩进错误，或冒号后缺少空格"
    if "could not find expected ':'" in problem:
        return "缺少冒号"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "方括号或花括号没有闭合"
    if "found unexpected end of stream" in problem:
        return "引号没有闭合"
    if "did not find expected key" in problem:
        return "缩进不一致"
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return "使用了未定义的别名"
    return problem or "无法解析"


class _Builder:
    """Turn composed YAML nodes into plain values, recording positions on the way."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def _fail(self, node: yaml.Node, why: str) -> InputError:
        mark = node.start_mark
        return InputError(f"{self.doc.name} 第 {mark.line + 1} 行：{why}")

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self._fail(node, "嵌套层次过深，不是一份年度报告数据文件。")
        if id(node) in self.seen:
            raise self._fail(node, "不支持 YAML 锚点和别名（& 与 *），请把内容直接写出来。")
        self.seen.add(id(node))
        mark = node.start_mark
        self.doc.value_at[path] = Position(mark.line + 1, mark.column + 1)
        if node.tag not in _SAFE_TAGS:
            if node.tag == _YAML + "merge" or (isinstance(node, yaml.ScalarNode) and node.value == "<<"):
                raise self._fail(node, "不支持 YAML 合并键（<<），请把内容直接写出来。")
            raise self._fail(
                node, f"不支持 YAML 标签“{node.tag.replace(_YAML, '!!')}”。数据文件只能包含文字和数字，请删除该标签。"
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_TAGS:
                raise self._fail(key_node, "键必须是文字。")
            if key_node.value == "<<":
                raise self._fail(key_node, "不支持 YAML 合并键（<<），请把内容直接写出来。")
            key = str(key_node.value).strip()
            if key in result:
                first = self.doc.key_at[(*path, key)]
                raise self._fail(key_node, f"键“{key}”重复出现（第一次在第 {first.line} 行）。请删除其中一个。")
            mark = key_node.start_mark
            self.doc.key_at[(*path, key)] = Position(mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


def _scalar(node: yaml.ScalarNode) -> Any:
    """Return the value of a scalar; numbers only in plain decimal notation, never float."""
    text = node.value
    if node.style or node.tag != _YAML + "str":
        return text  # quoted and block scalars, and explicit !!str, are always text
    plain = text.strip()
    if plain in _NULL:
        return None
    if _INT.fullmatch(plain):
        return int(plain, 10)
    if _DECIMAL.fullmatch(plain):
        try:
            return Decimal(plain)
        except InvalidOperation:
            return text
    if plain.lower() in _BOOL:
        return plain.lower() in ("true", "yes", "on", "y")
    if _DATE.fullmatch(plain):
        return _timestamp(plain)
    return text  # hex, octal, 1_000, .inf and the like stay text and are refused as numbers


def _timestamp(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return text
