"""Pydantic models of the data file, built from the key tree of each edition.

The value types are exact (brief: "Numbers are exact"): a count is a strict integer ≥ 0 and
refuses ``true``, ``12.0``, ``"12"``, ``-1``, ``１２`` and ``2个`` with a hint each; money is a
``Decimal`` built from the number as written. Each refusal is a ``PydanticCustomError`` whose
context carries the Chinese reason and what to do, so ``reading`` can place it in the file.

Two shapes of model come from one tree: for validation every field may be absent (absence is
rule T0-1 or N-1, reported with its location), and for ``gaigen schema`` required fields are
marked required.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import zlib
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from gaigen.core.numbers import TooLong
from gaigen.spec.datafile import Entry, Key, Leaf, Section, ValueKind, tree
from gaigen.spec.layout import FIRST_YEAR, LEVELS, Edition, Kind

MONEY_PLACES = 6  # 万元 to the 分 (DECISIONS §1); more is warning T2-2 / T2o-5
YUAN_PLACES = 2
MAX_YEAR = 2100


def refuse(why: str, fix: str) -> PydanticCustomError:
    return PydanticCustomError("gaigen", "{why}", {"why": why, "fix": fix})


def _number_hint(value: str) -> str:
    text = value.strip()
    folded = unicodedata.normalize("NFKC", text)
    if folded != text and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", folded):
        return "请改用半角数字（英文输入法下的数字）。"
    if re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", text):
        return "请去掉数字两边的引号。"
    if re.fullmatch(r"[-+]?[0-9.]+\s*\S+", folded):
        return "请只填数字，不要带单位或文字，单位见表头。"
    if text in ("", "-", "—", "/", "无", "不适用"):
        return "没有发生的事项请填 0。"
    return "请填写数字。"


_TOO_LONG = ("但数字位数过多", "请核对这个数字。")


def _integer(value: Any, *, signed: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, TooLong):
        raise refuse(*_TOO_LONG)
    if isinstance(value, bool):
        raise refuse("但这里只能填整数，不能填 true/false", "请填写数字，没有请填 0。")
    if isinstance(value, int):
        if value < 0 and not signed:
            raise refuse("但数量不能为负数", "请填写 0 或正整数。")
        return value
    if isinstance(value, Decimal):
        raise refuse("但这里只能填整数", "请去掉小数部分（如 12.0 应写作 12）。")
    if isinstance(value, str):
        raise refuse("但这里只能填数字", _number_hint(value))
    raise refuse("但这里只能填一个数字", "请填写一个整数。")


def _count(value: Any) -> int | None:
    return _integer(value, signed=False)


def _signed(value: Any) -> int | None:
    return _integer(value, signed=True)


def _decimal(value: Any, unit: str, places: int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, TooLong):
        raise refuse(*_TOO_LONG)
    if isinstance(value, bool):
        raise refuse(f"但这里只能填金额（{unit}），不能填 true/false", "请填写数字，没有请填 0。")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        raise refuse(f"但这里只能填金额数字（单位：{unit}）", _number_hint(value))
    else:
        raise refuse(f"但这里只能填一个金额（单位：{unit}）", "请填写一个数字。")
    if not number.is_finite():
        raise refuse("但这不是一个数字", "请填写具体金额。")
    if number < 0:
        raise refuse("但金额不能为负数", "请填写 0 或正数。")
    if places is not None and -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise refuse(f"但金额最多保留 {places} 位小数", f"请按{unit}填写，保留 {places} 位小数。")
    return number


def _money(value: Any) -> Decimal | None:
    return _decimal(value, "万元", None)


def _yuan(value: Any) -> Decimal | None:
    return _decimal(value, "元", YUAN_PLACES)


def _name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise refuse("但这里应填写文字", "请填写名称。")
    text = " ".join(value.split())
    return text or None


def _paragraphs(value: Any) -> list[str] | None:
    """Return text as paragraphs: a string gives one paragraph a line, a list one per item."""
    if value is None:
        return None
    items: list[Any] = value if isinstance(value, list) else [value]
    paragraphs: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, Decimal)):
            raise refuse("但这里应填写文字段落", "请直接写文字；多段文字可用 | 块写法，每段一行。")
        for line in str(item).splitlines():
            if line.strip():
                paragraphs.append(line.strip())
    return paragraphs


def _year(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and not isinstance(value, TooLong) and value.strip().isdigit():
        raise refuse("但年度应为数字，不是文字", f"请去掉引号，写作 {value.strip()}。")
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse("但年度应为四位数字", "请填写如 2024（不要加“年”字或引号）。")
    if not FIRST_YEAR <= value <= MAX_YEAR:
        raise refuse(
            f"但 gaigen 只支持 {FIRST_YEAR} 至 {MAX_YEAR} 年度的报告（{FIRST_YEAR} 年以前适用旧条例和旧格式）",
            "请填写报告所属年度，如 2024。",
        )
    return value


def _level(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip() in LEVELS:
        return value.strip()
    raise refuse("但级别只能是“部门”或“政府”", "政府部门填“部门”，人民政府（含乡镇）填“政府”。")


def _edition(value: Any) -> str | None:
    """Return the edition ``2019`` or ``2021``, written as a number or as exactly that text."""
    if value is None:
        return None
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, (bool, TooLong)) else ""
    if text in (e.value for e in Edition):
        return text
    fix = "可以删除这一项，gaigen 会按年度选用版式。"
    bare = text.removesuffix("版").removesuffix("年")
    if bare in (e.value for e in Edition):
        fix = f"请写作 {bare}（不加“版”字），或删除这一项，gaigen 会按年度选用版式。"
    raise refuse("但版式只能是 2019 或 2021", fix)


_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str) and not isinstance(value, TooLong):
        found = _CHINESE_DATE.fullmatch(value.strip())
        try:
            if found:
                return dt.date(*(int(part) for part in found.groups()))
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise refuse("但这不是一个有效日期", "请写成 2025-01-20 或 2025年1月20日。")


# Bounds are enforced by the validators (with Chinese messages); json_schema_extra only tells
# ``gaigen schema`` about them. A pydantic constraint here would also be applied to None.
_AT_LEAST_0 = Field(json_schema_extra={"minimum": 0})
_TYPES: dict[ValueKind, Any] = {
    Kind.COUNT: Annotated[int | None, BeforeValidator(_count), _AT_LEAST_0],
    Kind.TOTAL: Annotated[int | None, BeforeValidator(_count), _AT_LEAST_0],
    Kind.SIGNED: Annotated[int | None, BeforeValidator(_signed)],
    Kind.MONEY: Annotated[Decimal | None, BeforeValidator(_money), _AT_LEAST_0],
    Leaf.YUAN: Annotated[Decimal | None, BeforeValidator(_yuan), _AT_LEAST_0],
    Leaf.NAME: Annotated[str | None, BeforeValidator(_name)],
    Leaf.TEXT: Annotated[list[str] | str | None, BeforeValidator(_paragraphs)],
    Leaf.YEAR: Annotated[
        int | None, BeforeValidator(_year), Field(json_schema_extra={"minimum": FIRST_YEAR, "maximum": MAX_YEAR})
    ],
    Leaf.LEVEL: Annotated[str | None, BeforeValidator(_level), Field(json_schema_extra={"enum": list(LEVELS)})],
    Leaf.EDITION: Annotated[
        str | int | None, BeforeValidator(_edition), Field(json_schema_extra={"enum": ["2019", "2021", 2019, 2021]})
    ],
    Leaf.DATE: Annotated[dt.date | str | None, BeforeValidator(_date)],
}

_CONFIG = ConfigDict(extra="forbid", populate_by_name=False, arbitrary_types_allowed=False)


def _field(entry: Entry, annotation: Any, for_schema: bool) -> tuple[Any, Any]:
    required = for_schema and entry.required
    description = entry.help or entry.label
    if entry.aliases:
        description += f"（也可写作：{'、'.join(entry.aliases)}）"
    default = ... if required else None
    return annotation, Field(default, alias=entry.label, description=description)


def _model(section: Section, name: str, for_schema: bool) -> type[BaseModel]:
    if _is_row(section):
        return _row_model(_row_shape(section), for_schema)
    fields: dict[str, Any] = {}
    for index, child in enumerate(section.children):
        if isinstance(child, Section):
            annotation: Any = _model(child, f"{name}_{index}", for_schema)
            if not (for_schema and child.required):
                annotation = annotation | None
        else:
            annotation = _leaf_type(child, for_schema)
        fields[f"f{index}"] = _field(child, annotation, for_schema)
    model = create_model(name, __config__=_CONFIG, **fields)
    model.__doc__ = section.help or section.label or "政府信息公开工作年度报告数据文件"
    return model


def _is_row(section: Section) -> bool:
    return bool(section.table) and all(isinstance(child, Key) for child in section.children)


RowShape = tuple[tuple[str, ValueKind, tuple[str, ...], bool], ...]


def _row_shape(section: Section) -> RowShape:
    return tuple((k.label, k.kind, k.aliases, k.required) for k in section.children if isinstance(k, Key))


@cache
def _row_model(shape: RowShape, for_schema: bool) -> type[BaseModel]:
    """Return one model per kind of table row: the 25 rows of 表三 share theirs (cheaper start-up)."""
    keys = [Key(label, kind, aliases, required) for label, kind, aliases, required in shape]
    fields: dict[str, Any] = {
        f"f{i}": _field(key, _leaf_type(key, for_schema), for_schema) for i, key in enumerate(keys)
    }
    name = f"Row{zlib.crc32('|'.join(label for label, *_ in shape).encode()):08x}"  # stable across runs
    model = create_model(name, __config__=_CONFIG, **fields)
    model.__doc__ = "表格的一行：" + "、".join(label for label, *_ in shape)
    return model


def _leaf_type(key: Key, for_schema: bool) -> Any:
    annotation = _TYPES[key.kind]
    if for_schema and key.required:
        # Drop the None that validation mode allows, so the schema says what a clerk must write.
        base = annotation.__origin__
        args = tuple(a for a in base.__args__ if a is not type(None))
        inner = args[0] if len(args) == 1 else base
        return Annotated[(inner, *annotation.__metadata__)]
    return annotation


@cache
def report_model(edition: Edition, for_schema: bool = False) -> type[BaseModel]:
    """Return the pydantic model of a data file of ``edition``.

    Built with pydantic's plugins off, as typer builds its own: looking them up scans every
    installed distribution, a cost paid by each ``gaigen render`` and of no use to these models.
    """
    previous = os.environ.get(_NO_PLUGINS)
    os.environ[_NO_PLUGINS] = "1"
    try:
        return _model(tree(edition), f"Report{edition.value}", for_schema)
    finally:
        if previous is None:
            del os.environ[_NO_PLUGINS]
        else:
            os.environ[_NO_PLUGINS] = previous


_NO_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
