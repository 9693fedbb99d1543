"""The ratios are defined once: the README's table is the code's, and the example gives the expected values."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from gaigen.api import reports as api
from gaigen.rules.ratios import RATIOS, measure

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_ratio_with_its_formula() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("**比例的计算公式**", 1)[1].split("\n\n", 2)[1]
    rows = [line.strip("|").split(" | ") for line in table.splitlines()[2:]]
    assert [(name.strip(), formula.strip()) for name, formula in rows] == [(r.name, r.formula) for r in RATIOS]


@pytest.mark.parametrize(
    ("name", "value", "base"),
    [
        ("予以公开率", Fraction(76, 178), 178),
        ("无法提供率", Fraction(29 + 4 + 1 + 2 + 1 + 4 + 1 + 2, 178), 178),
        ("结转率", Fraction(8, 177 + 9), 186),
        ("复议纠错率", Fraction(1, 6), 6),
        ("诉讼纠错率", Fraction(0, 6), 6),
    ],
)
def test_the_ratios_of_the_county_example(name: str, value: Fraction, base: int) -> None:
    report, _ = api.load_report(ROOT / "examples" / "county-government-2024.yaml")
    measured = measure(report)[name]
    assert measured.base == base
    assert measured.value == pytest.approx(float(value))


def test_a_ratio_without_a_denominator_is_not_computed() -> None:
    report, _ = api.load_report(ROOT / "examples" / "county-bureau-2020.yaml")
    for cell in [k for k in report.cells if k[0] == "表四"]:
        report.cells[cell] = 0
    report.computed.clear()
    assert measure(report)["复议纠错率"].value is None
