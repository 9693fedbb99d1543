"""The checks evaluators score (issue 15): deadline, repetition from last year, ratio jumps.

All warnings, never errors: the office decides. D-1 reads the deadline from the settings (the
statutory one by default), R-1 and Y-1 compare with last year's report when it is given. R-2 (same
as another unit) and Y-2 (outside the county's spread) need every report of a run; they are
declared here, so that they are listed and documented, and found by ``gaigen.review.county``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from gaigen.core.problems import Problem, Severity
from gaigen.core.report import Report
from gaigen.core.settings import Settings
from gaigen.rules.base import declare, part_problem, settings_rule, where_text
from gaigen.rules.ratios import RATIOS, measure
from gaigen.rules.similarity import narrative_parts, overlap, percent
from gaigen.spec import datafile, layout


def chinese_date(day: dt.date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


@settings_rule(
    "D-1",
    "format-spec §1.1 (《条例》第四十九条)",
    Severity.WARNING,
    "发布日期不晚于发布期限（部门 1 月 31 日，人民政府 3 月 31 日，或本地规定的期限）",
)
def deadline(report: Report, previous: Report | None, settings: Settings) -> Iterator[Problem]:
    published, year = report.published, report.year
    if not isinstance(published, dt.date) or year is None or published.year <= year:
        return  # missing or before the year's end: N-3 says so
    limit, statutory = settings.deadline(report.level, year)
    if published <= limit:
        return
    late = (published - limit).days
    source = (
        f"《条例》规定{'人民政府' if report.level == '政府' else '部门'}在 {chinese_date(limit)}前公布"
        if statutory
        else f"本地规定的发布期限为 {chinese_date(limit)}"
    )
    problem = part_problem(
        report,
        "D-1",
        (datafile.PUBLISHED,),
        datafile.PUBLISHED,
        f"晚于发布期限 {late} 天（{source}）",
        "逾期发布会在评估中扣分；如日期填错请改正，确实逾期请在报告中说明原因。",
    )
    yield replace(problem, found=published.isoformat())


@settings_rule(
    "R-1",
    "format-spec §3.2, §8.6 (内容雷同); issue 15",
    Severity.WARNING,
    "正文与上年报告的重复率不超过 50%（阈值可设置）",
)
def repeated_from_last_year(report: Report, previous: Report | None, settings: Settings) -> Iterator[Problem]:
    if previous is None:
        return
    found = overlap(narrative_parts(report), narrative_parts(previous))
    if found.whole <= settings.repeat_threshold:
        return
    parts = found.repeated_parts(settings.repeat_threshold)
    which = f"，其中{'、'.join(parts)}" if parts else ""
    yield part_problem(
        report,
        "R-1",
        (layout.OVERVIEW,),
        "正文",
        f"与上年报告（{where_text(previous, (layout.OVERVIEW,))}）重复 {percent(found.whole)}{which}，"
        f"超过 {percent(settings.repeat_threshold)}",
        "评估要求报告内容不得与上年雷同，请根据本年度的实际情况改写重复的部分。",
    )


@settings_rule(
    "Y-1",
    "format-spec §4.3, §4.4; README 异常比例",
    Severity.WARNING,
    "比例（予以公开率等）与上年相比变化过大",
)
def ratio_jump(report: Report, previous: Report | None, settings: Settings) -> Iterator[Problem]:
    if previous is None:
        return
    now, before = measure(report), measure(previous)
    for ratio in RATIOS:
        a, b = now[ratio.name], before[ratio.name]
        if a.value is None or b.value is None or min(a.base, b.base) < settings.min_base:
            continue
        if abs(a.value - b.value) < settings.jump_threshold:
            continue
        problem = part_problem(
            report,
            "Y-1",
            (ratio.table,),
            ratio.name,
            f"上年为 {percent(b.value)}，变化超过 {percent(settings.jump_threshold)}（{ratio.name} = {ratio.formula}）",
            "请核对表中数字；确属实际情况的，建议在报告中说明原因。",
        )
        yield replace(problem, found=percent(a.value))


declare(
    "R-2",
    "format-spec §3.2, §8.6 (内容雷同); issue 15",
    Severity.WARNING,
    "正文不与同一批中其他单位的报告雷同（batch、check 多份报告时核对，阈值可设置）",
)
declare(
    "Y-2",
    "format-spec §4.3, §4.4; README 异常比例",
    Severity.WARNING,
    "比例远离同一批报告的一般水平（报告足够多时才核对）",
)
