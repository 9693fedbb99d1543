"""What a batch run produces: each file's result, the run's result, and the key figures of a report."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gaigen.core.names import report_stem
from gaigen.core.problems import Problem
from gaigen.core.report import Report, Value
from gaigen.core.totals import effective, sum_or_none
from gaigen.review.county import Similar, Spread
from gaigen.review.digest import Digest
from gaigen.review.export import Piece
from gaigen.rules.ratios import RATIOS
from gaigen.spec import layout
from gaigen.spec.layout import (
    CARRIED_FORWARD,
    DIRECT_SUIT,
    LITIGATION,
    NEW_REQUESTS,
    OUTCOMES,
    REVIEW,
    SUIT_AFTER_REVIEW,
)

DEFAULT_TIMEOUT = 120.0  # seconds per file (DECISIONS §14)


SUMMARY_STEM = "汇总"


STAGING_PREFIX = ".gaigen-batch-"


class Status(str, enum.Enum):
    """What became of one file."""

    RENDERED = "已生成"
    WARNINGS = "已生成（有提示）"
    REFUSED = "有错误未生成"
    UNREADABLE = "无法读取"
    FAILED = "生成失败"  # read and checked, but an output could not be made or written
    CRASHED = "超时或崩溃"
    CONFLICT = "重复未生成"
    NOT_DONE = "未处理"

    @property
    def rendered(self) -> bool:
        return self in (Status.RENDERED, Status.WARNINGS)


FIGURES = ("本年新收", "予以公开", "结转下年度", "复议总计", "诉讼总计")


REVIEW_COLUMNS = ("审核状态", "与上次相比", "雷同")


RATIO_COLUMNS = tuple(f"{ratio.name}（%）" for ratio in RATIOS)  # percentages, one decimal


COLUMNS = (
    "文件",
    "机关名称",
    "年度",
    "版式",
    "状态",
    "错误数",
    "提示数",
    "第一个问题",
    "输出文件",
    *FIGURES,
    *REVIEW_COLUMNS,
    *RATIO_COLUMNS,
)


PREVIOUS_COLUMN = "上年文件"


@dataclass
class FileResult:
    """One input file: what it is, what became of it, its first problem and its key figures."""

    path: Path
    name: str  # as shown in messages and the summary
    status: Status = Status.NOT_DONE
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    message: str = ""  # the first problem (an error before any warning), or why the file failed
    outputs: list[Path] = field(default_factory=list)
    figures: dict[str, Value | None] = field(default_factory=dict)
    previous: Path | None = None  # last year's file used for the cross-year checks
    seconds: float = 0.0
    digest: Digest | None = None  # for the checks across the run (issue 15)
    export: Piece | None = None  # its rows of the export of every cell, in its worker's spool
    previous_figures: dict[str, Value | None] = field(default_factory=dict)
    review_state: str = ""  # 已收 / 退回 / 通过, from the review record
    review_change: str = ""  # problems fixed, still open, new since the last version

    @property
    def stem(self) -> str | None:
        """Return the output file stem, or None when 机关名称 or 年度 is unknown."""
        return report_stem(self.year, self.agency) if self.agency and self.year else None


@dataclass(frozen=True)
class Progress:
    """Handed to ``progress_callback`` at the start (``last`` None) and after each file."""

    done: int
    total: int
    failures: int
    last: FileResult | None
    elapsed: float


@dataclass
class BatchResult:
    """The whole run: one result per input file, in input order, and what the summary says."""

    files: list[FileResult]
    out_dir: Path
    jobs: int
    summary: list[Path] = field(default_factory=list)  # the .xlsx and the .csv written
    notes: list[str] = field(default_factory=list)  # Chinese lines: conflicts, last year, globs
    only_this_year: list[str] = field(default_factory=list)  # agencies without last year's file
    only_last_year: list[str] = field(default_factory=list)  # last year's agencies missing now
    stopped_by: int | None = None  # signal number when SIGINT/SIGTERM stopped the run
    seconds: float = 0.0
    similar: list[Similar] = field(default_factory=list)  # near-identical pairs
    spreads: dict[str, Spread] = field(default_factory=dict)  # each ratio across the run (Y-2)
    letters: list[Path] = field(default_factory=list)  # return letters and marked workbooks written

    def count(self, status: Status) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def failures(self) -> list[FileResult]:
        """Return the files that were not rendered (for any reason but an interruption)."""
        return [f for f in self.files if not f.status.rendered and f.status is not Status.NOT_DONE]

    @property
    def all_rendered(self) -> bool:
        return all(f.status.rendered for f in self.files)

    @property
    def usable(self) -> bool:
        """Return whether any file could be read at all (else the input was unusable: exit 2)."""
        return any(f.status is not Status.UNREADABLE for f in self.files)


def key_figures(report: Report) -> dict[str, Value | None]:
    """Return the summary's key figures (DECISIONS §14: 诉讼总计 = 直接起诉 + 复议后起诉)."""
    disclosed = layout.table(report.edition, layout.TABLE3).node_at((OUTCOMES,))[0].label  # （一）予以公开
    total = layout.TOTAL
    return {
        "本年新收": effective(report, layout.TABLE3, (NEW_REQUESTS,), total),
        "予以公开": effective(report, layout.TABLE3, (OUTCOMES, disclosed), total),
        "结转下年度": effective(report, layout.TABLE3, (CARRIED_FORWARD,), total),
        "复议总计": effective(report, layout.TABLE4, (REVIEW,), total),
        "诉讼总计": sum_or_none(
            effective(report, layout.TABLE4, (LITIGATION, suit), total) for suit in (DIRECT_SUIT, SUIT_AFTER_REVIEW)
        ),
    }


# Last year's data files by (机关名称, 年度), for the cross-year rules.
PreviousIndex = Mapping[tuple[str, int], Path]


def shown_name(path: Path) -> str:
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")
