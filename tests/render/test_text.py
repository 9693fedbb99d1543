"""The plain-text report: golden files for every valid example, and grid drawing properties.

Golden files live in tests/golden/<example>.txt and were reviewed by eye. After an intended
change, regenerate them with ``GAIGEN_REGENERATE=1 pytest tests/render/test_text.py`` and review
the diff before committing.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wcwidth import wcswidth

from gaigen.api.reports import validate_file
from gaigen.render.context import build_context
from gaigen.render.text import CLOSING, char_widths, display_width, draw_grid, render_text, wrap
from gaigen.spec.grid import grid
from gaigen.spec.layout import Edition
from tests.builders import fill_consistent, starter, write

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
VALID_EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if not p.name.startswith("invalid-"))


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_golden_text_report(example: Path) -> None:
    text = render_text(build_context(validate_file(example).report))
    golden = GOLDEN / f"{example.stem}.txt"
    if os.environ.get("GAIGEN_REGENERATE"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_example_has_a_golden_file() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(p.stem for p in VALID_EXAMPLES)


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize("key", ["表二", "表三", "表四"])
def test_grid_lines_have_one_width(edition: Edition, key: str, tmp_path: Path) -> None:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(5), with_totals=False)
    context = build_context(validate_file(write(data, tmp_path / "d.yaml")).report)
    lines = draw_grid(grid(edition, key), context.cells[key])
    widths = {display_width(line) for line in lines}
    assert len(widths) == 1, widths  # every line ends on the right border: columns line up
    # and so they do where “” are one column (a Western font)
    if not any(char in line for line in lines for char in "“”"):
        assert {wcswidth(line) for line in lines} == widths
    assert all(line[0] in "+|" and line[-1] in "+|" for line in lines)


@pytest.mark.parametrize("edition", list(Edition))
def test_every_number_and_label_is_printed(edition: Edition, tmp_path: Path) -> None:
    data = starter(edition)
    fill_consistent(data, edition, random.Random(11), with_totals=True)
    context = build_context(validate_file(write(data, tmp_path / "d.yaml")).report)
    text = render_text(context)
    flat = "".join(text.split())
    for key, g in context.grids.items():
        drawn = "".join("".join(draw_grid(g, context.cells[key])).split())
        for cell in g.cells:
            if cell.text:
                assert _wrapped(cell.text, drawn), cell.text
        assert drawn.replace("|", "").replace("+", "").replace("-", "") in flat.replace("|", "").replace(
            "+", ""
        ).replace("-", "")


def _wrapped(label: str, drawn: str) -> bool:
    """A label wrapped over several lines still appears piece by piece, in order."""
    position = 0
    for char in label:
        position = drawn.find(char, position)
        if position < 0:
            return False
    return True


def test_hostile_narrative_is_printed_literally(tmp_path: Path) -> None:
    data = starter(Edition.E2021)
    data["五、存在的主要问题及改进情况"] = "A&B <w:t>x</w:t> {{ 7*7 }} {% if x %}"
    context = build_context(validate_file(write(data, tmp_path / "d.yaml")).report)
    assert "A&B <w:t>x</w:t> {{ 7*7 }} {% if x %}" in render_text(context)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_takes_one_column_a_character_by_either_way_of_counting(text: str) -> None:
    """``display_width`` counts ASCII (every number of the tables) without looking at each character."""
    assert display_width(text) == len(text)
    assert wcswidth(text) < 0 or sum(char_widths(text)) == len(text)


def test_curly_quotes_beside_chinese_take_two_columns() -> None:
    assert display_width("危及“三安全一稳定”") == 2 * 10
    assert display_width('say "x" and “x”') == 15  # among Latin letters: one column each


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_no_line_starts_with_closing_punctuation(example: Path) -> None:
    text = render_text(build_context(validate_file(example).report))
    for line in text.splitlines():
        for cell in re.split(r"[|+]", line):
            # a one-character-wide column (三、本年度办理结果 stood on end) is exempt
            if display_width(cell.strip()) > 2:
                assert cell.strip()[:1] not in CLOSING, line


def test_wrap_takes_a_character_down_with_closing_punctuation() -> None:
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]
    assert wrap("一二三（四五六", 8) == ["一二三", "（四五六"]
