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
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from gaigen.core.document import Document, Path_, Position
from gaigen.core.errors import InputError
from gaigen.core.numbers import number_from_text
from gaigen.files.inputs import decode, read_limited

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

_YAML = "tag:yaml.org,2002:"
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true", "false", "yes", "no", "on", "off", "y", "n"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_SAFE_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


# Characters JSON allows raw in a string but YAML 1.1 (libyaml) does not: DEL, the C1 controls but
# NEL, and the two non-characters. In a JSON file they can only stand inside a string, where the
# escape ``\\uXXXX`` means the same in both languages.
_NOT_YAML = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def parse_text(
    text: str, name: str, path: Path | None = None, encoding: str = "utf-8", json_text: bool = False
) -> Document:
    """Return the document in the YAML or JSON ``text`` (e.g. one ``gaigen init`` wrote).

    ``json_text``: the text is JSON already checked by ``check_json`` (its strings may hold
    characters YAML forbids; they are escaped before libyaml reads it).
    """
    doc = Document(path=path or Path(name), name=name, data=None, encoding=encoding)
    if json_text:
        text = _NOT_YAML.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
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
        # Numbers stay text here (a 5,000-digit integer would raise ValueError): this only checks
        # the syntax; ``_scalar`` converts every number, within gaigen's bounds.
        json.loads(text, parse_int=str, parse_float=str, parse_constant=refuse_constant)
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
    comma = _fullwidth_comma(error, text)
    if comma is not None:
        line, column = comma
        return InputError(
            f"{shown} 第 {line} 行第 {column} 列：YAML 格式错误（花括号或方括号中使用了中文逗号“，”）。"
            "请改为英文逗号加空格“, ”。"
        )
    if error.context_mark is not None and any(word in context for word in _CONTEXT_FIRST):
        mark = error.context_mark  # where the bracket, quote or key opened, not where libyaml gave up
    reason = _yaml_reason(error, text, mark)
    where = f" 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
    return InputError(f"{shown}{where}：YAML 格式错误（{reason}）。请检查该行及上一行的缩进、冒号和引号。")


def _fullwidth_comma(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int] | None:
    """Return line and column of a full-width comma between an open bracket and where libyaml gave up."""
    start, end = error.context_mark, error.problem_mark
    if (
        start is None
        or end is None
        or not any(word in (error.context or "") for word in ("flow mapping", "flow sequence"))
    ):
        return None
    found = text.find("，", start.index, end.index + 1)
    if found < 0:
        return None
    line_start = text.rfind("\n", 0, found) + 1
    return text.count("\n", 0, found) + 1, found - line_start + 1


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
        _check_depth(text, doc.name, error.problem_mark)
        raise _yaml_error(error, text, doc.name) from error
    except yaml.reader.ReaderError as error:
        raise _control_character(text, doc.name) from error
    except (yaml.YAMLError, RecursionError, MemoryError) as error:
        _check_depth(text, doc.name, None)
        raise InputError(f"{doc.name}：YAML 格式错误（无法解析）。请检查文件内容。") from error
    finally:
        loader.dispose()


def _check_depth(text: str, name: str, mark: Any) -> None:
    """Raise gaigen's nesting message when brackets nest past ``MAX_DEPTH`` before ``mark``.

    The builder below refuses deep nesting as it meets it, but libyaml may look ahead and give up
    first (PyYAML 6.0.4 has a limit of its own): this scan makes the message gaigen's whatever the
    parser's version. It runs only once parsing failed, so it costs nothing on a good file; it
    skips quoted text and comments, roughly, which is enough to tell deep nesting apart.
    """
    end = mark.index + 1 if mark is not None else len(text)
    depth, line, quote = 0, 1, ""
    for found in _FLOW.finditer(text, 0, end):
        char = found.group()
        if char == "\n":
            line += 1
            quote = "" if quote == "#" else quote
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'#":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"{name} 第 {line} 行：嵌套层次过深，不是一份年度报告数据文件。")
        elif char in "]}":
            depth = max(depth - 1, 0)


_FLOW = re.compile("[\\[\\]{}\"'#\n]")


def _control_character(text: str, name: str) -> InputError:
    found = _CONTROL.search(text)
    if found is None:
        return InputError(f"{name}：YAML 格式错误（无法解析）。请检查文件内容。")
    line = text.count("\n", 0, found.start()) + 1
    return InputError(f"{name} 第 {line} 行：文件中有不可见的控制字符 U+{ord(found.group()):04X}。请删除该字符后再试。")


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
    """Return the value of a scalar; numbers only in plain decimal notation, never float.

    An explicit tag is honoured: ``!!float 12`` is a number with a fraction (refused where a
    count is due), ``!!str 12`` and ``! 12`` are text.
    """
    text = event.value
    tag = event.tag
    if tag is not None:
        return _tagged(text, tag)
    if event.style:
        return text  # quoted and block scalars are always text
    plain = text.strip()
    if plain in _NULL:
        return None
    number = number_from_text(plain)
    if number is not None:
        return number
    if plain.lower() in _BOOL:
        return plain.lower() in ("true", "yes", "on", "y")
    if _DATE.fullmatch(plain):
        return _timestamp(plain)
    return text  # hex, octal, 1_000, .inf and the like stay text and are refused as numbers


def _tagged(text: str, tag: str) -> Any:
    """Return a scalar with an explicit (safe) tag as the tag says; text where it cannot be."""
    plain = text.strip()
    kind = tag.removeprefix(_YAML)
    if kind == "null" and plain in _NULL:
        return None
    if kind == "bool" and plain.lower() in _BOOL:
        return plain.lower() in ("true", "yes", "on", "y")
    if kind in ("int", "float"):
        number = number_from_text(plain)
        if kind == "float" and isinstance(number, int):
            return Decimal(number)
        if number is not None:
            return number
    if kind == "timestamp" and _DATE.fullmatch(plain):
        return _timestamp(plain)
    return text


def _timestamp(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return text
