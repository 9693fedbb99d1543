"""Read a data file safely into plain values plus the line and column of every key and value.

YAML and JSON go through libyaml's composer (DECISIONS §13), never its constructor: tags, anchors
and aliases are refused, numbers with a fraction become ``Decimal`` from the text as written, and
integers are read only in plain decimal notation. Every failure is an ``InputError`` in Chinese.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gaigen.core.document import Document, Path_, Position
from gaigen.core.errors import InputError
from gaigen.files.inputs import decode, read_limited

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

_YAML = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true", "false", "yes", "no", "on", "off", "y", "n"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_SAFE_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def parse_text(text: str, name: str, path: Path | None = None, encoding: str = "utf-8") -> Document:
    """Return the document in the YAML or JSON ``text`` (e.g. one ``gaigen init`` wrote)."""
    doc = Document(path=path or Path(name), name=name, data=None, encoding=encoding)
    doc.data = _parse(text, doc)
    return doc


def read_text(path: Path, shown: str) -> tuple[str, str]:
    raw = read_limited(
        path,
        shown,
        MAX_BYTES,
        "不是数据文件。请给出 .yaml 或 .json 文件。",
        "不像是一份年度报告数据文件。请检查是否选错了文件。",
    )
    return decode(raw, shown)


def check_json(text: str, shown: str) -> None:
    def refuse_constant(name: str) -> None:
        raise InputError(f"{shown}：JSON 中出现了 {name}，它不是数字。请填写具体数字。")

    try:
        json.loads(text, parse_float=Decimal, parse_constant=refuse_constant)
    except RecursionError as error:
        raise InputError(f"{shown}：嵌套层次过深，不是一份年度报告数据文件。") from error
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


_CONTEXT_FIRST = ("quoted scalar", "flow mapping", "flow sequence", "simple key")


def _yaml_error(error: yaml.MarkedYAMLError, text: str, shown: str) -> InputError:
    """Return a Chinese message for a YAML syntax error, placed where the user can fix it."""
    mark = error.problem_mark
    context = error.context or ""
    if "nesting depth" in (error.problem or ""):  # libyaml's own cap (newer versions), far above MAX_DEPTH
        line = f" 第 {mark.line + 1} 行" if mark is not None else ""
        return InputError(f"{shown}{line}：嵌套层次过深，不是一份年度报告数据文件。")
    if error.context_mark is not None and any(word in context for word in _CONTEXT_FIRST):
        mark = error.context_mark  # where the bracket, quote or key opened, not where libyaml gave up
    reason = _yaml_reason(error, text, mark)
    where = f" 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
    return InputError(f"{shown}{where}：YAML 格式错误（{reason}）。请检查该行及上一行的缩进、冒号和引号。")


def _line_at(text: str, mark: Any) -> str:
    lines = text.splitlines()
    return lines[mark.line] if mark is not None and mark.line < len(lines) else ""


def _yaml_reason(error: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = (error.problem or "").strip()
    context = error.context or ""
    line = _line_at(text, mark)
    if "：" in line and ("expected ':'" in problem or "simple key" in context):
        return "使用了中文冒号“：”，应为英文冒号加空格“: ”"
    if "cannot start any token" in problem or "found character" in problem:
        problem_mark = error.problem_mark
        bad = _line_at(text, problem_mark)[problem_mark.column : problem_mark.column + 1] if problem_mark else ""
        if bad == "\t" or "\\t" in problem:
            return "含有制表符 Tab，请改用空格缩进"
        return f"出现了不能用在此处的字符“{bad}”，如是文字内容请用引号括起"
    if "quoted scalar" in context:
        return "引号没有闭合"
    if "flow mapping" in context or "flow sequence" in context or "expected ',' or" in problem:
        return "方括号或花括号没有闭合"
    if "mapping values are not allowed" in problem:
        return "冒号位置不对，可能是缩进错误，或冒号后缺少空格"
    if "could not find expected ':'" in problem:
        return "缺少冒号"
    if "did not find expected key" in problem or "did not find expected" in problem:
        return "缩进不一致"
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return "使用了未定义的别名"
    return "无法解析这一处"


def _parse(text: str, doc: Document) -> Any:
    """Return the single document in ``text`` as plain values, recording positions in ``doc``.

    Built from parser events with an explicit stack: no recursion, so no nesting depth can
    overflow a stack, and depth is capped at ``MAX_DEPTH``.
    """
    loader = _LOADER(text)
    try:
        return _build(loader.get_event, doc)
    except yaml.MarkedYAMLError as error:
        raise _yaml_error(error, text, doc.name) from error
    except yaml.YAMLError as error:
        raise InputError(f"{doc.name}：YAML 格式错误（无法解析）。请检查文件内容。") from error
    finally:
        loader.dispose()


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_START_MAPPING, _END_MAPPING = yaml.MappingStartEvent, yaml.MappingEndEvent
_START_SEQUENCE, _END_SEQUENCE = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_DOCUMENT_START, _STREAM_END = yaml.DocumentStartEvent, yaml.StreamEndEvent
_STRUCTURE = (yaml.StreamStartEvent, yaml.DocumentEndEvent)


def _build(next_event: Callable[[], Any], doc: Document) -> Any:
    """Turn parser events into plain values, recording positions on the way.

    The hot loop of reading a file, kept flat on purpose: each open mapping or sequence is a
    frame ``[container, is_mapping, path, pending_key]`` on an explicit stack.
    """
    key_at, value_at = doc.key_at, doc.value_at
    stack: list[list[Any]] = []
    result: Any = None
    done = False
    documents = 0
    while True:
        event = next_event()
        kind = event.__class__
        if kind is _STREAM_END or event is None:
            break
        if kind is _END_MAPPING or kind is _END_SEQUENCE:
            value: Any = stack.pop()[0]
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                raise _fail(
                    doc,
                    event,
                    "YAML 格式错误（文件中有第二份数据（“---”之后的内容））。一个数据文件只能有一份数据，请删除“---”及其后的内容。",
                    column=True,
                )
            continue
        elif kind in _STRUCTURE:
            continue
        else:
            if kind is _ALIAS:
                raise _fail(doc, event, "不支持 YAML 锚点和别名（& 与 *），请把内容直接写出来。")
            if event.anchor is not None or event.tag is not None:
                _check(doc, event)
            frame = stack[-1] if stack else None
            mark = event.start_mark
            if frame is not None and frame[1] and frame[3] is None:
                key_at[_key(doc, frame, event)] = Position(mark.line + 1, mark.column + 1)
                continue
            if frame is None:
                path: Path_ = ()
            elif frame[1]:
                path = (*frame[2], frame[3])
            else:
                path = (*frame[2], len(frame[0]))
            value_at[path] = Position(mark.line + 1, mark.column + 1)
            if kind is _SCALAR:
                value = _scalar(event)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _fail(doc, event, "嵌套层次过深，不是一份年度报告数据文件。")
                stack.append([{} if kind is _START_MAPPING else [], kind is _START_MAPPING, path, None])
                continue
        # A finished value goes into its parent, or is the result.
        if not stack:
            result, done = value, True
        else:
            parent = stack[-1]
            if parent[1]:
                parent[0][parent[3]] = value
                parent[3] = None
            else:
                parent[0].append(value)
    if not done:
        raise InputError(f"{doc.name}：文件中没有数据。请用 gaigen init 生成一份数据文件后再填写。")
    return result


def _fail(doc: Document, event: Any, why: str, column: bool = False) -> InputError:
    mark = event.start_mark
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if column else f"第 {mark.line + 1} 行"
    return InputError(f"{doc.name} {where}：{why}")


def _check(doc: Document, event: Any) -> None:
    if event.anchor:
        raise _fail(doc, event, "不支持 YAML 锚点和别名（& 与 *），请把内容直接写出来。")
    tag = event.tag
    if tag is not None and tag not in _SAFE_TAGS and tag != "!":
        if tag == _YAML + "merge":
            raise _fail(doc, event, "不支持 YAML 合并键（<<），请把内容直接写出来。")
        raise _fail(
            doc, event, f"不支持 YAML 标签“{tag.replace(_YAML, '!!')}”。数据文件只能包含文字和数字，请删除该标签。"
        )


def _key(doc: Document, frame: list[Any], event: Any) -> Path_:
    """Take the key of a mapping entry; return its path."""
    if event.__class__ is not _SCALAR:
        raise _fail(doc, event, "键必须是文字。")
    if event.value == "<<" and not event.style:
        raise _fail(doc, event, "不支持 YAML 合并键（<<），请把内容直接写出来。")
    key = str(event.value).strip()
    path = (*frame[2], key)
    if key in frame[0] or path in doc.key_at:
        first = doc.key_at[path]
        raise _fail(doc, event, f"键“{key}”重复出现（第一次在第 {first.line} 行）。请删除其中一个。")
    frame[3] = key
    return path


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Return the value of a scalar; numbers only in plain decimal notation, never float."""
    text = event.value
    if event.style or event.tag == _YAML + "str":
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
