"""The checks that need every report of a run: R-2 (the same as another unit) and Y-2 (outliers).

Y-2, far outside the county's spread: for each ratio of ``gaigen.rules.ratios``, among the
reports whose denominator is at least ``min_base``, and only when there are at least
``min_reports`` of them, a value is an outlier when it differs from their median by more than
three times their interquartile range, and by at least 20 share points (so a county where nearly
every report has the same ratio does not call a small difference an outlier).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report
from gaigen.core.settings import Settings
from gaigen.review.digest import Digest
from gaigen.review.similar import Pair, find_pairs
from gaigen.rules.ratios import RATIOS
from gaigen.rules.similarity import narrative_parts, percent
from gaigen.spec import layout

FAR = 3.0  # interquartile ranges from the median
MIN_GAP = 0.2  # share points from the median, at least


@dataclass(frozen=True)
class Spread:
    """A ratio across the run: how many reports have it, its median and interquartile range."""

    name: str
    count: int
    median: float
    iqr: float

    def is_outlier(self, value: float) -> bool:
        return abs(value - self.median) > max(FAR * self.iqr, MIN_GAP)


def spreads(digests: Sequence[Digest], settings: Settings) -> dict[str, Spread]:
    """Return the spread of each ratio that enough reports have (``settings.min_reports``)."""
    found = {}
    for ratio in RATIOS:
        values = [v for v in _values(digests, ratio.name, settings)]
        if len(values) < max(settings.min_reports, 4):
            continue
        quarter, _, three_quarters = statistics.quantiles(values, n=4)
        found[ratio.name] = Spread(ratio.name, len(values), statistics.median(values), three_quarters - quarter)
    return found


def _values(digests: Sequence[Digest], name: str, settings: Settings) -> list[float]:
    return [
        m.value for d in digests if (m := d.ratios.get(name)) and m.value is not None and m.base >= settings.min_base
    ]


def outliers(digests: Sequence[Digest], settings: Settings) -> dict[int, list[Problem]]:
    """Return the Y-2 warnings by index into ``digests``."""
    found: dict[int, list[Problem]] = {}
    by_name = {r.name: r for r in RATIOS}
    for name, spread in spreads(digests, settings).items():
        ratio = by_name[name]
        for index, each in enumerate(digests):
            measured = each.ratios.get(name)
            if measured is None or measured.value is None or measured.base < settings.min_base:
                continue
            if not spread.is_outlier(measured.value):
                continue
            line, cell = each.place(ratio.table)
            found.setdefault(index, []).append(
                Problem(
                    "Y-2",
                    Severity.WARNING,
                    f"而本批 {spread.count} 份报告的中位数为 {percent(spread.median)}（四分位距 {percent(spread.iqr)}），"
                    f"明显偏离（{name} = {ratio.formula}）",
                    "请核对表中数字；确属实际情况的，建议在报告中说明原因。",
                    file=each.file,
                    line=line,
                    cell=cell,
                    subject=name,
                    found=percent(measured.value),
                )
            )
    return found


@dataclass(frozen=True)
class Similar:
    """A pair of reports found near-identical: the digests and the pair's score."""

    first: Digest
    second: Digest
    pair: Pair
    threshold: float  # parts repeated over it are named

    @property
    def parts(self) -> str:
        """Return “一、总体情况 90%、…”: the parts of ``first`` repeated over the threshold."""
        return "、".join(self.pair.found.repeated_parts(self.threshold))

    def describe(self) -> str:
        return self.pair.describe(self.threshold)


def similar(digests: Sequence[Digest], settings: Settings) -> tuple[list[Similar], dict[int, list[Problem]]]:
    """Return the near-identical links and the R-2 warning of each report in one, by index into ``digests``."""
    pairs = find_pairs([d.parts for d in digests], settings.similar_threshold, sketches=[d.sketch for d in digests])
    links: dict[int, list[tuple[int, Pair]]] = {}
    listed = []
    for pair in pairs:
        listed.append(Similar(digests[pair.first], digests[pair.second], pair, settings.similar_threshold))
        links.setdefault(pair.first, []).append((pair.second, pair))
        links.setdefault(pair.second, []).append((pair.first, pair))
    found: dict[int, list[Problem]] = {}
    for index, linked in links.items():
        each = digests[index]
        best_index, best = max(linked, key=lambda item: item[1].share)
        other = digests[best_index]
        what = f"{other.agency or '另一单位'}（{other.file}）的报告{best.describe(settings.similar_threshold)}"
        if len(linked) > 1:
            names = [digests[i].agency or digests[i].file for i, _ in linked]
            shown = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            what = f"{shown} {len(names)} 个单位的报告雷同，其中与{what}"
        line, cell = each.place(layout.OVERVIEW)
        found[index] = [
            Problem(
                "R-2",
                Severity.WARNING,
                f"与{what}，超过 {percent(settings.similar_threshold)}",
                "评估要求报告不得与其他单位雷同，请根据本单位的实际情况撰写。",
                file=each.file,
                line=line,
                cell=cell,
                subject="正文",
            )
        ]
    return listed, found


@dataclass(frozen=True)
class SimilarReports:
    """Two of the files ``gaigen check`` read whose narrative is near-identical (R-2)."""

    first: int  # indexes into the reports given; the one of which the larger share is in the other
    second: int
    share: float
    message: str  # one Chinese line, as printed


def similar_reports(reports: Sequence[tuple[str, Report | None]], settings: Settings) -> list[SimilarReports]:
    """Return the near-identical pairs among ``reports`` (``gaigen check`` on many files), each with its line."""
    texts = [narrative_parts(report) if report is not None else None for _, report in reports]
    found = []
    for pair in find_pairs(texts, settings.similar_threshold):
        (one, first), (two, second) = reports[pair.first], reports[pair.second]
        who = f"{first.agency if first and first.agency else one}（{one}）"
        other = f"{second.agency if second and second.agency else two}（{two}）"
        line = (
            f"雷同（R-2）：{who}与{other}的报告{pair.describe(settings.similar_threshold)}，"
            f"超过 {percent(settings.similar_threshold)}。请根据本单位的实际情况撰写。"
        )
        found.append(SimilarReports(pair.first, pair.second, pair.share, line))
    return found
