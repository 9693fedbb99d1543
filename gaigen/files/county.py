"""Read a county's settings file (``--config``): deadlines and thresholds for the scored checks.

The file is YAML (or JSON), every key optional::

    发布期限: 2025-01-25          # every level; or by level:
    # 发布期限: {部门: 2025-01-25, 政府: 2025-03-20}
    重复率阈值: 50                 # %: R-1, repeated from last year
    雷同阈值: 80                   # %: R-2, the same as another unit
    比例变化阈值: 30               # percentage points: Y-1
    异常最少报告数: 10             # Y-2
    比例最小基数: 10               # Y-1, Y-2
    审核机关: 某某县人民政府办公室  # signs the return letters
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gaigen.core.errors import InputError
from gaigen.core.settings import Settings
from gaigen.files.source import parse_text, read_text
from gaigen.spec.layout import LEVELS

DEADLINE = "发布期限"
_PERCENT = {"重复率阈值": "repeat_threshold", "雷同阈值": "similar_threshold", "比例变化阈值": "jump_threshold"}
_COUNTS = {"异常最少报告数": "min_reports", "比例最小基数": "min_base"}
OFFICE = "审核机关"
KEYS = (DEADLINE, *_PERCENT, *_COUNTS, OFFICE)


def read_settings(path: Path, deadline: dt.date | None = None) -> Settings:
    """Return the settings in the file at ``path``; ``deadline`` (``--deadline``) overrides its 发布期限.

    Raise ``InputError`` naming the file, line and key when a value cannot be used.
    """
    shown = str(path)
    text, encoding = read_text(path, shown)
    document = parse_text(text, shown, path, encoding) if text.strip() else None
    data = document.data if document is not None else {}
    if not isinstance(data, dict):
        raise InputError(f"{shown}：设置文件应为“键: 值”的形式，如：发布期限: 2025-01-31")

    def where(key: str) -> str:
        position = document.where((key,)) if document is not None else None
        return f"{shown} {position.place}" if position else shown

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            raise InputError(f"{where(key)}：不认识的设置“{key}”。可用的设置：{'、'.join(KEYS)}。")
        if key == DEADLINE:
            values["deadlines"] = _deadlines(value, where(key))
        elif key in _PERCENT:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 100:
                raise InputError(f"{where(key)}：“{key}”应为 1 至 100 之间的百分数，如：{key}: 50")
            values[_PERCENT[key]] = float(value) / 100
        elif key in _COUNTS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(f"{where(key)}：“{key}”应为正整数，如：{key}: 10")
            values[_COUNTS[key]] = value
        else:
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"{where(key)}：“{key}”应为机关名称，如：{key}: 某某县人民政府办公室")
            values["office"] = value.strip()
    if deadline is not None:
        values["deadlines"] = {"": deadline}
    return Settings(**values)


def _deadlines(value: Any, where: str) -> dict[str, dt.date]:
    example = (
        f"{where}：“{DEADLINE}”应为日期（如 2025-01-31），或按级别分别给出（如 {{部门: 2025-01-31, 政府: 2025-03-31}}）"
    )
    if isinstance(value, dt.date):
        return {"": value}
    if isinstance(value, dict) and value and all(k in LEVELS and isinstance(v, dt.date) for k, v in value.items()):
        return dict(value)
    raise InputError(example + "。")
