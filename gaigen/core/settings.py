"""The county office's settings for the checks evaluators score (issue 15).

Every value has the statutory or scored default; a county config file (``gaigen.files.county``)
or a command option replaces it. The rules read them; nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# 《政府信息公开条例》第四十九条、第五十条: departments publish by 1-31, people's governments by 3-31.
STATUTORY_DEADLINE = {"部门": (1, 31), "政府": (3, 31)}


@dataclass(frozen=True)
class Settings:
    """Thresholds and deadlines; shares are fractions (0.5 is 50 %)."""

    deadlines: dict[str, dt.date] = field(default_factory=dict)  # by 级别, or "" for every level
    repeat_threshold: float = 0.5  # share of the text repeated from last year (the scored 50 %)
    similar_threshold: float = 0.8  # share of one report found in another unit's report
    jump_threshold: float = 0.3  # Y-1: change of a ratio from last year, in share points
    min_reports: int = 10  # Y-2: reports with the ratio needed before speaking of outliers
    min_base: int = 10  # Y-1/Y-2: smallest denominator for a ratio to be compared
    office: str = ""  # the county office named in return letters

    def deadline(self, level: str | None, year: int) -> tuple[dt.date, bool]:
        """Return the deadline for a report of ``year`` and whether it is the statutory one."""
        local = self.deadlines.get(level or "部门") or self.deadlines.get("")
        if local is not None:
            return local, False
        month, day = STATUTORY_DEADLINE.get(level or "部门", STATUTORY_DEADLINE["部门"])
        return dt.date(year + 1, month, day), True


DEFAULT_SETTINGS = Settings()
