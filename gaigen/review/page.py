"""``汇总.html``: the county at a glance in one offline page (no CDN, no library to load).

The charts are SVG drawn here (horizontal bars: categories down the left, one bar per series), the
summary table sorts when a header is clicked and filters by state, with a few lines of inline
script. The template is package data (``gaigen/templates/county.html``, copied from
``templates/county.html`` by ``scripts/build_templates.py``), compiled by the one jinja environment
with escaping on: agency names are data, never markup.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from gaigen.render.jinja_env import environment

TEMPLATE_NAME = "county.html"
COLORS = ("#c0392b", "#2471a3", "#7d8c8d", "#d4ac0d", "#229954")
_LABEL_WIDTH, _PLOT_WIDTH, _BAR, _GAP = 190, 380, 14, 8


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class ChartData:
    """One bar chart: a category per bar group, one value per series and category."""

    id: str
    title: str
    categories: Sequence[str]
    series: Sequence[Series]


@dataclass(frozen=True)
class PageCell:
    text: str
    number: bool = False
    sort: float = 0.0


def template_text() -> str:
    """Return the packaged page template."""
    return resources.files("gaigen").joinpath("templates", TEMPLATE_NAME).read_text(encoding="utf-8")


@functools.cache
def _template() -> jinja2.Template:
    return environment(xml=True).from_string(template_text())


def _svg(chart: ChartData) -> dict[str, Any]:
    """Return a chart's size, legend and shapes: its bars and their labels, as SVG markup, every text escaped.

    The shapes are joined here rather than looped in the template: a county's thousand agencies
    make three thousand bars.
    """
    top = max((v for s in chart.series for v in s.values), default=0) or 1
    group = _GAP + _BAR * len(chart.series)
    bars, labels = [], []
    for index, category in enumerate(chart.categories):
        y0 = 4 + index * group
        labels.append(_text(_LABEL_WIDTH - 6, y0 + group / 2 + 2, "end", _short(category)))
        for number, series in enumerate(chart.series):
            value = series.values[index]
            width = round(value / top * _PLOT_WIDTH, 1)
            y = y0 + number * _BAR
            color = COLORS[number % len(COLORS)]
            tip = escape(f"{category} {series.name}：{_number(value)}")
            bars.append(
                f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y}" width="{width}" height="{_BAR - 2}" fill="{color}">'
                f"<title>{tip}</title></rect>\n"
            )
            labels.append(_text(_LABEL_WIDTH + width + 4, y + _BAR - 4, "start", _number(value)))
    return {
        "id": chart.id,
        "title": chart.title,
        "legend": [(s.name, COLORS[i % len(COLORS)]) for i, s in enumerate(chart.series)],
        "width": _LABEL_WIDTH + _PLOT_WIDTH + 60,
        "height": 8 + group * len(chart.categories),
        "shapes": Markup("".join(bars) + "".join(labels)),
    }


def _text(x: float, y: float, anchor: str, text: str) -> str:
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}">{escape(text)}</text>\n'


def _short(text: str) -> str:
    return text if len(text) <= 14 else text[:13] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _body(rows: Sequence[Sequence[PageCell]]) -> Markup:
    """Return the summary table's rows as HTML, every text escaped.

    Joined here rather than looped in the template: a county's 30,000 cells cost jinja ten times more.
    """
    lines = []
    for row in rows:
        cells = "".join(
            f'<td class="num" data-sort="{escape(cell.sort)}">{escape(cell.text)}</td>'
            if cell.number
            else f"<td>{escape(cell.text)}</td>"
            for cell in row
        )
        lines.append(f"<tr>{cells}</tr>\n")
    return Markup("".join(lines))


def county_page(
    title: str,
    notes: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[PageCell]],
    charts: Sequence[ChartData],
    pairs: Sequence[dict[str, str]],
    ratios: Sequence[dict[str, Any]],
    filters: dict[str, Sequence[str]],
) -> str:
    """Return the page. ``filters`` maps a column title (审核状态, 状态) to the values offered."""
    review, status = "审核状态", "状态"
    return _template().render(
        title=title,
        notes=notes,
        header=header,
        body=_body(rows),
        charts=[_svg(c) for c in charts if c.categories],
        pairs=pairs,
        ratios=ratios,
        review_column=list(header).index(review),
        status_column=list(header).index(status),
        review_states=filters.get(review, ()),
        statuses=filters.get(status, ()),
    )
